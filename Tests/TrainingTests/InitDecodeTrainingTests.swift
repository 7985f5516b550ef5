import AlphaZero
import Checkpoint
import Console
import Elimination
import Foundation
import PPO
import TestFixtures
import XCTest
@testable import Training

/// `ccelim train --solo --algorithm alphazero --init CKPT` without the binary: the start file's
/// zero-shot decode is a candidate for the run's best, which is then never dearer than
/// self-play's (the checkpoint's), is what the game says it costs, and names its source
/// (`best_from` "init-decode", `best_method` the stage) in the JSON and summary.json; without
/// `--init` there is no such candidate.
final class InitDecodeTrainingTests: XCTestCase {
    var dir: String!
    let generalist = TestFixtures.root.appendingPathComponent("Datasets/policies/generalist.h5").path
    /// 10 random scalar equations: one self-played game of one simulation per move (7) is dearer
    /// than the generalist's decode (4).
    let graph = RandomGraphs.scalar(seed: 2, inputs: 3, equations: 10, outputs: 2)

    override func setUpWithError() throws {
        dir =
            FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-initdecode-\(UUID().uuidString)")
            .path
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// One update, or none with `minutes` already up.
    func run(
        initialize: String?, name: String, minutes: Double? = nil
    ) throws -> (SoloTraining.Outcome, [String: Any], BestOrder?) {
        var t = SoloTraining(
            algorithm: .alphaZero, task: graph.name, preset: initialize == nil ? "small" : nil, seed: 1, updates: 1,
            minutes: minutes, envs: 1, alphaZero: AlphaZeroOptions(simulations: 1), scheduleUpdates: nil,
            runDir: "\(dir!)/\(name)",
            checkpointEvery: 1, keepCheckpoints: 1, resume: nil, resumeFallback: false, initialize: initialize,
            commandLine: "ccelim train --solo --algorithm alphazero", codeVersion: "test")
        t.initDecodeSeconds = 0.05
        let outcome = try t.run(load: { _ in self.graph }, log: Log(toStderr: true))
        let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(outcome.json.text.utf8)) as? [String: Any])
        // The checkpoint holds self-play's best, whatever the summary reports.
        let selfPlay = try CheckpointFile.read("\(dir!)/\(name)/checkpoint.h5").best[graph.name]
        return (outcome, o, selfPlay)
    }

    func testTheStartFilesDecodeWinsWhenCheaperThanSelfPlay() throws {
        let (outcome, o, played) = try run(initialize: generalist, name: "init")
        let selfPlay = try XCTUnwrap(played)
        let task = outcome.summary.tasks[0]
        let best = try XCTUnwrap(task.best)
        XCTAssertLessThan(best.cost, selfPlay.cost, "one game of one simulation is dearer here")
        XCTAssertEqual(task.bestFrom, .initDecode)
        let method = try XCTUnwrap(task.bestMethod)
        XCTAssertTrue(method.hasPrefix("policy-"), method)
        XCTAssertEqual(try Baselines.score(best.order, on: GameSpec(graph: graph)).cost, best.cost)

        XCTAssertEqual(o["best_cost"] as? Int, best.cost)
        XCTAssertEqual(o["best_order"] as? [Int], best.order)
        XCTAssertEqual(o["best_from"] as? String, "init-decode")
        XCTAssertEqual(o["best_method"] as? String, method)
        let decoded = try XCTUnwrap(o["init_decode"] as? [String: Any], "\(o.keys.sorted())")
        XCTAssertEqual(decoded["cost"] as? Int, best.cost)
        XCTAssertEqual(decoded["method"] as? String, method)
        XCTAssertEqual(decoded["nominal_seconds"] as? Double, 0.05)

        let written = try RunSummary(file: "\(dir!)/init/\(RunFolder.summaryName)", specs: [GameSpec(graph: graph)])
        XCTAssertEqual(written.tasks[0].best?.cost, best.cost)
        XCTAssertEqual(written.tasks[0].bestFrom, .initDecode)
        XCTAssertEqual(written.tasks[0].bestMethod, method)
    }

    /// No update (the minutes are up at once): with `--init` the start file's decode is the best
    /// there is; without, there is no best and no start decode.
    func testWithoutInitThereIsNoStartDecode() throws {
        let (plain, o, none) = try run(initialize: nil, name: "plain", minutes: 1e-12)
        XCTAssertEqual(plain.summary.updates, 0)
        XCTAssertNil(none)
        XCTAssertNil(o["init_decode"])
        XCTAssertTrue(o["best_from"] is NSNull)
        XCTAssertTrue(o["best_method"] is NSNull)
        XCTAssertNil(plain.summary.tasks[0].best)

        let (started, s, alsoNone) = try run(initialize: generalist, name: "init", minutes: 1e-12)
        XCTAssertNil(alsoNone, "no self-play")
        XCTAssertEqual(s["best_from"] as? String, "init-decode")
        let decoded = try XCTUnwrap(s["init_decode"] as? [String: Any])
        XCTAssertEqual(started.summary.tasks[0].best?.cost, decoded["cost"] as? Int)
    }
}
