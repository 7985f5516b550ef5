/// The cost now (`EliminationState.previewCost`) of every remaining eliminable vertex of one
/// episode, kept up to date as the episode goes on (issue 17): eliminating v changes the edges of
/// its predecessors and successors only, so only those are re-scored — O((|pred v| + |succ v|) ·
/// log n) work per step instead of a scan of every remaining vertex. What the policy's candidate
/// view on large graphs reads at every step (the k cheapest, their ranks by id, the sum and the
/// minimum of the costs, the lowest and highest remaining id).
///
/// A tournament tree over the eliminable vertices (ascending ids, `GameSpec.eliminable`): each
/// node holds the cheapest remaining vertex of its range (ties: the lower id) and how many remain
/// in it. Value semantics; a copy (a beam search child) copies O(n) numbers at its first move.
/// The state it follows must move only through `eliminate(_:in:)`; `init` rebuilds it from any
/// state, and a fresh one equals one kept up to date over the same moves (a test).
public struct RemainingCosts: Sendable {
    /// spec.eliminable: the vertex at each position.
    private let vertices: [Int]
    /// position[v]: v's index in `vertices`, −1 for outputs.
    private let position: [Int32]
    /// Leaves start here (a power of two ≥ the number of eliminable vertices).
    private let leaves: Int
    /// Cost now by position (stale once the vertex is gone).
    private var costs: [Int]
    /// best[node]: the position of the cheapest remaining vertex under the node (ties: lowest), −1: none.
    private var best: [Int32]
    /// remainingUnder[node]: remaining vertices under the node.
    private var remainingUnder: [Int32]
    /// Σ cost now over the remaining vertices.
    public private(set) var total = 0
    /// Vertices whose edges the current move changes (reused between moves).
    private var touched: [Int] = []

    /// The costs of `state`'s remaining vertices: one scan (O(edges)).
    public init(_ state: EliminationState) {
        let spec = state.spec
        vertices = spec.eliminable
        var position = [Int32](repeating: -1, count: spec.vertexCount + 1)
        for (i, v) in vertices.enumerated() { position[v] = Int32(i) }
        self.position = position
        var leaves = 1
        while leaves < max(vertices.count, 1) { leaves <<= 1 }
        self.leaves = leaves
        costs = [Int](repeating: 0, count: vertices.count)
        best = [Int32](repeating: -1, count: 2 * leaves)
        remainingUnder = [Int32](repeating: 0, count: 2 * leaves)
        for (i, v) in vertices.enumerated() where !state.isEliminated(v) {
            costs[i] = state.previewCost(v)
            total += costs[i]
            best[leaves + i] = Int32(i)
            remainingUnder[leaves + i] = 1
        }
        for node in stride(from: leaves - 1, to: 0, by: -1) { refresh(node) }
    }

    // MARK: Queries

    /// Remaining eliminable vertices.
    public var count: Int { Int(remainingUnder[1]) }

    /// The smallest cost now over the remaining vertices (nil: none remain).
    public var minimum: Int? { best[1] >= 0 ? costs[Int(best[1])] : nil }

    /// v's cost now; v must be a remaining eliminable vertex.
    public func cost(of v: Int) -> Int { costs[Int(position[v])] }

    /// The `k` remaining vertices cheapest now, cheapest first (ties: lowest id first): a
    /// best-first walk of the tree, O(k log n · log k).
    public func cheapest(_ k: Int) -> [Int] {
        var out: [Int] = []
        guard k > 0, best[1] >= 0 else { return out }
        out.reserveCapacity(min(k, count))
        var open = BinaryHeap<Entry>()
        open.reserve(2 * k + 2)
        open.push(entry(1))
        while out.count < k, let top = open.pop() {
            if top.node >= leaves {
                out.append(vertices[top.position])
                continue
            }
            for child in [2 * top.node, 2 * top.node + 1] where best[child] >= 0 { open.push(entry(child)) }
        }
        return out
    }

    /// The number of remaining vertices with a lower id than v (v an eliminable vertex).
    public func rank(of v: Int) -> Int {
        var node = leaves + Int(position[v]), below = 0
        while node > 1 {
            if node & 1 == 1 { below += Int(remainingUnder[node - 1]) }
            node >>= 1
        }
        return below
    }

    /// The remaining vertex with `rank` lower remaining ids (0 ≤ rank < count).
    public func vertex(atRank rank: Int) -> Int {
        var node = 1, left = Int32(rank)
        while node < leaves {
            let below = remainingUnder[2 * node]
            if left < below {
                node = 2 * node
            } else {
                left -= below
                node = 2 * node + 1
            }
        }
        return vertices[node - leaves]
    }

    // MARK: Moves

    /// Eliminates v (legal) from `state`, the state these costs follow, and re-scores the vertices
    /// whose edges changed (v's predecessors and successors). Returns the step's cost.
    @discardableResult
    public mutating func eliminate(_ v: Int, in state: inout EliminationState) -> Int {
        touched.removeAll(keepingCapacity: true)
        state.forEachNeighbour(of: v) { touched.append($0) }
        let stepCost = state.eliminateUnchecked(v)
        let i = Int(position[v])
        total -= costs[i]
        best[leaves + i] = -1
        remainingUnder[leaves + i] = 0
        update(leaf: i)
        for u in touched {
            let j = Int(position[u])
            guard j >= 0, !state.isEliminated(u) else { continue }  // outputs are not scored
            let cost = state.previewCost(u)
            guard cost != costs[j] else { continue }
            total += cost - costs[j]
            costs[j] = cost
            update(leaf: j)
        }
        return stepCost
    }

    // MARK: Tree

    private struct Entry: Comparable {
        var cost: Int
        var position: Int
        var node: Int
        static func < (a: Entry, b: Entry) -> Bool {
            a.cost != b.cost ? a.cost < b.cost : a.position < b.position
        }
    }

    private func entry(_ node: Int) -> Entry {
        let p = Int(best[node])
        return Entry(cost: costs[p], position: p, node: node)
    }

    /// Whether position a (or none, −1) is cheaper than b: a lower cost, then a lower position.
    @inline(__always) private func cheaper(_ a: Int32, _ b: Int32) -> Bool {
        if a < 0 { return false }
        if b < 0 { return true }
        let ca = costs[Int(a)], cb = costs[Int(b)]
        return ca != cb ? ca < cb : a < b
    }

    @inline(__always) private mutating func refresh(_ node: Int) {
        let l = best[2 * node], r = best[2 * node + 1]
        best[node] = cheaper(r, l) ? r : l
        remainingUnder[node] = remainingUnder[2 * node] + remainingUnder[2 * node + 1]
    }

    private mutating func update(leaf i: Int) {
        var node = (leaves + i) >> 1
        while node >= 1 {
            refresh(node)
            node >>= 1
        }
    }
}
