/// Greedy elimination driven by a priority queue, for scores that depend only on a vertex's own
/// in- and out-edges (Markowitz degrees, the cost of eliminating it now): eliminating v changes the
/// edges of its predecessors and successors only, so only those are re-scored. A step costs
/// O((|pred v| + |succ v|) · log n) queue work instead of a scan of every remaining vertex, and the
/// orders are exactly those of the scan "first strictly smallest score in `scan` order wins"
/// (ties go to the vertex earlier in `scan`), which the tests pin on the paper's tasks.
public enum LocalGreedy {
    /// `scan`: every eliminable vertex once, in tie-break order. `score(state, v)`: smaller is
    /// better; it must read only v's incident edges (a non-local score, such as a lookahead, needs
    /// the full scan instead).
    public static func order(_ spec: GameSpec, scan: [Int], score: (EliminationState, Int) -> Int) -> [Int] {
        var state = EliminationState(spec: spec)
        return completion(of: &state, scan: scan, score: score)
    }

    /// The same greedy loop from any `state` (a search's leaf) to the end: eliminates the vertices
    /// `state` still has, in the greedy order, and returns them; `state` ends terminal, its `cost`
    /// grown by the completion's. From the start state it is `order`. With `leaving` L > 0 it
    /// stops while L vertices are left (the first steps of the same greedy order).
    public static func completion(
        of state: inout EliminationState, scan: [Int], leaving: Int = 0, score: (EliminationState, Int) -> Int
    ) -> [Int] {
        let spec = state.spec
        var rank = [Int](repeating: -1, count: spec.vertexCount + 1)
        for (i, v) in scan.enumerated() { rank[v] = i }
        var current = [Int](repeating: 0, count: spec.vertexCount + 1)
        var queue = BinaryHeap<ScoredRank>()
        queue.reserve(scan.count)
        for v in scan where !state.isEliminated(v) {
            current[v] = score(state, v)
            queue.push(ScoredRank(score: current[v], rank: rank[v]))
        }
        var order: [Int] = []
        order.reserveCapacity(queue.count)
        var touched: [Int] = []
        let stopAt = spec.eliminable.count - max(0, leaving)
        while state.steps < stopAt {
            guard let top = queue.pop() else { break }  // unreachable: every remaining vertex is queued
            let v = scan[top.rank]
            // Stale: eliminated already, or re-scored since this entry was pushed.
            guard !state.isEliminated(v), current[v] == top.score else { continue }
            touched.removeAll(keepingCapacity: true)
            for p in state.predecessors(of: v) { if case .vertex(let u) = p { touched.append(u) } }
            touched.append(contentsOf: state.successors(of: v))
            state.eliminateUnchecked(v)
            order.append(v)
            for u in touched where rank[u] >= 0 && !state.isEliminated(u) {
                let s = score(state, u)
                if s != current[u] {
                    current[u] = s
                    queue.push(ScoredRank(score: s, rank: rank[u]))
                }
            }
        }
        return order
    }
}

/// A queue entry: a vertex's score when pushed and its rank in the scan (the tie-break).
struct ScoredRank: Comparable {
    var score: Int
    var rank: Int

    static func < (a: ScoredRank, b: ScoredRank) -> Bool {
        a.score != b.score ? a.score < b.score : a.rank < b.rank
    }
}
