/// PPO's update split into steps whose gradients can be computed in parts: what the gradient
/// shards and the cluster's distributed round are written against. (The seam between the one
/// trainer and its algorithms is `TrainingAlgorithm`; this is the finer one PPO's distributed
/// round needs.)
///
/// An update is `plan` once (whatever needs the whole batch: values, targets, the minibatch
/// schedule), then for every step of the plan the gradient of a loss that is a sum over rows
/// divided by the step's row count N — so any subset of the rows (a shard) computes its part and
/// the parts add up — and one optimiser step on the summed gradient. PPO's `Learner` is the only
/// rule. Gumbel AlphaZero's loss has the same shape (`AlphaZeroLearner.addGradients` sums over
/// rows and divides by the minibatch size), so its distributed round can follow this one when the
/// cluster carries AlphaZero (issue 13).
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
