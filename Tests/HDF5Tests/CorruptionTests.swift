import Foundation
import XCTest
@testable import HDF5

final class CorruptionTests: HDF5TestCase {
    /// 1024 floats whose bytes are easy to find in the file, in 4 chunks of 256.
    private let values: [Float] = (0..<1024).map { 1000.25 + Float($0) }

    private func writeAndCorrupt(_ name: String, storage: HDF5Storage) throws -> String {
        let file = path(name)
        do {
            let f = try HDF5File.create(file)
            try f.root.createDataset("params", values: values, storage: storage)
            try f.close()
        }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        let needle = values.withUnsafeBytes { Data($0.prefix(64)) }
        guard let start = bytes.range(of: needle)?.lowerBound else {
            XCTFail("data region not found in \(file)")
            return file
        }
        // Middle of the data region: element 600, inside the third chunk.
        let target = start + 600 * 4 + 1
        XCTAssertLessThan(target, bytes.count)
        bytes[target] ^= 0xFF
        bytes[target + 4] ^= 0x5A
        try bytes.write(to: URL(fileURLWithPath: file))
        return file
    }

    func testFletcher32DetectsFlippedBytesAsATypedError() throws {
        let file = try writeAndCorrupt("checksummed.h5", storage: HDF5Storage(chunkShape: [256], fletcher32: true))
        let d = try HDF5File.open(file).root.openDataset("params")
        let error = assertHDF5Error(.library) { try d.read(as: Float.self) }
        XCTAssertEqual(error?.path, file)
        XCTAssertEqual(error?.object, "/params")
        XCTAssertEqual(error?.operation, "read dataset")
        XCTAssertTrue(error?.stack.contains { $0.contains("Fletcher32") } ?? false, "\(String(describing: error))")
        print("corruption reported as: \(error.map(String.init(describing:)) ?? "nothing")")
        // The checksum is per chunk: the chunks that were not touched still read fine.
        XCTAssertEqual(try d.read(as: Float.self, rows: 0..<512), Array(values[0..<512]))
        XCTAssertEqual(try d.read(as: Float.self, rows: 768..<1024), Array(values[768...]))
        assertHDF5Error(.library) { try d.read(as: Float.self, rows: 512..<768) }
    }

    /// The control: the same damage without the checksum reads back as wrong numbers, silently.
    func testWithoutChecksumTheSameDamageGoesUnnoticed() throws {
        let file = try writeAndCorrupt("plain.h5", storage: .contiguous)
        let read = try HDF5File.open(file).root.openDataset("params").read(as: Float.self)
        XCTAssertEqual(read.count, values.count)
        XCTAssertNotEqual(read, values)
        XCTAssertEqual(zip(read, values).filter { $0 != $1 }.count, 2)
    }

    func testNonHDF5FileIsRefusedByName() throws {
        let file = path("notes.txt")
        try "this is not HDF5\n".write(toFile: file, atomically: true, encoding: .utf8)
        let error = assertHDF5Error(.notHDF5File) { try HDF5File.open(file) }
        XCTAssertEqual(error?.path, file)
        XCTAssertTrue(error?.description.contains(file) ?? false)
        XCTAssertTrue(error?.detail?.contains("no HDF5 signature") ?? false, "\(String(describing: error))")
    }

    func testEmptyFileIsRefusedByName() throws {
        let file = path("empty.h5")
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data()))
        // Read-write matters most: left to itself HDF5 would turn the empty file into a new one.
        for mode in [HDF5File.Mode.readOnly, .readWrite, .swmrRead, .swmrWrite] {
            let error = assertHDF5Error(.notHDF5File) { try HDF5File.open(file, mode: mode) }
            XCTAssertEqual(error?.detail, "the file is empty")
            XCTAssertTrue(error?.description.contains(file) ?? false)
        }
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int, 0)
    }

    func testTruncatedFileIsRefusedByName() throws {
        let file = path("truncated.h5")
        do {
            let f = try HDF5File.create(file)
            try f.root.createDataset("params", values: values)
            try f.attributes.write("update", Int64(3))
        }
        let full = try Data(contentsOf: URL(fileURLWithPath: file))
        for keep in [full.count / 2, 200] {
            try full.prefix(keep).write(to: URL(fileURLWithPath: file))
            let error = assertHDF5Error(.library) { try HDF5File.open(file) }
            XCTAssertEqual(error?.path, file)
            XCTAssertTrue(error?.description.contains(file) ?? false)
            XCTAssertTrue(
                error?.stack.joined().contains("truncated file") ?? false, "keep \(keep): \(String(describing: error))")
        }
    }

    func testMissingFileSaysSo() {
        let file = path("does-not-exist.h5")
        let error = assertHDF5Error(.library) { try HDF5File.open(file) }
        XCTAssertTrue(error?.description.contains(file) ?? false)
        XCTAssertTrue(
            error?.stack.joined().contains("No such file or directory") ?? false, "\(String(describing: error))")
    }
}
