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
///
/// One typed edge is accepted: the identity edge o → c of an output copy (COST_MODEL.md §1: an
/// output o that a later equation also reads gets a copy vertex c, an output with o as its only
/// operand and no successor; o becomes eliminable). Claim: on such a graph the game is the scalar
/// one except that eliminating o costs |P(o)|·(|succ(o)| − 1). Proof. c ∉ any eliminated set, and
/// c's only in-edge is from o, so c ∈ succ(o) until o goes and o's pairs (p, c) multiply a scalar by
/// the identity, which the cost tables count as 0 (every other pair of two dense scalars costs 1).
/// The product of a dense scalar and the identity is a dense scalar edge p → c, so after o goes
/// every edge is again a dense scalar: the structure (which edges exist) is the scalar game's, a
/// function of S, and every later pair costs 1. `freeSuccessors` holds the 1 of each such o; the
/// cut terms subtract it from λ_out (|succ(o)| − 1 ≥ λ_out(o) − 1, as c is always in succ(o)). The
/// brute-force tests play the game itself on random graphs with such copies.
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
    /// Successors of vertex v whose pairs cost nothing (index v − 1): the number of output copies v
    /// owns (two `jnp.copy`s of one value are two). Eliminating v costs |P(v)|·(|succ(v)| − freeSuccessors).
    let freeSuccessors: [Int]
    /// Whether any vertex owns an output copy (the graph is not all-dense-scalar).
    public var hasOutputCopies: Bool { freeSuccessors.contains { $0 > 0 } }
    /// Ancestors of each node in the original graph (bitset over nodes, `words` per node; a node is
    /// not its own ancestor), and its descendants likewise: the flows of CutBound stay inside them.
    /// Empty when the graph was built without them (`forSetSearch` false; `reach` walks instead).
    let ancestors: [UInt64]
    let descendants: [UInt64]
    /// Whether `ancestors` and `descendants` are there, which every set-keyed user (SetGraph, the
    /// searches, GroupBound) needs; without them only CutBound's `startTerms` may use the graph.
    let hasReachTables: Bool

    /// `forSetSearch` false accepts a scalar graph of any size, for CutBound's start terms only:
    /// the capacity of the set-keyed search (VertexSet) is not checked, and the ancestor and
    /// descendant tables (N² bits each: 1.25 GB apiece at 100,000 nodes) are not built.
    public init(spec: GameSpec, forSetSearch: Bool = true) throws(BoundsError) {
        let state = EliminationState(spec: spec)
        let I = spec.inputCount, n = spec.vertexCount, N = I + n
        var predecessors: [[Int]] = [], successors = [[Int]](repeating: [], count: N)
        var freeSuccessors = [Int](repeating: 0, count: n)
        var copies: [Int] = []
        for v in stride(from: 1, through: n, by: 1) {
            var preds: [Int] = []
            let operands = state.predecessors(of: v)
            for p in operands {
                let label = state.label(from: p, to: v)!
                let isOutputCopy: Bool = {
                    guard label.type == -6, spec.isOutput[v - 1], operands.count == 1,
                        case .vertex(let o) = p, !spec.isOutput[o - 1]
                    else { return false }
                    return true
                }()
                guard label.type == 1 || isOutputCopy, label.out.isScalar, label.primal.isScalar else {
                    throw .notScalar(graph: spec.name, edge: "\(p) → v\(v) \(label)")
                }
                if isOutputCopy, case .vertex(let o) = p {
                    freeSuccessors[o - 1] += 1
                    copies.append(v)
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
        // A copy is read by nothing (else it is no copy: its pairs would cost 1 on one side only).
        for c in copies where !successors[I + c - 1].isEmpty {
            throw .notScalar(graph: spec.name, edge: "v\(c), an identity copy that a later vertex reads")
        }
        // Typed graphs are refused above, whatever their size; a scalar one must fit a VertexSet.
        guard n <= VertexSet.capacity || !forSetSearch else {
            throw .tooManyVertices(graph: spec.name, vertices: n, limit: VertexSet.capacity)
        }
        let words = (N + 63) / 64
        self.spec = spec
        inputCount = I
        vertexCount = n
        self.words = words
        self.predecessors = predecessors
        self.successors = successors
        isFixed = (0..<N).map { $0 < I || spec.isOutput[$0 - I] }
        self.freeSuccessors = freeSuccessors
        hasReachTables = forSetSearch
        guard forSetSearch else {
            ancestors = []
            descendants = []
            return
        }
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
        self.ancestors = ancestors
        self.descendants = descendants
    }

    /// The ancestors (`upstream`) or descendants of node x as one bitset row of `words` words, x
    /// itself not included: x's row of `ancestors` or `descendants`, found by a walk over the edges
    /// (for graphs built without the tables).
    func reach(of x: Int, upstream: Bool) -> [UInt64] {
        var row = [UInt64](repeating: 0, count: words)
        var stack = [x]
        while let y = stack.popLast() {
            let next = upstream ? (y < inputCount ? [] : predecessors[y - inputCount]) : successors[y]
            for z in next where row[z >> 6] & (1 << UInt64(z & 63)) == 0 {
                row[z >> 6] |= 1 << UInt64(z & 63)
                stack.append(z)
            }
        }
        return row
    }

    /// True when every edge of the spec is a dense scalar or an output copy's identity (the graphs
    /// ScalarGraph accepts).
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
