import Elimination
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The policy's view of a state: one token per vertex still in the graph (remaining eliminable
/// vertices and the outputs, ascending by id), each described by `count` numbers that do not
/// depend on the graph's size. That is what lets one set of weights play any graph (the paper's
/// embedding is sized to one graph; ours is not). Eliminated vertices are gone: their effect lives
/// in the edges of the vertices that remain.
///
/// Features of token v (all O(1) in magnitude):
///  0 output flag            1 legal (eliminable now)   2 position v / n
///  3 log1p(cost now)        4 cost now ÷ (1 + mean cost now over legal vertices)
///  5 1 if cost now is the minimum over legal vertices
///  6 log1p(Markowitz degree)  7 log1p(in-degree)      8 log1p(out-degree)
///  9 log1p(input predecessors)  10 log1p(output successors)  11 log1p(fill-in)
/// 12 log1p(elements of v)   13–15 in-edges: fraction dense / diagonal / copy-like
/// 16–18 out-edges: fraction dense / diagonal / copy-like
/// 19 episode progress (eliminated ÷ eliminable)
/// 20 1 if v is the highest remaining eliminable id (reverse mode's choice)
/// 21 1 if v is the lowest remaining eliminable id (forward mode's choice)
/// 22 1 if v has the minimal Markowitz degree (minimal Markowitz's choice, ties included)
/// 23 rank of v among the remaining eliminable vertices, 0 (lowest id) … 1 (highest)
/// The last four let a policy express each baseline with one weight, so learning starts from
/// orders as good as the classical ones and improves on them.
public enum TokenFeatures {
    public static let count = 24

    /// Number of tokens of a state: remaining eliminable vertices plus outputs.
    public static func tokenCount(_ state: EliminationState) -> Int {
        state.spec.vertexCount - state.steps
    }

    /// Writes the tokens of `state` into `features` (T × count), their vertex ids into `vertices`
    /// (T) and the legal-action mask into `legal` (T). Returns T.
    @discardableResult
    public static func write(
        _ state: EliminationState,
        features: UnsafeMutablePointer<Float>,  // (T, count)
        vertices: UnsafeMutablePointer<Int32>,  // (T)
        legal: UnsafeMutablePointer<Bool>  // (T)
    ) -> Int {
        let spec = state.spec
        let n = spec.vertexCount
        var summaries: [VertexSummary] = []
        var ids: [Int] = []
        summaries.reserveCapacity(n - state.steps)
        ids.reserveCapacity(n - state.steps)
        var legalCost = 0, legalCount = 0, minCost = Int.max, minDegree = Int.max
        var lowest = Int.max, highest = 0
        for v in 1...n where !state.isEliminated(v) {
            let s = state.summary(of: v)
            ids.append(v)
            summaries.append(s)
            if !spec.isOutput[v - 1] {
                legalCost += s.costNow
                legalCount += 1
                minCost = min(minCost, s.costNow)
                minDegree = min(minDegree, s.markowitzDegree)
                lowest = min(lowest, v)
                highest = max(highest, v)
            }
        }
        let meanCost = legalCount > 0 ? Float(legalCost) / Float(legalCount) : 0
        let progress = Float(state.steps) / Float(max(spec.eliminable.count, 1))
        var rank = 0
        for (t, (v, s)) in zip(ids, summaries).enumerated() {
            let isOutput = spec.isOutput[v - 1]
            let f = features + t * count
            let cost = isOutput ? 0 : s.costNow
            let inEdges = Float(max(s.inDegree, 1)), outEdges = Float(max(s.outDegree, 1))
            f[0] = isOutput ? 1 : 0
            f[1] = isOutput ? 0 : 1
            f[2] = Float(v) / Float(n)
            f[3] = log1pf(Float(cost))
            f[4] = Float(cost) / (1 + meanCost)
            f[5] = !isOutput && cost == minCost ? 1 : 0
            f[6] = log1pf(Float(s.markowitzDegree))
            f[7] = log1pf(Float(s.inDegree))
            f[8] = log1pf(Float(s.outDegree))
            f[9] = log1pf(Float(s.inputPredecessors))
            f[10] = log1pf(Float(s.outputSuccessors))
            f[11] = log1pf(Float(s.fillIn))
            f[12] = log1pf(Float(spec.vertexElements[v - 1]))
            f[13] = Float(s.inDense) / inEdges
            f[14] = Float(s.inDiagonal) / inEdges
            f[15] = Float(s.inCopy) / inEdges
            f[16] = Float(s.outDense) / outEdges
            f[17] = Float(s.outDiagonal) / outEdges
            f[18] = Float(s.outCopy) / outEdges
            f[19] = progress
            f[20] = !isOutput && v == highest ? 1 : 0
            f[21] = !isOutput && v == lowest ? 1 : 0
            f[22] = !isOutput && s.markowitzDegree == minDegree ? 1 : 0
            f[23] = isOutput ? 0 : Float(rank) / Float(max(legalCount - 1, 1))
            if !isOutput { rank += 1 }
            vertices[t] = Int32(v)
            legal[t] = !isOutput
        }
        return ids.count
    }
}
