import Elimination

/// The solo run: the trainer plus one player in the same process, on the same code the cluster
/// uses, for any algorithm. Each update plays `gamesPerUpdate` games of every task with the
/// current weights (PPO: sampled episodes; AlphaZero: self-play games with a search at every
/// move), then trains on all of them (several tasks: joint training, one set of weights). Seeded:
/// the same seed gives bit-identical runs on the same machine. The caller owns the clock and the
/// printing. `SoloRun` is PPO's, `AlphaZeroSoloRun` (AlphaZero module) the other.
public final class AlgorithmSoloRun<Algorithm: TrainingAlgorithm> {
    public let trainer: AlgorithmTrainer<Algorithm>
    public let actor: Algorithm.Player
    /// Seconds on a monotonic clock, for where an update's time goes; nil (the default): not
    /// timed, the run stays free of the clock. The benchmarks set it.
    public var clock: (() -> Double)?
    /// With a clock: seconds the last update spent playing its games and training on them.
    public private(set) var lastTiming: (playing: Double, training: Double) = (0, 0)

    public init(
        graphs: [ComputationalGraph], network config: NetworkConfig, settings: Algorithm.Settings, seed: UInt64
    ) throws {
        trainer = try AlgorithmTrainer(graphs: graphs, network: config, settings: settings, seed: seed)
        actor = trainer.algorithm.makePlayer(seed: seed, id: 0)
    }

    /// One update: `gamesPerUpdate` full games of every task, then the algorithm on all of them.
    public func runUpdate() throws -> UpdateReport {
        let t0 = clock?() ?? 0
        var played: [Algorithm.Game] = []
        var playedCosts: [Int] = []
        for (task, spec) in trainer.specs.enumerated() {
            let result = try actor.playGames(
                spec, task: task, count: trainer.algorithm.gamesPerUpdate, policyVersion: trainer.policyVersion)
            played += result.games
            playedCosts += result.costs
        }
        let t1 = clock?() ?? 0
        // Our own actor's games are all trainable, and the replay (the authority on costs) must
        // agree with the actor's count; anything else is a bug, never a result.
        guard let report = try trainer.train(played), report.refused.total == 0 else {
            throw PPOError.degenerate("the trainer refused its own actor's games (\(trainer.refused.summary))")
        }
        guard report.costs == playedCosts else { throw PPOError.degenerate("replayed costs differ from played costs") }
        if let clock { lastTiming = (t1 - t0, clock() - t1) }
        return report
    }

    /// The trainer's snapshot with the actor's random stream.
    public func snapshot() -> TrainerSnapshot {
        trainer.snapshot(randomStreams: ["actor.0": actor.rng.checkpointState])
    }

    /// Continues from `snapshot`; changes nothing when it refuses it.
    public func restore(_ snapshot: TrainerSnapshot) throws(PPOError) {
        let actorRNG = try snapshot.randomStream("actor.0")
        try trainer.restore(snapshot)
        trainer.algorithm.configure(actor)
        actor.rng = actorRNG
    }
}

/// The PPO solo run (`ccelim train --solo`'s default).
public typealias SoloRun = AlgorithmSoloRun<Learner>

extension AlgorithmSoloRun where Algorithm == Learner {
    public convenience init(
        graph: ComputationalGraph, network config: NetworkConfig, hp: Hyperparameters, seed: UInt64
    ) throws {
        try self.init(graphs: [graph], network: config, settings: hp, seed: seed)
    }

    public convenience init(
        graphs: [ComputationalGraph], network config: NetworkConfig, hp: Hyperparameters, seed: UInt64
    ) throws {
        try self.init(graphs: graphs, network: config, settings: hp, seed: seed)
    }
}
