import Foundation
import XCTest
import PPO
@testable import Checkpoint

final class ResumeThroughFileTests: CheckpointTestCase {
    /// 4 updates straight equal 2 updates, a checkpoint on disk, a fresh trainer restored from
    /// the file, 2 more: parameters, Adam moments, random streams, counters and best orders
    /// bitwise identical.
    func testResumeFromTheFileContinuesBitExactly() throws {
        let (straight, _) = try Fixtures.trained(updates: 4, seed: 21)

        let (first, _) = try Fixtures.trained(updates: 2, seed: 21)
        let run = CheckpointDirectory(path: path("run"))
        try run.save(first.snapshot())
        let loaded = try CheckpointFile.read(run.latestPath)
        let resumed = try Fixtures.trainer(seed: 999)  // restore replaces every random stream
        try resumed.restore(loaded)
        for _ in 0..<2 { _ = try resumed.runUpdate() }

        var a = straight.snapshot(), b = resumed.snapshot()
        XCTAssertEqual(b.updates, 4)
        XCTAssertEqual(a.parameters.map(\.bitPattern), b.parameters.map(\.bitPattern))
        XCTAssertEqual(a.firstMoment.map(\.bitPattern), b.firstMoment.map(\.bitPattern))
        XCTAssertEqual(a.secondMoment.map(\.bitPattern), b.secondMoment.map(\.bitPattern))
        XCTAssertEqual(a.best, b.best)
        // The seed and config text are the fresh trainer's own (restore keeps them); the rest must match.
        a.seed = 0; b.seed = 0
        a.configText = ""; b.configText = ""
        XCTAssertTrue(a == b, "the resumed run's snapshot differs from the straight run's")
        // And the parameters did move after the resume (the comparison is not of two untouched copies).
        XCTAssertNotEqual(loaded.parameters.map(\.bitPattern), b.parameters.map(\.bitPattern))
    }

    func testRestoreRefusesACheckpointOfAnotherNetwork() throws {
        let (_, snapshot) = try Fixtures.trained(updates: 1)
        let file = path("c.h5")
        try CheckpointFile.write(snapshot, to: file)
        let other = try SoloRun(graph: try Fixtures.chain(), network: .small, hp: Fixtures.hyperparameters(), seed: 1)
        XCTAssertThrowsError(try other.restore(try CheckpointFile.read(file))) { error in
            guard case .incompatible(let text) = error as? PPOError else { return XCTFail("\(error)") }
            XCTAssertTrue(text.contains("network"), text)
        }
    }

    func testTheDirectoryKeepsTheNewestKNumberedFilesAndLinksTheLatest() throws {
        let run = CheckpointDirectory(path: path("run"), keep: 2)
        let (trainer, _) = try Fixtures.trained(updates: 0)
        for _ in 0..<4 {
            _ = try trainer.runUpdate()
            try run.save(trainer.snapshot())
        }
        XCTAssertEqual(run.numbered().map(\.update), [3, 4])
        XCTAssertEqual(URL(fileURLWithPath: run.numberedPath(update: 4)).lastPathComponent, "checkpoint-000004.h5")
        XCTAssertEqual(try CheckpointFile.read(run.latestPath).updates, 4)
        XCTAssertEqual(try CheckpointFile.read(run.latestPath), try CheckpointFile.read(run.numberedPath(update: 4)))
        let names = try FileManager.default.contentsOfDirectory(atPath: run.path).sorted()
        XCTAssertEqual(names, ["checkpoint-000003.h5", "checkpoint-000004.h5", "checkpoint.h5"])
        XCTAssertEqual(run.newestIntact()?.snapshot.updates, 4)
    }

    /// When the newest file is damaged, the fallback finds the newest intact one and says why
    /// it skipped the others.
    func testNewestIntactSkipsDamagedFiles() throws {
        let run = CheckpointDirectory(path: path("run"), keep: 3)
        let (trainer, _) = try Fixtures.trained(updates: 0)
        for _ in 0..<3 {
            _ = try trainer.runUpdate()
            try run.save(trainer.snapshot())
        }
        // checkpoint.h5 is a hard link to checkpoint-000003.h5: damaging one damages both.
        let newest = run.numberedPath(update: 3)
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: newest))
        try handle.truncate(atOffset: 100)
        try handle.close()
        XCTAssertThrowsError(try CheckpointFile.read(run.latestPath))
        let found = try XCTUnwrap(run.newestIntact(excluding: run.latestPath))
        XCTAssertEqual(found.snapshot.updates, 2)
        XCTAssertEqual(found.path, run.numberedPath(update: 2))
        XCTAssertEqual(found.refused.map(\.kind), [.truncated])
        XCTAssertTrue(found.refused[0].description.contains("checkpoint-000003.h5"), "\(found.refused[0])")
    }
}
