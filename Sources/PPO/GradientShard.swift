import Elimination

/// One helper's share of a distributed PPO update (DD-PPO's split of the gradient work): some of
/// the batch's episodes, replayed here, with the values, advantages and returns the learner
/// computed for them and the learner's minibatch schedule. For each step it computes this shard's
/// part of the step's gradient at the parameters it is given; the learner adds the parts of all
/// shards (in shard order) and takes the optimiser step. Single-threaded: a helper is one core.
public final class GradientShard {
    public let network: PolicyNetwork
    public let steps: [UpdatePlan.Step]
    private let learner: Learner
    private let batch: RolloutBatch

    /// `values`, `advantages` and `returns` are episode-major over the episodes' steps
    /// (`RolloutBatch.series`). Throws if an episode is not a valid order or the series do not fit.
    public init(
        config: NetworkConfig, hp: Hyperparameters, specs: [GameSpec], episodes: [Episode],
        values: [Float], advantages: [Float], returns: [Float], steps: [UpdatePlan.Step]
    ) throws {
        var batch = try RolloutBatch(episodes: episodes, specs: specs)
        try batch.setSeries(values: values, advantages: advantages, returns: returns)
        let rows = batch.blocks.map(\.B).max() ?? 1
        network = try PolicyNetwork(config: config, maxBatch: rows, maxTokens: max(batch.maxTokens, 1), seed: 0)
        learner = Learner(network: network, hp: hp, seed: 0)
        learner.parallel = false
        self.batch = batch
        self.steps = steps
    }

    /// This shard's sums and gradient for step `index` at `parameters`.
    public func gradient(
        step index: Int, parameters: [Float]
    ) throws -> (sums: Learner.MinibatchSums, gradient: [Float]) {
        guard steps.indices.contains(index) else {
            throw PPOError.invalidEpisode("step \(index) is outside the update's \(steps.count) steps")
        }
        try network.loadParameters(parameters)
        let sums = try learner.lossAndGradients(batch, step: steps[index])
        let store = network.store
        return (sums, Array(UnsafeBufferPointer(start: store.gradients, count: store.count)))
    }
}
