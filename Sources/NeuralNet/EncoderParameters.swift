import Randomness

// Where one encoder's weights live in a `ParameterLayout`, and how they are initialised.
// Names are "<prefix>.layers.<l>.<tensor>", so a policy and a value encoder can share one layout.

/// Offsets (into the flat parameter or gradient buffer) of one transformer block's tensors.
public struct EncoderLayerOffsets: Equatable, Sendable {
    public var ln1Weight, ln1Bias: Int  // (C), (C)
    public var qkvWeight, qkvBias: Int  // (3A, C), (3A)
    public var projWeight, projBias: Int  // (C, A), (C)
    public var ln2Weight, ln2Bias: Int  // (C), (C)
    public var fc1Weight, fc1Bias: Int  // (F, C), (F)
    public var fc2Weight, fc2Bias: Int  // (C, F), (C)
}

public struct EncoderParameters: Equatable, Sendable {
    public let config: EncoderConfig
    public let layers: [EncoderLayerOffsets]
    public let finalNormWeight: Int  // (C)
    public let finalNormBias: Int  // (C)

    /// Registers every tensor of an encoder with `config` under `prefix` in `layout`.
    public init(config: EncoderConfig, prefix: String, layout: inout ParameterLayout) throws {
        try config.validate()
        self.config = config
        let C = config.width, A = config.attentionWidth, F = config.ffnWidth
        func add(_ name: String, _ shape: [Int]) throws -> Int {
            try layout.add("\(prefix).\(name)", shape: shape).offset
        }
        var layers: [EncoderLayerOffsets] = []
        for l in 0..<config.layers {
            let p = "layers.\(l)"
            layers.append(
                EncoderLayerOffsets(
                    ln1Weight: try add("\(p).ln1.weight", [C]), ln1Bias: try add("\(p).ln1.bias", [C]),
                    qkvWeight: try add("\(p).attn.qkv.weight", [3 * A, C]),
                    qkvBias: try add("\(p).attn.qkv.bias", [3 * A]),
                    projWeight: try add("\(p).attn.proj.weight", [C, A]), projBias: try add("\(p).attn.proj.bias", [C]),
                    ln2Weight: try add("\(p).ln2.weight", [C]), ln2Bias: try add("\(p).ln2.bias", [C]),
                    fc1Weight: try add("\(p).ffn.fc1.weight", [F, C]), fc1Bias: try add("\(p).ffn.fc1.bias", [F]),
                    fc2Weight: try add("\(p).ffn.fc2.weight", [C, F]), fc2Bias: try add("\(p).ffn.fc2.bias", [C])))
        }
        self.layers = layers
        finalNormWeight = try add("lnf.weight", [C])
        finalNormBias = try add("lnf.bias", [C])
    }

    /// Layer `l`'s attention weights inside `base` (the parameter buffer or the gradient buffer).
    @inlinable
    public func attention<Scalar>(_ l: Int, in base: UnsafeMutablePointer<Scalar>) -> SelfAttentionWeights<Scalar> {
        let o = layers[l]
        return SelfAttentionWeights(
            qkvWeight: base + o.qkvWeight, qkvBias: base + o.qkvBias,
            projWeight: base + o.projWeight, projBias: base + o.projBias)
    }

    /// Layer `l`'s feed-forward weights inside `base` (the parameter buffer or the gradient buffer).
    @inlinable
    public func feedForward<Scalar>(_ l: Int, in base: UnsafeMutablePointer<Scalar>) -> FeedForwardWeights<Scalar> {
        let o = layers[l]
        return FeedForwardWeights(
            fc1Weight: base + o.fc1Weight, fc1Bias: base + o.fc1Bias,
            fc2Weight: base + o.fc2Weight, fc2Bias: base + o.fc2Bias)
    }

    /// LayerNorms start as the identity (weight 1, bias 0), biases at 0, and weight matrices
    /// orthogonal. The two projections that write into the residual stream (attention output and
    /// second feed-forward layer) get gain 1/sqrt(2L), as in GPT-2, so that the stream's variance
    /// stays near 1 however many blocks add into it.
    public func initialize<Scalar: BinaryFloatingPoint>(
        _ params: UnsafeMutablePointer<Scalar>, rng: inout Xoshiro256StarStar
    ) {
        let C = config.width, A = config.attentionWidth, F = config.ffnWidth
        let residualGain = 1 / Double(2 * config.layers).squareRoot()
        func fill(_ offset: Int, _ count: Int, _ value: Scalar) {
            (params + offset).update(repeating: value, count: count)
        }
        for o in layers {
            fill(o.ln1Weight, C, 1); fill(o.ln1Bias, C, 0)
            fill(o.ln2Weight, C, 1); fill(o.ln2Bias, C, 0)
            orthogonalInitialize(params + o.qkvWeight, rows: 3 * A, cols: C, gain: 1, rng: &rng)
            fill(o.qkvBias, 3 * A, 0)
            orthogonalInitialize(params + o.projWeight, rows: C, cols: A, gain: residualGain, rng: &rng)
            fill(o.projBias, C, 0)
            orthogonalInitialize(params + o.fc1Weight, rows: F, cols: C, gain: 1, rng: &rng)
            fill(o.fc1Bias, F, 0)
            orthogonalInitialize(params + o.fc2Weight, rows: C, cols: F, gain: residualGain, rng: &rng)
            fill(o.fc2Bias, C, 0)
        }
        fill(finalNormWeight, C, 1)
        fill(finalNormBias, C, 0)
    }
}
