import Foundation

/// The clock of tests of time budgets: every reading is `step` seconds after the previous one,
/// starting from 0 (no sleep, no wall clock), so a budget of S seconds is S / `step` readings
/// whatever the machine's load. One copy for every test target that injects a clock; readings from
/// several threads (ProgramOptimizer's annealing threads) are serialised by a lock, so each gets a
/// time of its own.
public final class SteppingClock: @unchecked Sendable {
    private let lock = NSLock()
    private var last = 0.0
    public let step: Double

    public init(step: Double) { self.step = step }

    /// The last reading.
    public var now: Double { lock.withLock { last } }

    /// Advances the clock by `step` and returns the new time.
    public func read() -> Double {
        lock.withLock {
            last += step
            return last
        }
    }
}
