import Checksum
import XCTest
import HDF5
import NeuralNet
import PPO
@testable import Checkpoint

final class CheckpointRoundTripTests: CheckpointTestCase {
    func testWriteThenReadGivesTheSameSnapshotBitForBit() throws {
        let (_, snapshot) = try Fixtures.trained(updates: 2)
        XCTAssertNotNil(snapshot.best["chain"])
        let file = path("checkpoint.h5")
        try CheckpointFile.write(snapshot, to: file, codeVersion: "test-1")
        let back = try CheckpointFile.read(file)
        XCTAssertEqual(back, snapshot)
        XCTAssertEqual(
            back.tensors.map(\.name), snapshot.tensors.map(\.name), "tensor order is the buffer order, not sorted")
        // Nothing but the checkpoint is left in the directory (no temporary file).
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["checkpoint.h5"])
    }

    func testRootAttributesAndDatasetsFollowTheSchema() throws {
        let (_, snapshot) = try Fixtures.trained(updates: 1)
        let file = path("c.h5")
        try CheckpointFile.write(snapshot, to: file, codeVersion: "test-1")
        let f = try HDF5File.open(file)
        defer { try? f.close() }
        let a = f.attributes
        XCTAssertEqual(try a.read("format", as: String.self), "ccelim-checkpoint")
        XCTAssertEqual(try a.read("version", as: Int64.self), 1)
        XCTAssertEqual(try a.read("code_version", as: String.self), "test-1")
        XCTAssertEqual(try a.read("updates", as: Int64.self), 1)
        XCTAssertEqual(try a.read("tasks", as: String.self), "chain")
        let first = snapshot.tensors[0]
        let p = try f.root.openGroup("parameters").openDataset(first.name)
        XCTAssertEqual(try p.shape(), first.shape)
        XCTAssertEqual(p.elementType, .scalar(.float))
        XCTAssertEqual(
            try f.root.openGroup("adam").openGroup("second_moment").openDataset(first.name).shape(), first.shape)
        XCTAssertEqual(try f.root.openGroup("rng").children(), ["actor.0", "learner"])
        let task = try f.root.openGroup("tasks").openGroup("chain")
        XCTAssertEqual(
            try task.openDataset("baselines").read(as: Int64.self), snapshot.baselines["chain"]!.map(Int64.init))
        let best = try task.openDataset("best_order")
        XCTAssertEqual(try best.read(as: Int32.self).map(Int.init), snapshot.best["chain"]!.order)
        XCTAssertEqual(try best.attributes.read("best_cost", as: Int64.self), Int64(snapshot.best["chain"]!.cost))
    }

    /// The hyperparameter table must name every stored property, or a new field would silently
    /// not be checkpointed; and every value, none of them the default, must come back exactly.
    func testEveryHyperparameterIsStoredAndRestored() throws {
        let fields = Mirror(reflecting: Hyperparameters()).children.compactMap(\.label)
        XCTAssertEqual(fields.count, HyperparameterFields.all.count, "fields: \(fields)")
        XCTAssertEqual(Mirror(reflecting: EncoderConfig.small).children.count, EncoderFields.all.count)

        var (_, snapshot) = try Fixtures.trained(updates: 0)
        var hp = Hyperparameters()
        hp.numEnvs = 3; hp.learningRate = 1.2345e-4; hp.scheduleUpdates = 77; hp.minLearningRateFraction = 0.1
        hp.gamma = 0.99; hp.gaeLambda = 0.9; hp.numMinibatches = 3; hp.updateEpochs = 5; hp.clipCoef = 0.3
        hp.clipValueLoss = false; hp.entropyCoef = 0.02; hp.valueCoef = 0.7; hp.maxGradNorm = 0.25;
        hp.normalizeAdvantages = false; hp.normalizeRewardsPerTask = false
        snapshot.ppoHyperparameters = hp
        snapshot.seed = UInt64.max - 5  // the top bit survives the int64 attribute
        snapshot.policyVersion = 1 << 63
        let file = path("hp.h5")
        try CheckpointFile.write(snapshot, to: file)
        let back = try CheckpointFile.read(file)
        XCTAssertEqual(back.ppoHyperparameters, hp)
        XCTAssertEqual(back.seed, UInt64.max - 5)
        XCTAssertEqual(back.policyVersion, 1 << 63)
        XCTAssertEqual(back, snapshot)
    }

    /// A checkpoint written before `normalize_rewards_per_task` existed has no such attribute; it
    /// must read as false (what that run trained with), not fail or take today's default.
    func testACheckpointWithoutTheRewardNormalisationFieldReadsAsOff() throws {
        let (_, snapshot) = try Fixtures.trained(updates: 0)
        XCTAssertEqual(snapshot.ppoHyperparameters?.normalizeRewardsPerTask, true)
        let file = path("older.h5")
        try CheckpointFile.write(snapshot, to: file)
        XCTAssertEqual(try CheckpointFile.read(file).ppoHyperparameters?.normalizeRewardsPerTask, true)
        do {
            let f = try HDF5File.open(file, mode: .readWrite)
            try f.root.openGroup("hyperparameters").attributes.delete("normalize_rewards_per_task")
            try f.close()
        }
        let back = try CheckpointFile.read(file)
        XCTAssertEqual(back.ppoHyperparameters?.normalizeRewardsPerTask, false)
        var expected = try XCTUnwrap(snapshot.ppoHyperparameters)
        expected.normalizeRewardsPerTask = false
        XCTAssertEqual(back.ppoHyperparameters, expected)
    }

    /// Joint training: several tasks, each with its own best order and baselines.
    func testASeveralTaskSnapshotRoundTrips() throws {
        let trainer = try SoloRun(
            graphs: [try Fixtures.chain(), try Fixtures.chain(name: "chain.b")],
            network: Fixtures.tiny, hp: Fixtures.hyperparameters(envs: 2), seed: 3)
        _ = try trainer.runUpdate()
        let snapshot = trainer.snapshot()
        XCTAssertEqual(snapshot.best.count, 2)
        let file = path("joint.h5")
        try CheckpointFile.write(snapshot, to: file)
        let back = try CheckpointFile.read(file)
        XCTAssertEqual(back.tasks, ["chain", "chain.b"])
        XCTAssertEqual(back, snapshot)
        try trainer.restore(back)
    }

    func testAFreshSnapshotWithoutABestOrderRoundTrips() throws {
        let (_, snapshot) = try Fixtures.trained(updates: 0)
        XCTAssertTrue(snapshot.best.isEmpty)
        let file = path("fresh.h5")
        try CheckpointFile.write(snapshot, to: file)
        XCTAssertEqual(try CheckpointFile.read(file), snapshot)
    }

    func testAFailedWriteLeavesTheOldFileAndNoTemporary() throws {
        let (_, good) = try Fixtures.trained(updates: 1)
        let file = path("checkpoint.h5")
        try CheckpointFile.write(good, to: file)
        var bad = good
        bad.tensors[0].name = "has/slash"  // HDF5 names cannot hold '/': the write fails part-way
        XCTAssertThrowsError(try CheckpointFile.write(bad, to: file)) { error in
            XCTAssertEqual((error as? CheckpointError)?.kind, .writeFailed, "\(error)")
        }
        XCTAssertEqual(try CheckpointFile.read(file), good)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["checkpoint.h5"])
    }

    func testFNV1a64MatchesPublishedVectors() {
        func fnv(_ s: String) -> UInt64 {
            var h = FNV1a64()
            Array(s.utf8).withUnsafeBytes { h.add($0) }
            return h.value
        }
        XCTAssertEqual(fnv(""), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(fnv("a"), 0xaf63_dc4c_8601_ec8c)
        XCTAssertEqual(fnv("foobar"), 0x8594_4171_f739_67e8)
    }
}
