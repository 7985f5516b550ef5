/// Why an episode was not trained on. The raw values are the stable keys of updates.jsonl and
/// summary.json (`dropped.<key>`).
public enum DropReason: String, CaseIterable, Sendable {
    /// A task index this run does not train.
    case unknownTask = "unknown_task"
    /// Not a valid elimination order of its task (or log-probabilities of another length).
    case invalidOrder = "invalid_order"
    /// A log-probability that is not finite or outside [`Episode.logProbFloor`, 0].
    case logProb = "log_prob"
    /// Claims weights newer than any the learner has published.
    case futureVersion = "future_version"
    /// Played by weights more than `max_policy_lag` versions old.
    case stale
    /// The learner's queue was full; the oldest went.
    case overflow
}

/// Dropped episodes counted by reason.
public struct EpisodeDrops: Equatable, Sendable {
    public private(set) var counts: [DropReason: Int] = [:]

    public init() {}

    public mutating func add(_ reason: DropReason, _ n: Int = 1) {
        guard n > 0 else { return }
        counts[reason, default: 0] += n
    }

    public mutating func add(_ other: EpisodeDrops) {
        for (reason, n) in other.counts { add(reason, n) }
    }

    public subscript(reason: DropReason) -> Int { counts[reason] ?? 0 }

    public var total: Int { counts.values.reduce(0, +) }

    /// Every reason in declaration order with its count (zeros included): stable JSON keys.
    public var named: [(String, Int)] { DropReason.allCases.map { ($0.rawValue, self[$0]) } }

    /// "3 invalid_order, 1 log_prob" — the non-zero counts, for log lines.
    public var summary: String {
        DropReason.allCases.filter { self[$0] > 0 }.map { "\(self[$0]) \($0.rawValue)" }.joined(separator: ", ")
    }
}
