import Elimination

/// Greedy vertex elimination: at every step eliminate the remaining vertex of lowest score,
/// recomputed on the current graph. With `.markowitz` and `.forward` this is the paper's minimal
/// Markowitz baseline (Baselines.markowitzOrder), which the tests check.
public enum GreedyElimination {
    /// Every criterion scores a vertex from its own edges, so the priority-queue loop
    /// (`LocalGreedy`) gives the same order as a full scan per step, in O(E log n).
    public static func order(_ spec: GameSpec, rule: GreedyRule) -> [Int] {
        var state = EliminationState(spec: spec)
        return GreedyCompletion(spec: spec, rule: rule).complete(&state)
    }

    /// Runs every rule and returns one rescored result per rule, in `GreedyRule.all` order.
    public static func allRules(_ spec: GameSpec) throws(SearchError) -> [SearchResult] {
        var results: [SearchResult] = []
        for rule in GreedyRule.all {
            results.append(try .rescored(method: rule.name, order: order(spec, rule: rule), evaluations: 1, on: spec))
        }
        return results
    }

    /// The full-scan greedy loop for scores that look beyond a vertex's own edges (the
    /// lookahead): `score(state, v)` is smaller-is-better; the scan order of the tie-break decides
    /// between equal scores. O(n) scores per step.
    /// `stop` is asked before every step: when it says so, the order so far (shorter than a whole
    /// one) is returned.
    static func play(
        _ spec: GameSpec, tieBreak: TieBreak, stop: () -> Bool = { false }, score: (EliminationState, Int) -> Int
    ) -> [Int] {
        let scan = tieBreak.scanOrder(spec)
        var state = EliminationState(spec: spec)
        var order: [Int] = []
        order.reserveCapacity(scan.count)
        while !state.isTerminal && !stop() {
            var best = -1, bestScore = Int.max
            for v in scan where !state.isEliminated(v) {
                let s = score(state, v)
                if s < bestScore { best = v; bestScore = s }
            }
            state.eliminateUnchecked(best)
            order.append(best)
        }
        return order
    }
}
