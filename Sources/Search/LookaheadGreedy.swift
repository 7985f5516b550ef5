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
        let scan = tieBreak.scanOrder(spec)
        return GreedyElimination.play(spec, tieBreak: tieBreak) { state, v in
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
    }

    public static func bothTieBreaks(_ spec: GameSpec) throws(SearchError) -> [SearchResult] {
        var results: [SearchResult] = []
        for tieBreak in TieBreak.allCases {
            results.append(
                try .rescored(
                    method: "lookahead-\(tieBreak.rawValue)", order: order(spec, tieBreak: tieBreak), evaluations: 1,
                    on: spec))
        }
        return results
    }
}
