/// Failures of the AlphaZero core. Each says what happened and what to do.
public enum AlphaZeroError: Error, Equatable, CustomStringConvertible {
    /// A hyperparameter outside its range (the message names it).
    case invalidSetting(String)
    /// A leaf evaluator answered with the wrong shape or non-finite numbers.
    case badEvaluation(String)
    /// The search or the update was used out of order, or with inputs that do not fit.
    case misuse(String)
    /// A non-finite loss or gradient: the weights were left untouched.
    case degenerate(String)
    /// The caller stopped the games half way (`SelfPlay.play`'s `abandon`: an actor told that
    /// training is over); nothing was kept.
    case abandoned

    public var description: String {
        switch self {
        case .invalidSetting(let s): return "invalid AlphaZero setting: \(s)"
        case .badEvaluation(let s): return "bad leaf evaluation: \(s) (check the network's weights and the evaluator)"
        case .misuse(let s): return "AlphaZero misuse: \(s)"
        case .degenerate(let s): return "degenerate AlphaZero update: \(s); the weights were not changed"
        case .abandoned: return "self-play abandoned by its caller; no game was kept"
        }
    }
}
