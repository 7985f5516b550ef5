/// A point in time on an injected monotonic clock after which the bounds stop working and return
/// what they have proven so far (every partial result is still a valid bound). Pure: the clock is
/// a function the caller passes (the CLI's monotonic clock, a test's stepping clock).
public struct Deadline {
    let clock: () -> Double
    /// Seconds on `clock`; nil = no deadline.
    let at: Double?
    /// Called on every check (`passed`), e.g. to report progress from loops that have nothing else
    /// to say (the start bound's group tables); it must be cheap or throttle itself.
    let tick: (() -> Void)?

    public init(clock: @escaping () -> Double, at: Double?, tick: (() -> Void)? = nil) {
        self.clock = clock
        self.at = at
        self.tick = tick
    }

    /// No deadline (never passes, never reads a clock).
    public static var none: Deadline { Deadline(clock: { 0 }, at: nil) }

    /// True once the clock has reached `at`.
    func passed() -> Bool {
        tick?()
        guard let at else { return false }
        return clock() >= at
    }
}
