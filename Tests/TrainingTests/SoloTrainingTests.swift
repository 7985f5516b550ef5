import Checkpoint
import Console
import Elimination
import Foundation
import PPO
import TestFixtures
import XCTest
@testable import Training

/// The solo run's decisions without the binary: which tasks, which hyperparameters, what a resumed
/// run refuses, and a short run that writes its folder and reports confirmed orders.
final class SoloTrainingTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-solo-\(UUID().uuidString)").path
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func training(task: String? = nil, updates: Int? = 2, envs: Int? = 2, runDir: String? = nil) -> SoloTraining {
        SoloTraining(
            task: task, preset: "small", seed: 3, updates: updates, minutes: nil, envs: envs, scheduleUpdates: nil,
            runDir: runDir, checkpointEvery: 1, keepCheckpoints: 2, resume: nil, resumeFallback: false,
            commandLine: "ccelim train --solo", codeVersion: "test")
    }

    func load(_ name: String) throws -> ComputationalGraph { try TestFixtures.chain(name: name) }

    func testTaskNamesSplitOnCommasAndRefuseRepeatsAndBlanks() throws {
        XCTAssertEqual(try training(task: "a, b").graphs(stored: nil, load: load).map(\.name), ["a", "b"])
        XCTAssertEqual(try training().graphs(stored: ["x"], load: load).map(\.name), ["x"])
        XCTAssertEqual(try training().graphs(stored: nil, load: load).map(\.name), ["RoeFlux_1d"])
        XCTAssertThrowsError(try training(task: "a,a").graphs(stored: nil, load: load)) {
            XCTAssertEqual("\($0)", "--task names the same task twice")
        }
        XCTAssertThrowsError(try training(task: "a, ,b").graphs(stored: nil, load: load)) {
            XCTAssertTrue("\($0)".hasPrefix("--task: give a task name"), "\($0)")
        }
        XCTAssertThrowsError(try training().graphs(stored: ["gone"], load: { _ in throw SoloTrainingError("no") })) {
            XCTAssertTrue("\($0)".contains("the checkpoint trains 'gone'"), "\($0)")
        }
    }

    func testResumedRunKeepsItsHyperparametersAndRefusesOtherEnvs() throws {
        let run = try SoloRun(
            graph: try TestFixtures.chain(), network: TestFixtures.tinyNetwork, hp: TestFixtures.tinyHyperparameters(),
            seed: 1)
        let snapshot = run.snapshot()
        let stored = try XCTUnwrap(snapshot.ppoHyperparameters)
        XCTAssertEqual(
            try training(envs: nil).hyperparameters(task: "chain", resuming: snapshot).numEnvs, stored.numEnvs)
        XCTAssertThrowsError(
            try training(envs: stored.numEnvs + 1).hyperparameters(task: "chain", resuming: snapshot)
        ) { XCTAssertTrue("\($0)".contains("a resumed run keeps its hyperparameters"), "\($0)") }
        let fresh = try training(updates: 7, envs: 5).hyperparameters(task: "chain", resuming: nil)
        XCTAssertEqual(fresh.numEnvs, 5)
        XCTAssertEqual(fresh.scheduleUpdates, 7)
    }

    func testShortRunWritesItsFolderAndReportsTheCheckpoint() throws {
        let outcome = try training(task: "chain", runDir: dir).run(load: load, log: Log(toStderr: true))
        XCTAssertEqual(outcome.summary.tasks.map(\.name), ["chain"])
        XCTAssertEqual(outcome.seed, 3)
        XCTAssertEqual(outcome.checkpoint, "\(dir!)/checkpoint.h5")
        XCTAssertEqual(outcome.lines.last, "checkpoint: \(dir!)/checkpoint.h5")
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(dir!)/\(RunFolder.summaryName)"))
        XCTAssertTrue(outcome.json.text.contains("\"resumed_from\"") == false)
        let lines = try String(contentsOfFile: "\(dir!)/\(RunFolder.updatesName)", encoding: .utf8)
        XCTAssertEqual(lines.split(separator: "\n").count, 2)
    }

    /// An interrupt (the CLI's Ctrl-C) between updates ends a run of six after its second: the
    /// folder holds two updates, the checkpoint is that of update 2 (saved although checkpoints come
    /// every 5), and a resume continues from it.
    func testAnInterruptEndsTheRunWithItsCheckpointAndSummary() throws {
        var run = training(task: "chain", updates: 6, runDir: dir)
        run.checkpointEvery = 5
        var asked = 0
        run.stop = {
            asked += 1
            return asked > 2
        }
        let outcome = try run.run(load: load, log: Log(toStderr: true))
        XCTAssertEqual(outcome.summary.updates, 2)
        XCTAssertEqual(try CheckpointFile.read("\(dir!)/checkpoint.h5").updates, 2)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(dir!)/\(RunFolder.summaryName)"))
        let lines = try String(contentsOfFile: "\(dir!)/\(RunFolder.updatesName)", encoding: .utf8)
        XCTAssertEqual(lines.split(separator: "\n").count, 2)

        var resumed = training(updates: 3, runDir: nil)
        resumed.resume = "\(dir!)/checkpoint.h5"
        resumed.task = nil
        let more = try resumed.run(load: load, log: Log(toStderr: true))
        XCTAssertEqual(more.summary.updates, 3)
        XCTAssertEqual(more.resumedFrom, "\(dir!)/checkpoint.h5")
    }

    func testProgressLineNamesEachTaskOnlyInJointTraining() throws {
        let run = try SoloRun(
            graph: try TestFixtures.chain(), network: TestFixtures.tinyNetwork, hp: TestFixtures.tinyHyperparameters(),
            seed: 1)
        let report = try run.runUpdate()
        let one = SoloTraining.progressLine(report, rate: 2, taskNames: ["chain"])
        XCTAssertTrue(one.hasPrefix("update    1  eps/s    2.0"), one)
        XCTAssertFalse(one.contains("best per task"))
        XCTAssertTrue(
            SoloTraining.progressLine(report, rate: 2, taskNames: ["chain", "other"]).contains("best per task chain"))
    }
}
