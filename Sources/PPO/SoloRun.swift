import Elimination

/// The solo run: the `Trainer` plus one actor in the same process, on the same code the cluster
/// uses. Each update plays `numEnvs` episodes of every task with the current policy, then trains
/// on all of them (several tasks: joint training, one set of weights). Seeded: the same seed
/// gives bit-identical runs on the same machine. The caller owns the clock and the printing.
public final class SoloRun {
    public let trainer: Trainer
    public let actor: Actor

    public convenience init(
        graph: ComputationalGraph, network config: NetworkConfig, hp: Hyperparameters, seed: UInt64
    ) throws {
        try self.init(graphs: [graph], network: config, hp: hp, seed: seed)
    }

    public init(graphs: [ComputationalGraph], network config: NetworkConfig, hp: Hyperparameters, seed: UInt64) throws {
        trainer = try Trainer(graphs: graphs, network: config, hp: hp, seed: seed)
        actor = Actor(network: trainer.network, seed: seed, id: 0)
    }

    /// One update: `numEnvs` full episodes of every task, then PPO on all of them.
    public func runUpdate() throws -> UpdateReport {
        var played: [Episode] = []
        var playedCosts: [Int] = []
        for (task, spec) in trainer.specs.enumerated() {
            let result = try actor.play(
                spec, task: task, count: trainer.learner.hp.numEnvs, policyVersion: trainer.policyVersion)
            played += result.episodes
            playedCosts += result.costs
        }
        // Our own actor's episodes are all trainable, and the replay (the authority on costs)
        // must agree with the actor's count; anything else is a bug, never a result.
        guard let report = try trainer.train(played), report.refused.total == 0 else {
            throw PPOError.degenerate("the trainer refused its own actor's episodes (\(trainer.refused.summary))")
        }
        guard report.costs == playedCosts else { throw PPOError.degenerate("replayed costs differ from played costs") }
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
        actor.rng = actorRNG
    }
}
