import Foundation
import XCTest
@testable import HDF5
import PPO
import TestFixtures
@testable import Checkpoint

/// ENOSPC through a real full file system (a small tmpfs): a checkpoint or log write that runs
/// out of space is one typed error saying "no space left on device", leaves the previous
/// checkpoint and the committed log rows intact, and the same files work again once there is
/// space. Before the fix, the checkpoint case crashed in HDF5's exit hook and the log case
/// crashed when the log was released.
final class FullDiskTests: CheckpointTestCase {
    private var disk: SmallDisk!

    override func setUpWithError() throws {
        try super.setUpWithError()
        guard let disk = try SmallDisk.mount(kilobytes: 2048) else { throw XCTSkip(SmallDisk.skipReason) }
        self.disk = disk
    }

    override func tearDownWithError() throws {
        disk?.unmount()
        try super.tearDownWithError()
    }

    private func assertOneLineNoSpace(_ error: CheckpointError, _ file: String, line: UInt = #line) {
        let text = error.description
        XCTAssertEqual(error.kind, .writeFailed, text, line: line)
        XCTAssertTrue(text.contains(file), "names the file: \(text)", line: line)
        XCTAssertTrue(text.hasSuffix("no space left on device"), text, line: line)
        XCTAssertFalse(
            text.contains("\n") || text.contains("<-") || text.contains("H5"), "one line, no HDF5 stack: \(text)",
            line: line)
        XCTAssertEqual(error.cause?.systemError, ENOSPC, line: line)
    }

    func testCheckpointOnAFullDiskFailsCleanlyAndKeepsThePreviousOne() throws {
        let (trainer, first) = try Fixtures.trained(updates: 1)
        let directory = CheckpointDirectory(path: disk.path + "/run")
        try directory.save(first)
        _ = try trainer.runUpdate()
        let second = trainer.snapshot()
        try disk.fill(leaving: 4096)
        XCTAssertThrowsError(try directory.save(second)) { error in
            guard let error = error as? CheckpointError else { return XCTFail("\(error)") }
            assertOneLineNoSpace(error, directory.numberedPath(update: 2))
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        XCTAssertEqual(left, ["checkpoint-000001.h5", "checkpoint.h5"], "no temporary file, no half checkpoint")
        XCTAssertEqual(try CheckpointFile.read(directory.latestPath), first, "the previous checkpoint is intact")
        XCTAssertEqual(HDF5File.openObjectCountInAllFiles(), 0)

        disk.free()
        try directory.save(second)
        XCTAssertEqual(try CheckpointFile.read(directory.latestPath), second)
    }

    func testLogOnAFullDiskKeepsItsCommittedRowsAndResumes() throws {
        let file = disk.path + "/episodes.h5"
        let log = try EpisodeLog.create(at: file, tasks: ["chain"], codeVersion: "t")
        try TornLogTests.write(log, updates: 1...2)
        try disk.fill()
        var failure: CheckpointError?
        // Rows land in chunks HDF5 already allocated until one fills; long orders (8000 values an
        // update) fill the 16384-value order chunk within a few updates.
        for n in Int64(3)...Int64(40) where failure == nil {
            do { try TornLogTests.write(log, updates: n...n, orderLength: 4000) } catch let e as CheckpointError {
                failure = e
            }
        }
        let error = try XCTUnwrap(failure, "40 updates fit on a full disk?")
        assertOneLineNoSpace(error, file)
        XCTAssertThrowsError(try TornLogTests.write(log, updates: 99...99), "a failed log takes no more rows")
        XCTAssertNoThrow(try log.close())
        let committed = log.lastCommittedUpdate
        XCTAssertGreaterThanOrEqual(committed, 2)

        // This process still holds the failed log open (abandoned, never closed: HDF5File.close),
        // and HDF5 would share that open file's memory with a new open of the same inode; a
        // copy is what the next process, after the writer exited, would read from disk.
        disk.free()
        let copy = path("episodes.h5")
        try FileManager.default.copyItem(atPath: file, toPath: copy)
        let summary = try EpisodeLogSummary.read(copy)
        XCTAssertEqual(summary.lastUpdate?.update, Int(committed), "readers see exactly the committed updates")
        XCTAssertTrue(summary.problems.allSatisfy { $0.contains("never committed") }, "\(summary.problems)")

        let resumed = try EpisodeLog.resume(
            at: copy, tasks: ["chain"], codeVersion: "t", checkpointUpdates: 2, checkpointEpisodes: 4)
        try TornLogTests.write(resumed, updates: 3...4)
        try resumed.close()
        let after = try EpisodeLogSummary.read(copy)
        XCTAssertEqual(after.problems, [])
        XCTAssertEqual(after.updates, 4)
        XCTAssertEqual(after.episodes, 8)
    }
}
