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
        XCTAssertThrowsError(try RunFolderLock.checkFree(directory: dir))
        first = nil
        XCTAssertNoThrow(try RunFolderLock.checkFree(directory: dir), "released with its holder")
    }
}
