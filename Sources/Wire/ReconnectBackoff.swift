/// How long a peer waits before its next reconnect: 100 ms doubling to 5 s, with "equal
/// jitter" (uniform in [d/2, d]) so a worker's actors do not all return in the same instant
/// after a coordinator restart. Pure: the caller passes a uniform draw from its own seeded RNG.
public struct ReconnectBackoff: Sendable, Equatable {
    /// Failed attempts since the last success.
    public private(set) var failures = 0

    public init() {}

    /// The un-jittered wait for the current attempt.
    public var stepMs: Int {
        let doublings = min(failures, 62)  // 100 << 62 would overflow; the cap is long reached
        let uncapped = Liveness.reconnectInitialMs.multipliedReportingOverflow(by: 1 << doublings)
        return uncapped.overflow ? Liveness.reconnectMaxMs : min(uncapped.partialValue, Liveness.reconnectMaxMs)
    }

    /// The wait before the next attempt, then counts that attempt as failed.
    /// `unitRandom` is clamped to [0, 1].
    public mutating func nextDelayMs(unitRandom: Double) -> Int {
        let d = stepMs
        let u = unitRandom.isNaN ? 0 : min(max(unitRandom, 0), 1)
        failures += 1
        return d / 2 + Int((Double(d - d / 2) * u).rounded(.down))
    }

    /// After a `welcome`: the next disconnection starts again at 100 ms.
    public mutating func reset() { failures = 0 }
}
