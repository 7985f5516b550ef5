import Checksum
import XCTest

/// The checksum is part of two formats (checkpoint files, wire messages): these values must never
/// change. The pinned float figures were computed by an independent Python implementation
/// (struct.pack('<3f', …) fed to the textbook FNV-1a 64 loop).
final class FNV1a64Tests: XCTestCase {
    /// Reference vectors of FNV-1a 64 (Fowler, Noll, Vo test suite).
    func testKnownVectors() {
        XCTAssertEqual(FNV1a64.hash([]), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(FNV1a64.hash(Array("a".utf8)), 0xaf63_dc4c_8601_ec8c)
        XCTAssertEqual(FNV1a64.hash(Array("foobar".utf8)), 0x8594_4171_f739_67e8)
        XCTAssertEqual(FNV1a64().value, FNV1a64.offsetBasis)
    }

    func testFloatChecksumIsTheHashOfLittleEndianFloat32Bytes() {
        XCTAssertEqual(FNV1a64.checksum(of: [1.0, -2.5, 0.1]), 0x3cf8_e613_b812_8996)
        XCTAssertEqual(FNV1a64.checksum(of: []), FNV1a64.offsetBasis)
        let bytes = [Float(1.0), -2.5, 0.1].flatMap { f in
            (0..<4).map { UInt8(truncatingIfNeeded: f.bitPattern.littleEndian >> (8 * $0)) }
        }
        XCTAssertEqual(FNV1a64.hash(bytes), 0x3cf8_e613_b812_8996)
    }

    /// Checkpoints hash the parameters, then each Adam moment, in one stream: the same as hashing
    /// the concatenated buffers.
    func testStreamingEqualsOneShot() {
        var h = FNV1a64()
        h.add([1.0, -2.5])
        h.add([0.1, 3.0])
        h.add([0.0])
        XCTAssertEqual(h.value, 0x2c27_a0d0_8dca_0dd6)
        XCTAssertEqual(h.value, FNV1a64.checksum(of: [1.0, -2.5, 0.1, 3.0, 0.0]))
        var split = FNV1a64()
        Array("foo".utf8).withUnsafeBytes { split.add($0) }
        Array("bar".utf8).withUnsafeBytes { split.add($0) }
        XCTAssertEqual(split.value, FNV1a64.hash(Array("foobar".utf8)))
    }

    func testChecksumCoversEveryParameterBit() {
        let base: [Float] = (0..<64).map { Float($0) * 0.25 }
        let c = FNV1a64.checksum(of: base)
        for i in base.indices {
            for bit in [0, 22, 31] {
                var changed = base
                changed[i] = Float(bitPattern: changed[i].bitPattern ^ (1 << UInt32(bit)))
                XCTAssertNotEqual(FNV1a64.checksum(of: changed), c, "parameter \(i), bit \(bit)")
            }
        }
    }
}
