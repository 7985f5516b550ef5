/// Failures of the learning core. Each says what happened and what to do.
public enum PPOError: Error, Equatable, CustomStringConvertible {
    /// A batch bigger than the preallocated buffers.
    case capacity(String)
    /// Weights or a checkpoint that do not fit this network or task set.
    case incompatible(String)
    /// The run went wrong numerically (NaN loss, a policy choosing masked actions…): never a result.
    case degenerate(String)
    case invalidEpisode(String)

    public var description: String {
        switch self {
        case .capacity(let s): return "capacity: \(s)"
        case .incompatible(let s): return "incompatible: \(s)"
        case .degenerate(let s): return "degenerate run: \(s)"
        case .invalidEpisode(let s): return "invalid episode: \(s)"
        }
    }
}
