import Randomness
import XCTest
@testable import Bounds

/// MaskCompression's tables compress a mask's bits in a pattern exactly as a bit-by-bit gather
/// does, for patterns spread over all three bytes, and stay right when the tables start afresh.
final class MaskCompressionTests: XCTestCase {
    /// The bits of `mask` that lie in `pattern`, packed in order from bit 0 (what `pext` computes).
    private func gather(_ mask: Int, _ pattern: Int) -> Int {
        var out = 0, place = 0
        for bit in 0..<MaskCompression.maxBits where pattern & (1 << bit) != 0 {
            if mask & (1 << bit) != 0 { out |= 1 << place }
            place += 1
        }
        return out
    }

    private func compressed(_ compression: MaskCompression, base: Int, _ mask: Int) -> Int {
        (0..<MaskCompression.bytes).reduce(0) { index, byte in
            index | Int(compression.tables[base + byte * 256 + (mask >> (8 * byte)) & 255])
        }
    }

    func testTheTablesGatherEveryPatternsBitsInOrderThroughRestarts() {
        var rng = SplitMix64(seed: 3401)
        var compression = MaskCompression()
        compression.patternLimit = 40
        var checked = 0, restarts = 0
        for round in 0..<30 {
            // Sparse and dense patterns, some confined to one byte, and repeats of earlier ones.
            let patterns = (0..<(2 + round % 7)).map { i -> Int in
                let width = [8, 16, 24][i % 3]
                var pattern = Int(rng.next() % UInt64(1 << width))
                if i % 4 == 1 { pattern &= Int(rng.next() % UInt64(1 << width)) }
                return round % 5 == 4 ? pattern & 0xFF : pattern
            }
            let before = compression.count
            let bases = compression.bases(of: patterns)
            if compression.count < before { restarts += 1 }
            for (pattern, base) in zip(patterns, bases) {
                // Masks inside the pattern (how GroupBound uses them) and arbitrary ones.
                for _ in 0..<200 {
                    let mask = Int(rng.next() % UInt64(1 << MaskCompression.maxBits))
                    for m in [mask & pattern, mask] {
                        XCTAssertEqual(
                            compressed(compression, base: base, m), gather(m, pattern),
                            "pattern \(String(pattern, radix: 2)) mask \(String(m, radix: 2))")
                        checked += 1
                    }
                }
                XCTAssertEqual(
                    compressed(compression, base: base, pattern), (1 << pattern.nonzeroBitCount) - 1)
            }
        }
        XCTAssertGreaterThan(checked, 20_000)
        // The limit of 40 patterns was passed, so the tables started afresh at least once.
        XCTAssertGreaterThan(restarts, 0)
    }
}
