import Elimination

/// A good order that respects a set of precedences ("u is eliminated before v"): the guide of one
/// open leaf of PrecedenceSplit (bounds10). An upper-bound search only: what it returns is a real
/// order (its cost a full replay's, ScalarElimination's, which is the game's on these graphs), so a
/// guide cheaper than the best known order is a new record, and nothing it returns is ever used as
/// a lower bound.
///
/// How: each candidate order (the best known one, the parent leaf's guide) is repaired to respect
/// the precedences twice — forward (Kahn's algorithm taking the available vertex the candidate
/// puts first: a vertex that must wait moves later) and backward (from the end, the vertex the
/// candidate puts last among those nothing still unplaced must follow: a vertex that must go
/// earlier moves earlier) — and the cheapest repair descends by first-improvement relocations of
/// one vertex to any position between its nearest direct predecessor and successor under the
/// precedences (the other vertices keep their relative order, so the direct precedences are the
/// only ones a move can break). A move is scored exactly: the graph is set-determined (ScalarGraph),
/// so only the window between the two positions is replayed, from the state cached before it, and
/// the steps after it cost what they cost before. Pure and deterministic; the budget is a count of
/// replayed elimination steps (`workLimit`), not a clock.
public struct LeafGuide {
    let graph: ScalarGraph
    /// Elimination steps the descent may replay per guide (each candidate move replays its window).
    var workLimit = Self.defaultWorkLimit
    public static let defaultWorkLimit = 400_000

    init(graph: ScalarGraph) {
        self.graph = graph
    }

    /// `order`'s cost and what each step pays.
    func score(_ order: [Int]) -> (cost: Int, steps: [Int]) {
        var state = ScalarElimination(graph: graph)
        let steps = order.map { state.eliminate($0) }
        return (steps.reduce(0, +), steps)
    }

    /// `order` with the precedences enforced; `forward`: a vertex that must wait goes later (the
    /// earliest available vertex of `order` first), else a vertex that must go first goes earlier.
    /// Nil when the precedences have a cycle among `order`'s vertices.
    static func repaired(_ order: [Int], _ precedences: [(u: Int, v: Int)], forward: Bool) -> [Int]? {
        let sequence = forward ? order : order.reversed()
        var position = [Int: Int]()
        for (i, v) in sequence.enumerated() { position[v] = i }
        // Edges in the direction of placement: forward u → v, backward v → u.
        var next = [Int: [Int]](), waiting = [Int: Int]()
        for p in precedences {
            let (a, b) = forward ? (p.u, p.v) : (p.v, p.u)
            guard position[a] != nil, position[b] != nil else { continue }
            next[a, default: []].append(b)
            waiting[b, default: 0] += 1
        }
        var ready = BinaryHeap<OpenState>()
        for v in sequence where waiting[v, default: 0] == 0 {
            ready.push(OpenState(f: Int32(position[v]!), g: 0, state: Int32(v)))
        }
        var out: [Int] = []
        out.reserveCapacity(sequence.count)
        while let top = ready.pop() {
            let v = Int(top.state)
            out.append(v)
            for w in next[v] ?? [] {
                waiting[w]! -= 1
                if waiting[w] == 0 { ready.push(OpenState(f: Int32(position[w]!), g: 0, state: Int32(w))) }
            }
        }
        guard out.count == sequence.count else { return nil }
        return forward ? out : out.reversed()
    }

    /// The cheapest order found that respects `precedences` (acyclic), starting from `candidates`
    /// (each a whole order of the graph), with its cost and per-step costs; nil when none can be
    /// repaired (a cycle).
    func order(
        respecting precedences: [(u: Int, v: Int)], from candidates: [[Int]]
    ) -> (order: [Int], cost: Int, steps: [Int])? {
        var best: (order: [Int], cost: Int, steps: [Int])?
        for candidate in candidates {
            for forward in [true, false] {
                guard let order = Self.repaired(candidate, precedences, forward: forward) else { continue }
                let scored = score(order)
                if best == nil || scored.cost < best!.cost { best = (order, scored.cost, scored.steps) }
            }
        }
        guard let start = best else { return nil }
        return descend(start.order, precedences)
    }

    /// First-improvement relocations that keep `precedences`, until a pass improves nothing or the
    /// work runs out; never dearer than `order`.
    func descend(_ start: [Int], _ precedences: [(u: Int, v: Int)]) -> (order: [Int], cost: Int, steps: [Int]) {
        var order = start
        let n = order.count
        var before = [Int: [Int]](), after = [Int: [Int]]()
        for p in precedences {
            after[p.u, default: []].append(p.v)
            before[p.v, default: []].append(p.u)
        }
        // states[i]: the state after order[0..<i]; steps[i]: order[i]'s cost.
        var states: [ScalarElimination] = []
        var steps: [Int] = []
        func rebuild() {
            var state = ScalarElimination(graph: graph)
            states = [state]
            steps = []
            for v in order {
                steps.append(state.eliminate(v))
                states.append(state)
            }
        }
        rebuild()
        var work = n
        var improved = true
        while improved && work < workLimit {
            improved = false
            var i = 0
            while i < n && work < workLimit {
                let x = order[i]
                var position = [Int: Int]()
                for (k, v) in order.enumerated() { position[v] = k }
                // x may go anywhere in (lo, hi): after its direct predecessors, before its successors.
                let lo = (before[x] ?? []).compactMap { position[$0] }.max() ?? -1
                let hi = (after[x] ?? []).compactMap { position[$0] }.min() ?? n
                var moved = false
                for j in (lo + 1)..<hi where j != i {
                    // The order with x moved from i to j; positions a…b change.
                    let a = min(i, j), b = max(i, j)
                    var window = Array(order[a...b])
                    if j > i {
                        window.removeFirst()
                        window.append(x)
                    } else {
                        window.removeLast()
                        window.insert(x, at: 0)
                    }
                    let old = steps[a...b].reduce(0, +)
                    var state = states[a]
                    var cost = 0
                    for v in window {
                        cost += state.eliminate(v)
                        work += 1
                        if cost >= old { break }
                    }
                    if cost < old {
                        order.replaceSubrange(a...b, with: window)
                        rebuild()
                        work += n
                        improved = true
                        moved = true
                        break
                    }
                    if work >= workLimit { break }
                }
                if !moved { i += 1 }
            }
        }
        return (order, steps.reduce(0, +), steps)
    }
}
