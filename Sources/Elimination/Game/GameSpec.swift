/// The immutable part of a game: sizes, which vertices are outputs, the table of distinct dims and
/// the initial packed edge labels. Shared (by reference) by every state of the same graph, so
/// copying a state copies only what elimination changes.
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
    /// Packed labels, row = source node (N rows), column = target vertex (n columns).
    let initialLabels: [UInt32]
    /// Bitset words: over nodes (for a vertex's predecessors) and over vertices (successors).
    let nodeWords: Int
    let vertexWords: Int
    /// Initial bitsets, laid out as EliminationState keeps them.
    let initialBits: [UInt64]

    public init(graph: ComputationalGraph) {
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
        var labels = [UInt32](repeating: 0, count: (graph.inputCount + graph.vertexCount) * graph.vertexCount)
        for edge in graph.edges {
            let row: Int
            switch edge.source {
            case .input(let i): row = i - 1
            case .vertex(let v): row = graph.inputCount + v - 1
            }
            let packed = PackedLabel.pack(type: edge.label.type, out: id(edge.label.out), primal: id(edge.label.primal))
            labels[row * graph.vertexCount + edge.target - 1] = packed
        }
        precondition(dims.count < PackedLabel.maxDims, "more than \(PackedLabel.maxDims) distinct shapes in one graph")
        self.dims = dims
        initialLabels = labels
        let n = graph.vertexCount, N = graph.inputCount + graph.vertexCount
        nodeWords = (N + 63) / 64
        vertexWords = (n + 63) / 64
        var bits = [UInt64](repeating: 0, count: n * nodeWords + N * vertexWords + vertexWords)
        for p in 0..<N {
            for s in 0..<n where labels[p * n + s] != 0 {
                bits[s * nodeWords + p >> 6] |= 1 << UInt64(p & 63)
                bits[n * nodeWords + p * vertexWords + s >> 6] |= 1 << UInt64(s & 63)
            }
        }
        initialBits = bits
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
