import Elimination
import NeuralNet

/// Actor and learner in one process on the same code the cluster uses: play `numEnvs` episodes of
/// every task with the current policy, replay them into one batch, run one PPO update. With several
/// tasks this is joint training: one set of weights for all of them (the token features do not
/// depend on the graph's size). Seeded: the same seed gives bit-identical runs on the same machine.
/// The caller owns the clock and the printing.
public final class SoloTrainer {
    public let taskNames: [String]
    public let specs: [GameSpec]
    public let network: PolicyNetwork
    public let learner: Learner
    public let actor: Actor
    public let seed: UInt64
    /// The run's configuration as text, stored in checkpoints.
    public var configText = ""
    public private(set) var updates = 0
    public private(set) var episodes = 0
    public private(set) var steps = 0
    public private(set) var policyVersion: UInt64 = 0
    /// The cheapest order seen per task index, cost recomputed by the game (never the network's).
    public private(set) var bestByTask: [Int: BestOrder] = [:]

    /// One task (the common case).
    public var taskName: String { taskNames[0] }
    public var spec: GameSpec { specs[0] }
    public var best: BestOrder? { bestByTask[0] }

    public convenience init(graph: ComputationalGraph, network config: NetworkConfig, hp: Hyperparameters, seed: UInt64) throws {
        try self.init(graphs: [graph], network: config, hp: hp, seed: seed)
    }

    public init(graphs: [ComputationalGraph], network config: NetworkConfig, hp: Hyperparameters, seed: UInt64) throws {
        precondition(!graphs.isEmpty, "a trainer needs at least one task")
        taskNames = graphs.map(\.name)
        specs = graphs.map { GameSpec(graph: $0) }
        self.seed = seed
        network = try PolicyNetwork(config: config, maxBatch: hp.numEnvs, maxTokens: graphs.map(\.vertexCount).max()!, seed: seed)
        learner = Learner(network: network, hp: hp, seed: seed)
        actor = Actor(network: network, seed: seed, id: 0)
    }

    public struct Report: Sendable {
        public var update: Int
        public var episodes: Int
        public var meanCost: Double
        public var batchBest: Int
        /// Best cost so far of the first task (the one task of a single-task run).
        public var best: Int
        public var metrics: UpdateMetrics
        /// The update's episodes, in play order, and their costs as the replay computed them
        /// (for the episode log).
        public var played: [Episode]
        public var costs: [Int]
        /// Best cost so far per task index.
        public var bestByTask: [Int: Int]
    }

    /// One update: `numEnvs` full episodes of every task, then PPO on all of them.
    public func runUpdate() throws -> Report {
        let hp = learner.hp
        var played: [Episode] = []
        var playedCosts: [Int] = []
        for (task, spec) in specs.enumerated() {
            let result = try actor.play(spec, task: task, count: hp.numEnvs, policyVersion: policyVersion)
            played += result.episodes
            playedCosts += result.costs
        }
        var batch = try RolloutBatch(episodes: played, specs: specs)
        // The replay is the authority on costs; the actor's own count must agree.
        guard batch.costs == playedCosts else {
            throw PPOError.degenerate("replayed costs differ from played costs")
        }
        for (episode, cost) in zip(played, batch.costs) where bestByTask[episode.task].map({ cost < $0.cost }) ?? true {
            bestByTask[episode.task] = BestOrder(cost: cost, order: episode.order.map(Int.init))
        }
        let metrics = try learner.update(&batch, learningRate: hp.learningRate(atUpdate: updates))
        updates += 1
        policyVersion += 1
        episodes += played.count
        steps += played.reduce(0) { $0 + $1.order.count }
        return Report(update: updates, episodes: played.count,
                      meanCost: Double(batch.costs.reduce(0, +)) / Double(max(batch.costs.count, 1)),
                      batchBest: batch.costs.min() ?? 0, best: bestByTask[0]?.cost ?? 0, metrics: metrics,
                      played: played, costs: batch.costs, bestByTask: bestByTask.mapValues(\.cost))
    }

    // MARK: Checkpoints

    /// The complete state of the run (weights, Adam, counters, random streams, best orders).
    public func snapshot() -> TrainerSnapshot {
        TrainerSnapshot(taskNames: taskNames, specs: specs, network: network, learner: learner, configText: configText, seed: seed,
                        updates: updates, policyVersion: policyVersion, episodes: episodes, steps: steps,
                        rngStates: ["actor.0": actor.rng.checkpointState, "learner": learner.rng.checkpointState],
                        bestByTask: bestByTask)
    }

    /// Continues from `snapshot`: refuses one made for other tasks or another network shape.
    public func restore(_ snapshot: TrainerSnapshot) throws(PPOError) {
        let restoredBest = try snapshot.checkedBestOrders(taskNames: taskNames, specs: specs, network: network)
        let actorRNG = try snapshot.randomStream("actor.0"), learnerRNG = try snapshot.randomStream("learner")
        snapshot.loadOptimizerState(into: network)
        actor.rng = actorRNG
        learner.rng = learnerRNG
        learner.hp = snapshot.hyperparameters
        updates = snapshot.updates
        policyVersion = snapshot.policyVersion
        episodes = snapshot.episodes
        steps = snapshot.steps
        bestByTask = restoredBest
    }
}
