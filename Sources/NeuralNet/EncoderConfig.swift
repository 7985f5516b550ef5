// The shape of a transformer encoder. The attention inner width (heads × headDim) is its own
// quantity, separate from the model width: the paper uses width 64 with 6 heads, and 64 is not
// divisible by 6, so each head gets 16 numbers and the 96-wide attention output is projected
// back to 64.

public struct EncoderConfig: Equatable, Codable, Sendable, CustomStringConvertible {
    /// C: numbers per token in the residual stream (the embedding width).
    public var width: Int
    /// NH: attention heads.
    public var heads: Int
    /// HD: numbers per head for queries, keys and values.
    public var headDim: Int
    /// F: hidden width of the feed-forward block.
    public var ffnWidth: Int
    /// L: number of pre-LayerNorm transformer blocks.
    public var layers: Int

    public init(width: Int, heads: Int, headDim: Int, ffnWidth: Int, layers: Int) {
        self.width = width
        self.heads = heads
        self.headDim = headDim
        self.ffnWidth = ffnWidth
        self.layers = layers
    }

    /// A = NH × HD: width of the concatenated heads, projected back to C.
    public var attentionWidth: Int { heads * headDim }

    /// The paper's policy encoder: width 64, 6 heads of 16, feed-forward 256, 5 layers.
    public static let paper = EncoderConfig(width: 64, heads: 6, headDim: 16, ffnWidth: 256, layers: 5)
    /// The paper's value encoder: as `paper` with 4 layers.
    public static let paperValue = EncoderConfig(width: 64, heads: 6, headDim: 16, ffnWidth: 256, layers: 4)
    /// For quick runs and tests: width 32, 2 heads of 16, feed-forward 64, 2 layers.
    public static let small = EncoderConfig(width: 32, heads: 2, headDim: 16, ffnWidth: 64, layers: 2)

    /// Throws `NeuralNetError.invalidEncoderConfig` naming the first field out of range.
    public func validate() throws {
        for (name, value) in [
            ("width", width), ("heads", heads), ("headDim", headDim),
            ("ffnWidth", ffnWidth), ("layers", layers),
        ] where value < 1 {
            throw NeuralNetError.invalidEncoderConfig("\(name) is \(value), must be at least 1")
        }
    }

    public var description: String {
        "width \(width), heads \(heads) x \(headDim), ffn \(ffnWidth), layers \(layers)"
    }
}
