import AlphaZero
import Checkpoint
import Console
import Elimination
import Foundation
import PPO
import TestFixtures
import XCTest
@testable import Training

/// `ccelim train --solo --algorithm alphazero` without the binary: the algorithm's settings from
/// the flags or the checkpoint, the run folder written with the algorithm recorded, and the flags
/// and checkpoints of the other algorithm refused with the reason.
final class AlphaZeroSoloTrainingTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-azsolo-\(UUID().uuidString)").path
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func training(
        algorithm: AlgorithmKind? = .alphaZero, updates: Int? = 2, simulations: Int? = 4, envs: Int? = 2,
        scheduleUpdates: Int? = nil, runDir: String? = nil, resume: String? = nil
    ) -> SoloTraining {
        SoloTraining(
            algorithm: algorithm, task: resume == nil ? "chain" : nil, preset: "small", seed: resume == nil ? 3 : nil,
            updates: updates, minutes: nil, envs: envs, alphaZero: AlphaZeroOptions(simulations: simulations),
            scheduleUpdates: scheduleUpdates,
            runDir: runDir, checkpointEvery: 1, keepCheckpoints: 2, resume: resume, resumeFallback: false,
            commandLine: "ccelim train --solo --algorithm alphazero", codeVersion: "test")
    }

    func load(_ name: String) throws -> ComputationalGraph { try TestFixtures.chain(name: name) }

    func testARunWritesItsFolderWithTheAlgorithmAndResumesAsIt() throws {
        let outcome = try training(updates: 1, runDir: dir).run(load: load, log: Log(toStderr: true))
        XCTAssertEqual(outcome.summary.algorithm, .alphaZero)
        XCTAssertEqual(outcome.summary.updates, 1)
        XCTAssertEqual(outcome.summary.episodes, 2, "2 games of the one task per update")
        XCTAssertTrue(outcome.json.text.contains("\"algorithm\": \"alphazero\""), outcome.json.text)
        let checkpoint = try CheckpointFile.read("\(dir!)/checkpoint.h5")
        XCTAssertEqual(checkpoint.algorithm, .alphaZero)
        XCTAssertEqual((checkpoint.algorithmState as? AlphaZeroState)?.settings.simulations, 4)
        XCTAssertTrue(checkpoint.configText.contains("algorithm = alphazero"), checkpoint.configText)
        XCTAssertEqual(try EpisodeLogSummary.read("\(dir!)/episodes.h5").algorithm, .alphaZero)
        let lines = try String(contentsOfFile: "\(dir!)/\(RunFolder.updatesName)", encoding: .utf8)
            .split(separator: "\n")
        XCTAssertEqual(lines.count, 1)
        XCTAssertTrue(lines.allSatisfy { $0.contains("\"algorithm\": \"alphazero\"") }, "\(lines)")
        let summary = try String(contentsOfFile: "\(dir!)/\(RunFolder.summaryName)", encoding: .utf8)
        XCTAssertTrue(summary.contains("\"algorithm\": \"alphazero\""), summary)

        // The other algorithm's flags and checkpoint are refused, naming both.
        let path = "\(dir!)/checkpoint.h5"
        XCTAssertThrowsError(
            try training(algorithm: .ppo, updates: 2, simulations: nil, envs: nil, resume: path)
                .run(load: load, log: Log(toStderr: true))
        ) {
            XCTAssertTrue(
                "\($0)".contains("--algorithm ppo differs from the checkpoint's alphazero"), "\($0)")
        }
        XCTAssertThrowsError(
            try training(algorithm: nil, updates: 2, simulations: 8, envs: nil, resume: path)
                .run(load: load, log: Log(toStderr: true))
        ) { XCTAssertTrue("\($0)".contains("--simulations 8 differs from the checkpoint's 4"), "\($0)") }
        // Without --algorithm a resumed run keeps the checkpoint's.
        let resumed = try training(algorithm: nil, updates: 2, simulations: nil, envs: nil, resume: path)
            .run(load: load, log: Log(toStderr: true))
        XCTAssertEqual(resumed.summary.algorithm, .alphaZero)
        XCTAssertEqual(resumed.summary.updates, 2)
        XCTAssertEqual(resumed.summary.episodes, 4)
        XCTAssertEqual(try EpisodeLogSummary.read("\(dir!)/episodes.h5").updates, 2)
    }

    func testFlagsOfTheOtherAlgorithmAreRefused() throws {
        XCTAssertThrowsError(try training(algorithm: .ppo).run(load: load, log: Log(toStderr: true))) {
            XCTAssertEqual("\($0)", "--simulations 4 applies to --algorithm alphazero; PPO does not search")
        }
        XCTAssertThrowsError(try training(scheduleUpdates: 10).run(load: load, log: Log(toStderr: true))) {
            XCTAssertTrue("\($0)".contains("--schedule-updates 10 applies to PPO"), "\($0)")
        }
        let ppoRun = "\(dir!)/ppo"
        _ = try training(algorithm: nil, updates: 1, simulations: nil, runDir: ppoRun)
            .run(load: load, log: Log(toStderr: true))
        XCTAssertEqual(try CheckpointFile.read("\(ppoRun)/checkpoint.h5").algorithm, .ppo)
        XCTAssertThrowsError(
            try training(updates: 2, simulations: nil, envs: nil, resume: "\(ppoRun)/checkpoint.h5")
                .run(load: load, log: Log(toStderr: true))
        ) { XCTAssertTrue("\($0)".contains("--algorithm alphazero differs from the checkpoint's ppo"), "\($0)") }
    }

    func testSettingsComeFromThePresetAndTheFlags() throws {
        let hp = try training(simulations: 9, envs: 3).alphaZeroHyperparameters(task: "Encoder", resuming: nil)
        XCTAssertEqual(hp.simulations, 9)
        XCTAssertEqual(hp.gamesInLockstep, 3)
        XCTAssertEqual(
            try training(simulations: nil).alphaZeroHyperparameters(task: "Encoder", resuming: nil).simulations, 250)
        XCTAssertEqual(
            try training(simulations: nil).alphaZeroHyperparameters(task: "f", resuming: nil).simulations, 50)
        var scaled = training()
        scaled.alphaZero.cScale = 0.1
        XCTAssertEqual(try scaled.alphaZeroHyperparameters(task: "f", resuming: nil).cScale, 0.1)
        XCTAssertEqual(try training().alphaZeroHyperparameters(task: "f", resuming: nil).cScale, 1.0, "the default")
        var ppo = training(algorithm: .ppo, simulations: nil)
        ppo.alphaZero.cScale = 0.1
        XCTAssertThrowsError(try ppo.run(load: load, log: Log(toStderr: true))) {
            XCTAssertEqual("\($0)", "--c-scale 0.1 applies to --algorithm alphazero; PPO does not search")
        }
        var rollouts = training()
        XCTAssertEqual(try rollouts.alphaZeroHyperparameters(task: "f", resuming: nil).rolloutWeight, 0, "the default")
        rollouts.alphaZero.rolloutWeight = 0.5
        XCTAssertEqual(try rollouts.alphaZeroHyperparameters(task: "f", resuming: nil).rolloutWeight, 0.5)
        rollouts.alphaZero.rolloutWeight = 1.5
        XCTAssertThrowsError(try rollouts.alphaZeroHyperparameters(task: "f", resuming: nil)) {
            XCTAssertTrue("\($0)".contains("rollout_weight"), "\($0)")
        }
        var ppoRollouts = training(algorithm: .ppo, simulations: nil)
        ppoRollouts.alphaZero.rolloutWeight = 1
        XCTAssertThrowsError(try ppoRollouts.run(load: load, log: Log(toStderr: true))) {
            XCTAssertEqual("\($0)", "--rollout-weight 1.0 applies to --algorithm alphazero; PPO does not search")
        }
        var rules = training()
        XCTAssertEqual(try rules.alphaZeroHyperparameters(task: "f", resuming: nil).rolloutRules, 1, "the default")
        rules.alphaZero.rolloutRules = 3
        XCTAssertEqual(try rules.alphaZeroHyperparameters(task: "f", resuming: nil).rolloutRules, 3)
        for bad in [0, 7] {
            rules.alphaZero.rolloutRules = bad
            XCTAssertThrowsError(try rules.alphaZeroHyperparameters(task: "f", resuming: nil)) {
                XCTAssertTrue("\($0)".contains("rollout_rules must be between 1 and 6 (the greedy rules)"), "\($0)")
            }
        }
        var ppoRules = training(algorithm: .ppo, simulations: nil)
        ppoRules.alphaZero.rolloutRules = 2
        XCTAssertThrowsError(try ppoRules.run(load: load, log: Log(toStderr: true))) {
            XCTAssertEqual("\($0)", "--rollout-rules 2 applies to --algorithm alphazero; PPO does not search")
        }
        var endgame = training()
        XCTAssertEqual(try endgame.alphaZeroHyperparameters(task: "f", resuming: nil).rolloutEndgame, 0, "the default")
        endgame.alphaZero.rolloutEndgame = 6
        XCTAssertEqual(try endgame.alphaZeroHyperparameters(task: "f", resuming: nil).rolloutEndgame, 6)
        for bad in [-1, 13] {
            endgame.alphaZero.rolloutEndgame = bad
            XCTAssertThrowsError(try endgame.alphaZeroHyperparameters(task: "f", resuming: nil)) {
                XCTAssertTrue("\($0)".contains("rollout_endgame must be between 0 and 12"), "\($0)")
            }
        }
    }
}
