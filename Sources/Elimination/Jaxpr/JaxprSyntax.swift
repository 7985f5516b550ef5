// The jaxpr text as parsed, before any interpretation: exactly what `jax.make_jaxpr` printed.
// Interpretation (numbering, inlining, edge labels) happens in ProgramBuilder.

/// An array type as printed in a jaxpr: `f32[]`, `f32[3,4]`, `i32[2]`.
public struct ArrayType: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var dtype: String
    public var shape: [Int]

    public init(dtype: String, shape: [Int]) {
        self.dtype = dtype
        self.shape = shape
    }

    public var rank: Int { shape.count }
    public var elementCount: Int { shape.reduce(1, *) }
    public var description: String { "\(dtype)[\(shape.map(String.init).joined(separator: ","))]" }
}

/// A name bound by a jaxpr (an input, a constant or an equation result); `_` is an unused result.
struct JaxprBinder {
    var name: String
    var type: ArrayType
    var line: Int
    /// A closed-over constant's place in the program's constants (`ConstantNumbering`); nil for
    /// every other binder.
    var constant: Int? = nil
}

/// An operand: a variable, or a literal constant (which never creates an edge).
enum JaxprAtom {
    case variable(name: String, line: Int)
    /// `text` is the literal as printed (`2.0`, `-0.5`, `True`); `type` is set when JAX printed one
    /// (`2.0:f32[]`, newer JAX) and nil otherwise (JAX 0.4.x prints bare literals).
    case literal(text: String, type: ArrayType?, line: Int)

    /// The literal a variable name stands for when no variable of that name is defined: JAX 0.4.x
    /// prints infinity and NaN bare (`eq x inf` in jnp.hypot, `select_n c x nan` in jnp.var), and
    /// the parser cannot tell them from variables (a jaxpr of thousands of equations names one
    /// `inf`), so the scope decides: a defined variable wins. nil for every other name.
    static func unboundLiteral(_ name: String, line: Int) -> JaxprAtom? {
        name == "inf" || name == "nan" ? .literal(text: name, type: nil, line: line) : nil
    }
}

/// One `key=value` parameter of an equation. `text` is the value as printed, with runs of white
/// space folded to one space; `jaxpr` is set when the value is a nested `{ lambda ... }`, `jaxprs`
/// when it is a tuple of them (cond's `branches`), with `jaxprNames` when the tuple names them
/// (custom_linear_solve's `_LinearSolveTuple(matvec=…, solve=…)`; empty otherwise).
struct JaxprParam {
    var key: String
    var text: String
    var jaxpr: JaxprSyntax?
    var jaxprs: [JaxprSyntax] = []
    var jaxprNames: [String] = []

    /// The jaxpr of a named tuple's field `name`; nil when it is None or missing.
    func jaxpr(named name: String) -> JaxprSyntax? {
        jaxprNames.firstIndex(of: name).map { jaxprs[$0] }
    }
}

struct JaxprEquation {
    var outputs: [JaxprBinder]
    var primitive: String
    var params: [JaxprParam]
    var operands: [JaxprAtom]
    var line: Int

    func param(_ key: String) -> JaxprParam? { params.first { $0.key == key } }
}

/// `{ lambda CONSTS ; INPUTS . let EQUATIONS in (OUTPUTS) }`
struct JaxprSyntax {
    var constants: [JaxprBinder]
    var inputs: [JaxprBinder]
    var equations: [JaxprEquation]
    var outputs: [JaxprAtom]
}
