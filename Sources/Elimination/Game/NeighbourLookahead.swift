/// What eliminating a vertex now does to its eliminable neighbours (the vertex predecessors and
/// successors that are not outputs: the only vertices whose edges the move changes): the sums of
/// their costs now (`previewCost`) and of their Markowitz degrees, before and after the move.
/// Computed exactly from the labels the move would write (the game's own `productLabel` and
/// `pairCost`), without copying the state: O(Σ over the neighbours of their degree × v's degree).
/// The policy's lookahead features (TokenFeatures 24–28, issue 14) read it.
public struct NeighbourLookahead: Equatable, Sendable {
    public var costBefore = 0
    public var costAfter = 0
    public var markowitzBefore = 0
    public var markowitzAfter = 0

    public init(costBefore: Int = 0, costAfter: Int = 0, markowitzBefore: Int = 0, markowitzAfter: Int = 0) {
        self.costBefore = costBefore
        self.costAfter = costAfter
        self.markowitzBefore = markowitzBefore
        self.markowitzAfter = markowitzAfter
    }
}

extension EliminationState {
    /// The lookahead of legal vertex v (see `NeighbourLookahead`); the state is unchanged.
    public func lookahead(of v: Int) -> NeighbourLookahead {
        var r = NeighbourLookahead()
        let spec = self.spec, c = v - 1, nv = spec.node(ofVertex: v)
        let preds = predecessors(of: v), succs = successors(of: v)
        let inRows = preds.map(row(of:))
        let inLabels = inRows.map { packedLabel(row: $0, column: c) }  // p → v
        let outLabels = succs.map { packedLabel(row: nv, column: $0 - 1) }  // v → s
        func unpacked(_ p: UInt32) -> EdgeLabel {
            EdgeLabel(
                type: PackedLabel.type(p), out: spec.dims[PackedLabel.out(p)], primal: spec.dims[PackedLabel.primal(p)])
        }
        func inWeight(_ p: UInt32) -> Int { Self.markowitzWeight(unpacked(p), vertexDims: unpacked(p).out) }
        func outWeight(_ p: UInt32) -> Int { Self.markowitzWeight(unpacked(p), vertexDims: unpacked(p).primal) }
        spec.dims.withUnsafeBufferPointer { D in
            // A predecessor u: its in-edges stay; u → v goes, u → s (s a successor of v) becomes
            // the product u → v · v → s merged into any existing u → s.
            for (i, p) in preds.enumerated() {
                guard case .vertex(let u) = p, !spec.isOutput[u - 1] else { continue }
                let uRow = inRows[i], lin = inLabels[i]
                let qLabels = predecessors(of: u).map { packedLabel(row: row(of: $0), column: u - 1) }
                let before = previewCost(u)
                var removed = 0, added = 0
                var inW = 0, outW = 0
                for q in qLabels { inW += inWeight(q) }
                forEachOutLabel(ofRow: uRow) { outW += outWeight($0) }
                let markowitzBefore = inW * outW
                for q in qLabels { removed &+= Self.pairCost(q, lin, D) }
                outW -= outWeight(lin)
                for (j, s) in succs.enumerated() {
                    let old = packedLabel(row: uRow, column: s - 1)
                    let new = Self.productLabel(lin, outLabels[j], old)
                    for q in qLabels {
                        if old != 0 { removed &+= Self.pairCost(q, old, D) }
                        added &+= Self.pairCost(q, new, D)
                    }
                    if old != 0 { outW -= outWeight(old) }
                    outW += outWeight(new)
                }
                r.costBefore &+= before
                r.costAfter &+= before &- removed &+ added
                r.markowitzBefore &+= markowitzBefore
                r.markowitzAfter &+= inW * outW
            }
            // A successor s: its out-edges stay; v → s goes, p → s (p a predecessor of v) becomes
            // the product p → v · v → s merged into any existing p → s.
            for (j, s) in succs.enumerated() where !spec.isOutput[s - 1] {
                let lout = outLabels[j], sRow = spec.node(ofVertex: s)
                var tLabels: [UInt32] = []
                forEachOutLabel(ofRow: sRow) { tLabels.append($0) }
                let before = previewCost(s)
                var removed = 0, added = 0
                var inW = 0, outW = 0
                for t in tLabels { outW += outWeight(t) }
                for q in predecessors(of: s) { inW += inWeight(packedLabel(row: row(of: q), column: s - 1)) }
                let markowitzBefore = inW * outW
                for t in tLabels { removed &+= Self.pairCost(lout, t, D) }
                inW -= inWeight(lout)
                for (i, pRow) in inRows.enumerated() {
                    let old = packedLabel(row: pRow, column: s - 1)
                    let new = Self.productLabel(inLabels[i], lout, old)
                    for t in tLabels {
                        if old != 0 { removed &+= Self.pairCost(old, t, D) }
                        added &+= Self.pairCost(new, t, D)
                    }
                    if old != 0 { inW -= inWeight(old) }
                    inW += inWeight(new)
                }
                r.costBefore &+= before
                r.costAfter &+= before &- removed &+ added
                r.markowitzBefore &+= markowitzBefore
                r.markowitzAfter &+= inW * outW
            }
        }
        return r
    }

    private func row(of node: Node) -> Int {
        switch node {
        case .input(let i): return i - 1
        case .vertex(let w): return spec.node(ofVertex: w)
        }
    }

    /// Calls `body` with the packed label of every out-edge of the vertex at node `row`.
    private func forEachOutLabel(ofRow row: Int, _ body: (UInt32) -> Void) {
        let w = row - spec.inputCount + 1
        for s in successors(of: w) { body(packedLabel(row: row, column: s - 1)) }
    }
}
