import Foundation
import XCTest
@testable import Training

/// One writer per run folder: a second lock on the same folder fails at once and names the
/// holder; the lock goes with its holder.
final class RunFolderLockTests: XCTestCase {
    func testASecondWriterIsRefusedNamingTheHolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-lock-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var first: RunFolderLock? = try RunFolderLock(directory: dir)
        XCTAssertNotNil(first)
        XCTAssertThrowsError(try RunFolderLock(directory: dir)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("pid \(getpid())"), text)
            XCTAssertTrue(text.contains(ProcessInfo.processInfo.hostName), text)
            XCTAssertTrue(text.contains("\(dir)/lock"), text)
        }
        first = nil
        XCTAssertNoThrow(try RunFolderLock(directory: dir), "released with its holder")
    }

    /// `ccelim train` holds the lock and its learner child writes under it: the child accepts only
    /// a lock that is held now and names its parent.
    func testAChildWritesOnlyUnderItsParentsHeldLock() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-lock-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lockPath = "\(dir)/lock"
        XCTAssertThrowsError(try RunFolderLock.verifyHeldByParent(directory: dir)) {
            XCTAssertTrue("\($0)".contains("lock is missing"), "\($0)")
        }
        var held: RunFolderLock? = try RunFolderLock(directory: dir)
        // Held, but by this process, which is not its own parent: a second writer.
        XCTAssertThrowsError(try RunFolderLock.verifyHeldByParent(directory: dir)) { error in
            XCTAssertTrue(
                "\(error)".contains("in use by host \(ProcessInfo.processInfo.hostName) pid \(getpid())"), "\(error)")
        }
        // Held, and naming this process's parent (as the parent's own lock file would).
        let parentLine = "host \(ProcessInfo.processInfo.hostName) pid \(getppid())\n"
        try parentLine.write(toFile: lockPath, atomically: false, encoding: .utf8)
        XCTAssertNoThrow(try RunFolderLock.verifyHeldByParent(directory: dir))
        // The parent gone (its lock released with it): the file still names it, but nobody holds it.
        held = nil
        XCTAssertNil(held)
        XCTAssertThrowsError(try RunFolderLock.verifyHeldByParent(directory: dir)) {
            XCTAssertTrue("\($0)".contains("nobody holds"), "\($0)")
        }
    }
}
