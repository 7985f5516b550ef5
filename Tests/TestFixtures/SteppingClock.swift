/// The clock of tests of time budgets: every reading is `step` seconds after the previous one,
/// starting from 0 (no sleep, no wall clock), so a budget of S seconds is S / `step` readings
/// whatever the machine's load. One copy for every test target that injects a clock.
public final class SteppingClock: @unchecked Sendable {
    /// The last reading.
    public private(set) var now = 0.0
    public let step: Double

    public init(step: Double) { self.step = step }

    /// Advances the clock by `step` and returns the new time.
    public func read() -> Double {
        now += step
        return now
    }
}
