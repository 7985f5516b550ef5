import Foundation
import XCTest
import Checkpoint
import Elimination
import PPO
import TestFixtures
@testable import Training

/// The one run-folder writer: updates.jsonl rows with drops by reason, a resumed folder keeps
/// each update once, a fresh run refuses a used folder, and the summary reads back re-scored.
final class RunFolderTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir =
            FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-runfolder-\(UUID().uuidString)").path
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func rows() throws -> [[String: Any]] {
        try String(contentsOfFile: "\(dir!)/updates.jsonl", encoding: .utf8).split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    func testRecordsResumeAndSummary() throws {
        let run = try SoloRun(
            graph: try TestFixtures.chain(), network: TestFixtures.tinyNetwork, hp: TestFixtures.tinyHyperparameters(),
            seed: 2)
        var folder: RunFolder? = try RunFolder(
            path: dir, trainer: run.trainer, fresh: true, checkpointEvery: 2, keep: 2, codeVersion: "t")
        var drops = EpisodeDrops()
        drops.add(.logProb, 3)
        var saved: [String?] = []
        for u in 1...3 {
            let report = try run.runUpdate()
            saved.append(
                try folder?.record(
                    report, trainer: run.trainer, dropped: drops, wallTime: Double(u), seconds: 1,
                    snapshot: run.snapshot))
        }
        XCTAssertEqual(saved.map { $0 != nil }, [false, true, false], "a checkpoint every 2 updates")
        let written = try rows()
        XCTAssertEqual(written.map { $0["update"] as? Int }, [1, 2, 3])
        XCTAssertEqual((written[0]["dropped"] as? [String: Int])?["log_prob"], 3)
        XCTAssertEqual(
            (written[0]["dropped"] as? [String: Int])?.count, DropReason.allCases.count, "every reason, zeros included")
        try folder?.close()
        folder = nil

        // A fresh run refuses the folder; a run resumed from update 2 drops row 3 (it plays it again).
        XCTAssertThrowsError(
            try RunFolder(path: dir, trainer: run.trainer, fresh: true, checkpointEvery: 2, keep: 2, codeVersion: "t")
        ) {
            XCTAssertTrue("\($0)".contains("already exists"), "\($0)")
        }
        let resumed = try SoloRun(
            graph: try TestFixtures.chain(), network: TestFixtures.tinyNetwork, hp: TestFixtures.tinyHyperparameters(),
            seed: 2)
        try resumed.restore((try CheckpointFile.read("\(dir!)/checkpoint.h5")))
        XCTAssertEqual(resumed.trainer.updates, 2)
        let again = try RunFolder(
            path: dir, trainer: resumed.trainer, fresh: false, checkpointEvery: 2, keep: 2, codeVersion: "t")
        XCTAssertEqual(try rows().map { $0["update"] as? Int }, [1, 2])
        let report = try resumed.runUpdate()
        try again.record(
            report, trainer: resumed.trainer, dropped: EpisodeDrops(), wallTime: 1, seconds: 1,
            snapshot: resumed.snapshot)
        XCTAssertEqual(try rows().map { $0["update"] as? Int }, [1, 2, 3])
        XCTAssertEqual(
            try rows()[2]["weights_checksum"] as? String, written[2]["weights_checksum"] as? String, "bit-exact resume")

        let summary = RunSummary(trainer: resumed.trainer, seconds: 2, dropped: drops, weightsChecksum: "ab")
        try again.writeSummary(summary)
        try again.close()
        let back = try RunSummary(file: "\(dir!)/summary.json", specs: resumed.trainer.specs)
        XCTAssertEqual(back.updates, 3)
        XCTAssertEqual(back.tasks[0].best, resumed.trainer.best)
        XCTAssertEqual(back.dropped, drops)
    }

    /// The trainer's network holds the tokens a state has: the candidate view's 64 for a program
    /// above 512 vertices (it held every vertex: gigabytes of activations on large programs).
    func testTheTrainersNetworkHoldsTheCandidateViewOfALargeProgram() throws {
        let large = RandomGraphs.scalar(seed: 3, inputs: 6, equations: 600, outputs: 3)
        let trainer = try Trainer(
            graphs: [try TestFixtures.chain(), large], network: TestFixtures.tinyNetwork,
            hp: TestFixtures.tinyHyperparameters(), seed: 1)
        XCTAssertGreaterThan(large.vertexCount, TokenFeatures.candidateViewAbove)
        XCTAssertEqual(trainer.network.maxTokens, TokenFeatures.candidates)
    }

    func testASummaryWhoseOrderDoesNotRescoreIsRefused() throws {
        let trainer = try Trainer(
            graphs: [try TestFixtures.chain()], network: TestFixtures.tinyNetwork,
            hp: TestFixtures.tinyHyperparameters(), seed: 1)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let text = #"{"updates": 1, "best": {"chain": {"cost": 1, "order": [1, 2, 3]}}}"#
        try text.write(toFile: "\(dir!)/summary.json", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RunSummary(file: "\(dir!)/summary.json", specs: trainer.specs))
    }

    /// Plainly: when a baseline beats every learned order, say so and give that order.
    func testACheaperBaselineIsNamedWithItsOrder() throws {
        let trainer = try Trainer(
            graphs: [try TestFixtures.chain()], network: TestFixtures.tinyNetwork,
            hp: TestFixtures.tinyHyperparameters(), seed: 1)
        var summary = RunSummary(trainer: trainer, seconds: 1, dropped: EpisodeDrops(), weightsChecksum: "")
        let t = summary.tasks[0]
        let cheapest = min(t.baselines.forward, t.baselines.reverse, t.baselines.markowitz)
        summary.tasks[0].best = BestOrder(cost: cheapest + 5, order: t.baselines.markowitzOrder)
        let cheaper = try XCTUnwrap(summary.tasks[0].cheaperBaseline)
        XCTAssertEqual(cheaper.cost, cheapest)
        XCTAssertTrue(
            summary.lines(seconds: 1).contains {
                $0.contains("is still cheaper than anything learned")
                    && $0.contains(cheaper.order.map(String.init).joined(separator: ","))
            })
        summary.tasks[0].best = BestOrder(cost: cheapest, order: t.baselines.markowitzOrder)
        XCTAssertNil(summary.tasks[0].cheaperBaseline, "a tie is not cheaper")
    }
}
