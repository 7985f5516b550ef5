/// Episodes per second over the last `window` seconds of samples (episode counts that only grow),
/// so a progress line stays steady between the actors' batches instead of alternating with 0.
/// Until a second of samples has accumulated (or when the count went backwards, e.g. an actor
/// restarted), the caller's own estimate is used.
public struct EpisodeRate {
    public var window: Double
    private var samples: [(seconds: Double, episodes: UInt64)] = []

    public init(window: Double = 30) { self.window = window }

    /// Adds a sample (`episodes` played by `seconds`) and returns the rate; `fallback` when the
    /// window does not yet span a second or the count decreased.
    public mutating func add(seconds: Double, episodes: UInt64, fallback: Double) -> Double {
        samples.append((seconds, episodes))
        samples.removeAll { seconds - $0.seconds > window }
        let first = samples[0]
        return seconds - first.seconds >= 1 && episodes >= first.episodes
            ? Double(episodes - first.episodes) / (seconds - first.seconds) : fallback
    }
}
