import AlphaZero
import Checkpoint
import Console
import Elimination
import Foundation
import PPO
import TestFixtures
import XCTest
@testable import Training

/// `ccelim train --solo --algorithm alphazero --final-decode-seconds S` without the binary: the
/// trained policy's final decode can only lower the summary's best, which the game confirms and
/// whose source `best_from` names; the checkpoint (what resume restores) is the one a run without
/// it writes; bad values are refused with the reason.
final class FinalDecodeTrainingTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir =
            FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-finaldecode-\(UUID().uuidString)")
            .path
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func training(
        algorithm: AlgorithmKind = .alphaZero, runDir: String? = nil, minutes: Double? = nil,
        finalDecodeSeconds: Double = 0, decodeSimulations: Int? = nil
    ) -> SoloTraining {
        SoloTraining(
            algorithm: algorithm, task: "chain", preset: "small", seed: 7, updates: 1, minutes: minutes,
            envs: 2,
            alphaZero: AlphaZeroOptions(
                simulations: algorithm == .alphaZero ? 4 : nil, finalDecodeSeconds: finalDecodeSeconds,
                decodeSimulations: decodeSimulations), scheduleUpdates: nil, runDir: runDir,
            checkpointEvery: 1, keepCheckpoints: 2, resume: nil, resumeFallback: false,
            commandLine: "ccelim train --solo --algorithm alphazero", codeVersion: "test")
    }

    func load(_ name: String) throws -> ComputationalGraph { try TestFixtures.chain(name: name) }

    func object(_ json: JSON) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [String: Any])
    }

    func testTheFinalDecodeNeverRaisesTheBestAndLeavesTheCheckpointAlone() throws {
        let plain = try training(runDir: "\(dir!)/plain").run(load: load, log: Log(toStderr: true))
        let decoded = try training(runDir: "\(dir!)/decoded", finalDecodeSeconds: 0.2, decodeSimulations: 8)
            .run(load: load, log: Log(toStderr: true))
        let selfPlay = try XCTUnwrap(plain.summary.tasks[0].best)
        let best = try XCTUnwrap(decoded.summary.tasks[0].best)
        XCTAssertLessThanOrEqual(best.cost, selfPlay.cost)
        XCTAssertEqual(
            decoded.summary.tasks[0].bestFrom, best.cost < selfPlay.cost ? .finalDecode : .selfPlay,
            "best_from names the method that found the best")
        XCTAssertEqual(plain.summary.tasks[0].bestFrom, .selfPlay)
        // The game, not the trainer, says what the order costs (what `ccelim cost` prints).
        let spec = GameSpec(graph: try load("chain"))
        XCTAssertEqual(try Baselines.score(best.order, on: spec).cost, best.cost)

        let o = try object(decoded.json)
        XCTAssertEqual(o["best_cost"] as? Int, best.cost)
        XCTAssertEqual(o["best_order"] as? [Int], best.order)
        XCTAssertEqual(o["best_from"] as? String, decoded.summary.tasks[0].bestFrom.rawValue)
        let final = try XCTUnwrap(o["final_decode"] as? [String: Any], "\(o.keys.sorted())")
        XCTAssertEqual(final["simulations"] as? Int, 8)
        // The search decode, then optimize's pipeline: each stage that ran gives its cost.
        XCTAssertNotNil(final["search_cost"] as? Int)
        let greedy = try XCTUnwrap(final["greedy_cost"] as? Int)
        if let deviation = final["deviation_cost"] as? Int { XCTAssertLessThanOrEqual(deviation, greedy) }
        let stages = final.filter { $0.key.hasSuffix("_cost") }.compactMap { $0.value as? Int }
        XCTAssertEqual(best.cost, min(selfPlay.cost, stages.min()!))
        if decoded.summary.tasks[0].bestFrom == .finalDecode {
            XCTAssertEqual(o["best_method"] as? String, final["best_method"] as? String)
        } else {
            XCTAssertTrue(o["best_method"] is NSNull, "self-play: no decode stage")
        }
        XCTAssertNil(try object(plain.json)["final_decode"])
        XCTAssertEqual(try object(plain.json)["best_from"] as? String, "self-play")

        // summary.json has the decoded best; the checkpoint is the plain run's.
        let written = try RunSummary(
            file: "\(dir!)/decoded/\(RunFolder.summaryName)", specs: [spec])
        XCTAssertEqual(written.tasks[0].best?.cost, best.cost)
        XCTAssertEqual(written.tasks[0].bestFrom, decoded.summary.tasks[0].bestFrom)
        let a = try CheckpointFile.read("\(dir!)/plain/checkpoint.h5")
        let b = try CheckpointFile.read("\(dir!)/decoded/checkpoint.h5")
        XCTAssertEqual(a.parameters, b.parameters)
        XCTAssertEqual(a.updates, b.updates)
        XCTAssertEqual(a.best["chain"]?.cost, selfPlay.cost)
        XCTAssertEqual(b.best["chain"]?.cost, selfPlay.cost, "the checkpoint keeps self-play's best")
        XCTAssertEqual(a.best["chain"]?.order, b.best["chain"]?.order)
    }

    func testBadValuesAreRefused() throws {
        func refused(_ t: SoloTraining, _ message: String, line: UInt = #line) {
            XCTAssertThrowsError(try t.run(load: load, log: Log(toStderr: true)), line: line) {
                XCTAssertTrue("\($0)".contains(message), "\($0)", line: line)
            }
        }
        refused(training(finalDecodeSeconds: -1), "--final-decode-seconds must be a finite number ≥ 0")
        refused(training(finalDecodeSeconds: .infinity), "--final-decode-seconds must be a finite number ≥ 0")
        refused(training(finalDecodeSeconds: .nan), "--final-decode-seconds must be a finite number ≥ 0")
        refused(training(minutes: 1, finalDecodeSeconds: 60), "--final-decode-seconds must be below --minutes × 60")
        refused(training(decodeSimulations: 8), "give --final-decode-seconds too")
        refused(training(finalDecodeSeconds: 1, decodeSimulations: -1), "--decode-simulations must be ≥ 0")
        refused(
            training(algorithm: .ppo, finalDecodeSeconds: 1),
            "--final-decode-seconds 1.0 applies to --algorithm alphazero; PPO does not search")
    }
}
