import Foundation
import XCTest
@testable import HDF5

/// Base class: a fresh temporary directory per test, and a leak check after each test — once
/// the test body's objects are gone, no HDF5 id may remain open in any file.
class HDF5TestCase: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ccelim-hdf5-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        XCTAssertEqual(HDF5File.openObjectCountInAllFiles(), 0, "HDF5 ids leaked by \(name)")
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// Runs `body`, requires an HDF5Error of `kind`, and returns it for further checks.
    @discardableResult
    func assertHDF5Error<R>(
        _ kind: HDF5Error.Kind, file: StaticString = #filePath, line: UInt = #line,
        _ body: () throws -> R
    ) -> HDF5Error? {
        do {
            _ = try body()
            XCTFail("expected HDF5Error.\(kind), nothing was thrown", file: file, line: line)
        } catch let error as HDF5Error {
            XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
            return error
        } catch {
            XCTFail("expected HDF5Error.\(kind), got \(error)", file: file, line: line)
        }
        return nil
    }
}
