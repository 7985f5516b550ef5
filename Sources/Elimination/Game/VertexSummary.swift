/// Everything the policy's token features need about one vertex in the current state, gathered in
/// one pass over its edges without allocating (it runs for every token at every step).
public struct VertexSummary: Sendable {
    public var inDegree = 0
    public var outDegree = 0
    /// Predecessors that are inputs; successors that are outputs.
    public var inputPredecessors = 0
    public var outputSuccessors = 0
    /// Σ Markowitz weights of the in- and out-edges (their product is the Markowitz degree).
    public var inWeight = 0
    public var outWeight = 0
    /// Multiplications eliminating the vertex now would cost.
    public var costNow = 0
    /// (predecessor, successor) pairs without an edge yet: edges the elimination would create.
    public var fillIn = 0
    /// In- and out-edges by structure: dense (type 1), diagonal/elementwise (2…9), and free
    /// copies, Kronecker deltas and re-indexing (negative types, 10, 11).
    public var inDense = 0, inDiagonal = 0, inCopy = 0
    public var outDense = 0, outDiagonal = 0, outCopy = 0

    public var markowitzDegree: Int { inWeight * outWeight }
}

extension EliminationState {
    public func summary(of v: Int) -> VertexSummary {
        var s = VertexSummary()
        let preds = predecessors(of: v), succs = successors(of: v)
        s.inDegree = preds.count
        s.outDegree = succs.count
        for p in preds {
            guard let l = label(from: p, to: v) else { continue }
            if case .input = p { s.inputPredecessors += 1 }
            s.inWeight += Self.markowitzWeight(l, vertexDims: l.out)
            Self.classify(l.type, dense: &s.inDense, diagonal: &s.inDiagonal, copy: &s.inCopy)
        }
        for t in succs {
            guard let l = label(from: .vertex(v), to: t) else { continue }
            if spec.isOutput[t - 1] { s.outputSuccessors += 1 }
            s.outWeight += Self.markowitzWeight(l, vertexDims: l.primal)
            Self.classify(l.type, dense: &s.outDense, diagonal: &s.outDiagonal, copy: &s.outCopy)
        }
        for p in preds {
            for t in succs where label(from: p, to: t) == nil { s.fillIn += 1 }
        }
        s.costNow = previewCost(v)
        return s
    }

    private static func classify(_ type: Int, dense: inout Int, diagonal: inout Int, copy: inout Int) {
        switch type {
        case 1: dense += 1
        case 2...9: diagonal += 1
        default: copy += 1
        }
    }
}
