/// An admissible lower bound on the cost still to pay from a set-determined state, from vertex cuts
/// (Menger's theorem).
///
/// Claim. Let S be the eliminated set and v a remaining vertex, eliminated later at set T ⊇ S.
/// Then |P_T(v)| ≥ λ_in(v) and |succ_T(v)| ≥ λ_out(v), where λ_in(v) is the largest number of paths
/// from fixed nodes (inputs and outputs, never eliminated) to v that share no node but v, in the
/// original graph where the vertices of S may be shared (infinite capacity), and λ_out(v) the same
/// towards fixed nodes downstream. So eliminating v costs at least λ_in(v)·λ_out(v), and
///
///     h(S) = Σ over remaining eliminable v of λ_in(v) · λ_out(v)
///
/// never exceeds the cheapest cost of eliminating the rest.
///
/// Proof. Take a path from a fixed node z to v. Its nodes outside T, in order, form a path of the
/// graph after eliminating T (consecutive ones are joined through T, which creates that edge;
/// SetGraph), and z ∉ T, so the last node before v on it is in P_T(v). Hence P_T(v) meets every such
/// path: it is a vertex cut between the fixed nodes and v that avoids T ⊇ S, and by Menger's
/// theorem every such cut has at least λ_in(v) nodes (paths sharing only S nodes and v need distinct
/// cut nodes). The same argument downstream gives λ_out(v). The terms of h are over distinct
/// vertices, each eliminated exactly once, so they add.
///
/// An output copy's owner o pays |P_T(o)|·(|succ_T(o)| − 1) (ScalarGraph): its term is
/// λ_in(o)·(λ_out(o) − 1), by the same cuts (ScalarGraph.freeSuccessors).
///
/// Consistency (what A* needs): eliminating u at S costs |P_S(u)|·|succ_S(u)| ≥ λ_in(u)·λ_out(u),
/// and a cut avoiding S ∪ {u} also avoids S, so every other λ can only grow: h(S) ≤ cost(u) + h(S+u).
///
/// This is the classical idea behind the vertex-elimination lower bounds used in branch and bound
/// (each vertex pays at least its "min-cut degree"; cf. Chen, Hovland, Munson, Utke 2012, and
/// Naumann's bound by the number of independent paths); the statement and proof above are ours.
struct CutBound {
    let graph: ScalarGraph
    /// Edge a goes tail[a] → head[a]. The arcs leaving node x are outArcs[outStart[x]..<outStart[x +
    /// 1]], those entering it inArcs[inStart[x]..<inStart[x + 1]]: flat, so the search's inner loop
    /// retains no inner array (Docs/RESULTS.md, "(bounds13)").
    private let tail: [Int32], head: [Int32]
    private let outStart: [Int32], outArcs: [Int32], inStart: [Int32], inArcs: [Int32]
    /// Flow on each edge (in the direction of the current run) and through each node.
    private var edgeFlow: [Int32]
    private var through: [Int32]
    private var touchedArcs: [Int32] = [], touchedNodes: [Int32] = []
    /// BFS over split nodes: 2x = x's entry, 2x + 1 = x's exit (the source, whose arcs reach the
    /// path ends, is implicit). One buffer of four parts of `splitCount` each: the queue, each
    /// node's stamp (the search that reached it last; `generation` is the current one), and where
    /// its arc leads: the next split node towards the sink and the arc kind/id (see `disjointPaths`).
    private let splitCount: Int
    private var scratch: [Int32]
    private var generation: Int32 = 0
    /// `degree`'s walk: each node's stamp (the walk that reached it last) and the stack.
    private var degreeStamp: [Int32]
    private var degreeGeneration: Int32 = 0
    private var degreeStack: [Int32] = []
    /// λ_in·λ_out of each vertex at the last `evaluate` (index v − 1), 0 for eliminated ones, and
    /// the two factors.
    private(set) var terms: [Int]
    private(set) var lambdaIn: [Int], lambdaOut: [Int]

    init(graph: ScalarGraph) {
        self.graph = graph
        var tail: [Int32] = [], head: [Int32] = []
        var outArcs = [[Int32]](repeating: [], count: graph.nodeCount)
        var inArcs = [[Int32]](repeating: [], count: graph.nodeCount)
        for (x, succ) in graph.successors.enumerated() {
            for y in succ {
                let a = Int32(tail.count)
                tail.append(Int32(x))
                head.append(Int32(y))
                outArcs[x].append(a)
                inArcs[y].append(a)
            }
        }
        self.tail = tail
        self.head = head
        func flat(_ lists: [[Int32]]) -> (start: [Int32], arcs: [Int32]) {
            var start: [Int32] = [0]
            for list in lists { start.append(start.last! + Int32(list.count)) }
            return (start, lists.flatMap { $0 })
        }
        (outStart, self.outArcs) = flat(outArcs)
        (inStart, self.inArcs) = flat(inArcs)
        edgeFlow = [Int32](repeating: 0, count: tail.count)
        through = [Int32](repeating: 0, count: graph.nodeCount)
        splitCount = 2 * graph.nodeCount + 1
        scratch = [Int32](repeating: 0, count: 4 * splitCount)
        degreeStamp = [Int32](repeating: 0, count: graph.nodeCount)
        terms = [Int](repeating: 0, count: graph.vertexCount)
        lambdaIn = terms
        lambdaOut = terms
    }

    /// h(S) for the set loaded in `sets` (which also gives |P(v)| and |succ(v)|, upper limits of the
    /// λs that save the last, failing search). Fills `terms`.
    mutating func evaluate(_ sets: SetGraph) -> Int {
        var total = 0
        for i in 0..<graph.vertexCount {
            total += term(
                of: i + 1, set: sets.set, predecessors: sets.predecessorCount[i], successors: sets.successorCount[i])
        }
        return total
    }

    /// h(∅), the bound before anything is eliminated, on a graph of any size (ScalarGraph built with
    /// `forSetSearch` false: no VertexSet is needed, as no vertex is eliminated), term by term in
    /// vertex order until `shouldStop` says so (asked before each vertex). Every term is ≥ 0, so the
    /// terms done so far already add up to a lower bound. `progress` gets the vertices done, of how
    /// many, and that bound every 256 vertices. Fills `terms` for the vertices done.
    mutating func startTerms(
        shouldStop: () -> Bool = { false }, progress: ((_ done: Int, _ total: Int, _ bound: Int) -> Void)? = nil
    ) -> (total: Int, done: Int) {
        var total = 0, done = 0
        for i in 0..<graph.vertexCount {
            if shouldStop() { break }
            // Edges are distinct pairs, so the operand and reader lists are P(v) and succ(v) at ∅.
            let node = graph.node(ofVertex: i + 1)
            total += term(
                of: i + 1, set: VertexSet(), predecessors: graph.predecessors[i].count,
                successors: graph.successors[node].count)
            done += 1
            if done % 256 == 0 { progress?(done, graph.vertexCount, total) }
        }
        return (total, done)
    }

    /// Vertex v's term λ_in(v)·(λ_out(v) − its output copies) with `set` eliminated (0 for a fixed
    /// or eliminated vertex and one without predecessors or successors), given |P(v)| and |succ(v)|
    /// there (each a cut, so the searches stop at them). Records it in `terms` and the λs.
    private mutating func term(of v: Int, set: VertexSet, predecessors cap: Int, successors capOut: Int) -> Int {
        let i = v - 1
        terms[i] = 0
        lambdaIn[i] = 0
        lambdaOut[i] = 0
        guard !graph.isFixed[graph.node(ofVertex: v)], !set.contains(v), cap > 0, capOut > 0 else { return 0 }
        let lin = disjointPaths(to: v, upstream: true, set: set, limit: cap)
        guard lin > 0 else { return 0 }
        let lout = disjointPaths(to: v, upstream: false, set: set, limit: capOut)
        lambdaIn[i] = lin
        lambdaOut[i] = lout
        terms[i] = lin * (lout - graph.freeSuccessors[i])
        return terms[i]
    }

    /// |P_T(v)| (upstream) or |succ_T(v)| with T = `set` eliminated, from the original graph: the
    /// nodes outside T joined to v by a path whose inner nodes are all in T (SetGraph's edges), found
    /// by a walk from v through T. A cut between the path ends of `disjointPaths` (fixed nodes and
    /// any `remaining`, all outside T) and v (the type's proof), so λ never exceeds it: as its
    /// `limit` it saves the last, failing search whenever λ reaches it. No flow, and the walk stays
    /// inside T and its border, so it costs less than that search.
    mutating func degree(of v: Int, upstream: Bool, after set: VertexSet) -> Int {
        let I = graph.inputCount
        if degreeGeneration == Int32.max {
            for i in degreeStamp.indices { degreeStamp[i] = 0 }
            degreeGeneration = 0
        }
        degreeGeneration += 1
        let current = degreeGeneration
        let (start, arcs) = upstream ? (inStart, inArcs) : (outStart, outArcs)
        let end = upstream ? tail : head
        var count = 0
        degreeStack.append(Int32(graph.node(ofVertex: v)))
        degreeStamp[graph.node(ofVertex: v)] = current
        while let x = degreeStack.popLast() {
            for i in Int(start[Int(x)])..<Int(start[Int(x) + 1]) {
                let y = Int(end[Int(arcs[i])])
                guard degreeStamp[y] != current else { continue }
                degreeStamp[y] = current
                if y >= I && set.contains(y - I + 1) {
                    degreeStack.append(Int32(y))
                } else {
                    count += 1
                }
            }
        }
        return count
    }

    /// λ_in(v) (upstream) or λ_out(v): unit-capacity augmenting paths on the split graph, stopping
    /// at `limit` (a known cut size, so one more search could not succeed). Each path is searched
    /// from v backwards (breadth first, to the nearest path end): the search that fails sees only
    /// v's side of the smallest cut, where one from the path ends saw the whole region behind it
    /// (on a scalar program with many results the precedence split made 3 times the nodes).
    ///
    /// `remaining`: vertices known to be still there when v goes (not in T). They are path ends
    /// like the fixed nodes (each still through at most one path): a path from a remaining r to v
    /// has its nodes outside T form a path of the graph after T starting at r ∉ T, so its last node
    /// before v is in P_T(v) as well, and P_T(v) is a cut between the fixed nodes ∪ `remaining` and
    /// v (Menger as in the type's proof; downstream likewise). More ends never lower λ. A vertex
    /// cannot be both gone and still there: `remaining` must not meet `set` (else λ is unbounded).
    mutating func disjointPaths(
        to v: Int, upstream: Bool, set: VertexSet, limit: Int, remaining: VertexSet = VertexSet()
    ) -> Int {
        let hasRemaining = remaining.count > 0
        let t = graph.node(ofVertex: v), W = graph.words, I = graph.inputCount
        let split = splitCount, isFixed = graph.isFixed
        // t's row of the reach tables, or the same row walked for a graph built without them.
        let (region, regionBase) =
            graph.hasReachTables
            ? (upstream ? graph.ancestors : graph.descendants, t * W) : (graph.reach(of: t, upstream: upstream), 0)
        // Arcs "forward" in this run: along the edges upstream, against them downstream; `ahead`
        // is the node a forward arc leads to, `behind` the one a backward arc comes from.
        let (forwardStart, forward) = upstream ? (outStart, outArcs) : (inStart, inArcs)
        let (backwardStart, backward) = upstream ? (inStart, inArcs) : (outStart, outArcs)
        let ahead = upstream ? head : tail, behind = upstream ? tail : head
        var paths = 0
        while paths < limit {
            if generation == Int32.max {
                // Stamps would repeat: clear them (every 2^31 searches).
                for i in split..<2 * split { scratch[i] = 0 }
                generation = 0
            }
            generation += 1
            let current = generation
            var found: Int32 = -1
            do {
                // The flows are read-only during the search (locals, released before they change).
                let edgeFlow = edgeFlow, through = through
                found = scratch.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    let queue = buffer.baseAddress!, stamp = queue + split, next = stamp + split
                    let via = next + split
                    @inline(__always) func inRegion(_ x: Int) -> Bool {
                        region[regionBase + x >> 6] & (1 << UInt64(x & 63)) != 0
                    }
                    @inline(__always) func unbounded(_ x: Int) -> Bool { x >= I && set.contains(x - I + 1) }
                    /// A path end: the source's arcs (infinite) reach every fixed node of the region
                    /// and every `remaining` one.
                    @inline(__always) func isEnd(_ x: Int) -> Bool {
                        inRegion(x) && (isFixed[x] || (hasRemaining && x >= I && remaining.contains(x - I + 1)))
                    }
                    var qHead = 0, qTail = 0
                    /// s reaches `n` (nearer the sink) along an arc of the residual graph.
                    @inline(__always) func visit(_ s: Int32, to n: Int32, _ how: Int32) {
                        if stamp[Int(s)] != current {
                            stamp[Int(s)] = current
                            next[Int(s)] = n
                            via[Int(s)] = how
                            queue[qTail] = s
                            qTail += 1
                        }
                    }
                    // From the sink backwards: the first path end reached closes a shortest path, and
                    // the search that fails explores only the sink's side of the cut (the source's
                    // side is the whole upstream region, where the search from the source began).
                    queue[qTail] = Int32(2 * t)
                    qTail += 1
                    stamp[2 * t] = current
                    while qHead < qTail {
                        let n = queue[qHead]
                        qHead += 1
                        let x = Int(n >> 1)
                        if n & 1 == 0 {
                            // Entry of x: from the source (x a path end), from x's exit (cancelling
                            // flow through x), or along an edge from the exit of a node of the region.
                            if x != t {
                                if isEnd(x) { return n }
                                if through[x] > 0 { visit(n | 1, to: n, -3) }
                            }
                            for i in Int(backwardStart[x])..<Int(backwardStart[x + 1]) {
                                let a = backward[i]
                                let u = Int(behind[Int(a)])
                                if inRegion(u) { visit(Int32(2 * u + 1), to: n, a) }
                            }
                        } else {
                            // Exit of x: from x's entry, or from the entry of a node y of the region
                            // (not the sink) by cancelling the flow on an edge x → y.
                            if unbounded(x) || through[x] == 0 { visit(n & ~1, to: n, -2) }
                            for i in Int(forwardStart[x])..<Int(forwardStart[x + 1]) {
                                let a = forward[i]
                                guard edgeFlow[Int(a)] > 0 else { continue }
                                let y = Int(ahead[Int(a)])
                                if y != t && inRegion(y) { visit(Int32(2 * y), to: n, a) }
                            }
                        }
                    }
                    return -1
                }
            }
            guard found >= 0 else { break }
            // Augment one unit from the path end to the sink.
            var s = found
            while s != Int32(2 * t) {
                let n = scratch[2 * split + Int(s)], how = scratch[3 * split + Int(s)]
                switch how {
                case -2: through[Int(s >> 1)] += 1; touchedNodes.append(s >> 1)
                case -3: through[Int(s >> 1)] -= 1
                default:
                    // An edge arc: forward when it enters an entry (exit → entry), a cancellation
                    // when it enters an exit.
                    if n & 1 == 0 {
                        edgeFlow[Int(how)] += 1; touchedArcs.append(how)
                    } else {
                        edgeFlow[Int(how)] -= 1
                    }
                }
                s = n
            }
            paths += 1
        }
        for a in touchedArcs { edgeFlow[Int(a)] = 0 }
        for x in touchedNodes { through[Int(x)] = 0 }
        touchedArcs.removeAll(keepingCapacity: true)
        touchedNodes.removeAll(keepingCapacity: true)
        return paths
    }
}
