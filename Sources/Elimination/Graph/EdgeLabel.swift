/// A shape normalised to two dimensions as the paper's cost model sees it: a scalar or any size-1
/// array is (1,1), a vector of n is (n,1), a matrix stays (n,m). Rank ≥ 3 is outside the model.
public struct Dims: Hashable, Sendable, CustomStringConvertible {
    public var d1: Int32
    public var d2: Int32

    public init(_ d1: Int, _ d2: Int) {
        self.d1 = Int32(d1)
        self.d2 = Int32(d2)
    }

    public init(normalising shape: [Int]) {
        if shape.reduce(1, *) == 1 {
            self.init(1, 1)
        } else if shape.count == 1 {
            self.init(shape[0], 1)
        } else if shape.count == 2 {
            self.init(shape[0], shape[1])
        } else {
            preconditionFailure("rank \(shape.count) reached Dims; the importer rejects rank > 2")
        }
    }

    public static let scalar = Dims(1, 1)
    public var isScalar: Bool { d1 == 1 && d2 == 1 }
    /// (n,1) with n > 1.
    public var isColumn: Bool { d2 == 1 && d1 != 1 }
    /// (1,m) with m > 1.
    public var isRow: Bool { d1 == 1 && d2 != 1 }
    public var elementCount: Int { Int(d1) * Int(d2) }
    public var description: String { "(\(d1),\(d2))" }
}

/// The label `[type, out1, out2, in1, in2]` of an edge p→v (COST_MODEL.md §2): the sparsity type of
/// the partial Jacobian ∂v/∂p, the output dims (v's shape) and the primal dims (p's shape).
public struct EdgeLabel: Hashable, Sendable, CustomStringConvertible {
    public var type: Int
    public var out: Dims
    public var primal: Dims

    public init(type: Int, out: Dims, primal: Dims) {
        self.type = type
        self.out = out
        self.primal = primal
    }

    /// The five integers as the reference writes them.
    public var integers: [Int] { [type, Int(out.d1), Int(out.d2), Int(primal.d1), Int(primal.d2)] }

    public var description: String { "[\(integers.map(String.init).joined(separator: ","))]" }
}

/// A vertex of the computational graph, or an input (inputs are not vertices and never eliminated).
public enum Node: Hashable, Sendable, CustomStringConvertible {
    case input(Int)
    case vertex(Int)

    public var description: String {
        switch self {
        case .input(let i): return "in\(i)"
        case .vertex(let v): return "v\(v)"
        }
    }
}

public struct Edge: Hashable, Sendable {
    public var source: Node
    /// The vertex id the edge points to (edges always end at a vertex).
    public var target: Int
    public var label: EdgeLabel

    public init(source: Node, target: Int, label: EdgeLabel) {
        self.source = source
        self.target = target
        self.label = label
    }
}
