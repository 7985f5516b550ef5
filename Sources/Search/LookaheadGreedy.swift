import Elimination

/// One-step lookahead greedy: eliminate the vertex v that minimises cost(v now) + the cheapest
/// next step after it. Plain cost-now greedy is blind to a step that is cheap but makes the next
/// one expensive (fill-in); looking one step ahead sees exactly that, at n times the work.
public enum LookaheadGreedy {
    /// Above this many eliminable vertices the lookahead is not run (O(n²) previews per step, n³
    /// in all: minutes at 1,000 vertices); `ccelim search` says so instead.
    public static let maxEliminable = 300

    static func refusal(_ spec: GameSpec) -> SearchError? {
        spec.eliminable.count <= maxEliminable
            ? nil
            : .invalidParameter(
                "lookahead needs O(n²) previews per step and runs on at most \(maxEliminable) eliminable vertices; this graph has \(spec.eliminable.count) (use --method greedy or anneal)"
            )
    }

    public static func order(_ spec: GameSpec, tieBreak: TieBreak) -> [Int] {
        order(spec, tieBreak: tieBreak, stop: { false })!
    }

    /// The order, or nil when `stop` (asked before every step) ended it first.
    static func order(_ spec: GameSpec, tieBreak: TieBreak, stop: () -> Bool) -> [Int]? {
        let scan = tieBreak.scanOrder(spec)
        let order = GreedyElimination.play(spec, tieBreak: tieBreak, stop: stop) { state, v in
            var next = state
            let now = next.eliminateUnchecked(v)
            var cheapestNext = 0
            if !next.isTerminal {
                cheapestNext = Int.max
                for w in scan where !next.isEliminated(w) {
                    cheapestNext = min(cheapestNext, next.previewCost(w))
                }
            }
            return now + cheapestNext
        }
        return order.count == spec.eliminable.count ? order : nil
    }

    /// The orders of both tie-breaks that finish before `stop` says so (asked before every step);
    /// none on a graph above `maxEliminable`, where one order alone takes minutes.
    public static func bothTieBreaks(
        _ spec: GameSpec, stop: () -> Bool = { false }
    ) throws(SearchError) -> [SearchResult] {
        guard refusal(spec) == nil else { return [] }
        var results: [SearchResult] = []
        for tieBreak in TieBreak.allCases {
            guard let order = order(spec, tieBreak: tieBreak, stop: stop) else { break }
            results.append(
                try .rescored(method: "lookahead-\(tieBreak.rawValue)", order: order, evaluations: 1, on: spec))
        }
        return results
    }
}
