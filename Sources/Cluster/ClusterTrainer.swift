import Elimination
import NeuralNet
import PPO

/// The learner's PPO half (after `SoloTrainer`, without the actor): one policy over several
/// tasks, trained on episodes that remote actors played. Pure compute — no sockets, no clock —
/// so the shell can run `train` on a background thread while it keeps heartbeating.
public final class ClusterTrainer {
    public let taskNames: [String]
    public let specs: [GameSpec]
    public let network: PolicyNetwork
    public let learner: Learner
    public let seed: UInt64
    public private(set) var updates = 0
    public private(set) var episodes = 0
    public private(set) var steps = 0
    /// Cheapest order per task index, cost recomputed by the game (never taken from an actor).
    public private(set) var best: [PPO.BestOrder?]
    /// The run's configuration as text, stored in checkpoints.
    public var configText = ""

    public init(graphs: [ComputationalGraph], network config: NetworkConfig, hp: Hyperparameters, seed: UInt64) throws {
        taskNames = graphs.map(\.name)
        specs = graphs.map { GameSpec(graph: $0) }
        self.seed = seed
        // Same config and seed as every actor's initial policy, so version 0 means the same weights everywhere.
        network = try PolicyNetwork(config: config, maxBatch: hp.numEnvs, maxTokens: graphs.map(\.vertexCount).max() ?? 1, seed: seed)
        learner = Learner(network: network, hp: hp, seed: seed)
        best = Array(repeating: nil, count: graphs.count)
    }

    public struct Report: Sendable {
        public var update: Int
        public var episodes: Int
        /// Episodes refused by the replay (not a valid order for their task).
        public var rejected: Int
        public var meanCost: Double
        public var batchBest: Int
        public var metrics: UpdateMetrics
        /// Tasks whose best order improved in this batch.
        public var improvedTasks: [Int]
        /// The episodes trained on and their costs as the replay computed them (for the episode log).
        public var played: [PPO.Episode] = []
        public var costs: [Int] = []
    }

    /// One PPO update on `batch`, every gradient computed here. An episode whose order is not a
    /// valid elimination of its task is dropped (counted in the report), never trained on.
    public func train(_ batch: [PPO.Episode]) throws -> Report {
        guard let prepared = try prepare(batch) else { return emptyReport(rejected: batch.count) }
        let metrics = try learner.takeSteps(prepared.rollout, plan: prepared.plan, learningRate: prepared.learningRate)
        return finish(prepared, metrics: metrics)
    }

    /// An update between its plan and its last step: what the distributed path (`GradientRound`)
    /// works from.
    public struct PreparedUpdate {
        public var valid: [PPO.Episode]
        public var rejected: Int
        public var rollout: RolloutBatch
        public var plan: UpdatePlan
        public var learningRate: Float
        public var improvedTasks: [Int]
    }

    /// Replays and validates the episodes, updates the best orders, and plans the update (values,
    /// advantages, minibatch schedule). Nil when no episode is valid.
    public func prepare(_ batch: [PPO.Episode]) throws -> PreparedUpdate? {
        let valid = batch.filter { e in
            e.task >= 0 && e.task < specs.count && e.order.count == e.logProbs.count
                && (try? Baselines.validate(e.order.map(Int.init), on: specs[e.task])) != nil
        }
        guard !valid.isEmpty else { return nil }
        var improved: [Int] = []
        var rollout = try RolloutBatch(episodes: valid, specs: specs)
        for (episode, cost) in zip(valid, rollout.costs) where best[episode.task].map({ cost < $0.cost }) ?? true {
            best[episode.task] = PPO.BestOrder(cost: cost, order: episode.order.map(Int.init))
            if !improved.contains(episode.task) { improved.append(episode.task) }
        }
        let plan = try learner.plan(&rollout)
        return PreparedUpdate(valid: valid, rejected: batch.count - valid.count, rollout: rollout, plan: plan,
                              learningRate: learner.hp.learningRate(atUpdate: updates), improvedTasks: improved)
    }

    /// After the last step: counts the update and reports it.
    public func finish(_ prepared: PreparedUpdate, metrics: UpdateMetrics) -> Report {
        var metrics = metrics
        metrics.averageSteps(prepared.plan.steps.count)
        updates += 1
        episodes += prepared.valid.count
        steps += prepared.valid.reduce(0) { $0 + $1.order.count }
        let costs = prepared.rollout.costs
        return Report(update: updates, episodes: prepared.valid.count, rejected: prepared.rejected,
                      meanCost: Double(costs.reduce(0, +)) / Double(costs.count),
                      batchBest: costs.min() ?? 0, metrics: metrics, improvedTasks: prepared.improvedTasks,
                      played: prepared.valid, costs: costs)
    }

    public func emptyReport(rejected: Int) -> Report {
        Report(update: updates, episodes: 0, rejected: rejected, meanCost: 0, batchBest: 0, metrics: UpdateMetrics(), improvedTasks: [])
    }

    // MARK: Checkpoints

    public func snapshot(policyVersion: UInt64) -> TrainerSnapshot {
        var bestByTask: [Int: PPO.BestOrder] = [:]
        for (task, b) in best.enumerated() { bestByTask[task] = b }
        return TrainerSnapshot(taskNames: taskNames, specs: specs, network: network, learner: learner, configText: configText, seed: seed,
                               updates: updates, policyVersion: policyVersion, episodes: episodes, steps: steps,
                               rngStates: ["learner": learner.rng.checkpointState], bestByTask: bestByTask)
    }

    /// Continues from `snapshot` (a cluster or a solo checkpoint of the same tasks and network).
    /// Returns the snapshot's policy version.
    public func restore(_ snapshot: TrainerSnapshot) throws(PPOError) -> UInt64 {
        let restoredBest = try snapshot.checkedBestOrders(taskNames: taskNames, specs: specs, network: network)
        let learnerRNG = try snapshot.randomStream("learner")
        snapshot.loadOptimizerState(into: network)
        learner.rng = learnerRNG
        learner.hp = snapshot.hyperparameters
        updates = snapshot.updates
        episodes = snapshot.episodes
        steps = snapshot.steps
        best = taskNames.indices.map { restoredBest[$0] }
        return snapshot.policyVersion
    }
}
