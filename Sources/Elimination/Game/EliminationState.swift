/// One position of the vertex-elimination game (COST_MODEL.md §3): the graph with the vertices
/// eliminated so far. `eliminate(_:)` returns the multiplications that step costs; the episode ends
/// when every non-output vertex is gone, and the sum of the steps is the Jacobian's cost.
///
/// Storage has one of two layouts, chosen once per graph by `GameSpec.layout` (ARCHITECTURE.md,
/// "The game state"): small graphs (every paper task) are dense — two flat arrays (packed labels
/// of every (node, vertex) pair, and predecessor/successor bitsets), so a copy is two memcpys;
/// large graphs are sparse — `SparseAdjacency`, sorted (neighbour, label) lists per vertex, so
/// memory and a step follow the edges. Both give the same labels and the same step costs for
/// every order (a property test). Value semantics: `var b = a` shares storage until one of them
/// moves (copy-on-write).
public struct EliminationState: Sendable {
    public let spec: GameSpec
    /// Dense: labels[p * n + (s − 1)]: packed label of edge node p → vertex s, 0 if none. Sparse: empty.
    /// (Internal, not private: `EliminationJournal` restores entries of it.)
    var labels: [UInt32]
    /// Dense: [predecessors of each vertex: n × nodeWords][successors of each node: N × vertexWords][eliminated: vertexWords].
    /// Sparse: [eliminated: vertexWords] only.
    /// (Internal, not private: `EliminationJournal` restores words of it.)
    var bits: [UInt64]
    /// Sparse: the adjacency lists. Dense: empty.
    private var sparse: SparseAdjacency
    /// Sparse: a merge buffer reused between steps.
    private var scratch: [UInt64] = []
    public internal(set) var cost: Int = 0
    public internal(set) var steps: Int = 0

    public init(spec: GameSpec) {
        self.spec = spec
        labels = spec.initialLabels
        bits = spec.initialBits
        sparse = spec.initialSparse
    }

    /// Which layout this state uses (its spec's).
    public var layout: StateLayout { spec.layout }

    public init(graph: ComputationalGraph) {
        self.init(spec: GameSpec(graph: graph))
    }

    private var predecessorSize: Int { spec.vertexCount * spec.nodeWords }
    private var eliminatedOffset: Int { spec.eliminatedOffset }
    var isDense: Bool { spec.layout == .dense }

    // MARK: Queries

    public var isTerminal: Bool { steps == spec.eliminable.count }

    public func isEliminated(_ v: Int) -> Bool {
        bits[eliminatedOffset + (v - 1) >> 6] & (1 << UInt64((v - 1) & 63)) != 0
    }

    /// A legal action: an existing, non-output vertex that is still there.
    public func isLegal(_ v: Int) -> Bool {
        v >= 1 && v <= spec.vertexCount && !spec.isOutput[v - 1] && !isEliminated(v)
    }

    /// The legal-action mask over vertex ids 1…n (index v − 1).
    public var legalMask: [Bool] { (1...spec.vertexCount).map(isLegal) }

    public var remaining: [Int] { spec.eliminable.filter { !isEliminated($0) } }

    /// The current label of edge `source` → vertex `target`, nil if there is none.
    public func label(from source: Node, to target: Int) -> EdgeLabel? {
        let row: Int
        switch source {
        case .input(let i): row = i - 1
        case .vertex(let v): row = spec.node(ofVertex: v)
        }
        let packed =
            isDense ? labels[row * spec.vertexCount + target - 1] : sparse.label(from: row, to: target - 1)
        guard packed != 0 else { return nil }
        return EdgeLabel(
            type: PackedLabel.type(packed), out: spec.dims[PackedLabel.out(packed)],
            primal: spec.dims[PackedLabel.primal(packed)])
    }

    /// The packed label of edge node `row` → vertex column `c` (0-based), 0 if none; either layout.
    @inline(__always) func packedLabel(row: Int, column c: Int) -> UInt32 {
        isDense ? labels[row * spec.vertexCount + c] : sparse.label(from: row, to: c)
    }

    /// Predecessor nodes (inputs or vertices) of vertex v, ascending by node index.
    public func predecessors(of v: Int) -> [Node] {
        var out: [Node] = []
        if !isDense {
            out.reserveCapacity(sparse.inEdges[v - 1].count)
            for e in sparse.inEdges[v - 1] {
                let p = SparseAdjacency.neighbour(e)
                out.append(p < spec.inputCount ? .input(p + 1) : .vertex(p - spec.inputCount + 1))
            }
            return out
        }
        let base = (v - 1) * spec.nodeWords
        forEachBit(base, spec.nodeWords) { p in
            out.append(p < spec.inputCount ? .input(p + 1) : .vertex(p - spec.inputCount + 1))
        }
        return out
    }

    /// Successor vertex ids of vertex v, ascending.
    public func successors(of v: Int) -> [Int] {
        if !isDense { return sparse.outEdges[spec.node(ofVertex: v)].map { SparseAdjacency.neighbour($0) + 1 } }
        var out: [Int] = []
        forEachBit(predecessorSize + spec.node(ofVertex: v) * spec.vertexWords, spec.vertexWords) { out.append($0 + 1) }
        return out
    }

    public var edgeCount: Int { isDense ? labels.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } : sparse.entryCount }

    /// Calls `body(label, incoming)` for every in-edge of vertex v (incoming true), then every
    /// out-edge, without building neighbour lists.
    public func forEachEdge(of v: Int, _ body: (EdgeLabel, Bool) -> Void) {
        let dims = spec.dims
        func unpacked(_ p: UInt32) -> EdgeLabel {
            EdgeLabel(type: PackedLabel.type(p), out: dims[PackedLabel.out(p)], primal: dims[PackedLabel.primal(p)])
        }
        let c = v - 1, nv = spec.node(ofVertex: v)
        if !isDense {
            for e in sparse.inEdges[c] { body(unpacked(SparseAdjacency.label(e)), true) }
            for e in sparse.outEdges[nv] { body(unpacked(SparseAdjacency.label(e)), false) }
            return
        }
        let n = spec.vertexCount
        forEachBit(c * spec.nodeWords, spec.nodeWords) { p in body(unpacked(labels[p * n + c]), true) }
        forEachBit(predecessorSize + nv * spec.vertexWords, spec.vertexWords) { s in
            body(unpacked(labels[nv * n + s]), false)
        }
    }

    /// Calls `body` with the id of every vertex predecessor of vertex v (inputs are skipped), then
    /// of every successor, without building neighbour lists: the vertices whose edges eliminating v
    /// changes.
    public func forEachNeighbour(of v: Int, _ body: (Int) -> Void) {
        let c = v - 1, nv = spec.node(ofVertex: v), inputs = spec.inputCount
        if !isDense {
            for e in sparse.inEdges[c] {
                let p = SparseAdjacency.neighbour(e)
                if p >= inputs { body(p - inputs + 1) }
            }
            for e in sparse.outEdges[nv] { body(SparseAdjacency.neighbour(e) + 1) }
            return
        }
        forEachBit(c * spec.nodeWords, spec.nodeWords) { p in if p >= inputs { body(p - inputs + 1) } }
        forEachBit(predecessorSize + nv * spec.vertexWords, spec.vertexWords) { body($0 + 1) }
    }

    /// In- and out-degree of vertex v without building the neighbour lists.
    public func degrees(of v: Int) -> (in: Int, out: Int) {
        if !isDense { return (sparse.inEdges[v - 1].count, sparse.outEdges[spec.node(ofVertex: v)].count) }
        var inDegree = 0, outDegree = 0
        let base = (v - 1) * spec.nodeWords, succBase = predecessorSize + spec.node(ofVertex: v) * spec.vertexWords
        for w in 0..<spec.nodeWords { inDegree += bits[base + w].nonzeroBitCount }
        for w in 0..<spec.vertexWords { outDegree += bits[succBase + w].nonzeroBitCount }
        return (inDegree, outDegree)
    }

    private func forEachBit(_ base: Int, _ words: Int, _ body: (Int) -> Void) {
        for w in 0..<words {
            var word = bits[base + w]
            while word != 0 {
                body(w << 6 + word.trailingZeroBitCount)
                word &= word - 1
            }
        }
    }

    // MARK: Moves

    /// Eliminates vertex v and returns the multiplications it costs; refuses an illegal vertex.
    @discardableResult
    public mutating func eliminate(_ v: Int) throws(GameError) -> Int {
        guard v >= 1 && v <= spec.vertexCount else { throw .unknownVertex(v, vertexCount: spec.vertexCount) }
        guard !spec.isOutput[v - 1] else { throw .outputVertex(v) }
        guard !isEliminated(v) else { throw .alreadyEliminated(v) }
        return eliminateUnchecked(v)
    }

    /// The cost eliminating v now would incur, without changing the state.
    public func previewCost(_ v: Int) -> Int {
        let n = spec.vertexCount, nodeWords = spec.nodeWords, vertexWords = spec.vertexWords
        let c = v - 1, nv = spec.node(ofVertex: v)
        let succBase = predecessorSize + nv * vertexWords
        let dims = spec.dims
        if !isDense {
            return dims.withUnsafeBufferPointer { D in sparse.previewCost(column: c, node: nv, dims: D) }
        }
        var total = 0
        labels.withUnsafeBufferPointer { L in
            bits.withUnsafeBufferPointer { B in
                dims.withUnsafeBufferPointer { D in
                    for wp in 0..<nodeWords {
                        var pw = B[c * nodeWords + wp]
                        while pw != 0 {
                            let p = wp << 6 + pw.trailingZeroBitCount
                            pw &= pw - 1
                            let lin = L[p * n + c]
                            for ws in 0..<vertexWords {
                                var sw = B[succBase + ws]
                                while sw != 0 {
                                    let s = ws << 6 + sw.trailingZeroBitCount
                                    sw &= sw - 1
                                    total &+= Self.pairCost(lin, L[nv * n + s], D)
                                }
                            }
                        }
                    }
                }
            }
        }
        return total
    }

    /// The hot path: v must be legal. Applies the chain rule to every (predecessor, successor) pair.
    @discardableResult
    public mutating func eliminateUnchecked(_ v: Int) -> Int {
        let c = v - 1, nv = spec.node(ofVertex: v)
        if !isDense {
            let stepCost = spec.dims.withUnsafeBufferPointer { D in
                sparse.eliminate(column: c, node: nv, dims: D, scratch: &scratch)
            }
            bits[c >> 6] |= 1 << UInt64(c & 63)
            cost &+= stepCost
            steps &+= 1
            return stepCost
        }
        var none = NoStepRecorder()
        return eliminateDense(v, recording: &none)
    }

    /// The dense step of `eliminateUnchecked`, telling `recorder` each entry's value before it is
    /// written (`NoStepRecorder`: nothing, specialised away; `EliminationJournal`: the undo list).
    @inline(__always)
    mutating func eliminateDense<Recorder: DenseStepRecorder>(_ v: Int, recording recorder: inout Recorder) -> Int {
        let n = spec.vertexCount, nodeWords = spec.nodeWords, vertexWords = spec.vertexWords
        let c = v - 1, nv = spec.node(ofVertex: v)
        let predSize = predecessorSize
        let predBase = c * nodeWords
        let succBase = predSize + nv * vertexWords
        let elimBase = eliminatedOffset
        let dims = spec.dims
        var stepCost = 0
        labels.withUnsafeMutableBufferPointer { L in
            bits.withUnsafeMutableBufferPointer { B in
                dims.withUnsafeBufferPointer { D in
                    for wp in 0..<nodeWords {
                        var pw = B[predBase + wp]
                        while pw != 0 {
                            let p = wp << 6 + pw.trailingZeroBitCount
                            pw &= pw - 1
                            let lin = L[p * n + c]
                            let pSuccBase = predSize &+ p &* vertexWords
                            for ws in 0..<vertexWords {
                                var sw = B[succBase + ws]
                                while sw != 0 {
                                    let s = ws << 6 + sw.trailingZeroBitCount
                                    sw &= sw - 1
                                    let lout = L[nv * n + s]
                                    stepCost &+= Self.pairCost(lin, lout, D)
                                    let was = L[p * n + s], now = Self.productLabel(lin, lout, was)
                                    recorder.label(p * n + s, was: was, now: now)
                                    L[p * n + s] = now
                                    recorder.word(s * nodeWords + p >> 6, was: B[s * nodeWords + p >> 6])
                                    B[s * nodeWords + p >> 6] |= 1 << UInt64(p & 63)
                                    recorder.word(pSuccBase + s >> 6, was: B[pSuccBase + s >> 6])
                                    B[pSuccBase + s >> 6] |= 1 << UInt64(s & 63)
                                }
                            }
                            // Remove p→v.
                            recorder.label(p * n + c, was: L[p * n + c], now: 0)
                            L[p * n + c] = 0
                            recorder.word(pSuccBase + c >> 6, was: B[pSuccBase + c >> 6])
                            B[pSuccBase + c >> 6] &= ~(1 << UInt64(c & 63))
                        }
                        recorder.word(predBase + wp, was: B[predBase + wp])
                        B[predBase + wp] = 0
                    }
                    // Remove v→s.
                    for ws in 0..<vertexWords {
                        var sw = B[succBase + ws]
                        while sw != 0 {
                            let s = ws << 6 + sw.trailingZeroBitCount
                            sw &= sw - 1
                            recorder.label(nv * n + s, was: L[nv * n + s], now: 0)
                            L[nv * n + s] = 0
                            recorder.word(s * nodeWords + nv >> 6, was: B[s * nodeWords + nv >> 6])
                            B[s * nodeWords + nv >> 6] &= ~(1 << UInt64(nv & 63))
                        }
                        recorder.word(succBase + ws, was: B[succBase + ws])
                        B[succBase + ws] = 0
                    }
                    recorder.word(elimBase + c >> 6, was: B[elimBase + c >> 6])
                    recorder.eliminated(column: c)
                    B[elimBase + c >> 6] |= 1 << UInt64(c & 63)
                }
            }
        }
        cost &+= stepCost
        steps &+= 1
        return stepCost
    }

    /// The label of p→s after eliminating v: the product of p→v (`lin`) and v→s (`lout`), its type
    /// from the multiply table, added into the existing p→s label (0: none) by the add table;
    /// shape: s's out dims and p's primal dims.
    @inline(__always)
    static func productLabel(_ lin: UInt32, _ lout: UInt32, _ existing: UInt32) -> UInt32 {
        var t = Int(CostTables.multiplySparsity[PackedLabel.tableIndex(lin) * 22 + PackedLabel.tableIndex(lout)])
        if existing != 0 { t = Int(CostTables.addSparsity[PackedLabel.tableIndex(existing) * 22 + t + 10]) }
        return UInt32(t + 11) | (lout & (0x1FFF << 5)) | UInt32(PackedLabel.primal(lin)) << 18
    }

    /// Multiplications for one (p→v, v→s) pair: the product of the six size factors that the
    /// contraction mask keeps (COST_MODEL.md §3 steps 1–5).
    @inline(__always)
    static func pairCost(_ lin: UInt32, _ lout: UInt32, _ D: UnsafeBufferPointer<Dims>) -> Int {
        let tin = PackedLabel.tableIndex(lin), tout = PackedLabel.tableIndex(lout)
        let mask = CostTables.contractionMask[tin * 22 + tout]
        if mask == 0 { return 0 }
        if tin == 20 && tout == 20 { return 1 }  // type 10 × type 10
        let s = D[PackedLabel.out(lout)], vd = D[PackedLabel.primal(lout)], p = D[PackedLabel.primal(lin)]
        var product = 1
        @inline(__always) func factor(_ bit: UInt8, _ value: Int32) {
            // A masked-out factor is 1; a negative ("replicating") one counts as 1 too.
            if mask & bit != 0 && value > 0 { product &*= Int(value) }
        }
        factor(1, s.d1); factor(2, s.d2)
        factor(4, abs(vd.d1)); factor(8, abs(vd.d2))
        factor(16, p.d1); factor(32, p.d2)
        return product
    }

    /// Whether `other` (a state of the same spec) has the same vertices eliminated and the same
    /// edges with the same labels, whatever the orders and costs that led to the two: then every
    /// continuation costs the same from both. Lists the two still share (copy-on-write, e.g. a
    /// state and a copy of it taken a few steps earlier) compare by identity, so this is cheap
    /// when the two differ in a few places only.
    public func hasSameGraph(as other: EliminationState) -> Bool {
        bits == other.bits && (isDense ? labels == other.labels : sparse.inEdges == other.sparse.inEdges)
    }

    // MARK: Copies

    /// A deep copy with its own storage (what search does before expanding a child); `var b = a`
    /// shares storage until the first move instead.
    public func clone() -> EliminationState {
        var copy = self
        if isDense {
            copy.labels = labels.withUnsafeBufferPointer { Array($0) }
        } else {
            copy.sparse = sparse.deepCopy()
        }
        copy.bits = bits.withUnsafeBufferPointer { Array($0) }
        return copy
    }
}
