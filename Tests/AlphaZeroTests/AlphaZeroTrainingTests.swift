import Elimination
import TestFixtures
import XCTest
@testable import AlphaZero
@testable import PPO

/// Gumbel AlphaZero through the one trainer: seeded runs repeat bit for bit, a snapshot continues
/// exactly (replay buffer included), a checkpoint of the other algorithm is refused both ways, and
/// the trainer refuses games it cannot train on by reason.
final class AlphaZeroTrainingTests: XCTestCase {
    /// Small enough for a debug build: 2 games of the 8-vertex chain per update, 4 simulations,
    /// 2 Adam steps of 8 moves, a buffer of 3 games (so it overflows within two updates).
    static func tinySettings() -> AlphaZeroHyperparameters {
        var hp = AlphaZeroHyperparameters()
        hp.simulations = 4
        hp.maxConsideredActions = 4
        hp.gamesInLockstep = 2
        hp.minibatchSize = 8
        hp.stepsPerBatch = 2
        hp.replayGames = 3
        return hp
    }

    func makeRun(seed: UInt64) throws -> AlphaZeroSoloRun {
        try AlphaZeroSoloRun(
            graphs: [try TestFixtures.chain()], network: TestFixtures.tinyNetwork, settings: Self.tinySettings(),
            seed: seed)
    }

    func testSeededRunsAreBitIdentical() throws {
        let a = try makeRun(seed: 3), b = try makeRun(seed: 3), other = try makeRun(seed: 4)
        var reportsA: [UpdateReport] = [], reportsB: [UpdateReport] = []
        for _ in 0..<2 {
            reportsA.append(try a.runUpdate())
            reportsB.append(try b.runUpdate())
            _ = try other.runUpdate()
        }
        XCTAssertEqual(reportsA.map(\.played), reportsB.map(\.played))
        XCTAssertEqual(reportsA.map(\.costs), reportsB.map(\.costs))
        XCTAssertEqual(a.snapshot(), b.snapshot())
        XCTAssertEqual(
            a.trainer.network.parameterArray().map(\.bitPattern), b.trainer.network.parameterArray().map(\.bitPattern))
        // The test can fail: another seed gives other weights.
        XCTAssertNotEqual(a.trainer.network.parameterArray(), other.trainer.network.parameterArray())

        let report = reportsA[1]
        XCTAssertEqual(report.update, 2)
        XCTAssertEqual(report.episodes, 2)
        XCTAssertEqual(a.trainer.episodes, 4)
        XCTAssertEqual(a.trainer.policyVersion, 2)
        XCTAssertTrue(report.metrics.policyLoss > 0 && report.metrics.policyLoss.isFinite, "\(report.metrics)")
        XCTAssertTrue(report.metrics.gradNorm > 0, "\(report.metrics)")
        XCTAssertEqual(report.metrics.learningRate, Self.tinySettings().learningRate)
        // The buffer keeps the newest 3 of the 4 games, and says 4 were added.
        XCTAssertEqual(a.trainer.algorithm.replay.games.count, 3)
        XCTAssertEqual(a.trainer.algorithm.replay.added, 4)
        // The best order is the game's own count, never a claim.
        let best = try XCTUnwrap(a.trainer.best)
        XCTAssertEqual(try Baselines.score(best.order, on: a.trainer.spec).cost, best.cost)
        XCTAssertEqual(best.cost, reportsA.flatMap(\.costs).min())
    }

    /// 4 updates straight equal 2, snapshot, restore into a run of another seed, 2 more: weights,
    /// Adam, counters, streams, best order and the replay buffer bit for bit.
    func testSnapshotRestoreContinuesBitExactly() throws {
        let straight = try makeRun(seed: 8)
        for _ in 0..<4 { _ = try straight.runUpdate() }
        let first = try makeRun(seed: 8)
        for _ in 0..<2 { _ = try first.runUpdate() }
        let saved = first.snapshot()
        XCTAssertEqual(saved.algorithm, .alphaZero)
        XCTAssertEqual((saved.algorithmState as? AlphaZeroState)?.replay.count, 3)
        let resumed = try makeRun(seed: 999)
        try resumed.restore(saved)
        var restored = resumed.snapshot()
        restored.seed = saved.seed
        XCTAssertEqual(restored, saved)
        for _ in 0..<2 { _ = try resumed.runUpdate() }
        var a = straight.snapshot(), b = resumed.snapshot()
        XCTAssertEqual(b.updates, 4)
        a.seed = 0; b.seed = 0
        XCTAssertEqual(a, b)
        // Without the buffer the next minibatches differ: the buffer is part of the state.
        var emptied = saved
        emptied.algorithmState = AlphaZeroState(settings: Self.tinySettings(), replay: [], replayAdded: 0)
        let rebuilt = try makeRun(seed: 8)
        try rebuilt.restore(emptied)
        for _ in 0..<2 { _ = try rebuilt.runUpdate() }
        XCTAssertNotEqual(rebuilt.trainer.network.parameterArray(), straight.trainer.network.parameterArray())
    }

    /// A restored run searches with the checkpoint's settings, whatever it was built with.
    func testRestoreGivesSelfPlayTheCheckpointsSettings() throws {
        let saved = try makeRun(seed: 1).snapshot()
        var other = Self.tinySettings()
        other.simulations = 9
        let run = try AlphaZeroSoloRun(
            graphs: [try TestFixtures.chain()], network: TestFixtures.tinyNetwork, settings: other, seed: 1)
        try run.restore(saved)
        XCTAssertEqual(run.trainer.algorithm.hp.simulations, 4)
        XCTAssertEqual(run.actor.hp.simulations, 4)
    }

    /// A PPO checkpoint is refused by the AlphaZero trainer and the other way round, naming both
    /// algorithms, and the refused restore changes nothing.
    func testACheckpointOfTheOtherAlgorithmIsRefusedBothWays() throws {
        let az = try makeRun(seed: 2)
        _ = try az.runUpdate()
        let ppo = try SoloRun(
            graph: try TestFixtures.chain(), network: TestFixtures.tinyNetwork,
            hp: TestFixtures.tinyHyperparameters(), seed: 2)
        _ = try ppo.runUpdate()

        let azBefore = az.snapshot(), ppoBefore = ppo.snapshot()
        XCTAssertThrowsError(try az.restore(ppoBefore)) {
            XCTAssertEqual(
                $0 as? PPOError,
                .incompatible(
                    "the checkpoint was trained with ppo, this run uses alphazero; a checkpoint continues only with the algorithm that wrote it (ppo: ccelim train [--solo] --algorithm ppo --resume …)"
                ))
        }
        XCTAssertThrowsError(try ppo.restore(azBefore)) {
            XCTAssertTrue("\($0)".contains("trained with alphazero, this run uses ppo"), "\($0)")
            XCTAssertTrue("\($0)".contains("alphazero: ccelim train [--solo] --algorithm alphazero --resume"), "\($0)")
        }
        XCTAssertEqual(az.snapshot(), azBefore)
        XCTAssertEqual(ppo.snapshot(), ppoBefore)
        // Even with the algorithm name forged, PPO state never loads into AlphaZero.
        XCTAssertThrowsError(try az.trainer.algorithm.restore(Hyperparameters(), specs: az.trainer.specs))
        XCTAssertEqual(az.snapshot(), azBefore)
    }

    /// The trainer refuses, by reason, self-played games it cannot train on, and trains on the rest.
    func testTheTrainerRefusesBadGamesByReason() throws {
        let run = try makeRun(seed: 5)
        let spec = run.trainer.spec
        let good = try run.actor.playGames(spec, task: 0, count: 2, policyVersion: 0).games
        var unknown = good[0]
        unknown.task = 1
        var notADistribution = good[0]
        notADistribution.improvedPolicies[0] += 0.5
        var negative = good[0]
        negative.improvedPolicies[1] = -.infinity
        var short = good[0]
        short.improvedPolicies.removeLast()
        var repeated = good[0]
        repeated.order[1] = repeated.order[0]
        var future = good[0]
        future.policyVersion = 7
        guard
            case let .update(prepared) = try run.trainer.prepare(
                good + [unknown, notADistribution, negative, short, repeated, future])
        else { return XCTFail("the good games should make an update") }
        XCTAssertEqual(prepared.episodes, good)
        XCTAssertEqual(prepared.refused[.unknownTask], 1)
        XCTAssertEqual(prepared.refused[.logProb], 2)
        XCTAssertEqual(prepared.refused[.invalidOrder], 2)
        XCTAssertEqual(prepared.refused[.futureVersion], 1)
        XCTAssertEqual(run.trainer.algorithm.replay.games.count, 2)
        XCTAssertNil(try run.trainer.train([unknown, repeated]))
        XCTAssertEqual(run.trainer.updates, 0)
    }
}
