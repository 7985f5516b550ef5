import Elimination

/// Vertex elimination on the structured partials (COST_MODEL.md §3, with real values): eliminating
/// v adds J(s←v)·J(v←p) into J(s←p) for every predecessor p and successor s, then removes v.
/// The products are formed symbolically — only index pairs where both factors have an entry — and
/// each resulting entry becomes an alias, a constant or one `.sum` instruction on the tape. When
/// every non-output vertex is gone, the edges input → output are the Jacobian's blocks.
struct SymbolicElimination {
    let inputCount: Int
    /// incoming[v − 1][node] = ∂v/∂node, where node k − 1 is input k and node I + w − 1 vertex w.
    private var incoming: [[Int: SparseBlock]]
    /// successors[node]: the vertices with an edge from node.
    private var successors: [Set<Int>]

    /// The graph's edges are the structure; each carries the lowered partial of its target with
    /// respect to its source (an empty block when the partial is structurally zero, as for `eq`).
    init(graph: ComputationalGraph, lowered: LoweredProgram) {
        inputCount = graph.inputCount
        incoming = [[Int: SparseBlock]](repeating: [:], count: graph.vertexCount)
        successors = [Set<Int>](repeating: [], count: graph.inputCount + graph.vertexCount)
        let program = graph.program
        for edge in graph.edges {
            let operand: Operand
            let node: Int
            switch edge.source {
            case .input(let i): operand = .input(i); node = i - 1
            case .vertex(let w): operand = .vertex(w); node = graph.inputCount + w - 1
            }
            let rows = Shape.count(program.equations[edge.target - 1].type.shape)
            let cols = Shape.count(program.type(of: operand).shape)
            incoming[edge.target - 1][node] =
                lowered.partials[edge.target - 1][operand] ?? SparseBlock(rows: rows, cols: cols)
            successors[node].insert(edge.target)
        }
    }

    mutating func eliminate(_ v: Int, builder: inout TapeBuilder) {
        let vNode = inputCount + v - 1
        let preds = incoming[v - 1].keys.sorted()
        let succs = successors[vNode].sorted()
        for p in preds {
            let inEdge = incoming[v - 1][p]!
            // J(v←p) indexed by its row (v's element), so each entry of J(s←v) finds its partners.
            var byRow = [[(col: Int, value: Val)]](repeating: [], count: inEdge.rows)
            for (key, value) in inEdge.sortedEntries { byRow[key / inEdge.cols].append((key % inEdge.cols, value)) }
            for s in succs {
                let outEdge = incoming[s - 1][vNode]!
                var contributions: [Int: [Summand]] = [:]
                var products = 0
                for (key, a) in outEdge.sortedEntries {
                    let i = key / outEdge.cols, k = key % outEdge.cols
                    for (j, b) in byRow[k] {
                        contributions[i * inEdge.cols + j, default: []].append(Summand.product(a, b))
                        products += 1
                    }
                }
                builder.countProducts(products)
                var target = incoming[s - 1][p] ?? SparseBlock(rows: outEdge.rows, cols: inEdge.cols)
                for key in contributions.keys.sorted() {
                    var summands = contributions[key]!
                    if let existing = target.entries[key] { summands.insert(Summand(existing), at: 0) }
                    target.entries[key] = builder.combine(summands)
                }
                incoming[s - 1][p] = target
                successors[p].insert(s)
            }
            successors[p].remove(v)
        }
        for s in succs { incoming[s - 1][vNode] = nil }
        incoming[v - 1] = [:]
        successors[vNode] = []
    }

    /// ∂output/∂input k (1-based) once every non-output vertex is eliminated; nil if no path.
    func block(output o: Int, input k: Int) -> SparseBlock? {
        incoming[o - 1][k - 1]
    }
}
