import XCTest
import Randomness
@testable import Wire

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
