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

    public init(graph: ComputationalGraph, network config: NetworkConfig, hp: Hyperparameters, seed: UInt64) throws {
        taskName = graph.name
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
}
