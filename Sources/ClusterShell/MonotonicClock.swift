import Dispatch

/// The shells' only clock: milliseconds since boot, never going backwards (the cores compare
/// times, so wall-clock jumps must not declare peers dead).
public enum MonotonicClock {
    public static func nowMs() -> Int { Int(DispatchTime.now().uptimeNanoseconds / 1_000_000) }
    /// The same clock in µs, for durations of work shorter than a millisecond.
    public static func nowMicros() -> Int { Int(DispatchTime.now().uptimeNanoseconds / 1_000) }
}
