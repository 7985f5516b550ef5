/// Events per second over a sliding window of whole samples, fed with an injected clock (ms).
/// Used for the episodes/s column of `ccelim status`.
struct RateMeter: Equatable, Sendable {
    /// How far back the rate looks.
    let windowMs: Int
    private var samples: [(at: Int, total: UInt64)] = []

    init(windowMs: Int) { self.windowMs = windowMs }

    static func == (a: RateMeter, b: RateMeter) -> Bool {
        a.windowMs == b.windowMs && a.samples.map(\.at) == b.samples.map(\.at)
            && a.samples.map(\.total) == b.samples.map(\.total)
    }

    /// Records the running total at `now`; keeps one sample older than the window as the base.
    mutating func record(total: UInt64, now: Int) {
        samples.append((now, total))
        while samples.count > 2 && samples[1].at <= now - windowMs { samples.removeFirst() }
    }

    func perSecond(now: Int) -> Float {
        guard let first = samples.first, let last = samples.last, now > first.at else { return 0 }
        return Float(Double(last.total - first.total) * 1000 / Double(now - first.at))
    }
}
