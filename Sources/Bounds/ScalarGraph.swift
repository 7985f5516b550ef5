import Elimination

/// An all-dense-scalar graph in the form the bounds work on: every edge is type 1 with shape
/// (1,1), so eliminating v costs |pred(v)|·|succ(v)| (COST_MODEL.md §3, the classical Markowitz
/// count) and every fill-in edge is again a dense scalar. Nodes are numbered as in GameSpec:
/// inputs 0..<I, vertex v is node I + v − 1; ids follow the program, so every edge goes from a
/// lower node to a higher one (checked).
///
/// Why only this class of graphs: on it the graph after eliminating a set S is a function of S
/// (SetDeterminedGraphs; `SetGraph` rebuilds it from S and the tests compare it with the game), so
/// a search can key its states by S. Under the typed (tensor) cost model neither holds (BoundRun).
public struct ScalarGraph: Sendable {
    public let spec: GameSpec
    let inputCount: Int
    let vertexCount: Int
    var nodeCount: Int { inputCount + vertexCount }
    /// Words of a bitset over nodes.
    let words: Int
    /// Operand nodes of vertex v at index v − 1, ascending (the original graph).
    let predecessors: [[Int]]
    /// Successor nodes of each node (index = node), ascending.
    let successors: [[Int]]
    /// Whether node x is never eliminated (an input or an output vertex).
    let isFixed: [Bool]
    /// Ancestors of each node in the original graph (bitset over nodes, `words` per node; a node is
    /// not its own ancestor), and its descendants likewise: the flows of CutBound stay inside them.
    let ancestors: [UInt64]
    let descendants: [UInt64]

    public init(spec: GameSpec) throws(BoundsError) {
        let state = EliminationState(spec: spec)
        let I = spec.inputCount, n = spec.vertexCount, N = I + n
        var predecessors: [[Int]] = [], successors = [[Int]](repeating: [], count: N)
        for v in stride(from: 1, through: n, by: 1) {
            var preds: [Int] = []
            for p in state.predecessors(of: v) {
                let label = state.label(from: p, to: v)!
                guard label.type == 1, label.out.isScalar, label.primal.isScalar else {
                    throw .notScalar(graph: spec.name, edge: "\(p) → v\(v) \(label)")
                }
                let node: Int
                switch p {
                case .input(let i): node = i - 1
                case .vertex(let u):
                    guard u < v else { throw .notTopological(graph: spec.name, source: u, target: v) }
                    node = I + u - 1
                }
                preds.append(node)
                successors[node].append(I + v - 1)
            }
            predecessors.append(preds)
        }
        // Typed graphs are refused above, whatever their size; a scalar one must fit a VertexSet.
        guard n <= VertexSet.capacity else {
            throw .tooManyVertices(graph: spec.name, vertices: n, limit: VertexSet.capacity)
        }
        let words = (N + 63) / 64
        var ancestors = [UInt64](repeating: 0, count: N * words)
        for v in stride(from: 1, through: n, by: 1) {
            let x = I + v - 1
            for p in predecessors[v - 1] {
                ancestors[x * words + p >> 6] |= 1 << UInt64(p & 63)
                for w in 0..<words { ancestors[x * words + w] |= ancestors[p * words + w] }
            }
        }
        var descendants = [UInt64](repeating: 0, count: N * words)
        for x in stride(from: N - 1, through: 0, by: -1) {
            for s in successors[x] {
                descendants[x * words + s >> 6] |= 1 << UInt64(s & 63)
                for w in 0..<words { descendants[x * words + w] |= descendants[s * words + w] }
            }
        }
        self.spec = spec
        inputCount = I
        vertexCount = n
        self.words = words
        self.predecessors = predecessors
        self.successors = successors
        isFixed = (0..<N).map { $0 < I || spec.isOutput[$0 - I] }
        self.ancestors = ancestors
        self.descendants = descendants
    }

    /// True when every edge of the spec is a dense scalar (the graphs ScalarGraph accepts).
    public static func accepts(_ spec: GameSpec) -> Bool {
        do {
            _ = try ScalarGraph(spec: spec)
            return true
        } catch {
            return false
        }
    }

    @inline(__always) func node(ofVertex v: Int) -> Int { inputCount + v - 1 }
}
