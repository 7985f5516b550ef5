import Foundation
import XCTest
@testable import Console

/// The clocks: the thread's CPU clock advances with the thread's own work and never by more than
/// the whole process's or the monotonic clock over the same interval; another thread's work does
/// not move it.
final class ClocksTests: XCTestCase {
    /// Spins until the thread's CPU clock moved by `seconds` (at most a bounded number of rounds).
    private func burn(_ seconds: Double) -> (thread: Double, process: Double) {
        let thread0 = threadCPUSeconds(), process0 = processCPUSeconds(), wall0 = monotonicSeconds()
        var x: UInt64 = 1, rounds = 0
        while threadCPUSeconds() - thread0 < seconds && rounds < 50_000_000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1
            rounds += 1
        }
        XCTAssertNotEqual(x, 0)
        let spent = (thread: threadCPUSeconds() - thread0, process: processCPUSeconds() - process0)
        XCTAssertGreaterThanOrEqual(
            monotonicSeconds() - wall0, spent.thread - 1e-3, "one thread's CPU within wall time")
        return spent
    }

    func testTheThreadClockCountsTheThreadsWorkWithinTheProcesss() {
        let spent = burn(0.02)
        XCTAssertGreaterThanOrEqual(spent.thread, 0.02)
        XCTAssertGreaterThanOrEqual(spent.process, spent.thread - 1e-3, "the process ran at least this thread's work")
    }

    func testAnotherThreadsWorkIsNotThisThreads() {
        let start = threadCPUSeconds()
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var other = 0.0
        Thread {
            other = self.burn(0.03).thread
            done.signal()
        }.start()
        done.wait()
        XCTAssertGreaterThanOrEqual(other, 0.03)
        XCTAssertLessThan(threadCPUSeconds() - start, 0.03, "waiting on a semaphore costs this thread no CPU")
    }

    /// Seconds, milliseconds and microseconds are one clock in three units: read in between,
    /// each lies within the others' readings (another clock, e.g. the wall clock, would not).
    func testTheMonotonicClockInItsThreeUnitsIsOneClock() {
        let ms0 = monotonicMilliseconds(), us0 = monotonicMicroseconds()
        let s = monotonicSeconds()
        let us1 = monotonicMicroseconds(), ms1 = monotonicMilliseconds()
        XCTAssertLessThanOrEqual(us0, Int(s * 1e6) + 1)
        XCTAssertLessThanOrEqual(Int(s * 1e6), us1 + 1)
        XCTAssertLessThanOrEqual(ms0, Int(s * 1e3) + 1)
        XCTAssertLessThanOrEqual(Int(s * 1e3), ms1 + 1)
        XCTAssertLessThanOrEqual(ms0, us0 / 1000)
        XCTAssertLessThanOrEqual(us1 / 1000, ms1)
    }
}
