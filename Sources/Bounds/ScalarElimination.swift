/// The elimination game on a ScalarGraph, played step by step on bit rows: the predecessors and
/// successors of every node as bitsets over nodes. Eliminating a remaining vertex v costs
/// |P(v)|·(|S(v)| − freeSuccessors(v)), exactly what EliminationState charges on these graphs
/// (ScalarGraph's claim), and leaves every p ∈ P(v) with the successors S(v) and every s ∈ S(v)
/// with the predecessors P(v) (fill-in; v drops out of both). The structure only: every edge of
/// such a graph is a dense scalar, so no label is kept.
///
/// Why not EliminationState: LeafGuide replays windows of an order from a copied state for every
/// move it tries, and EliminationState carries the typed game's label matrix (a 32-bit label per
/// node and vertex): on the open corpus programs copying it was a fifth of `bound`'s time and the
/// replays another quarter (perf, session 27). These rows are 2·nodes·words words.
struct ScalarElimination {
    let graph: ScalarGraph
    /// P(x) of every node x (index x·words …), over nodes.
    private var predecessorBits: [UInt64]
    /// S(x) of every node x, over nodes.
    private var successorBits: [UInt64]

    init(graph: ScalarGraph) {
        self.graph = graph
        let W = graph.words, N = graph.nodeCount
        predecessorBits = [UInt64](repeating: 0, count: N * W)
        successorBits = [UInt64](repeating: 0, count: N * W)
        for i in 0..<graph.vertexCount {
            let x = graph.inputCount + i
            for p in graph.predecessors[i] {
                predecessorBits[x * W + p >> 6] |= 1 << UInt64(p & 63)
                successorBits[p * W + x >> 6] |= 1 << UInt64(x & 63)
            }
        }
    }

    /// What eliminating remaining vertex v costs now.
    func cost(_ v: Int) -> Int {
        let W = graph.words, x = graph.node(ofVertex: v)
        var p = 0, s = 0
        for w in 0..<W {
            p += predecessorBits[x * W + w].nonzeroBitCount
            s += successorBits[x * W + w].nonzeroBitCount
        }
        return p * (s - graph.freeSuccessors[v - 1])
    }

    /// Eliminates remaining vertex v (not checked) and returns its cost.
    @discardableResult
    mutating func eliminate(_ v: Int) -> Int {
        let paid = cost(v)
        let W = graph.words, x = graph.node(ofVertex: v)
        let clearWord = x >> 6, clearBit = ~(UInt64(1) << UInt64(x & 63))
        predecessorBits.withUnsafeMutableBufferPointer { P in
            successorBits.withUnsafeMutableBufferPointer { S in
                for w in 0..<W {
                    var word = P[x * W + w]
                    while word != 0 {
                        let p = w << 6 + word.trailingZeroBitCount
                        word &= word - 1
                        for k in 0..<W { S[p * W + k] |= S[x * W + k] }
                        S[p * W + clearWord] &= clearBit
                    }
                    word = S[x * W + w]
                    while word != 0 {
                        let s = w << 6 + word.trailingZeroBitCount
                        word &= word - 1
                        for k in 0..<W { P[s * W + k] |= P[x * W + k] }
                        P[s * W + clearWord] &= clearBit
                    }
                }
                for k in 0..<W {
                    P[x * W + k] = 0
                    S[x * W + k] = 0
                }
            }
        }
        return paid
    }
}
