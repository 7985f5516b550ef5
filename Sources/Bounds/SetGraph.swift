/// The graph after eliminating a set S of vertices, rebuilt from S alone (ScalarGraph's graphs are
/// set-determined): an edge u → x exists iff some path u → … → x of the original graph runs through
/// vertices of S only, so x's predecessor set is, in program order,
///
///     P(x) = ⋃ over operands u of x: {u} if u ∉ S, else P(u)
///
/// which costs one pass over the edges with bitsets over nodes. Eliminating a remaining vertex v
/// then costs |P(v)| · |{x ∉ S : v ∈ P(x)}|. A workspace: `load` overwrites it for another set.
struct SetGraph {
    let graph: ScalarGraph
    private(set) var set = VertexSet()
    /// P(x) of each vertex (index v − 1, `graph.words` per vertex); for v ∈ S it is the set of
    /// remaining nodes that reach v through S, used to build the others.
    private(set) var predecessorBits: [UInt64]
    /// |P(v)| and the number of remaining successors, per vertex (index v − 1).
    private(set) var predecessorCount: [Int]
    private(set) var successorCount: [Int]
    /// Successor sets of remaining vertices over nodes, filled by `loadSuccessorSets` (twin rule).
    private(set) var successorBits: [UInt64]

    init(graph: ScalarGraph) {
        // Sets of more than VertexSet.capacity vertices would alias; such graphs are built only
        // without the reach tables, for CutBound's start terms (ScalarGraph.init's forSetSearch).
        precondition(
            graph.hasReachTables, "\(graph.spec.name): a graph built without forSetSearch has no set-keyed states")
        self.graph = graph
        let n = graph.vertexCount
        predecessorBits = [UInt64](repeating: 0, count: n * graph.words)
        predecessorCount = [Int](repeating: 0, count: n)
        successorCount = [Int](repeating: 0, count: n)
        successorBits = [UInt64](repeating: 0, count: n * graph.words)
    }

    mutating func load(_ set: VertexSet) {
        self.set = set
        let W = graph.words, n = graph.vertexCount, I = graph.inputCount
        predecessorBits.withUnsafeMutableBufferPointer { P in
            for i in 0..<n {
                let row = i * W
                for w in 0..<W { P[row + w] = 0 }
                for u in graph.predecessors[i] {
                    if u < I || !set.contains(u - I + 1) {
                        P[row + u >> 6] |= 1 << UInt64(u & 63)
                    } else {
                        let urow = (u - I) * W
                        for w in 0..<W { P[row + w] |= P[urow + w] }
                    }
                }
            }
            for i in 0..<n { successorCount[i] = 0 }
            for i in 0..<n where !set.contains(i + 1) {
                var count = 0
                for w in 0..<W {
                    var word = P[i * W + w]
                    count += word.nonzeroBitCount
                    while word != 0 {
                        let u = w << 6 + word.trailingZeroBitCount
                        word &= word - 1
                        if u >= I { successorCount[u - I] += 1 }
                    }
                }
                predecessorCount[i] = count
            }
        }
    }

    /// Fills `successorBits` for the loaded set: node x ∈ succ(v) iff v ∈ P(x).
    mutating func loadSuccessorSets() {
        let W = graph.words, n = graph.vertexCount, I = graph.inputCount
        for k in 0..<successorBits.count { successorBits[k] = 0 }
        for i in 0..<n where !set.contains(i + 1) {
            let x = I + i
            for w in 0..<W {
                var word = predecessorBits[i * W + w]
                while word != 0 {
                    let u = w << 6 + word.trailingZeroBitCount
                    word &= word - 1
                    if u >= I { successorBits[(u - I) * W + x >> 6] |= 1 << UInt64(x & 63) }
                }
            }
        }
    }

    func isRemaining(_ v: Int) -> Bool { !set.contains(v) }

    /// What eliminating remaining vertex v costs now (multiplications).
    /// (An output copy's owner does not pay for its pairs with the copy: ScalarGraph.freeSuccessors.)
    @inline(__always) func cost(_ v: Int) -> Int {
        predecessorCount[v - 1] * (successorCount[v - 1] - graph.freeSuccessors[v - 1])
    }

    /// P(v) as node indices, ascending (for tests and reports).
    func predecessors(of v: Int) -> [Int] {
        var out: [Int] = []
        let W = graph.words
        for w in 0..<W {
            var word = predecessorBits[(v - 1) * W + w]
            while word != 0 {
                out.append(w << 6 + word.trailingZeroBitCount)
                word &= word - 1
            }
        }
        return out
    }

    /// Same predecessor and successor sets (false twins); needs `loadSuccessorSets`.
    func areTwins(_ u: Int, _ v: Int) -> Bool {
        let W = graph.words
        for w in 0..<W {
            if predecessorBits[(u - 1) * W + w] != predecessorBits[(v - 1) * W + w] { return false }
            if successorBits[(u - 1) * W + w] != successorBits[(v - 1) * W + w] { return false }
        }
        return true
    }
}
