import Elimination

/// How joint training keeps large programs from drowning small ones: each task's rewards are
/// multiplied by 100 / (the task's best of forward, reverse and minimal-Markowitz cost), so an
/// episode's return is minus its cost in percent of that baseline, about −100 on every task.
///
/// Why this and not the alternatives: raw costs differ by three orders of magnitude across a
/// corpus (20 to 76 604 multiplications), so without scaling the advantages of one minibatch and
/// the value loss are the big programs'. A fixed per-task reference is a pure function of the
/// graph — the learner, the cluster's gradient shards and a resumed run all compute the same
/// numbers with no state to store, and the value network sees a stationary target. Per-task
/// running statistics of returns would need that state in every checkpoint and move the target
/// as the policy improves; the best cost found so far moves too. The best baseline (not forward
/// mode alone) is the cost a user could already have, so 1 % of return is 1 % of real gain.
///
/// A run of one task is left in raw costs (scale 1, `Hyperparameters.normalizeRewardsPerTask`):
/// a constant factor has nothing to balance there, and single-task runs keep their numbers.
public struct TaskRewardScale: Sendable {
    /// The return of an episode exactly as costly as the reference.
    public static let percent: Float = 100

    /// Multiplier of each task's rewards, by task index.
    public let factors: [Float]

    /// `enabled` false, or a single task: every factor is 1.
    public init(specs: [GameSpec], enabled: Bool) {
        guard enabled, specs.count > 1 else {
            factors = [Float](repeating: 1, count: specs.count)
            return
        }
        factors = specs.map { Self.factor(reference: BaselineSummary(spec: $0).best) }
    }

    /// 100 / reference; a graph whose baselines cost nothing (no multiplication to save) keeps
    /// raw costs, which are then 0 as well.
    public static func factor(reference: Int) -> Float {
        reference > 0 ? percent / Float(reference) : 1
    }

    public func factor(task: Int) -> Float { factors.indices.contains(task) ? factors[task] : 1 }
}
