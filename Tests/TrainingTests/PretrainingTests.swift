import Checkpoint
import Console
import Elimination
import Foundation
import PPO
import TestFixtures
import XCTest

@testable import Training

/// `ccelim pretrain`'s shell: the corpus split is read from the manifest and held-out programs are
/// refused as training data; a run writes a checkpoint that loads as an ordinary PPO one.
final class PretrainingTests: XCTestCase {
    let datasets = TestFixtures.root.appendingPathComponent("Datasets").path

    func testTheCorpusSplitRefusesEveryHeldOutProgramAndNoTrainProgram() throws {
        let split = try CorpusSplit.read(datasets: datasets)
        XCTAssertGreaterThanOrEqual(split.train.count, 30)
        XCTAssertGreaterThanOrEqual(split.heldOut.count, 10)
        XCTAssertTrue(split.heldOut.isDisjoint(with: split.train))
        XCTAssertNoThrow(try split.refuseHeldOut(split.train))
        for name in split.heldOut {
            XCTAssertThrowsError(try split.refuseHeldOut(split.train + [name])) { error in
                XCTAssertTrue("\(error)".contains(name) && "\(error)".contains("held-out"), "\(error)")
            }
        }
        XCTAssertThrowsError(
            try CorpusSplit(manifest: Data(#"{"programs": [{"name": "x", "split": "test"}]}"#.utf8)))
    }

    func load(_ path: String) throws -> ComputationalGraph {
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try ComputationalGraph.fromJaxpr(String(contentsOfFile: path, encoding: .utf8), name: name)
    }

    func pretraining(task: String?, out: String, orders: [String] = []) -> Pretraining {
        Pretraining(
            task: task, orderFiles: orders, datasets: datasets, epochs: 2, evalEvery: 1, out: out, envs: 1,
            commandLine: "test", codeVersion: "test")
    }

    /// A held-out program is refused before anything trains or writes, whether named alone or among
    /// train programs, and however it is given (the graph's name decides).
    func testPretrainingRefusesAHeldOutProgram() throws {
        let split = try CorpusSplit.read(datasets: datasets)
        let out = NSTemporaryDirectory() + "pretrain-refused-\(UUID().uuidString).h5"
        let heldOut = try XCTUnwrap(split.heldOut.sorted().first)
        let train = CorpusSplit.jaxprPath(split.train[0], datasets: datasets)
        for task in [
            CorpusSplit.jaxprPath(heldOut, datasets: datasets),
            train + "," + CorpusSplit.jaxprPath(heldOut, datasets: datasets),
        ] {
            XCTAssertThrowsError(try pretraining(task: task, out: out).run(load: load, log: Log(toStderr: true))) {
                XCTAssertTrue("\($0)".contains("held-out"), "\($0)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing written")
    }

    /// Two epochs on the smallest train program with an orders file: the checkpoint is a PPO one at
    /// update 0 on that task, and its expert is the orders file's when that is cheaper.
    func testPretrainingWritesAnOrdinaryCheckpoint() throws {
        let dir = NSTemporaryDirectory() + "pretrain-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/pretrained.h5"
        let name = "particle_reweighting"
        let outcome = try pretraining(
            task: CorpusSplit.jaxprPath(name, datasets: datasets), out: out,
            orders: [datasets + "/corpus/anneal.json"]
        ).run(load: load, log: Log(toStderr: true))
        XCTAssertEqual(outcome.epochs, 2)
        let snapshot = try CheckpointFile.read(out)
        XCTAssertEqual(snapshot.tasks, [name])
        XCTAssertEqual(snapshot.algorithm, .ppo)
        XCTAssertEqual(snapshot.updates, 0)
        XCTAssertTrue(snapshot.configText.contains("mode = pretrain"))
        XCTAssertEqual(snapshot.ppoHyperparameters?.numEnvs, 1)
        XCTAssertEqual(Pretraining.lastPath(out), dir + "/pretrained-last.h5")
        XCTAssertEqual(try CheckpointFile.read(Pretraining.lastPath(out)).tasks, [name], "the newest weights beside it")
        // `ccelim train --solo --resume` continues it as a PPO fine-tune from the pretrained weights.
        let fineTune = SoloTraining(
            task: CorpusSplit.jaxprPath(name, datasets: datasets), preset: nil, seed: nil, updates: 1, minutes: nil,
            envs: nil, scheduleUpdates: nil, runDir: dir, checkpointEvery: 1, keepCheckpoints: 1, resume: out,
            resumeFallback: false, commandLine: "test", codeVersion: "test")
        let resumed = try fineTune.run(load: load, log: Log(toStderr: true))
        XCTAssertEqual(resumed.summary.updates, 1)
        XCTAssertEqual(resumed.resumedFrom, out)
    }
}
