import Foundation
import XCTest
import HDF5
import PPO
@testable import Checkpoint

/// The episode log's string attributes (tasks, algorithm, code version, /updates' metric names)
/// live in HDF5's global heap, which has no checksum: the log records `strings_fnv1a64` as a
/// checkpoint does, and every reader (inspect's summary, the curve, `--resume`) refuses a log
/// whose strings changed on disk. Logs written before it have no such attribute and read as before.
final class EpisodeLogStringsTests: CheckpointTestCase {
    private let tasks = ["RoeFlux_1d_task"]

    private func intactLog() throws -> String {
        let file = path("episodes.h5")
        let log = try EpisodeLog.create(at: file, tasks: tasks, codeVersion: "t", algorithm: .alphaZero)
        try TornLogTests.write(log, updates: 1...2)
        try log.close()
        return file
    }

    /// A copy of `file` with one bit flipped in the first occurrence of `text` (its global heap copy).
    private func flipped(_ file: String, in text: String, name: String) throws -> String {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        let needle = Array(text.utf8)
        let at = try XCTUnwrap(
            (0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) },
            "\(text) is not in the file")
        bytes[at + 2] ^= 0x01
        let copy = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: copy))
        return copy
    }

    func testTheLogRecordsTheChecksumOfItsStrings() throws {
        let file = try intactLog()
        let f = try HDF5File.open(file, mode: .swmrRead)
        defer { try? f.close() }
        let stored = UInt64(bitPattern: try f.attributes.read("strings_fnv1a64", as: Int64.self))
        XCTAssertEqual(stored, try StringAttributesChecksum.compute(f.root))
        XCTAssertEqual(try EpisodeLogSummary.read(file).tasks, tasks)
        XCTAssertEqual(try EpisodeLogCurve.read(file).updates, [1, 2])
    }

    func testAFlippedBitInTheTaskListIsRefusedByEveryReader() throws {
        let file = try flipped(try intactLog(), in: tasks[0], name: "flipped-tasks.h5")
        let summary = assertRefused(.corrupted, file) { try EpisodeLogSummary.read(file) }
        XCTAssertTrue(summary?.description.contains("checksum of the string attributes") ?? false, "\(summary!)")
        assertRefused(.corrupted, file) { try EpisodeLogCurve.read(file) }
        // --resume: tasks are compared first, so the copy's changed name reads as another run's;
        // with the changed name given, the checksum still refuses it.
        let changed = try HDF5File.open(file, mode: .swmrRead)
        let renamed = try changed.attributes.read("tasks", as: String.self)
        try changed.close()
        XCTAssertNotEqual(renamed, tasks[0], "the bit flipped in the stored name")
        let resumed = assertRefused(.corrupted, file) {
            try EpisodeLog.resume(
                at: file, tasks: [renamed], codeVersion: "t", checkpointUpdates: 2, checkpointEpisodes: 4,
                algorithm: .alphaZero)
        }
        XCTAssertTrue(resumed?.description.contains("string attributes") ?? false, "\(resumed!)")
    }

    func testAFlippedBitInADatasetsStringAttributeIsRefused() throws {
        // /updates' metric_names, an attribute of a dataset rather than of a group.
        let file = try flipped(try intactLog(), in: "losses_approx_kl losses/approx_kl", name: "flipped-metrics.h5")
        assertRefused(.corrupted, file) { try EpisodeLogSummary.read(file) }
    }

    func testALogWithoutTheChecksumReadsAndResumesAsBefore() throws {
        let file = try intactLog()
        let f = try HDF5File.open(file, mode: .readWrite)
        try f.attributes.delete("strings_fnv1a64")
        try f.close()
        XCTAssertEqual(try EpisodeLogSummary.read(file).updates, 2)
        let log = try EpisodeLog.resume(
            at: file, tasks: tasks, codeVersion: "t", checkpointUpdates: 1, checkpointEpisodes: 2,
            algorithm: .alphaZero)
        try log.close()
        XCTAssertEqual(try EpisodeLogSummary.read(file).updates, 1, "resumed at the checkpoint's update")
        let g = try HDF5File.open(file, mode: .swmrRead)
        defer { try? g.close() }
        XCTAssertTrue(try g.attributes.contains("strings_fnv1a64"), "the rewritten log records it")
    }
}
