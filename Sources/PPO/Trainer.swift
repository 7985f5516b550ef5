import Elimination
import NeuralNet
import Randomness

/// The one trainer, solo or in the cluster, for every algorithm: the tasks, the network, the
/// run's counters, the policy version and the best order per task (re-scored by the game, never
/// taken from a game's claim), snapshot and restore, the undo point; the algorithm-specific half —
/// how accepted games become optimiser steps, and the algorithm's own state — is `Algorithm`
/// (`TrainingAlgorithm`: PPO's `Learner`, AlphaZero's `AlphaZeroLearner`). `Trainer` names the
/// PPO trainer (the one the cluster runs), `AlphaZeroTrainer` (AlphaZero module) the other.
///
/// An update is three calls — `prepare` (refuse what cannot be trained on, replay, best orders,
/// the algorithm's work), the steps (`takeSteps` here, or the cluster's distributed round for
/// PPO: Cluster/GradientRound.swift), `finish` (count it, bump the version) — and `train` is the
/// three in a row. Pure compute: no sockets, no clock, no files. The solo run is this plus an
/// actor loop (`AlgorithmSoloRun`); the cluster learner is this plus the round.
public final class AlgorithmTrainer<Algorithm: TrainingAlgorithm> {
    public let taskNames: [String]
    public let specs: [GameSpec]
    public let network: PolicyNetwork
    /// The update rule and its state.
    public let algorithm: Algorithm
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
    /// Games `prepare` refused in this process, by reason.
    public private(set) var refused = EpisodeDrops()

    /// One task (the common case).
    public var taskName: String { taskNames[0] }
    public var spec: GameSpec { specs[0] }
    public var best: BestOrder? { bestByTask[0] }

    /// Same config and seed give the same initial weights in every process, so version 0 means
    /// the same policy on the learner and on every actor.
    public init(
        graphs: [ComputationalGraph], network config: NetworkConfig, settings: Algorithm.Settings, seed: UInt64
    ) throws {
        precondition(!graphs.isEmpty, "a trainer needs at least one task")
        taskNames = graphs.map(\.name)
        specs = graphs.map { GameSpec(graph: $0) }
        self.seed = seed
        network = try PolicyNetwork(
            // The tokens a state has (the candidate view's 64 above 512 vertices), not every vertex.
            config: config, maxBatch: Algorithm.maxBatch(settings),
            maxTokens: specs.map(TokenFeatures.maxTokens).max()!,
            seed: seed)
        algorithm = Algorithm(network: network, settings: settings, specs: specs, seed: seed)
    }

    /// An update between its plan and its last step.
    public struct PreparedUpdate {
        /// The games trained on, in batch order, and their costs as the replay computed them.
        public var episodes: [Algorithm.Game]
        public var costs: [Int]
        /// The algorithm's work (PPO: the replayed batch and its plan).
        public var work: Algorithm.Work
        public var learningRate: Float
        public var improvedTasks: [Int]
        public var refused: EpisodeDrops
    }

    /// What `prepare` made of a batch.
    public enum Preparation {
        case update(PreparedUpdate)
        /// No game could be trained on: not an update (no steps, no new version, no log row).
        case nothingTrainable(refused: EpisodeDrops)
    }

    /// Refuses each game that cannot be trained on (counted by reason), replays the rest on the
    /// run's own graphs for their costs, keeps any cheaper order, and hands the rest to the
    /// algorithm for the update's work (PPO: values, advantages, minibatch schedule, shuffled with
    /// the algorithm's stream; AlphaZero: into the replay buffer).
    public func prepare(_ batch: [Algorithm.Game]) throws -> Preparation {
        var refused = EpisodeDrops()
        var trainable: [Algorithm.Game] = []
        var costs: [Int] = []
        for game in batch {
            if let reason = game.refusal(taskCount: specs.count, newestVersion: policyVersion) {
                refused.add(reason)
            } else if let scored = try? Baselines.score(game.record.order, on: specs[game.task]) {
                trainable.append(game)
                costs.append(scored.cost)
            } else {
                refused.add(.invalidOrder)
            }
        }
        self.refused.add(refused)
        guard !trainable.isEmpty else { return .nothingTrainable(refused: refused) }
        var improved: [Int] = []
        for (game, cost) in zip(trainable, costs) where bestByTask[game.task].map({ cost < $0.cost }) ?? true {
            bestByTask[game.task] = BestOrder(cost: cost, order: game.record.order)
            if !improved.contains(game.task) { improved.append(game.task) }
        }
        let work = try algorithm.prepare(trainable, specs: specs)
        return .update(
            PreparedUpdate(
                episodes: trainable, costs: costs, work: work,
                learningRate: algorithm.learningRate(atUpdate: updates), improvedTasks: improved, refused: refused))
    }

    /// Every step of the update computed here; the metrics summed over the steps.
    public func takeSteps(_ prepared: PreparedUpdate) throws -> UpdateMetrics {
        try algorithm.takeSteps(prepared.work, learningRate: prepared.learningRate)
    }

    /// After the last step (`metrics` summed over the steps): counts the update, bumps the
    /// version and reports it.
    public func finish(_ prepared: PreparedUpdate, metrics: UpdateMetrics) -> UpdateReport {
        var metrics = metrics
        metrics.averageSteps(algorithm.stepCount(of: prepared.work))
        let played = prepared.episodes.map(\.record)
        updates += 1
        policyVersion += 1
        episodes += played.count
        steps += played.reduce(0) { $0 + $1.order.count }
        let costs = prepared.costs
        return UpdateReport(
            update: updates, policyVersion: policyVersion, episodes: played.count,
            meanCost: Double(costs.reduce(0, +)) / Double(max(costs.count, 1)), batchBest: costs.min() ?? 0,
            best: bestByTask[0]?.cost ?? 0, bestByTask: bestByTask.mapValues(\.cost),
            improvedTasks: prepared.improvedTasks, metrics: metrics, played: played, costs: costs,
            refused: prepared.refused)
    }

    /// One whole update here; nil when no game of `batch` can be trained on (see `refused`).
    public func train(_ batch: [Algorithm.Game]) throws -> UpdateReport? {
        guard case let .update(prepared) = try prepare(batch) else { return nil }
        return finish(prepared, metrics: try takeSteps(prepared))
    }

    /// The cluster learner's versions grow over the whole run, also across learner restarts: on
    /// joining a coordinator that already published `version`, the next weights continue from it.
    public func adopt(policyVersion version: UInt64) {
        policyVersion = max(policyVersion, version)
    }

    // MARK: Undo (a distributed update stopped half way)

    /// What a half-done update changes: the weights, Adam's state and the algorithm's stream.
    public struct UndoPoint: Sendable {
        var optimizer: ParameterStore.OptimizerState
        var rng: Xoshiro256StarStar
    }

    public func undoPoint() -> UndoPoint {
        UndoPoint(optimizer: network.store.optimizerState(), rng: algorithm.rng)
    }

    /// Back to `point`: the last checkpoint then holds a whole number of updates.
    public func undo(to point: UndoPoint) {
        network.store.load(point.optimizer)
        algorithm.rng = point.rng
    }

    // MARK: Checkpoints

    /// The complete state of the run; `randomStreams` adds the streams of whoever plays games in
    /// this process (the solo run's "actor.0") to the algorithm's ("learner").
    public func snapshot(randomStreams: [String: [UInt64]] = [:]) -> TrainerSnapshot {
        TrainerSnapshot(
            taskNames: taskNames, specs: specs, network: network, algorithmState: algorithm.checkpointState(),
            configText: configText, seed: seed, updates: updates, policyVersion: policyVersion, episodes: episodes,
            steps: steps,
            rngStates: randomStreams.merging(["learner": algorithm.rng.checkpointState]) { _, learner in learner },
            bestByTask: bestByTask)
    }

    /// Continues from `snapshot` (solo or cluster, same algorithm, tasks and network); changes
    /// nothing when it refuses one made by another algorithm, for other tasks or another network.
    public func restore(_ snapshot: TrainerSnapshot) throws(PPOError) {
        guard snapshot.algorithm == Algorithm.kind else {
            throw .incompatible(
                "the checkpoint was trained with \(snapshot.algorithm.rawValue), this run uses \(Algorithm.kind.rawValue); a checkpoint continues only with the algorithm that wrote it (\(snapshot.algorithm == .alphaZero ? "alphazero: ccelim train [--solo] --algorithm alphazero --resume …" : "ppo: ccelim train [--solo] --algorithm ppo --resume …"))"
            )
        }
        let restoredBest = try snapshot.checkedBestOrders(taskNames: taskNames, specs: specs, network: network)
        let learnerRNG = try snapshot.randomStream("learner")
        try algorithm.restore(snapshot.algorithmState, specs: specs)
        snapshot.loadOptimizerState(into: network)
        algorithm.rng = learnerRNG
        updates = snapshot.updates
        policyVersion = snapshot.policyVersion
        episodes = snapshot.episodes
        steps = snapshot.steps
        bestByTask = restoredBest
    }
}

/// The PPO trainer: the one the cluster learner runs, and `ccelim train --solo`'s default.
public typealias Trainer = AlgorithmTrainer<Learner>

extension AlgorithmTrainer where Algorithm == Learner {
    public convenience init(
        graphs: [ComputationalGraph], network config: NetworkConfig, hp: Hyperparameters, seed: UInt64
    ) throws {
        try self.init(graphs: graphs, network: config, settings: hp, seed: seed)
    }

    /// PPO's update rule.
    public var learner: Learner { algorithm }

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
}

extension AlgorithmTrainer.PreparedUpdate where Algorithm == Learner {
    /// The replayed batch, values and advantages filled (what gradient shards are cut from).
    public var rollout: RolloutBatch { work.rollout }
    /// The minibatch schedule.
    public var plan: UpdatePlan { work.plan }
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
