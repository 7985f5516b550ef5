import Elimination
import NeuralNet
import Randomness

/// The one trainer, solo or in the cluster: the tasks, the network, the update rule (PPO's
/// `Learner`), the run's counters and the best order per task (re-scored by the game, never
/// taken from an episode's claim). An update is three calls — `prepare` (refuse what cannot be
/// trained on, replay, best orders, plan), the steps (`takeSteps` here, or the cluster's
/// distributed round: Cluster/GradientRound.swift), `finish` (count it, bump the version) —
/// and `train` is the three in a row. Pure compute: no sockets, no clock, no files. The solo run
/// is this plus an actor loop (`SoloRun`); the cluster learner is this plus the round.
public final class Trainer {
    public let taskNames: [String]
    public let specs: [GameSpec]
    public let network: PolicyNetwork
    public let learner: Learner
    public let seed: UInt64
    /// The run's configuration as text, stored in checkpoints.
    public var configText = ""
    public private(set) var updates = 0
    public private(set) var episodes = 0
    public private(set) var steps = 0
    /// The version of the current weights (0 = the seed's initial policy); each update adds one.
    public private(set) var policyVersion: UInt64 = 0
    /// The cheapest order seen per task index, cost recomputed by the game.
    public private(set) var bestByTask: [Int: BestOrder] = [:]
    /// Episodes `prepare` refused in this process, by reason.
    public private(set) var refused = EpisodeDrops()

    /// One task (the common case).
    public var taskName: String { taskNames[0] }
    public var spec: GameSpec { specs[0] }
    public var best: BestOrder? { bestByTask[0] }

    /// Same config and seed give the same initial weights in every process, so version 0 means
    /// the same policy on the learner and on every actor.
    public init(graphs: [ComputationalGraph], network config: NetworkConfig, hp: Hyperparameters, seed: UInt64) throws {
        precondition(!graphs.isEmpty, "a trainer needs at least one task")
        taskNames = graphs.map(\.name)
        specs = graphs.map { GameSpec(graph: $0) }
        self.seed = seed
        network = try PolicyNetwork(
            config: config, maxBatch: hp.numEnvs, maxTokens: graphs.map(\.vertexCount).max()!, seed: seed)
        learner = Learner(network: network, hp: hp, seed: seed)
    }

    /// An update between its plan and its last step.
    public struct PreparedUpdate {
        /// The episodes trained on, in batch order.
        public var episodes: [Episode]
        public var rollout: RolloutBatch
        public var plan: UpdatePlan
        public var learningRate: Float
        public var improvedTasks: [Int]
        public var refused: EpisodeDrops
    }

    /// What `prepare` made of a batch.
    public enum Preparation {
        case update(PreparedUpdate)
        /// No episode could be trained on: not an update (no steps, no new version, no log row).
        case nothingTrainable(refused: EpisodeDrops)
    }

    /// Refuses each episode that cannot be trained on (counted by reason), replays the rest on
    /// the run's own graphs, keeps any cheaper order, and plans the update (values, advantages,
    /// minibatch schedule; shuffles with the learner's stream).
    public func prepare(_ batch: [Episode]) throws -> Preparation {
        var refused = EpisodeDrops()
        var trainable: [Episode] = []
        for e in batch {
            if let reason = e.refusal(taskCount: specs.count, newestVersion: policyVersion) {
                refused.add(reason)
            } else if (try? Baselines.validate(e.order, on: specs[e.task])) == nil {
                refused.add(.invalidOrder)
            } else {
                trainable.append(e)
            }
        }
        self.refused.add(refused)
        guard !trainable.isEmpty else { return .nothingTrainable(refused: refused) }
        var rollout = try RolloutBatch(episodes: trainable, specs: specs)
        var improved: [Int] = []
        for (episode, cost) in zip(trainable, rollout.costs)
        where bestByTask[episode.task].map({ cost < $0.cost }) ?? true {
            bestByTask[episode.task] = BestOrder(cost: cost, order: episode.order)
            if !improved.contains(episode.task) { improved.append(episode.task) }
        }
        let plan = try learner.plan(&rollout)
        return .update(
            PreparedUpdate(
                episodes: trainable, rollout: rollout, plan: plan,
                learningRate: learner.hp.learningRate(atUpdate: updates), improvedTasks: improved,
                refused: refused))
    }

    /// Every step of the plan computed here; the metrics summed over the steps.
    public func takeSteps(_ prepared: PreparedUpdate) throws -> UpdateMetrics {
        try learner.takeSteps(prepared.rollout, plan: prepared.plan, learningRate: prepared.learningRate)
    }

    /// After the last step (`metrics` summed over the steps): counts the update, bumps the
    /// version and reports it.
    public func finish(_ prepared: PreparedUpdate, metrics: UpdateMetrics) -> UpdateReport {
        var metrics = metrics
        metrics.averageSteps(prepared.plan.steps.count)
        updates += 1
        policyVersion += 1
        episodes += prepared.episodes.count
        steps += prepared.episodes.reduce(0) { $0 + $1.order.count }
        let costs = prepared.rollout.costs
        return UpdateReport(
            update: updates, policyVersion: policyVersion, episodes: prepared.episodes.count,
            meanCost: Double(costs.reduce(0, +)) / Double(max(costs.count, 1)), batchBest: costs.min() ?? 0,
            best: bestByTask[0]?.cost ?? 0, bestByTask: bestByTask.mapValues(\.cost),
            improvedTasks: prepared.improvedTasks, metrics: metrics, played: prepared.episodes, costs: costs,
            refused: prepared.refused)
    }

    /// Step `index` of `prepared` from a gradient summed elsewhere (the parts of a distributed
    /// round, Cluster/GradientRound.swift): the same optimiser step `takeSteps` takes.
    public func applyStep(
        _ index: Int, of prepared: PreparedUpdate, sums: Learner.MinibatchSums, gradient: [Float],
        metrics: inout UpdateMetrics
    ) throws {
        let store = network.store
        precondition(
            gradient.count == store.count,
            "a summed gradient of \(gradient.count) numbers for \(store.count) parameters")
        gradient.withUnsafeBufferPointer { g in
            for i in 0..<store.count { store.gradients[i] = g[i] }
        }
        try learner.applyStep(
            sums, transitions: prepared.plan.steps[index].transitions, learningRate: prepared.learningRate,
            metrics: &metrics)
    }

    /// One whole update here; nil when no episode of `batch` can be trained on (see `refused`).
    public func train(_ batch: [Episode]) throws -> UpdateReport? {
        guard case let .update(prepared) = try prepare(batch) else { return nil }
        return finish(prepared, metrics: try takeSteps(prepared))
    }

    /// The cluster learner's versions grow over the whole run, also across learner restarts: on
    /// joining a coordinator that already published `version`, the next weights continue from it.
    public func adopt(policyVersion version: UInt64) {
        policyVersion = max(policyVersion, version)
    }

    // MARK: Undo (a distributed update stopped half way)

    /// What a half-done update changes: the weights, Adam's state and the shuffling stream.
    public struct UndoPoint: Sendable {
        var optimizer: ParameterStore.OptimizerState
        var rng: Xoshiro256StarStar
    }

    public func undoPoint() -> UndoPoint {
        UndoPoint(optimizer: network.store.optimizerState(), rng: learner.rng)
    }

    /// Back to `point`: the last checkpoint then holds a whole number of updates.
    public func undo(to point: UndoPoint) {
        network.store.load(point.optimizer)
        learner.rng = point.rng
    }

    // MARK: Checkpoints

    /// The complete state of the run; `randomStreams` adds the streams of whoever plays episodes
    /// in this process (the solo run's "actor.0") to the learner's.
    public func snapshot(randomStreams: [String: [UInt64]] = [:]) -> TrainerSnapshot {
        TrainerSnapshot(
            taskNames: taskNames, specs: specs, network: network, learner: learner, configText: configText, seed: seed,
            updates: updates, policyVersion: policyVersion, episodes: episodes, steps: steps,
            rngStates: randomStreams.merging(["learner": learner.rng.checkpointState]) { _, learner in learner },
            bestByTask: bestByTask)
    }

    /// Continues from `snapshot` (solo or cluster, same tasks and network); changes nothing when
    /// it refuses one made for other tasks or another network shape.
    public func restore(_ snapshot: TrainerSnapshot) throws(PPOError) {
        let restoredBest = try snapshot.checkedBestOrders(taskNames: taskNames, specs: specs, network: network)
        let learnerRNG = try snapshot.randomStream("learner")
        snapshot.loadOptimizerState(into: network)
        learner.rng = learnerRNG
        learner.hp = snapshot.hyperparameters
        updates = snapshot.updates
        policyVersion = snapshot.policyVersion
        episodes = snapshot.episodes
        steps = snapshot.steps
        bestByTask = restoredBest
    }
}

// The steps of an update, here (solo, `Trainer.takeSteps`, or `Learner.update`); the cluster's
// distributed round takes the same steps from summed parts (`Trainer.applyStep`).
extension UpdateRule {
    /// Every step of `plan` on the whole of `batch`, here; the metrics summed over the steps.
    public func takeSteps(_ batch: RolloutBatch, plan: UpdatePlan, learningRate: Float) throws -> UpdateMetrics {
        var metrics = UpdateMetrics(learningRate: learningRate, explainedVariance: plan.explainedVariance)
        for step in plan.steps {
            let sums = try lossAndGradients(batch, step: step)
            try applyStep(sums, transitions: step.transitions, learningRate: learningRate, metrics: &metrics)
        }
        return metrics
    }
}
