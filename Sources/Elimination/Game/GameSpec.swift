/// How an `EliminationState` stores its edges (ARCHITECTURE.md, "The game state").
public enum StateLayout: String, Sendable, CaseIterable {
    /// A packed label per (node, vertex) pair and bitsets: the fastest steps and copies while the
    /// whole matrix is small (every paper task).
    case dense
    /// Sorted (neighbour, label) lists per vertex: memory and step work follow the edges.
    case sparse

    /// The layout for a graph: dense while one dense state stays within
    /// `GameLimits.denseLayoutBytes`, sparse above.
    public static func automatic(inputs: Int, vertices: Int) -> StateLayout {
        GameLimits.stateBytes(inputs: inputs, vertices: vertices) <= GameLimits.denseLayoutBytes ? .dense : .sparse
    }
}

/// The immutable part of a game: sizes, which vertices are outputs, the table of distinct dims and
/// the initial packed edge labels in the chosen layout. Shared (by reference) by every state of the
/// same graph, so copying a state copies only what elimination changes.
public final class GameSpec: Sendable {
    public let name: String
    /// I: inputs are nodes 0..<I.
    public let inputCount: Int
    /// n: vertex id v is node I + v − 1 and label column v − 1.
    public let vertexCount: Int
    public var nodeCount: Int { inputCount + vertexCount }
    public let isOutput: [Bool]
    /// Eliminable vertex ids, ascending.
    public let eliminable: [Int]
    /// Number of scalars in each vertex's value (index v − 1).
    public let vertexElements: [Int]
    /// Every distinct normalised dims value appearing in a label; labels store indices into it.
    public let dims: [Dims]
    /// The layout every state of this graph uses, chosen once here.
    public let layout: StateLayout
    /// Dense: packed labels, row = source node (N rows), column = target vertex (n columns). Sparse: empty.
    let initialLabels: [UInt32]
    /// Bitset words: over nodes (for a vertex's predecessors) and over vertices (successors).
    let nodeWords: Int
    let vertexWords: Int
    /// Initial bitsets, laid out as EliminationState keeps them (sparse: the eliminated set only).
    let initialBits: [UInt64]
    /// Where the eliminated-vertex bitset starts in the bitsets.
    let eliminatedOffset: Int
    /// Sparse: the initial adjacency lists. Dense: empty.
    let initialSparse: SparseAdjacency

    /// The spec of a graph; `layout` nil chooses by size (`StateLayout.automatic`), which is what
    /// everything but layout tests and benchmarks should use.
    public init(graph: ComputationalGraph, layout: StateLayout? = nil) {
        name = graph.name
        inputCount = graph.inputCount
        vertexCount = graph.vertexCount
        var isOutput = [Bool](repeating: false, count: graph.vertexCount)
        for o in graph.outputs { isOutput[o - 1] = true }
        self.isOutput = isOutput
        eliminable = graph.eliminable
        vertexElements = graph.program.equations.map { $0.type.elementCount }
        var dims: [Dims] = []
        var index: [Dims: Int] = [:]
        func id(_ d: Dims) -> Int {
            if let i = index[d] { return i }
            dims.append(d)
            index[d] = dims.count - 1
            return dims.count - 1
        }
        let n = graph.vertexCount, N = graph.inputCount + graph.vertexCount
        let layout = layout ?? StateLayout.automatic(inputs: graph.inputCount, vertices: n)
        self.layout = layout
        nodeWords = (N + 63) / 64
        vertexWords = (n + 63) / 64
        // (source node, target column, packed label) of every edge; a repeated (source, target)
        // pair keeps its last label, as the dense matrix always did.
        var packedEdges: [(p: Int, s: Int, label: UInt32)] = []
        packedEdges.reserveCapacity(graph.edges.count)
        for edge in graph.edges {
            let row: Int
            switch edge.source {
            case .input(let i): row = i - 1
            case .vertex(let v): row = graph.inputCount + v - 1
            }
            let packed = PackedLabel.pack(type: edge.label.type, out: id(edge.label.out), primal: id(edge.label.primal))
            packedEdges.append((row, edge.target - 1, packed))
        }
        precondition(dims.count < PackedLabel.maxDims, "more than \(PackedLabel.maxDims) distinct shapes in one graph")
        self.dims = dims
        switch layout {
        case .dense:
            var labels = [UInt32](repeating: 0, count: N * n)
            var bits = [UInt64](repeating: 0, count: n * nodeWords + N * vertexWords + vertexWords)
            for (p, s, packed) in packedEdges {
                labels[p * n + s] = packed
                bits[s * nodeWords + p >> 6] |= 1 << UInt64(p & 63)
                bits[n * nodeWords + p * vertexWords + s >> 6] |= 1 << UInt64(s & 63)
            }
            initialLabels = labels
            initialBits = bits
            eliminatedOffset = n * nodeWords + N * vertexWords
            initialSparse = SparseAdjacency(nodes: 0, vertices: 0)
        case .sparse:
            var adjacency = SparseAdjacency(nodes: N, vertices: n)
            for (p, s, packed) in packedEdges {
                adjacency.inEdges[s].append(SparseAdjacency.entry(p, packed))
                adjacency.outEdges[p].append(SparseAdjacency.entry(s, packed))
            }
            adjacency.normalise()
            initialLabels = []
            initialBits = [UInt64](repeating: 0, count: vertexWords)
            eliminatedOffset = 0
            initialSparse = adjacency
        }
    }

    /// Node index of vertex id v.
    @inline(__always) public func node(ofVertex v: Int) -> Int { inputCount + v - 1 }
}

/// An edge label in 32 bits: type code (type + 11, so 0 means "no edge") in bits 0–4, the index of
/// the out dims in bits 5–17 and of the primal dims in bits 18–30.
enum PackedLabel {
    static let maxDims = 1 << 13

    @inline(__always) static func pack(type: Int, out: Int, primal: Int) -> UInt32 {
        UInt32(type + 11) | UInt32(out) << 5 | UInt32(primal) << 18
    }
    /// Sparsity type, −10…11 (never 0 for a present edge).
    @inline(__always) static func type(_ p: UInt32) -> Int { Int(p & 31) - 11 }
    /// Table index type + 10, for CostTables.
    @inline(__always) static func tableIndex(_ p: UInt32) -> Int { Int(p & 31) - 1 }
    @inline(__always) static func out(_ p: UInt32) -> Int { Int((p >> 5) & 0x1FFF) }
    @inline(__always) static func primal(_ p: UInt32) -> Int { Int((p >> 18) & 0x1FFF) }
}
