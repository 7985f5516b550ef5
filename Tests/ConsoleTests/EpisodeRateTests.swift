import XCTest
@testable import Console

/// The progress line's rate: steady over a window of samples, the caller's estimate until the
/// window spans a second or when the count goes backwards.
final class EpisodeRateTests: XCTestCase {
    func testRateIsOverTheWindowNotTheLastSample() {
        var rate = EpisodeRate(window: 30)
        XCTAssertEqual(rate.add(seconds: 0, episodes: 0, fallback: 9), 9)
        XCTAssertEqual(rate.add(seconds: 0.5, episodes: 10, fallback: 9), 9)
        XCTAssertEqual(rate.add(seconds: 2, episodes: 12, fallback: 9), 6)
        // No arrivals for a while: the rate falls slowly, it does not drop to 0.
        XCTAssertEqual(rate.add(seconds: 4, episodes: 12, fallback: 9), 3)
    }

    func testOldSamplesLeaveTheWindow() {
        var rate = EpisodeRate(window: 10)
        _ = rate.add(seconds: 0, episodes: 0, fallback: 0)
        _ = rate.add(seconds: 5, episodes: 100, fallback: 0)
        XCTAssertEqual(rate.add(seconds: 15, episodes: 200, fallback: 0), 10)
    }

    func testCountGoingBackwardsUsesTheFallback() {
        var rate = EpisodeRate(window: 30)
        _ = rate.add(seconds: 0, episodes: 50, fallback: 0)
        XCTAssertEqual(rate.add(seconds: 5, episodes: 10, fallback: 4), 4)
    }
}
