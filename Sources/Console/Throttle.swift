/// At most one pass per `interval` of some clock: the rule every long run's status follows
/// (`bound`'s phases, `search`'s methods, `optimize`'s annealing thread, a piped `ProgressLine`).
/// A value, not a clock reader: the caller reads its own clock (injected in the cores) and asks.
public struct Throttle: Sendable {
    /// Seconds that must pass between two admitted times.
    public let interval: Double
    /// The last admitted time (or the start: nothing passes before one interval after it).
    public private(set) var last: Double

    /// Nothing passes before `start + interval`; `start: -.infinity` lets the first time through.
    public init(interval: Double, from start: Double) {
        self.interval = interval
        last = start
    }

    /// Whether a status may go out at `now` (always when `force`); if so, the next waits an
    /// interval from `now`.
    public mutating func admits(_ now: Double, force: Bool = false) -> Bool {
        guard force || now - last >= interval else { return false }
        last = now
        return true
    }
}
