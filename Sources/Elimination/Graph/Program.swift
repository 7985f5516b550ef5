/// A program as ccelim keeps it: a straight-line list of equations over numbered inputs, with
/// nested calls (`pjit`) inlined. Vertex ids are 1-based positions in `equations`, exactly the
/// numbering of COST_MODEL.md §1 (one vertex per printed equation), so orders line up with the
/// paper's. The Jacobian interpreter evaluates this; the game only needs the edges derived from it.
public struct Program: Equatable, Sendable {
    public var inputs: [Variable]
    /// Closed-over constants (`{ lambda c:f32[3] ; …`): values, not inputs, so they create no edges.
    public var constants: [Variable]
    public var equations: [Equation]
    /// Vertex ids of the outputs, in the order the jaxpr returns them.
    public var outputs: [Int]
    /// The JAX shape of each input, constant and output of rank 3 and more. Such a value is stored
    /// as a matrix, like every value of rank 3 and more inside a program (Docs/COST_MODEL.md §6):
    /// shape (a₁, …, a_k, c) as (a₁·…·a_k, c), same elements in the same row-major order, so its
    /// `type` (and every edge label and cost) is the matrix's. Values of rank ≤ 2 are absent: their
    /// stored type is their JAX type.
    public var jaxShapes: [BoundaryValue: [Int]]

    public init(
        inputs: [Variable], constants: [Variable], equations: [Equation], outputs: [Int],
        jaxShapes: [BoundaryValue: [Int]] = [:]
    ) {
        self.inputs = inputs
        self.constants = constants
        self.equations = equations
        self.outputs = outputs
        self.jaxShapes = jaxShapes
    }

    /// The type of a boundary value as JAX has it (its stored type when it has rank ≤ 2): what a
    /// caller passes or gets back, and how inputs are read and results printed.
    public func jaxType(of value: BoundaryValue) -> ArrayType {
        let stored: ArrayType
        switch value {
        case .input(let i): stored = inputs[i - 1].type
        case .constant(let c): stored = constants[c - 1].type
        case .output(let o): stored = equations[outputs[o - 1] - 1].type
        }
        return jaxShapes[value].map { ArrayType(dtype: stored.dtype, shape: $0) } ?? stored
    }

    public func type(of operand: Operand) -> ArrayType {
        switch operand {
        case .input(let i): return inputs[i - 1].type
        case .vertex(let v): return equations[v - 1].type
        case .constant(let c): return constants[c - 1].type
        case .literal(_, let type): return type ?? ArrayType(dtype: "f32", shape: [])
        }
    }
}

public struct Variable: Equatable, Sendable {
    public var name: String
    public var type: ArrayType

    public init(name: String, type: ArrayType) {
        self.name = name
        self.type = type
    }
}

/// What an equation reads. Inputs and vertices are 1-based ids; constants index `Program.constants`.
public enum Operand: Equatable, Hashable, Sendable {
    case input(Int)
    case vertex(Int)
    case constant(Int)
    /// A literal; `type` is nil when the jaxpr printed a bare number (a weakly typed scalar).
    case literal(String, ArrayType?)

    /// The value of a literal's text: `2.0`, `-0.5`, `1e-07`, `inf`, `nan`, `True` (typed literals
    /// arrive without their `:f32[]`); nil when it is not a number.
    public static func literalValue(_ text: String) -> Double? {
        switch text {
        case "True", "true": return 1
        case "False", "false": return 0
        default: return Double(text)
        }
    }

    /// How a graph file names the operand: `in3`, `v7`, `c2`, or the literal (`2.0`, `2.0:f32[]`).
    public var token: String {
        switch self {
        case .input(let i): return "in\(i)"
        case .vertex(let v): return "v\(v)"
        case .constant(let c): return "c\(c)"
        case .literal(let text, let type): return type.map { "\(text):\($0)" } ?? text
        }
    }

    /// The input, vertex or constant a token names (`in3`, `v7`, `c2`); nil for anything else.
    public init?<S: StringProtocol>(reference token: S) {
        for (prefix, make) in [("in", Operand.input), ("v", Operand.vertex), ("c", Operand.constant)]
            as [(String, (Int) -> Operand)]
        {
            if token.hasPrefix(prefix), let k = Int(token.dropFirst(prefix.count)) {
                self = make(k)
                return
            }
        }
        return nil
    }

    /// Inputs and vertices carry derivatives; literals and constants do not.
    public var isDifferentiable: Bool {
        switch self {
        case .input, .vertex: return true
        case .constant, .literal: return false
        }
    }
}

public struct Equation: Equatable, Sendable {
    /// The result's name as printed (`_` for an unused result; `name@k` for inlined calls).
    public var name: String
    public var type: ArrayType
    public var primitive: String
    /// Parameters in printed order, values with white space folded (`dimension_numbers=(([1], [0]), ([], []))`).
    public var params: [Parameter]
    public var operands: [Operand]

    public init(name: String, type: ArrayType, primitive: String, params: [Parameter], operands: [Operand]) {
        self.name = name
        self.type = type
        self.primitive = primitive
        self.params = params
        self.operands = operands
    }

    public func param(_ key: String) -> String? { params.first { $0.key == key }?.value }
}

public struct Parameter: Equatable, Sendable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
