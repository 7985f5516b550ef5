// The errors this module throws. Each says what happened and what to do about it.

public enum NeuralNetError: Error, Equatable, CustomStringConvertible {
    /// Two tensors were registered under one name in a `ParameterLayout`.
    case duplicateParameterName(String)
    /// A tensor shape with a zero or negative dimension, or no dimension at all.
    case invalidShape(name: String, shape: [Int])
    /// An `EncoderConfig` field is out of range.
    case invalidEncoderConfig(String)
    /// A batch larger than the buffers were preallocated for.
    case batchExceedsCapacity(batch: Int, tokens: Int, maxBatch: Int, maxTokens: Int)

    public var description: String {
        switch self {
        case .duplicateParameterName(let name):
            return "parameter '\(name)' is registered twice; give each tensor a unique name (use a prefix per network)"
        case .invalidShape(let name, let shape):
            return "parameter '\(name)' has shape \(shape); every dimension must be positive"
        case .invalidEncoderConfig(let reason):
            return "invalid encoder configuration: \(reason)"
        case .batchExceedsCapacity(let batch, let tokens, let maxBatch, let maxTokens):
            return "batch of \(batch) x \(tokens) tokens exceeds the preallocated \(maxBatch) x \(maxTokens); "
                + "split the batch or create the encoder with larger maxBatch/maxTokens"
        }
    }
}
