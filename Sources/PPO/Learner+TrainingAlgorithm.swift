import Elimination
import NeuralNet

/// PPO as the trainer's algorithm: a batch of episodes is replayed into a `RolloutBatch`, planned
/// (values, GAE, the shuffled minibatch schedule) and stepped through; the checkpoint keeps the
/// hyperparameters. The cluster's distributed round takes the same steps from summed parts
/// (`Trainer.applyStep`).
extension Learner: TrainingAlgorithm {
    /// One PPO update's work: the replayed batch (values and advantages filled) and its plan.
    public struct Work {
        public var rollout: RolloutBatch
        public var plan: UpdatePlan
    }

    public static var kind: AlgorithmKind { .ppo }

    public static func maxBatch(_ settings: Hyperparameters) -> Int { settings.numEnvs }

    public convenience init(network: PolicyNetwork, settings: Hyperparameters, specs: [GameSpec], seed: UInt64) {
        self.init(network: network, hp: settings, seed: seed)
    }

    public var settings: Hyperparameters { hp }
    public var settingsSummary: [(String, String)] { hp.summary }
    public var gamesPerUpdate: Int { hp.numEnvs }

    public func makePlayer(seed: UInt64, id: UInt32) -> Actor { Actor(network: network, seed: seed, id: id) }

    /// PPO's actor has no settings of its own.
    public func configure(_ player: Actor) {}

    public func learningRate(atUpdate update: Int) -> Float { hp.learningRate(atUpdate: update) }

    public func prepare(_ games: [Episode], specs: [GameSpec]) throws -> Work {
        var rollout = try RolloutBatch(episodes: games, specs: specs)
        let plan = try self.plan(&rollout)
        return Work(rollout: rollout, plan: plan)
    }

    public func stepCount(of work: Work) -> Int { work.plan.steps.count }

    public func takeSteps(_ work: Work, learningRate: Float) throws -> UpdateMetrics {
        try takeSteps(work.rollout, plan: work.plan, learningRate: learningRate)
    }

    public func checkpointState() -> any AlgorithmState { hp }

    public func restore(_ state: any AlgorithmState, specs: [GameSpec]) throws(PPOError) {
        guard let stored = state as? Hyperparameters else {
            throw .incompatible("the checkpoint holds \(state.algorithm.rawValue) state, not PPO's")
        }
        hp = stored
    }
}
