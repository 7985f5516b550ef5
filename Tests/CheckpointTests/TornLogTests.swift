import Foundation
import XCTest
import HDF5
import PPO
@testable import Checkpoint

/// Rows a writer appended but never committed, and committed rows that are zero-filled, are
/// what a full disk or a kill mid-update leaves; readers must trust only intact committed rows.
final class TornLogTests: CheckpointTestCase {
    static func update(_ n: Int64) -> EpisodeLog.UpdateRow {
        EpisodeLog.UpdateRow(
            update: n, wallTime: Double(n), seconds: 0.5, episodes: 2 * n, steps: 6 * n, meanCost: 11.5,
            batchBestCost: 10, bestCost: 9, metrics: UpdateMetrics())
    }

    /// Updates `range`, two episodes each with ids 2n-2 and 2n-1, orders of length 3 (or `orderLength`).
    static func write(_ log: EpisodeLog, updates range: ClosedRange<Int64>, orderLength: Int = 3) throws {
        for n in range {
            let rows = [2 * n - 2, 2 * n - 1].map {
                EpisodeLog.EpisodeRow(
                    id: $0, task: 0, actor: 0, policyVersion: n, cost: 10,
                    order: orderLength == 3 ? [3, 1, 2] : (0..<orderLength).map { Int32($0 % 100) }, wallTime: Double(n)
                )
            }
            try log.append(episodes: rows, update: update(n))
        }
    }

    private func intactLog(updates: Int64) throws -> String {
        let file = path("episodes.h5")
        let log = try EpisodeLog.create(at: file, tasks: ["chain"], codeVersion: "t")
        try Self.write(log, updates: 1...updates)
        try log.close()
        return file
    }

    /// What a torn update looks like on disk: rows appended (here zero-filled) with no commit.
    private func appendZeroRows(_ file: String, commit: Bool) throws {
        let f = try HDF5File.open(file, mode: .readWrite)
        defer { try? f.close() }
        let updates = try f.root.openDataset("updates"), episodes = try f.root.openDataset("episodes")
        let zeros = { (layout: HDF5CompoundLayout) in
            layout.fields.map { field -> HDF5Value in
                switch field.kind {
                case .int32: return .int32(0)
                case .int64: return .int64(0)
                case .float: return .float(0)
                case .double: return .double(0)
                }
            }
        }
        try updates.appendRow(zeros(EpisodeLogSchema.updateLayout))
        try episodes.appendRows([zeros(EpisodeLogSchema.episodeLayout), zeros(EpisodeLogSchema.episodeLayout)])
        try f.root.openDataset("orders").append([Int32](repeating: 0, count: 6))
        if commit {
            let c = try EpisodeLogCommit.read(try f.root.openDataset("committed"))
            try f.root.openDataset("committed").writeRows(
                [
                    EpisodeLogCommit(
                        update: 0, updates: c.updates + 1, episodes: c.episodes + 2,
                        orderValues: c.orderValues + 6
                    ).row
                ], at: 0)
        }
    }

    func testAnIntactLogHasNoProblems() throws {
        let summary = try EpisodeLogSummary.read(try intactLog(updates: 3))
        XCTAssertEqual(summary.problems, [])
        XCTAssertEqual(summary.updates, 3)
        XCTAssertEqual(summary.lastUpdate?.update, 3)
    }

    func testUncommittedRowsAreIgnoredAndReported() throws {
        let file = try intactLog(updates: 3)
        try appendZeroRows(file, commit: false)
        let summary = try EpisodeLogSummary.read(file)
        XCTAssertEqual(summary.updates, 3, "only committed rows count")
        XCTAssertEqual(summary.episodes, 6)
        XCTAssertEqual(summary.lastUpdate?.update, 3)
        XCTAssertEqual(summary.problems.count, 1)
        XCTAssertTrue(
            summary.problems[0].hasPrefix(
                "1 update rows, 2 episode rows and 6 order values were written after the last committed update 3"),
            summary.problems[0])
        // --resume keeps the committed rows and drops the rest.
        let log = try EpisodeLog.resume(
            at: file, tasks: ["chain"], codeVersion: "t", checkpointUpdates: 3, checkpointEpisodes: 6)
        try Self.write(log, updates: 4...4)
        try log.close()
        let after = try EpisodeLogSummary.read(file)
        XCTAssertEqual(after.problems, [])
        XCTAssertEqual(after.updates, 4)
    }

    func testZeroFilledCommittedRowsAreDamage() throws {
        let file = try intactLog(updates: 2)
        try appendZeroRows(file, commit: true)
        let summary = try EpisodeLogSummary.read(file)
        XCTAssertTrue(summary.isDamaged)
        XCTAssertTrue(
            summary.problems.contains("update row 2 holds update number 0 after 2 (a zero-filled or torn row)"),
            "\(summary.problems)")
        XCTAssertTrue(
            summary.problems.contains("episode row 4 holds id 0, not 4 (a zero-filled or torn row)"),
            "\(summary.problems)")
        let e = assertRefused(.corrupted, file) {
            try EpisodeLog.resume(
                at: file, tasks: ["chain"], codeVersion: "t", checkpointUpdates: 2, checkpointEpisodes: 4)
        }
        XCTAssertTrue(e?.description.contains("the episode log is damaged") ?? false, "\(String(describing: e))")
    }
}
