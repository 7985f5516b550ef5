import Foundation
import XCTest
@testable import HDF5

final class ResourceTests: HDF5TestCase {
    func testObjectsCloseWhenReleasedAndCountsReturnToZero() throws {
        let f = try HDF5File.create(path("count.h5"))
        XCTAssertEqual(try f.openObjectCount(), 1)  // the file itself
        do {
            let g = try f.root.createGroup("g")
            let d = try g.createDataset("d", values: [Float(1), 2])
            try d.attributes.write("a", "text")
            _ = try d.attributes.read("a", as: String.self)
            _ = try d.read(as: Float.self)
            XCTAssertEqual(try f.openObjectCount(), 3)  // file, group, dataset: no stray ids
            XCTAssertEqual(HDF5File.openObjectCountInAllFiles(), 3)
            withExtendedLifetime((g, d)) {}
        }
        XCTAssertEqual(try f.openObjectCount(), 1)
        try f.close()
        XCTAssertEqual(HDF5File.openObjectCountInAllFiles(), 0)
    }

    func testCloseIsIdempotentAndLaterUseIsATypedError() throws {
        let f = try HDF5File.create(path("closed.h5"))
        let g = try f.root.createGroup("g")
        let d = try g.createDataset("d", values: [Int64(1)])
        try d.close()
        try d.close()
        assertHDF5Error(.closed) { try d.read(as: Int64.self) }
        try f.close()
        try f.close()
        // Strong close degree: the group went with the file, nothing is left open.
        XCTAssertEqual(HDF5File.openObjectCountInAllFiles(), 0)
        let error = assertHDF5Error(.closed) { try g.children() }
        XCTAssertTrue(error?.description.contains("already closed") ?? false)
        assertHDF5Error(.closed) { try f.flush() }
        assertHDF5Error(.closed) { try f.attributes.write("x", Int64(1)) }
        XCTAssertNoThrow(try g.close())
    }

    func testFileWithoutExplicitCloseIsClosedAndComplete() throws {
        let file = path("deinit.h5")
        do {
            let f = try HDF5File.create(file)
            try f.root.createExtendableDataset("x", of: Int32.self).append([Int32(4), 5, 6])
        }
        XCTAssertEqual(HDF5File.openObjectCountInAllFiles(), 0)
        XCTAssertEqual(try HDF5File.open(file).root.openDataset("x").read(as: Int32.self), [4, 5, 6])
    }

    /// HDF5 prints its error stack to stderr by default, and in this thread-safe build that
    /// setting is per thread. Errors on the test thread and on a fresh thread must stay silent.
    func testLibraryErrorsNeverReachStderr() throws {
        let f = try HDF5File.create(path("quiet.h5"))
        let missing = path("nope.h5")
        let captured = try captureStandardError {
            _ = try? f.root.openDataset("missing")
            let done = DispatchSemaphore(value: 0)
            // Weak: the Thread may outlive done.signal(), and must not keep the file open then.
            let thread = Thread { [weak f] in
                _ = try? f?.root.openGroup("missing-too")
                _ = try? HDF5File.open(missing)
                done.signal()
            }
            thread.start()
            done.wait()
        }
        withExtendedLifetime(f) {}
        XCTAssertEqual(captured, "", "HDF5 wrote to stderr")
    }

    /// Points fd 2 at a temporary file while `body` runs and returns what was written.
    private func captureStandardError(_ body: () throws -> Void) throws -> String {
        let sink = path("stderr.txt")
        XCTAssertTrue(FileManager.default.createFile(atPath: sink, contents: nil))
        let sinkFD = open(sink, O_WRONLY)
        let saved = dup(2)
        XCTAssertGreaterThanOrEqual(sinkFD, 0)
        fflush(stderr)
        dup2(sinkFD, 2)
        defer {
            fflush(stderr)
            dup2(saved, 2)
            close(saved)
            close(sinkFD)
        }
        try body()
        fflush(stderr)
        return try String(contentsOfFile: sink, encoding: .utf8)
    }
}
