import Foundation
import XCTest
import HDF5
import PPO
@testable import Checkpoint

final class EpisodeLogTests: CheckpointTestCase {
    private func row(_ id: Int64, order: [Int32], cost: Int64 = 10, time: Double = 1) -> EpisodeLog.EpisodeRow {
        EpisodeLog.EpisodeRow(
            id: id, task: 0, actor: 0, policyVersion: id / 2, cost: cost, order: order, wallTime: time)
    }

    private func update(_ n: Int64, time: Double) -> EpisodeLog.UpdateRow {
        var m = UpdateMetrics()
        m.approxKL = Float(n) / 100
        m.learningRate = 2.5e-4
        return EpisodeLog.UpdateRow(
            update: n, wallTime: time, seconds: 0.5, episodes: 2 * n, steps: 6 * n, meanCost: 11.5,
            batchBestCost: 10, bestCost: 9, metrics: m)
    }

    /// Writes updates 1…n, two episodes each (ids continue), orders of length 3.
    private func write(_ log: EpisodeLog, updates range: ClosedRange<Int64>) throws {
        for n in range {
            try log.append(
                episodes: [
                    row(2 * n - 2, order: [Int32(n), 1, 2], time: Double(n)),
                    row(2 * n - 1, order: [Int32(n), 2, 1], time: Double(n)),
                ],
                update: update(n, time: Double(n)))
        }
    }

    func testRowsOrdersAndUpdatesAreStoredAsAppended() throws {
        let file = path("episodes.h5")
        let log = try EpisodeLog.create(at: file, tasks: ["chain"], codeVersion: "t")
        try write(log, updates: 1...3)
        XCTAssertEqual(log.episodeRows, 6)
        XCTAssertEqual(log.orderValues, 18)
        try log.close()

        let f = try HDF5File.open(file, mode: .swmrRead)
        defer { try? f.close() }
        let episodes = try f.root.openDataset("episodes")
        XCTAssertEqual(try episodes.column("id", as: Int64.self), [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(try episodes.column("order_offset", as: Int64.self), [0, 3, 6, 9, 12, 15])
        XCTAssertEqual(try episodes.column("length", as: Int32.self), [3, 3, 3, 3, 3, 3])
        XCTAssertEqual(try f.root.openDataset("orders").read(as: Int32.self, rows: 12..<15), [3, 1, 2])
        let updates = try f.root.openDataset("updates")
        XCTAssertEqual(try updates.column("update", as: Int64.self), [1, 2, 3])
        XCTAssertEqual(try updates.column("losses_approx_kl", as: Float.self), [0.01, 0.02, 0.03])
        XCTAssertEqual(try updates.column("episodes_per_second", as: Double.self), [4, 4, 4])
        let names = try updates.attributes.read("metric_names", as: String.self)
        XCTAssertTrue(names.contains("losses_approx_kl losses/approx_kl"), names)
        let summary = try EpisodeLogSummary.read(file)
        XCTAssertEqual(summary.episodes, 6)
        XCTAssertEqual(summary.updates, 3)
        XCTAssertEqual(summary.lastUpdate?.update, 3)
    }

    /// A run killed after logging update 5 but checkpointed at update 3: the resumed log keeps
    /// updates 1…3 and their episodes, continues ids and the wall-time clock from there.
    func testResumeDropsRowsTheCheckpointDoesNotCoverAndContinues() throws {
        let file = path("episodes.h5")
        let log = try EpisodeLog.create(at: file, tasks: ["chain"], codeVersion: "t")
        try write(log, updates: 1...5)
        // No close: the writer "dies" with the file in SWMR write mode.
        let resumed = try EpisodeLog.resume(
            at: file, tasks: ["chain"], codeVersion: "t", checkpointUpdates: 3, checkpointEpisodes: 6)
        XCTAssertEqual(resumed.episodeRows, 6)
        XCTAssertEqual(resumed.orderValues, 18)
        XCTAssertEqual(resumed.updateRows, 3)
        XCTAssertEqual(resumed.wallTimeOffset, 3)
        try write(resumed, updates: 4...4)
        try resumed.close()
        _ = log  // the first writer's handles stay open until here, as a dead process's would

        let f = try HDF5File.open(file, mode: .swmrRead)
        defer { try? f.close() }
        XCTAssertEqual(try f.root.openDataset("episodes").column("id", as: Int64.self), Array(0..<8))
        XCTAssertEqual(try f.root.openDataset("updates").column("update", as: Int64.self), [1, 2, 3, 4])
        XCTAssertEqual(try f.root.openDataset("orders").rowCount(), 24)
    }

    func testResumeRefusesALogOfAnotherRun() throws {
        let file = path("episodes.h5")
        try EpisodeLog.create(at: file, tasks: ["RoeFlux_1d"], codeVersion: "t").close()
        assertRefused(.wrongSchema, file) {
            try EpisodeLog.resume(
                at: file, tasks: ["chain"], codeVersion: "t", checkpointUpdates: 0, checkpointEpisodes: 0)
        }
        let checkpoint = path("checkpoint.h5")
        try CheckpointFile.write(try Fixtures.trained(updates: 0).1, to: checkpoint)
        assertRefused(.foreign, checkpoint) {
            try EpisodeLog.resume(
                at: checkpoint, tasks: ["chain"], codeVersion: "t", checkpointUpdates: 0, checkpointEpisodes: 0)
        }
    }

    func testTrainerReportsBecomeRows() throws {
        let file = path("episodes.h5")
        let log = try EpisodeLog.create(at: file, tasks: ["chain"], codeVersion: "t")
        let trainer = try Fixtures.trainer()
        var reports: [UpdateReport] = []
        for u in 1...2 {
            let report = try trainer.runUpdate()
            reports.append(report)
            try log.append(
                report, totalEpisodes: trainer.trainer.episodes, totalSteps: trainer.trainer.steps, wallTime: Double(u),
                seconds: 1)
        }
        try log.close()
        let f = try HDF5File.open(file, mode: .swmrRead)
        defer { try? f.close() }
        let episodes = try f.root.openDataset("episodes")
        XCTAssertEqual(try episodes.column("cost", as: Int64.self), reports.flatMap(\.costs).map(Int64.init))
        XCTAssertEqual(try episodes.column("policy_version", as: Int64.self), [0, 0, 0, 0, 1, 1, 1, 1])
        XCTAssertEqual(
            try f.root.openDataset("orders").read(as: Int32.self).map(Int.init),
            reports.flatMap { $0.played.flatMap(\.order) })
        XCTAssertEqual(
            try f.root.openDataset("updates").column("best_cost", as: Int64.self), reports.map { Int64($0.best) })
    }
}
