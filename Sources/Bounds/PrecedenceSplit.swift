/// A lower bound on the whole cost that couples the start groups' orders: a best-first branch and
/// bound over *precedences* between vertices of different groups ("u goes before v" or "v goes
/// before u"), each group's D(G) recomputed with the vertices known to go before its members
/// shareable.
///
/// Claim. Let S be the eliminated set, B1, …, Bm pairwise disjoint blocks of remaining vertices
/// (the start packing's groups and single vertices), and P a set of precedences (u, v): "u is
/// eliminated before v". For a member x of a block B let before_P(x) be the vertices that P's
/// transitive closure puts before x. Then every completion that respects P costs at least
///
///     L(P) = Σ_B D(B | P),   D(B | P) = min over orders b1, …, bk of B of
///                                Σ_i c(b_i, {b1, …, b_(i−1)} ∪ before_P(b1) ∪ … ∪ before_P(b_i))
///
/// (c(v, A) is CutBound's term with S ∪ A shareable, GroupBound's table with `before`), and for any
/// pair u, v the optimum is at least min(L(P ∪ {(u, v)}), L(P ∪ {(v, u)})) ≥ … : the smallest value
/// over the open leaves of any tree of such splits, started from P = ∅, is a lower bound on every
/// completion from S.
///
/// Proof. Take a completion respecting P; let B's vertices go in the order b1, …, bk, b_i at the
/// eliminated set T_i. T_i ⊇ S ∪ {b1, …, b_(i−1)}, and every vertex that P (hence its transitive
/// closure, since the completion is an order) puts before b_j with j ≤ i is gone before b_j, so
/// before b_i: T_i contains the whole shared set of the claim. CutBound's argument needs only that
/// the shared set lie in T_i, so b_i pays at least that term; summing over B gives at least the
/// sum for this order of B, hence D(B | P); the blocks are disjoint and every vertex pays ≥ 0, so
/// the costs add to at least L(P). Every completion puts u before v or v before u, so it respects
/// exactly one child of a split; by induction each completion respects exactly one open leaf of
/// the tree and costs at least that leaf's L, hence at least the smallest. A leaf whose P has a
/// cycle holds no completion and is dropped. With P = ∅ the blocks' D are the start bound's, so the
/// result is never below it. (The members of B itself may appear in before_P(b_i) only when P puts
/// them before b_i; D is a minimum over all orders of B, which includes the respecting ones, so
/// that stays valid.)
///
/// Why it can rise where better packings cannot: D(B) alone assumes nothing outside B is gone when
/// B's vertices go; a split tells one of the two blocks that a neighbour outside it is gone first,
/// and on each branch that block's members may share it (more disjoint paths, larger terms).
struct PrecedenceSplit {
    /// Most nodes of the tree evaluated (each evaluation re-solves the one block that changes).
    var nodeLimit: Int
    /// Pairs tried exactly per split (strong branching): the best min of the two children wins.
    var candidates = 6
    var deadline = Deadline.none
    /// Nodes evaluated and splits made by the last `run`.
    private(set) var evaluated = 0
    private(set) var splits = 0
    /// Whether the last `run` stopped at the deadline.
    private(set) var timedOut = false

    init(nodeLimit: Int) {
        self.nodeLimit = max(1, nodeLimit)
    }

    private struct Node {
        var precedences: [(u: Int, v: Int)]
        /// D(B | P) of every block (index as `blocks`).
        var values: [Int]
        var total: Int
    }

    /// The bound for the blocks given (each a group of GroupBound's packing at `sets`, or a single
    /// vertex), at most `upper` (nothing above the best known cost is needed). `bounds` must have
    /// evaluated `sets` (its cut terms are those of `sets`). Returns the least open leaf's total.
    mutating func run(_ bounds: inout GroupBound, _ sets: SetGraph, blocks: [[Int]], upper: Int) -> Int {
        evaluated = 0
        splits = 0
        timedOut = false
        let n = bounds.cuts.graph.vertexCount
        var blockOf = [Int](repeating: -1, count: n + 1)
        for (b, block) in blocks.enumerated() { for v in block { blockOf[v] = b } }
        var memo: [[VertexSet]: Int] = [:]
        func value(_ b: Int, _ before: [VertexSet]) -> Int? {
            var key = before
            key.append(VertexSet([b + 1]))
            if let known = memo[key] { return known }
            guard let cost = bounds.exactCost(blocks[b], sets.set, before: before) else { return nil }
            memo[key] = cost
            return cost
        }
        // Transitive closure: the vertices P puts before x.
        func closure(_ x: Int, _ incoming: [Int: [Int]]) -> VertexSet {
            var seen = VertexSet(), stack = incoming[x] ?? []
            while let u = stack.popLast() {
                if seen.contains(u) { continue }
                seen.insert(u)
                stack.append(contentsOf: incoming[u] ?? [])
            }
            return seen
        }
        // The child with (u, v) added: the blocks with a member at or after v change (their
        // closures gain u), the others keep their D; nil when out of time; Int.max when P gets a
        // cycle (no completion).
        func child(_ node: Node, _ u: Int, _ v: Int) -> Node? {
            var precedences = node.precedences
            precedences.append((u, v))
            var incoming = [Int: [Int]]()
            for p in precedences { incoming[p.v, default: []].append(p.u) }
            if closure(u, incoming).contains(u) {
                return Node(precedences: precedences, values: node.values, total: Int.max)
            }
            // Every closure the new precedence changes now holds u (memo: unchanged blocks are hits).
            var values = node.values
            for b in blocks.indices {
                let before = blocks[b].map { closure($0, incoming) }
                guard before.contains(where: { $0.contains(u) }) else { continue }
                guard let d = value(b, before) else { return nil }
                values[b] = d
            }
            evaluated += 1
            return Node(precedences: precedences, values: values, total: values.reduce(0, +))
        }
        // Candidate pairs: the edges between different blocks, ranked by how much each direction
        // raises its block's vertex alone (the smaller of the two: what a split surely buys there).
        var pairs: [(score: Int, u: Int, v: Int)] = []
        let I = bounds.cuts.graph.inputCount
        for v in 1...max(n, 1) where v <= n && blockOf[v] >= 0 {
            for x in sets.predecessors(of: v) where x >= I {
                let u = x - I + 1
                guard blockOf[u] >= 0, blockOf[u] != blockOf[v] else { continue }
                guard let up = bounds.exactCost([v], sets.set, before: [VertexSet([u])]),
                    let down = bounds.exactCost([u], sets.set, before: [VertexSet([v])])
                else {
                    timedOut = true
                    return 0
                }
                let score = min(up - bounds.cuts.terms[v - 1], down - bounds.cuts.terms[u - 1])
                pairs.append((score, u, v))
            }
        }
        pairs.sort { $0.score != $1.score ? $0.score > $1.score : ($0.u, $0.v) < ($1.u, $1.v) }
        var rootValues: [Int] = []
        for b in blocks.indices {
            guard let d = value(b, blocks[b].map { _ in VertexSet() }) else {
                timedOut = true
                return 0
            }
            rootValues.append(d)
        }
        var open = [Node(precedences: [], values: rootValues, total: rootValues.reduce(0, +))]
        evaluated = 1
        while true {
            // The least open leaf is the bound so far.
            let i = open.indices.min { open[$0].total < open[$1].total }!
            let node = open[i]
            if node.total >= upper || evaluated >= nodeLimit { return min(node.total, upper) }
            if deadline.passed() {
                timedOut = true
                return min(node.total, upper)
            }
            var ordered = Set<[Int]>()
            for p in node.precedences {
                ordered.insert([p.u, p.v])
                ordered.insert([p.v, p.u])
            }
            var best: (Node, Node)?
            var tried = 0
            for pair in pairs where !ordered.contains([pair.u, pair.v]) && tried < candidates {
                tried += 1
                guard let a = child(node, pair.u, pair.v), let b = child(node, pair.v, pair.u) else {
                    timedOut = true
                    return min(node.total, upper)
                }
                if best == nil || min(a.total, b.total) > min(best!.0.total, best!.1.total) { best = (a, b) }
            }
            // No pair left to split: this leaf's bound is final.
            guard let (a, b) = best else { return min(node.total, upper) }
            splits += 1
            open.remove(at: i)
            for leaf in [a, b] where leaf.total != Int.max { open.append(leaf) }
            if open.isEmpty { return upper }
        }
    }
}
