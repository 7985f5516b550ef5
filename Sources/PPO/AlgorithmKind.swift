/// Which training algorithm a run uses: the value of `--algorithm`, of `[learner] algorithm` in
/// cluster.toml, of the checkpoint's and the episode log's `algorithm` attribute and of the JSON
/// summaries' `algorithm` key. A file without the attribute was written before AlphaZero existed:
/// it is PPO's.
public enum AlgorithmKind: String, CaseIterable, Sendable {
    /// Proximal policy optimisation (`Learner`).
    case ppo
    /// Gumbel AlphaZero: a policy-improvement search at every move, trained towards its targets
    /// from a replay buffer (`AlphaZeroLearner`, in the AlphaZero module).
    case alphaZero = "alphazero"

    /// The algorithm named `text`, or an error listing the names.
    public init(parsing text: String) throws(PPOError) {
        guard let kind = AlgorithmKind(rawValue: text) else {
            throw .incompatible(
                "unknown algorithm '\(text)'; use \(AlgorithmKind.allCases.map(\.rawValue).joined(separator: " or "))")
        }
        self = kind
    }
}
