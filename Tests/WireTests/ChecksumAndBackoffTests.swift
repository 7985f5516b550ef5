import XCTest
import Randomness
@testable import Wire

final class ChecksumTests: XCTestCase {
    /// Reference vectors of FNV-1a 64 (Fowler, Noll, Vo test suite; Python agrees).
    func testFNV1a64KnownVectors() {
        XCTAssertEqual(FNV1a64.hash([]), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(FNV1a64.hash(Array("a".utf8)), 0xaf63_dc4c_8601_ec8c)
        XCTAssertEqual(FNV1a64.hash(Array("foobar".utf8)), 0x8594_4171_f739_67e8)
    }

    func testChecksumCoversEveryParameterBit() {
        let base: [Float] = (0..<64).map { Float($0) * 0.25 }
        let c = FNV1a64.checksum(of: base)
        for i in base.indices {
            var changed = base
            changed[i] = Float(bitPattern: changed[i].bitPattern ^ 1)
            XCTAssertNotEqual(FNV1a64.checksum(of: changed), c, "parameter \(i)")
        }
    }
}

final class ReconnectBackoffTests: XCTestCase {
    func testDoublesFrom100msTo5sWithJitterInTheUpperHalf() {
        var b = ReconnectBackoff()
        var steps: [Int] = []
        var rng = SplitMix64(seed: 5)
        for _ in 0..<10 {
            let step = b.stepMs
            let delay = b.nextDelayMs(unitRandom: Double.random(in: 0..<1, using: &rng))
            XCTAssertTrue((step / 2)...step ~= delay, "delay \(delay) outside [\(step / 2), \(step)]")
            steps.append(step)
        }
        XCTAssertEqual(steps, [100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000, 5_000])
        b.reset()
        XCTAssertEqual(b.nextDelayMs(unitRandom: 0), 50)
        XCTAssertEqual(b.nextDelayMs(unitRandom: 1), 200)
        XCTAssertEqual(b.nextDelayMs(unitRandom: .nan), 200)
    }

    func testNeverOverflowsAfterManyFailures() {
        var b = ReconnectBackoff()
        for _ in 0..<200 { _ = b.nextDelayMs(unitRandom: 0.5) }
        XCTAssertEqual(b.stepMs, Liveness.reconnectMaxMs)
        XCTAssertEqual(b.nextDelayMs(unitRandom: 2), Liveness.reconnectMaxMs)
    }
}
