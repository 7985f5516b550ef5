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
        var rank = [Int](repeating: -1, count: spec.vertexCount + 1)
        for (i, v) in scan.enumerated() { rank[v] = i }
        var current = [Int](repeating: 0, count: spec.vertexCount + 1)
        var queue = ScoreQueue()
        queue.reserve(scan.count)
        for v in scan {
            current[v] = score(state, v)
            queue.push(score: current[v], rank: rank[v])
        }
        var order: [Int] = []
        order.reserveCapacity(scan.count)
        var touched: [Int] = []
        while !state.isTerminal {
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
                    queue.push(score: s, rank: rank[u])
                }
            }
        }
        return order
    }
}

/// A binary min-heap of (score, rank), ordered by score then rank.
struct ScoreQueue {
    private var heap: [(score: Int, rank: Int)] = []

    mutating func reserve(_ n: Int) { heap.reserveCapacity(n) }

    @inline(__always) private func less(_ a: Int, _ b: Int) -> Bool {
        heap[a].score != heap[b].score ? heap[a].score < heap[b].score : heap[a].rank < heap[b].rank
    }

    mutating func push(score: Int, rank: Int) {
        heap.append((score, rank))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(i, parent) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (score: Int, rank: Int)? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && less(l, m) { m = l }
                if r < heap.count && less(r, m) { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
