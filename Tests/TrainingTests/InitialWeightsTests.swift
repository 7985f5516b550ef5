import AlphaZero
import Checkpoint
import Console
import Elimination
import Foundation
import PPO
import TestFixtures
import XCTest
@testable import Training

/// `ccelim train --solo --init CKPT` without the binary: a new run whose first weights are the
/// checkpoint's (any algorithm's), with fresh counters and optimiser, recorded in its checkpoints
/// and JSON; refused with --resume, for another network, or for an unreadable file.
final class InitialWeightsTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-init-\(UUID().uuidString)").path
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func load(_ name: String) throws -> ComputationalGraph { try TestFixtures.chain(name: name) }

    func training(
        algorithm: AlgorithmKind, preset: String? = "small", seed: UInt64 = 5, updates: Int? = 1,
        minutes: Double? = nil, runDir: String, resume: String? = nil, initialize: String? = nil
    ) -> SoloTraining {
        SoloTraining(
            algorithm: algorithm, task: "chain", preset: preset, seed: seed, updates: updates, minutes: minutes,
            envs: 2, alphaZero: AlphaZeroOptions(simulations: algorithm == .alphaZero ? 4 : nil), scheduleUpdates: nil,
            runDir: runDir,
            checkpointEvery: 1, keepCheckpoints: 1, resume: resume, resumeFallback: false, initialize: initialize,
            commandLine: "ccelim train --solo", codeVersion: "test")
    }

    /// A PPO checkpoint after one update (weights no seed gives at update 0).
    func ppoCheckpoint() throws -> (path: String, snapshot: TrainerSnapshot) {
        _ = try training(algorithm: .ppo, runDir: "\(dir!)/ppo").run(load: load, log: Log(toStderr: true))
        let path = "\(dir!)/ppo/checkpoint.h5"
        return (path, try CheckpointFile.read(path))
    }

    func testANewRunStartsFromTheCheckpointsWeightsWithFreshCounters() throws {
        let (path, source) = try ppoCheckpoint()
        XCTAssertEqual(source.updates, 1)
        // A deadline already passed: no update, so the saved checkpoint holds the weights of update 0.
        let outcome = try training(
            algorithm: .alphaZero, seed: 9, updates: nil, minutes: 1e-12, runDir: "\(dir!)/az", initialize: path
        ).run(load: load, log: Log(toStderr: true))
        XCTAssertEqual(outcome.summary.updates, 0)
        let started = try CheckpointFile.read("\(dir!)/az/checkpoint.h5")
        XCTAssertEqual(started.algorithm, .alphaZero)
        XCTAssertEqual(started.parameters.map(\.bitPattern), source.parameters.map(\.bitPattern))
        XCTAssertEqual(started.adamStep, 0, "a fresh optimiser")
        XCTAssertTrue(started.firstMoment.allSatisfy { $0 == 0 })
        XCTAssertEqual(started.updates, 0)
        XCTAssertEqual(started.episodes, 0)
        XCTAssertEqual(started.seed, 9, "the seed is the flag's, not the checkpoint's")
        // Without --init the same seed starts elsewhere: the weights above came from the file.
        let scratch = try AlphaZeroTrainer(
            graphs: [try load("chain")], network: .small, settings: AlphaZeroHyperparameters(), seed: 9)
        XCTAssertNotEqual(scratch.network.parameterArray(), source.parameters)

        let weights = InitialWeights(path: path, network: source.network, parameters: source.parameters)
        XCTAssertTrue(started.configText.contains("initialized_from = \(path)"), started.configText)
        XCTAssertTrue(
            started.configText.contains("initialized_from_weights_checksum = \(weights.weightsChecksum)"),
            started.configText)
        XCTAssertEqual(weights.weightsChecksum, outcome.summary.weightsChecksum, "no update: the same weights")
        let json = outcome.json.text
        XCTAssertTrue(json.contains("\"initialized_from\""), json)
        XCTAssertTrue(json.contains(weights.weightsChecksum), json)

    }

    /// A checkpoint from before the lookahead features (24) starts a run of the same preset with
    /// all the features: its weights widened by zero columns (the same policy); any other
    /// difference is still refused.
    func testAnOlderCheckpointWithFewerFeaturesIsWidened() throws {
        var old = NetworkConfig.small
        old.features = TokenFeatures.withoutLookahead
        let source = try PolicyNetwork(config: old, maxBatch: 1, maxTokens: 8, seed: 4)
        let weights = InitialWeights(path: "old.h5", network: old, parameters: source.parameterArray())
        XCTAssertTrue(weights.widens(to: .small))
        XCTAssertNoThrow(try weights.require(.small))
        let net = try PolicyNetwork(config: .small, maxBatch: 1, maxTokens: 8, seed: 7)
        try weights.load(into: net)
        let F = TokenFeatures.count, Fo = old.features, C = NetworkConfig.small.policy.width
        let loaded = net.parameterArray()
        // The policy embedding (first tensor, C × F): the old columns, then zeros.
        for r in 0..<C {
            XCTAssertEqual(
                Array(loaded[(r * F)..<(r * F + Fo)]), Array(source.parameterArray()[(r * Fo)..<((r + 1) * Fo)]))
            XCTAssertTrue(loaded[(r * F + Fo)..<((r + 1) * F)].allSatisfy { $0 == 0 })
        }
        XCTAssertEqual(loaded.count - source.parameterCount, (F - Fo) * (C + NetworkConfig.small.value.width))
        XCTAssertThrowsError(try weights.require(.paper))
        XCTAssertFalse(weights.widens(to: .paper))
    }

    func testInitIsRefusedWithResumeAnotherNetworkOrABadFile() throws {
        let (path, _) = try ppoCheckpoint()
        XCTAssertThrowsError(
            try training(algorithm: .alphaZero, runDir: "\(dir!)/x", resume: path, initialize: path)
                .run(load: load, log: Log(toStderr: true))
        ) { XCTAssertTrue("\($0)".contains("--resume \(path) continues a run: give one of them"), "\($0)") }
        XCTAssertThrowsError(
            try training(algorithm: .alphaZero, preset: "paper", runDir: "\(dir!)/y", initialize: path)
                .run(load: load, log: Log(toStderr: true))
        ) {
            XCTAssertTrue("\($0)".contains("holds a \(NetworkConfig.small)"), "\($0)")
            XCTAssertTrue("\($0)".contains("this run's is \(NetworkConfig.paper)"), "\($0)")
        }
        XCTAssertThrowsError(
            try training(algorithm: .ppo, runDir: "\(dir!)/z", initialize: "\(dir!)/missing.h5")
                .run(load: load, log: Log(toStderr: true))
        ) { XCTAssertTrue("\($0)".contains("--init: cannot read checkpoint \(dir!)/missing.h5"), "\($0)") }
    }
}
