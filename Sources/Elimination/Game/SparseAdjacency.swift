/// The sparse layout of a game state (issue 17): for every vertex its in-edges and for every node
/// its out-edges, each a sorted array of entries `neighbour << 32 | packed label`. Memory and the
/// work of one step follow the edges around the eliminated vertex, not (inputs + vertices) ×
/// vertices. Every edge is held twice (in its source's out-list and its target's in-list) with
/// the same label, so both directions are one array read away.
struct SparseAdjacency: Sendable {
    /// inEdges[s]: edges into vertex column s (0-based), keyed by source node.
    var inEdges: ChunkedLists
    /// outEdges[p]: edges out of node p, keyed by target vertex column.
    var outEdges: ChunkedLists

    init(nodes: Int, vertices: Int) {
        inEdges = ChunkedLists(count: vertices)
        outEdges = ChunkedLists(count: nodes)
    }

    /// Sorts every list by neighbour; of two entries for one neighbour the later one stays (as a
    /// later write to the same dense cell would).
    mutating func normalise() {
        func clean(_ list: inout [UInt64]) {
            guard list.count > 1 else { return }
            if zip(list, list.dropFirst()).allSatisfy({ Self.neighbour($0) < Self.neighbour($1) }) { return }
            // Stable by neighbour: keep insertion order among equals, then keep the last of each run.
            let sorted = list.enumerated().sorted { (a, b) in
                let na = Self.neighbour(a.element), nb = Self.neighbour(b.element)
                return na != nb ? na < nb : a.offset < b.offset
            }.map(\.element)
            var out: [UInt64] = []
            out.reserveCapacity(sorted.count)
            for e in sorted {
                if let last = out.last, Self.neighbour(last) == Self.neighbour(e) {
                    out[out.count - 1] = e
                } else {
                    out.append(e)
                }
            }
            list = out
        }
        for i in inEdges.indices { clean(&inEdges[i]) }
        for i in outEdges.indices { clean(&outEdges[i]) }
    }

    @inline(__always) static func entry(_ neighbour: Int, _ label: UInt32) -> UInt64 {
        UInt64(neighbour) << 32 | UInt64(label)
    }
    @inline(__always) static func neighbour(_ e: UInt64) -> Int { Int(e >> 32) }
    @inline(__always) static func label(_ e: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: e) }

    /// The packed label of node p → vertex column s, 0 if there is none (binary search).
    func label(from p: Int, to s: Int) -> UInt32 {
        let list = inEdges[s]
        return Self.position(of: p, in: list).map { Self.label(list[$0]) } ?? 0
    }

    /// Edges held (each once).
    var entryCount: Int { inEdges.reduce(0) { $0 + $1.count } }

    /// A copy with fresh storage for every list.
    func deepCopy() -> SparseAdjacency {
        var copy = self
        copy.inEdges = inEdges.deepCopy()
        copy.outEdges = outEdges.deepCopy()
        return copy
    }

    /// The sum of `pairCost` over every (p → v, v → s) pair around vertex column c (node nv).
    func previewCost(column c: Int, node nv: Int, dims D: UnsafeBufferPointer<Dims>) -> Int {
        var total = 0
        let preds = inEdges[c], succs = outEdges[nv]
        for pe in preds {
            let lin = Self.label(pe)
            for se in succs { total &+= EliminationState.pairCost(lin, Self.label(se), D) }
        }
        return total
    }

    /// Eliminates vertex column c (node nv): every (p, s) pair gets the product edge p → s merged
    /// into an existing one (the same label arithmetic as the dense layout), p → v and v → s go.
    /// Returns the step's cost. `scratch` is reused between calls to avoid allocating.
    mutating func eliminate(
        column c: Int, node nv: Int, dims D: UnsafeBufferPointer<Dims>, scratch: inout [UInt64]
    )
        -> Int
    {
        let preds = inEdges[c], succs = outEdges[nv]
        inEdges[c] = []
        outEdges[nv] = []
        var stepCost = 0
        // Out-lists of the predecessors: merge in the successors, drop v.
        for pe in preds {
            let p = Self.neighbour(pe), lin = Self.label(pe)
            for se in succs { stepCost &+= EliminationState.pairCost(lin, Self.label(se), D) }
            Self.merge(&outEdges[p], with: succs, dropping: c, scratch: &scratch) { lout, existing in
                EliminationState.productLabel(lin, lout, existing)
            }
        }
        // In-lists of the successors: merge in the predecessors, drop v.
        for se in succs {
            let s = Self.neighbour(se), lout = Self.label(se)
            Self.merge(&inEdges[s], with: preds, dropping: nv, scratch: &scratch) { lin, existing in
                EliminationState.productLabel(lin, lout, existing)
            }
        }
        return stepCost
    }

    /// list ∪ others (both sorted by neighbour), without `dropped`; a neighbour in `others` gets
    /// the label `combine(its label in others, its label in list or 0)`. A few entries into a
    /// long list (a hub: an input every vertex reads, an output in reverse mode) go in by binary
    /// search and one memmove each; otherwise one linear merge.
    @inline(__always)
    private static func merge(
        _ list: inout [UInt64], with others: [UInt64], dropping dropped: Int, scratch: inout [UInt64],
        _ combine: (UInt32, UInt32) -> UInt32
    ) {
        if others.count * 16 < list.count {
            if let i = position(of: dropped, in: list) { list.remove(at: i) }
            for e in others {
                let n = Self.neighbour(e)
                let i = lowerBound(of: n, in: list)
                if i < list.count && Self.neighbour(list[i]) == n {
                    list[i] = Self.entry(n, combine(Self.label(e), Self.label(list[i])))
                } else {
                    list.insert(Self.entry(n, combine(Self.label(e), 0)), at: i)
                }
            }
            return
        }
        scratch.removeAll(keepingCapacity: true)
        var i = 0, j = 0
        let a = list
        scratch.reserveCapacity(a.count + others.count)
        while i < a.count || j < others.count {
            let na = i < a.count ? Self.neighbour(a[i]) : Int.max
            let nb = j < others.count ? Self.neighbour(others[j]) : Int.max
            if na < nb {
                if na != dropped { scratch.append(a[i]) }
                i += 1
            } else if nb < na {
                scratch.append(Self.entry(nb, combine(Self.label(others[j]), 0)))
                j += 1
            } else {
                scratch.append(Self.entry(nb, combine(Self.label(others[j]), Self.label(a[i]))))
                i += 1
                j += 1
            }
        }
        // The merged list becomes the vertex's; its old storage becomes the next merge's buffer.
        swap(&list, &scratch)
    }

    /// The first index whose neighbour is ≥ n.
    @inline(__always) static func lowerBound(of n: Int, in list: [UInt64]) -> Int {
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) >> 1
            if Self.neighbour(list[mid]) < n { low = mid + 1 } else { high = mid }
        }
        return low
    }

    @inline(__always) static func position(of n: Int, in list: [UInt64]) -> Int? {
        let i = lowerBound(of: n, in: list)
        return i < list.count && Self.neighbour(list[i]) == n ? i : nil
    }
}
