import Elimination
import NeuralNet

/// Actor and learner in one process on the same code the cluster uses: play `numEnvs` episodes
/// with the current policy, replay them into a batch, run one PPO update. Seeded: the same seed
/// gives bit-identical runs on the same machine. The caller owns the clock and the printing.
public final class SoloTrainer {
    public let taskName: String
    public let spec: GameSpec
    public let network: PolicyNetwork
    public let learner: Learner
    public let actor: Actor
    public private(set) var updates = 0
    public private(set) var episodes = 0
    public private(set) var steps = 0
    public private(set) var policyVersion: UInt64 = 0
    /// The cheapest order seen, cost recomputed by the game (never taken from the network).
    public private(set) var best: BestOrder?

    public let seed: UInt64
    /// The run's configuration as text, stored in checkpoints.
    public var configText = ""

    public init(graph: ComputationalGraph, network config: NetworkConfig, hp: Hyperparameters, seed: UInt64) throws {
        taskName = graph.name
        self.seed = seed
        spec = GameSpec(graph: graph)
        network = try PolicyNetwork(config: config, maxBatch: hp.numEnvs, maxTokens: graph.vertexCount, seed: seed)
        learner = Learner(network: network, hp: hp, seed: seed)
        actor = Actor(network: network, seed: seed, id: 0)
    }

    public struct Report: Sendable {
        public var update: Int
        public var episodes: Int
        public var meanCost: Double
        public var batchBest: Int
        public var best: Int
        public var metrics: UpdateMetrics
    }

    /// One update: rollouts of full episodes, then PPO.
    public func runUpdate() throws -> Report {
        let hp = learner.hp
        let played = try actor.play(spec, task: 0, count: hp.numEnvs, policyVersion: policyVersion)
        var batch = try RolloutBatch(episodes: played.episodes, specs: [spec])
        // The replay is the authority on costs; the actor's own count must agree.
        guard batch.costs == played.costs else {
            throw PPOError.degenerate("replayed costs \(batch.costs) differ from played costs \(played.costs)")
        }
        for (episode, cost) in zip(played.episodes, batch.costs) where best.map({ cost < $0.cost }) ?? true {
            best = BestOrder(cost: cost, order: episode.order.map(Int.init))
        }
        let metrics = try learner.update(&batch, learningRate: hp.learningRate(atUpdate: updates))
        updates += 1
        policyVersion += 1
        episodes += played.episodes.count
        steps += played.episodes.count * spec.eliminable.count
        return Report(update: updates, episodes: played.episodes.count,
                      meanCost: Double(batch.costs.reduce(0, +)) / Double(max(batch.costs.count, 1)),
                      batchBest: batch.costs.min() ?? 0, best: best?.cost ?? 0, metrics: metrics)
    }

    // MARK: Checkpoints

    /// The complete state of the run (weights, Adam, counters, random streams, best order).
    public func snapshot() -> TrainerSnapshot {
        let store = network.store
        func array(_ p: UnsafeMutablePointer<Float>) -> [Float] { Array(UnsafeBufferPointer(start: p, count: store.count)) }
        let b = BaselineSummary(spec: spec)
        return TrainerSnapshot(
            tasks: [taskName], network: network.config, hyperparameters: learner.hp, configText: configText, seed: seed,
            tensors: store.layout.tensors.map { ($0.name, $0.shape) },
            parameters: array(store.parameters), firstMoment: array(store.firstMoment), secondMoment: array(store.secondMoment),
            adamStep: store.step, updates: updates, policyVersion: policyVersion, episodes: episodes, steps: steps,
            rngStates: ["actor.0": actor.rng.checkpointState, "learner": learner.rng.checkpointState],
            best: best.map { [taskName: $0] } ?? [:], baselines: [taskName: [b.forward, b.reverse, b.markowitz]])
    }

    /// Continues from `snapshot`: refuses one made for other tasks or another network shape.
    public func restore(_ snapshot: TrainerSnapshot) throws(PPOError) {
        guard snapshot.tasks == [taskName] else {
            throw .incompatible("the checkpoint trains \(snapshot.tasks.joined(separator: ", ")), this run trains \(taskName)")
        }
        let store = network.store
        let mine = store.layout.tensors.map { "\($0.name)\($0.shape)" }
        let theirs = snapshot.tensors.map { "\($0.name)\($0.shape)" }
        guard snapshot.network == network.config, mine == theirs else {
            throw .incompatible("the checkpoint's network (\(snapshot.network)) differs from this run's (\(network.config))")
        }
        guard snapshot.parameters.count == store.count, snapshot.firstMoment.count == store.count, snapshot.secondMoment.count == store.count else {
            throw .incompatible("the checkpoint's buffers do not match the layout (\(store.count) numbers)")
        }
        guard let actorRNG = snapshot.rngStates["actor.0"].flatMap(Xoshiro256StarStar.init(checkpointState:)),
              let learnerRNG = snapshot.rngStates["learner"].flatMap(Xoshiro256StarStar.init(checkpointState:)) else {
            throw .incompatible("the checkpoint lacks the actor's or the learner's random state")
        }
        if let stored = snapshot.best[taskName] {
            // Never trust a stored cost: re-score the order on this graph.
            guard let rescored = try? Baselines.score(stored.order, on: spec), rescored.cost == stored.cost else {
                throw .incompatible("the checkpoint's best order for \(taskName) does not re-score to its stored cost \(stored.cost)")
            }
        }
        snapshot.parameters.withUnsafeBufferPointer { store.parameters.update(from: $0.baseAddress!, count: store.count) }
        snapshot.firstMoment.withUnsafeBufferPointer { store.firstMoment.update(from: $0.baseAddress!, count: store.count) }
        snapshot.secondMoment.withUnsafeBufferPointer { store.secondMoment.update(from: $0.baseAddress!, count: store.count) }
        store.step = snapshot.adamStep
        actor.rng = actorRNG
        learner.rng = learnerRNG
        learner.hp = snapshot.hyperparameters
        updates = snapshot.updates
        policyVersion = snapshot.policyVersion
        episodes = snapshot.episodes
        steps = snapshot.steps
        best = snapshot.best[taskName]
    }
}
