import Foundation
#if canImport(Glibc)
import Glibc
#endif
import XCTest
@testable import HDF5

/// A damaged superblock is refused before H5Fopen, and damage HDF5 itself must find is refused
/// in bounded time: before the fix an SWMR-read open of such a file retried for over 300 s.
final class SuperblockTests: HDF5TestCase {
    private func write(_ name: String, latestFormat: Bool) throws -> [UInt8] {
        let file = try HDF5File.create(path(name), swmrCapable: latestFormat)
        try file.root.createDataset("x", values: [Float](repeating: 1.5, count: 64), storage: .checksummed)
        try file.attributes.write("format", "test")
        try file.close()
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }

    private func variant(_ bytes: [UInt8], _ name: String, _ change: (inout [UInt8]) -> Void) throws -> String {
        var copy = bytes
        change(&copy)
        try Data(copy).write(to: URL(fileURLWithPath: path(name)))
        return path(name)
    }

    /// HDF5 writes version 3 superblocks with a lookup3 checksum; ours must agree on every file.
    func testLookup3AgreesWithTheChecksumsHDF5Writes() throws {
        let bytes = try write("latest.h5", latestFormat: true)
        XCTAssertEqual(bytes[8], 3, "superblock version")
        let stored = UInt32(bytes[44]) | UInt32(bytes[45]) << 8 | UInt32(bytes[46]) << 16 | UInt32(bytes[47]) << 24
        XCTAssertEqual(JenkinsLookup3.hash(Array(bytes[0..<44])), stored)
        XCTAssertNoThrow(try HDF5Superblock.check(path("latest.h5")))
        let old = try write("earliest.h5", latestFormat: false)
        XCTAssertEqual(old[8], 0, "superblock version")
        XCTAssertNoThrow(try HDF5Superblock.check(path("earliest.h5")))
        // The published lookup3 test vector: hashlittle("Four score and seven years ago", 30, 0).
        XCTAssertEqual(JenkinsLookup3.hash(Array("Four score and seven years ago".utf8)), 0x17770551)
    }

    func testEveryDamagedSuperblockByteIsRefusedFast() throws {
        let bytes = try write("latest.h5", latestFormat: true)
        let start = Date()
        for at in 8..<48 {
            let file = try variant(bytes, "flip-\(at).h5") { $0[at] ^= 0x5a }
            for mode in [HDF5File.Mode.swmrRead, .readOnly] {
                let e = assertHDF5Error(.damagedSuperblock) { try HDF5File.open(file, mode: mode) }
                XCTAssertTrue(
                    e?.description.contains("the HDF5 superblock is damaged") ?? false, "\(String(describing: e))")
            }
        }
        let elapsed = Date().timeIntervalSince(start)
        print("80 opens of damaged superblocks: \(String(format: "%.3f", elapsed)) s")
        XCTAssertLessThan(elapsed, 5)
    }

    func testEarliestFormatSuperblockFieldsAreChecked() throws {
        let bytes = try write("earliest.h5", latestFormat: false)
        let version = try variant(bytes, "version.h5") { $0[8] = 7 }
        assertHDF5Error(.damagedSuperblock) { try HDF5File.open(version) }
        let sizes = try variant(bytes, "sizes.h5") { $0[13] = 3 }
        let e = assertHDF5Error(.damagedSuperblock) { try HDF5File.open(sizes) }
        XCTAssertTrue(e?.description.contains("size of offsets 3") ?? false, "\(String(describing: e))")
        let k = try variant(bytes, "k.h5") {
            $0[16] = 0; $0[17] = 0
        }
        assertHDF5Error(.damagedSuperblock) { try HDF5File.open(k) }
    }

    /// Damage past the superblock (the root object header) is HDF5's to find; an SWMR reader
    /// retries checksum failures, and the bounded attempts keep that under a second.
    func testDamagedMetadataBehindTheSuperblockFailsInBoundedTime() throws {
        let bytes = try write("latest.h5", latestFormat: true)
        let file = try variant(bytes, "header.h5") { $0[60] ^= 0xff }
        let start = Date()
        assertHDF5Error(.library) { try HDF5File.open(file, mode: .swmrRead).root.openDataset("x") }
        let elapsed = Date().timeIntervalSince(start)
        print("SWMR open of a file with a damaged object header: \(String(format: "%.3f", elapsed)) s")
        XCTAssertLessThan(elapsed, 5)
    }

    /// HDF5 locks files with flock(LOCK_NB): a file another process (here: another open file
    /// description) holds locked is refused at once, with a message that says so.
    func testALockedFileIsRefusedAtOnce() throws {
        _ = try write("locked.h5", latestFormat: true)
        let fd = open(path("locked.h5"), O_RDONLY)
        defer { close(fd) }
        XCTAssertEqual(flock(fd, LOCK_EX | LOCK_NB), 0)
        let start = Date()
        let e = assertHDF5Error(.library) { try HDF5File.open(path("locked.h5"), mode: .readOnly) }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1)
        XCTAssertTrue(
            e?.description.contains("another process holds a lock on it") ?? false, "\(String(describing: e))")
        XCTAssertEqual(flock(fd, LOCK_UN), 0)
        XCTAssertNoThrow(try HDF5File.open(path("locked.h5"), mode: .readOnly).close())
    }
}
