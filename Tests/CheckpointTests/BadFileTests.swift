import Foundation
import XCTest
import HDF5
import PPO
import Randomness
@testable import Checkpoint

/// Every way a checkpoint can be unusable gets its own kind and a message naming the file and
/// the problem; none of them crashes or loads as a different network.
final class BadFileTests: CheckpointTestCase {
    private var snapshot: TrainerSnapshot!
    private var good: String!
    private var bytes: [UInt8]!

    override func setUpWithError() throws {
        try super.setUpWithError()
        snapshot = try Fixtures.trained(updates: 1).1
        good = path("good.h5")
        try CheckpointFile.write(snapshot, to: good)
        bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: good)))
    }

    private func variant(_ name: String, _ change: (inout [UInt8]) -> Void) throws -> String {
        var copy = bytes!
        change(&copy)
        let file = path(name)
        try Data(copy).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// A copy of the good checkpoint, edited through HDF5 (attributes only: the wrapper cannot delete datasets).
    private func edited(_ name: String, _ edit: (HDF5File) throws -> Void) throws -> String {
        let file = path(name)
        try FileManager.default.copyItem(atPath: good, toPath: file)
        let f = try HDF5File.open(file, mode: .readWrite)
        try edit(f)
        try f.close()
        return file
    }

    func testMissingFile() {
        let file = path("nowhere.h5")
        let e = assertRefused(.missing, file) { try CheckpointFile.read(file) }
        XCTAssertTrue(e?.description.contains("no such checkpoint file") ?? false, "\(e!)")
    }

    func testEmptyFile() throws {
        let file = try variant("empty.h5") { $0 = [] }
        let e = assertRefused(.empty, file) { try CheckpointFile.read(file) }
        XCTAssertTrue(e?.description.contains("empty (0 bytes)") ?? false, "\(e!)")
    }

    func testTruncatedFile() throws {
        let file = try variant("truncated.h5") { $0.removeLast($0.count / 2) }
        let e = assertRefused(.truncated, file) { try CheckpointFile.read(file) }
        XCTAssertTrue(
            e?.description.contains("truncated (\(bytes.count - bytes.count / 2) of \(bytes.count) bytes)") ?? false,
            "\(e!)")
    }

    func testNotHDF5() throws {
        let file = try variant("notes.h5") { $0 = Array("these are notes, not a checkpoint\n".utf8) }
        let e = assertRefused(.notHDF5, file) { try CheckpointFile.read(file) }
        XCTAssertTrue(e?.description.contains("not an HDF5 file") ?? false, "\(e!)")
        let directoryPath = path("adir")
        try FileManager.default.createDirectory(atPath: directoryPath, withIntermediateDirectories: true)
        assertRefused(.notHDF5, directoryPath) { try CheckpointFile.read(directoryPath) }
    }

    /// One bit flipped inside a parameter tensor's stored floats: Fletcher-32 catches it.
    func testBitFlipInParameterData() throws {
        let tensor = snapshot.tensors[0]
        let values = Array(snapshot.parameters[0..<tensor.shape.reduce(1, *)])
        let needle = values.prefix(4).flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        let at = try XCTUnwrap(find(needle, in: bytes), "the tensor's bytes are stored verbatim")
        let file = try variant("flipped.h5") { $0[at + 5] ^= 0x10 }
        let e = assertRefused(.corrupted, file) { try CheckpointFile.read(file) }
        XCTAssertTrue(e?.description.contains("checksum") ?? false, "\(e!)")
    }

    /// The FNV-1a-64 checksum is checked too: a recorded value that does not match is refused.
    func testParameterChecksumMismatch() throws {
        let file = try edited("checksum.h5") { try $0.attributes.write("checksum_fnv1a64", Int64(12345)) }
        let e = assertRefused(.corrupted, file) { try CheckpointFile.read(file) }
        XCTAssertTrue(e?.description.contains("FNV-1a-64") ?? false, "\(e!)")
        XCTAssertTrue(e?.description.contains("0x0000000000003039") ?? false, "\(e!)")
    }

    func testForeignFiles() throws {
        let plain = path("plain.h5")
        try HDF5File.create(plain).close()
        let e1 = assertRefused(.foreign, plain) { try CheckpointFile.read(plain) }
        XCTAssertTrue(e1?.description.contains("without a 'format' attribute") ?? false, "\(e1!)")
        let other = try edited("other.h5") { try $0.attributes.write("format", "someone-elses-format") }
        let e2 = assertRefused(.foreign, other) { try CheckpointFile.read(other) }
        XCTAssertTrue(e2?.description.contains("'someone-elses-format'") ?? false, "\(e2!)")
        let numeric = try edited("numeric.h5") { try $0.attributes.write("format", Int64(1)) }
        assertRefused(.foreign, numeric) { try CheckpointFile.read(numeric) }
    }

    func testNewerVersion() throws {
        let file = try edited("newer.h5") { try $0.attributes.write("version", Int64(2)) }
        let e = assertRefused(.newerVersion, file) { try CheckpointFile.read(file) }
        XCTAssertTrue(e?.description.contains("version 2") ?? false, "\(e!)")
    }

    func testWrongSchema() throws {
        let missing = try edited("missing.h5") { f in
            let names = try f.root.openGroup("parameters").attributes.read("names", as: String.self)
            try f.root.openGroup("parameters").attributes.write("names", names + "\nghost.weight")
        }
        let e1 = assertRefused(.wrongSchema, missing) { try CheckpointFile.read(missing) }
        XCTAssertTrue(e1?.description.contains("missing dataset /parameters/ghost.weight") ?? false, "\(e1!)")

        let noAttribute = try edited("no-attribute.h5") { try $0.attributes.delete("adam_step") }
        let e2 = assertRefused(.wrongSchema, noAttribute) { try CheckpointFile.read(noAttribute) }
        XCTAssertTrue(e2?.description.contains("missing attribute @adam_step") ?? false, "\(e2!)")

        let wrongType = try edited("wrong-type.h5") { try $0.attributes.write("updates", "three") }
        let e3 = assertRefused(.wrongSchema, wrongType) { try CheckpointFile.read(wrongType) }
        XCTAssertTrue(e3?.description.contains("@updates must be an int64") ?? false, "\(e3!)")

        let wrongShape = try edited("wrong-shape.h5") { f in
            try f.root.openGroup("rng").createDataset("extra", values: [Int64(1), 2, 3])
        }
        let e4 = assertRefused(.wrongSchema, wrongShape) { try CheckpointFile.read(wrongShape) }
        XCTAssertTrue(e4?.description.contains("/rng/extra has shape [3]") ?? false, "\(e4!)")

        let wrongKind = try edited("wrong-kind.h5") { f in
            _ = try f.root.openGroup("parameters").createGroup("group.not.tensor")
            let names = try f.root.openGroup("parameters").attributes.read("names", as: String.self)
            try f.root.openGroup("parameters").attributes.write("names", "group.not.tensor\n" + names)
        }
        let e5 = assertRefused(.wrongSchema, wrongKind) { try CheckpointFile.read(wrongKind) }
        XCTAssertTrue(e5?.description.contains("/parameters/group.not.tensor is not a dataset") ?? false, "\(e5!)")
    }

    /// Flip one bit at 300 seeded random places anywhere in the file: every read either refuses
    /// with a CheckpointError or (the bit sat in unused space) returns the identical snapshot.
    func testRandomBitFlipsAreRefusedOrHarmless() throws {
        var rng = SplitMix64(seed: 42)
        var refused = 0, harmless = 0
        var kinds: [CheckpointError.Kind: Int] = [:]
        for trial in 0..<300 {
            let at = Int(rng.next() % UInt64(bytes.count))
            let bit = UInt8(1) << UInt8(rng.next() % 8)
            let file = try variant("flip-\(trial).h5") { $0[at] ^= bit }
            do {
                let back = try CheckpointFile.read(file)
                XCTAssertEqual(
                    back, snapshot, "flipping bit \(bit) of byte \(at) changed the snapshot without an error")
                harmless += 1
            } catch let error as CheckpointError {
                XCTAssertTrue(error.description.contains(file), "\(error)")
                kinds[error.kind, default: 0] += 1
                refused += 1
            }
            try FileManager.default.removeItem(atPath: file)
        }
        print("bit flips over \(bytes.count) bytes: \(refused) refused \(kinds), \(harmless) harmless")
        XCTAssertGreaterThan(refused, 100)
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
