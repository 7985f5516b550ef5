import AlphaZero
import HDF5
import PPO
import TestFixtures
import XCTest
@testable import Checkpoint

/// AlphaZero runs in the one checkpoint and log schema: the algorithm recorded, its
/// hyperparameters and replay buffer stored bit for bit, files from before AlphaZero read as PPO.
final class AlphaZeroCheckpointTests: CheckpointTestCase {
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

    func run(seed: UInt64 = 11, updates: Int) throws -> AlphaZeroSoloRun {
        let run = try AlphaZeroSoloRun(
            graphs: [try Fixtures.chain()], network: Fixtures.tiny, settings: Self.tinySettings(), seed: seed)
        run.trainer.configText = "algorithm = alphazero"
        for _ in 0..<updates { _ = try run.runUpdate() }
        return run
    }

    func testAnAlphaZeroCheckpointRoundTripsWithItsReplayBuffer() throws {
        let snapshot = try run(updates: 2).snapshot()
        let file = path("az.h5")
        try CheckpointFile.write(snapshot, to: file, codeVersion: "test")
        let back = try CheckpointFile.read(file)
        XCTAssertEqual(back.algorithm, .alphaZero)
        XCTAssertEqual(back, snapshot)
        let state = try XCTUnwrap(back.algorithmState as? AlphaZeroState)
        XCTAssertEqual(state.replay.count, 3)
        XCTAssertEqual(state.replayAdded, 4)
        XCTAssertEqual(state.replay, (snapshot.algorithmState as? AlphaZeroState)?.replay)

        let f = try HDF5File.open(file, mode: .readOnly)
        defer { try? f.close() }
        XCTAssertEqual(try f.attributes.read("algorithm", as: String.self), "alphazero")
        let hp = try f.root.openGroup("hyperparameters")
        XCTAssertEqual(try hp.attributes.read("simulations", as: Int64.self), 4)
        XCTAssertEqual(try hp.attributes.read("c_visit", as: Double.self), 50)
        XCTAssertFalse(try hp.attributes.contains("num_envs"), "an AlphaZero checkpoint holds AlphaZero's fields only")
        let replay = try f.root.openGroup("replay")
        XCTAssertEqual(try replay.attributes.read("games", as: Int64.self), 3)
        XCTAssertEqual(try replay.attributes.read("added", as: Int64.self), 4)
        XCTAssertEqual(
            try replay.openDataset("length").read(as: Int32.self), state.replay.map { Int32($0.order.count) })
        XCTAssertEqual(try replay.openDataset("orders").read(as: Int32.self), state.replay.flatMap(\.order))
    }

    /// 3 updates straight equal 1, a checkpoint file, a fresh run restored from it, 2 more.
    func testResumeThroughTheFileIsBitExact() throws {
        let straight = try run(updates: 3)
        let first = try run(updates: 1)
        let file = path("one.h5")
        try CheckpointFile.write(first.snapshot(), to: file)
        let resumed = try run(seed: 999, updates: 0)
        try resumed.restore(try CheckpointFile.read(file))
        for _ in 0..<2 { _ = try resumed.runUpdate() }
        var a = straight.snapshot(), b = resumed.snapshot()
        a.seed = 0; b.seed = 0
        XCTAssertEqual(a, b)
    }

    /// An empty buffer (a run saved before its first update) has no datasets and reads back empty.
    func testAnEmptyReplayBufferRoundTrips() throws {
        let snapshot = try run(updates: 0).snapshot()
        let file = path("empty.h5")
        try CheckpointFile.write(snapshot, to: file)
        let back = try CheckpointFile.read(file)
        XCTAssertEqual(back, snapshot)
        XCTAssertEqual((back.algorithmState as? AlphaZeroState)?.replay, [])
    }

    /// The table must name every stored property of AlphaZeroHyperparameters, and every value,
    /// none the default, must come back exactly.
    func testEveryAlphaZeroHyperparameterIsStoredAndRestored() throws {
        let fields = Mirror(reflecting: AlphaZeroHyperparameters()).children.compactMap(\.label)
        XCTAssertEqual(fields.count, AlphaZeroHyperparameterFields.all.count, "fields: \(fields)")
        XCTAssertEqual(
            Set(AlphaZeroHyperparameterFields.all.map(\.name)), Set(AlphaZeroHyperparameters().summary.map(\.0)))
        var snapshot = try run(updates: 1).snapshot()
        var hp = AlphaZeroHyperparameters()
        hp.simulations = 7; hp.maxConsideredActions = 3; hp.cVisit = 12.5; hp.cScale = 0.1; hp.gumbelScale = 0.25
        hp.gamesInLockstep = 5; hp.learningRate = 3.21e-4; hp.minibatchSize = 33; hp.stepsPerBatch = 9
        hp.valueCoef = 0.75; hp.maxGradNorm = 2.5; hp.replayGames = 17
        var state = try XCTUnwrap(snapshot.algorithmState as? AlphaZeroState)
        state.settings = hp
        snapshot.algorithmState = state
        let file = path("hp.h5")
        try CheckpointFile.write(snapshot, to: file)
        XCTAssertEqual((try CheckpointFile.read(file).algorithmState as? AlphaZeroState)?.settings, hp)
    }

    /// A checkpoint written before AlphaZero has no `algorithm` attribute: it reads as PPO's.
    func testACheckpointWithoutAlgorithmReadsAsPPO() throws {
        let (_, snapshot) = try Fixtures.trained(updates: 1)
        let file = path("old.h5")
        try CheckpointFile.write(snapshot, to: file)
        let f = try HDF5File.open(file, mode: .readWrite)
        XCTAssertEqual(try f.attributes.read("algorithm", as: String.self), "ppo")
        try f.attributes.delete("algorithm")
        try f.attributes.delete("strings_fnv1a64")  // a file from before AlphaZero has neither
        try f.close()
        let back = try CheckpointFile.read(file)
        XCTAssertEqual(back.algorithm, .ppo)
        XCTAssertEqual(back, snapshot)

        let g = try HDF5File.open(file, mode: .readWrite)
        try g.attributes.write("algorithm", "muzero")
        try g.close()
        let e = assertRefused(.wrongSchema, file) { try CheckpointFile.read(file) }
        XCTAssertTrue(e?.description.contains("muzero") ?? false, "\(e!)")
    }

    /// The episode log records the algorithm; continuing it as the other algorithm is refused.
    func testTheEpisodeLogRecordsTheAlgorithm() throws {
        let az = try run(updates: 0)
        let file = path("episodes.h5")
        let log = try EpisodeLog.create(at: file, tasks: ["chain"], codeVersion: "t", algorithm: .alphaZero)
        let report = try az.runUpdate()
        try log.append(
            report, totalEpisodes: az.trainer.episodes, totalSteps: az.trainer.steps, wallTime: 1, seconds: 1)
        try log.close()
        let summary = try EpisodeLogSummary.read(file)
        XCTAssertEqual(summary.algorithm, .alphaZero)
        XCTAssertEqual(summary.episodes, 2)
        XCTAssertEqual(try EpisodeLogCurve.read(file).bestCost, [report.best])
        assertRefused(.wrongSchema, file) {
            try EpisodeLog.resume(
                at: file, tasks: ["chain"], codeVersion: "t", checkpointUpdates: 1, checkpointEpisodes: 2,
                algorithm: .ppo)
        }
        let resumed = try EpisodeLog.resume(
            at: file, tasks: ["chain"], codeVersion: "t", checkpointUpdates: 1, checkpointEpisodes: 2,
            algorithm: .alphaZero)
        try resumed.close()
        XCTAssertEqual(try EpisodeLogSummary.read(file).algorithm, .alphaZero)
    }
}
