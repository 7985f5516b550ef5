/// A point in time on an injected monotonic clock after which the bounds stop working and return
/// what they have proven so far (every partial result is still a valid bound). Pure: the clock is
/// a function the caller passes (the CLI's monotonic clock, a test's stepping clock).
public struct Deadline {
    let clock: () -> Double
    /// Seconds on `clock`; nil = no deadline.
    let at: Double?

    public init(clock: @escaping () -> Double, at: Double?) {
        self.clock = clock
        self.at = at
    }

    /// No deadline (never passes, never reads a clock).
    public static var none: Deadline { Deadline(clock: { 0 }, at: nil) }

    /// True once the clock has reached `at`.
    func passed() -> Bool {
        guard let at else { return false }
        return clock() >= at
    }
}
