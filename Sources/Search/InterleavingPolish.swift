import Elimination

/// Exact re-interleaving of a set K of vertices that need not be consecutive in an order: within a
/// span of the order, every vertex outside K keeps its relative order, K's vertices go anywhere
/// (in any order of their own), and the cheapest such order is found by a dynamic programme over
/// (i = how many of the others are eliminated, the subset of K eliminated): (m + 1) · 2^k states
/// for m others and k = |K|. A window polish (`ExactWindowPolish`) re-orders consecutive steps
/// only, a descent (`RelocationDescent`) moves one vertex or a pair at a time; this moves up to
/// `maxSize` vertices together past the others — the large-neighbourhood step of search12's note
/// (Docs/RESULTS.md), after Tests/BoundsTests/InterleavingProbeTests.swift's probe.
///
/// The programme runs on the game's own states, so it works on every graph, and holds one state at
/// a time: the state after the others' first i vertices, walked forward, and from it every subset
/// of K eliminated and taken back (`EliminationJournal`), each step's cost read off
/// (`previewCost`) — no copies. On a set-determined graph (SetDeterminedGraphs) the state at
/// (i, subset) is the same whatever the path, so the programme is exact: the cheapest
/// interleaving in the span, and (the graph after the span being the same) of the whole order. On
/// a typed graph edge labels can depend on the path, and the state priced at (i, subset) is the one
/// of the path "the others' first i, then the subset": a heuristic. In both cases the candidate is
/// replayed whole and kept only when the whole order gets cheaper: an order never gets dearer.
/// Pure and deterministic: the budget is the caller's (`spent`, in seconds, from the work so far).
public struct InterleavingPolish: Sendable {
    public let spec: GameSpec
    private let setDetermined: Bool

    /// The largest K (2^12 subsets per step of the others).
    public static let maxSize = 12
    /// Positions either side of a vertex that its K is drawn from and re-interleaved within.
    public static let radius = 16
    /// A set gives up when (m + 1) · 2^k exceeds this many states.
    public static let stateLimit = 1 << 20

    public init(spec: GameSpec) {
        self.spec = spec
        setDetermined = SetDeterminedGraphs.holds(for: spec)
    }

    /// One set's outcome: the order (unchanged unless the whole order got cheaper), its cost, the
    /// work (eliminations and cost previews of the programme, plus replayed steps), and whether it
    /// improved.
    public struct Step: Sendable, Equatable {
        public var order: [Int]
        public var cost: Int
        public var work: Int
        public var improved: Bool
    }

    /// The cheapest interleaving of `K` among the other vertices of `order[span]` (kept in their
    /// order); `cost` is `order`'s cost. Every vertex of K must lie in the span; the steps before
    /// and after the span stay as they are.
    public func interleave(_ order: [Int], cost: Int, K: [Int], span: Range<Int>) throws(SearchError) -> Step {
        let n = order.count
        guard span.lowerBound >= 0, span.upperBound <= n else {
            throw .invalidParameter("span \(span) outside an order of \(n) steps")
        }
        let inSpan = Set(order[span])
        guard Set(K).count == K.count, K.allSatisfy(inSpan.contains) else {
            throw .invalidParameter("K \(K) must be distinct vertices of the span \(span)")
        }
        let k = K.count
        guard k <= Self.maxSize else { throw .invalidParameter("K has \(k) vertices, at most \(Self.maxSize)") }
        let unchanged = Step(order: order, cost: cost, work: 0, improved: false)
        let inK = Set(K)
        let others = order[span].filter { !inK.contains($0) }
        let m = others.count
        guard k >= 1, m >= 1, (m + 1) << k <= Self.stateLimit else { return unchanged }
        var state = EliminationState(spec: spec)
        for v in order[..<span.lowerBound] { state.eliminateUnchecked(v) }
        var played = state
        for v in order[span] { played.eliminateUnchecked(v) }
        let spanCost = played.cost - state.cost
        var work = n
        guard spanCost > 0 else { return Step(order: order, cost: cost, work: work, improved: false) }

        let subsets = 1 << k, full = subsets - 1
        // best[mask]: cheapest cost of a path to (i, mask) for the current i; choice[i][mask]: its
        // last step, −1 = the others' vertex i − 1, j = K[j]. Step costs of layer i: kStep[mask · k + j]
        // (K[j] at (i, mask)), otherStep[mask] (others[i] at (i, mask)).
        var best = [Int](repeating: Int.max, count: subsets)
        best[0] = 0
        var choice = [[Int8]](repeating: [Int8](repeating: -1, count: subsets), count: m + 1)
        var kStep = [Int](repeating: 0, count: subsets * k)
        var otherStep = [Int](repeating: 0, count: subsets)
        var journal = EliminationJournal()
        for i in 0...m {
            // Every subset of K from (i, ∅), depth first, each step journaled and taken back.
            price(
                &state, journal: &journal, K: K, other: i < m ? others[i] : nil, mask: 0, next: 0, kStep: &kStep,
                otherStep: &otherStep, work: &work)
            // Relax within the layer (a superset's mask is larger, so ascending order suffices).
            for mask in 0..<subsets where best[mask] != Int.max {
                for j in 0..<k where mask & (1 << j) == 0 {
                    let c = best[mask] + kStep[mask * k + j], to = mask | 1 << j
                    if c < best[to] {
                        best[to] = c
                        choice[i][to] = Int8(j)
                    }
                }
            }
            guard i < m else { break }
            // To layer i + 1: the others' vertex i.
            var next = [Int](repeating: Int.max, count: subsets)
            for mask in 0..<subsets where best[mask] != Int.max {
                next[mask] = best[mask] + otherStep[mask]
            }
            best = next
            state.eliminateUnchecked(others[i])
            work += 1
        }
        let found = best[full]
        if setDetermined && found >= spanCost { return Step(order: order, cost: cost, work: work, improved: false) }
        // Walk the choices back from (m, full).
        var reversed: [Int] = []
        var i = m, mask = full
        while i > 0 || mask != 0 {
            let j = Int(choice[i][mask])
            if j < 0 {
                i -= 1
                reversed.append(others[i])
            } else {
                mask ^= 1 << j
                reversed.append(K[j])
            }
        }
        let candidate = Array(order[..<span.lowerBound]) + reversed.reversed() + Array(order[span.upperBound...])
        guard candidate != order else { return Step(order: order, cost: cost, work: work, improved: false) }
        let rescored = try SearchResult.rescored(method: "interleave", order: candidate, evaluations: 1, on: spec)
        work += n
        guard rescored.cost < cost else { return Step(order: order, cost: cost, work: work, improved: false) }
        return Step(order: candidate, cost: rescored.cost, work: work, improved: true)
    }

    /// What `polish` did: the order and its cost, the sets re-interleaved, those that improved the
    /// order, and the work (the unit of `spent`).
    public struct Outcome: Sendable, Equatable {
        public var order: [Int]
        public var cost: Int
        public var sets: Int
        public var improvements: Int
        public var work: Int
    }

    /// Polishes `order` (cost `cost`) within `seconds`: for each position p in turn, K is the vertex
    /// v there and up to `size` − 1 more of a connected region around it — breadth first over
    /// eliminable neighbours in the initial graph or in the graph the order leaves just before a
    /// vertex is eliminated, only vertices within `radius` positions of p, nearest to p first —
    /// re-interleaved within the positions p ± `radius`. First improvement, pass after pass
    /// while a pass improves something and the budget lasts. `spent(work)`: seconds used so far
    /// given the work so far (checked before every set; the first always runs).
    public func polish(
        _ order: [Int], cost: Int, size: Int, seconds: Double, spent: (Int) -> Double
    ) throws(SearchError) -> Outcome {
        guard size >= 2, size <= Self.maxSize else {
            throw .invalidParameter("the interleaved set's size must be in 2...\(Self.maxSize), not \(size)")
        }
        var out = Outcome(order: order, cost: cost, sets: 0, improvements: 0, work: 0)
        let n = order.count
        guard n >= 3, seconds > 0 else { return out }
        let initial = RelocationDescent.earlierNeighbours(spec: spec)
        var improved = true
        passes: while improved {
            improved = false
            var joined = RelocationDescent.laterNeighboursAtElimination(out.order, spec: spec)
            out.work += n
            var position = [Int](repeating: 0, count: spec.vertexCount + 1)
            for (i, v) in out.order.enumerated() { position[v] = i }
            for p in 0..<n {
                let span = max(0, p - Self.radius)..<min(n, p + Self.radius + 1)
                let K = region(around: out.order[p], size: size, span: span, position: position) {
                    initial[$0] + joined[$0]
                }
                guard K.count >= 2 else { continue }
                guard out.sets == 0 || spent(out.work) < seconds else { break passes }
                let step = try interleave(out.order, cost: out.cost, K: K, span: span)
                out.sets += 1
                out.work += step.work
                guard step.improved else { continue }
                out.order = step.order
                out.cost = step.cost
                out.improvements += 1
                improved = true
                for (i, w) in out.order.enumerated() { position[w] = i }
                joined = RelocationDescent.laterNeighboursAtElimination(out.order, spec: spec)
                out.work += n
            }
        }
        return out
    }

    /// Up to `size` vertices of `span` connected to `v` through `neighbours`, breadth first, each
    /// vertex's neighbours nearest in the order first: a small connected region of the graph.
    private func region(
        around v: Int, size: Int, span: Range<Int>, position: [Int], neighbours: (Int) -> [Int]
    ) -> [Int] {
        var out = [v], seen: Set<Int> = [v], next = 0
        while next < out.count, out.count < size {
            let u = out[next]
            next += 1
            let near = Set(neighbours(u)).filter { !seen.contains($0) && span.contains(position[$0]) }
            for w in near.sorted(by: { (abs(position[$0] - position[v]), $0) < (abs(position[$1] - position[v]), $1) })
            {
                guard out.count < size else { break }
                out.append(w)
                seen.insert(w)
            }
        }
        return out
    }

    /// Prices every step out of the states (i, S) for the subsets S of K that contain `mask` and
    /// no K[j] with j ≥ `next` outside it: K[j]'s at `kStep[S · k + j]`, `other`'s at `otherStep[S]`.
    /// `state` is (i, mask) and ends as it began.
    private func price(
        _ state: inout EliminationState, journal: inout EliminationJournal, K: [Int], other: Int?, mask: Int,
        next: Int, kStep: inout [Int], otherStep: inout [Int], work: inout Int
    ) {
        let k = K.count
        for j in 0..<next where mask & (1 << j) == 0 {
            kStep[mask * k + j] = state.previewCost(K[j])
            work += 1
        }
        if let other {
            otherStep[mask] = state.previewCost(other)
            work += 1
        }
        for j in next..<k {
            kStep[mask * k + j] = state.eliminate(K[j], journal: &journal)
            work += 1
            price(
                &state, journal: &journal, K: K, other: other, mask: mask | 1 << j, next: j + 1, kStep: &kStep,
                otherStep: &otherStep, work: &work)
            state.undo(&journal)
        }
    }
}
