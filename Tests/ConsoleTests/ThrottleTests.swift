import Console
import XCTest

final class ThrottleTests: XCTestCase {
    func testAdmitsAtMostOncePerIntervalAndNotBeforeTheFirst() {
        var throttle = Throttle(interval: 1, from: 10)
        let admitted = stride(from: 10.0, through: 13.5, by: 0.25).filter { throttle.admits($0) }
        // 10.0–10.75 are within the first interval; then 11, 12, 13 (each an interval after the last).
        XCTAssertEqual(admitted, [11, 12, 13])
    }

    func testTheIntervalCountsFromTheLastAdmittedTimeNotFromAGrid() {
        var throttle = Throttle(interval: 1, from: 0)
        XCTAssertTrue(throttle.admits(1.5))
        XCTAssertFalse(throttle.admits(2.25))
        XCTAssertTrue(throttle.admits(2.5))
        XCTAssertEqual(throttle.last, 2.5)
    }

    func testForceAlwaysPassesAndRestartsTheInterval() {
        var throttle = Throttle(interval: 10, from: 0)
        XCTAssertFalse(throttle.admits(3))
        XCTAssertTrue(throttle.admits(4, force: true))
        XCTAssertFalse(throttle.admits(13))
        XCTAssertTrue(throttle.admits(14))
    }

    func testAStartAtMinusInfinityLetsTheFirstTimeThrough() {
        var throttle = Throttle(interval: 10, from: -.infinity)
        XCTAssertTrue(throttle.admits(0))
        XCTAssertFalse(throttle.admits(9.99))
        XCTAssertTrue(throttle.admits(10))
    }
}
