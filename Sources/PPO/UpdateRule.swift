/// The algorithm-specific half of an update: the seam where a second algorithm plugs into the
/// one `Trainer`, the gradient shards and the distributed round without a twin of any of them.
///
/// An update is `plan` once (whatever needs the whole batch: values, targets, the minibatch
/// schedule), then for every step of the plan the gradient of a loss that is a sum over rows
/// divided by the step's row count N — so any subset of the rows (a shard) computes its part and
/// the parts add up — and one optimiser step on the summed gradient. PPO's `Learner` is the only
/// rule today. Gumbel AlphaZero fits the same shape: its rows carry the improved policy of the
/// search instead of advantages, and its per-row loss is cross-entropy to that policy plus the
/// value loss; it would implement these three methods, and `Trainer.learner` would become an
/// `any UpdateRule` (with its own hyperparameters) — nothing else in the update path changes.
public protocol UpdateRule: AnyObject {
    /// Everything of one update that is fixed before its first gradient; may shuffle.
    func plan(_ batch: inout RolloutBatch) throws -> UpdatePlan
    /// Zeroes the gradients, then adds the gradient of Σ(loss over this batch's rows of the
    /// step) / `step.transitions`; returns the loss terms summed over those rows.
    func lossAndGradients(_ batch: RolloutBatch, step: UpdatePlan.Step) throws -> Learner.MinibatchSums
    /// One optimiser step from the gradients now in the store; adds the step's figures to `metrics`.
    func applyStep(
        _ sums: Learner.MinibatchSums, transitions: Float, learningRate: Float, metrics: inout UpdateMetrics) throws
}

extension Learner: UpdateRule {}
