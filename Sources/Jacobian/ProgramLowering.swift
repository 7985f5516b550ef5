import Elimination

/// What lowering a program leaves: the rows of every vertex's value and the local partial of every
/// vertex with respect to each operand that carries a derivative (an input or a vertex).
struct LoweredProgram {
    /// values[v − 1][e]: the row of element e (row-major) of vertex v.
    var values: [[Int32]] = []
    /// partials[v − 1][operand] = ∂v/∂operand (operands used twice have their partials summed).
    var partials: [[Operand: SparseBlock]] = []
}

/// Options that change how a program is lowered.
package struct LoweringOptions {
    /// Finite differences perturb every sample but the first; JAX's Jacobian treats stop_gradient
    /// results as constants, so the differences must see them held at the first sample's value.
    /// The code generators set it too: the `.holdFirstSample` instructions mark where the program
    /// stops gradients, which generated JAX must keep (Sources/Codegen).
    package var holdStopGradientAtFirstSample = false

    package init(holdStopGradientAtFirstSample: Bool = false) {
        self.holdStopGradientAtFirstSample = holdStopGradientAtFirstSample
    }
}

/// Lowers a program onto the tape, one equation at a time, in order.
enum ProgramLowering {
    static func lower(
        _ program: Program, inputs: [[Int32]], constants: [[Int32]], options: LoweringOptions,
        builder: inout TapeBuilder
    ) throws(JacobianError) -> LoweredProgram {
        var out = LoweredProgram()
        out.values.reserveCapacity(program.equations.count)
        // The rows of an input, a vertex before v or a constant (nil for anything else).
        func rows(_ operand: Operand, before v: Int) -> [Int32]? {
            switch operand {
            case .input(let i) where i >= 1 && i <= inputs.count: return inputs[i - 1]
            case .vertex(let w) where w >= 1 && w < v: return out.values[w - 1]
            case .constant(let c) where c >= 1 && c <= constants.count: return constants[c - 1]
            default: return nil
            }
        }
        // A program that holds float64 values and computes some in float32 chose float32 there
        // (an explicit astype, jax.nn.dot_product_attention's softmax): those are rounded too.
        let isFloat64 = { (t: ArrayType) in t.dtype == "f64" }
        let mixesFloat64 =
            program.inputs.contains { isFloat64($0.type) } || program.equations.contains { isFloat64($0.type) }
        for (index, eq) in program.equations.enumerated() {
            let v = index + 1
            var operandRows: [[Int32]] = []
            var operandShapes: [[Int]] = []
            var operandDTypes: [String] = []
            for operand in eq.operands {
                let type = program.type(of: operand)
                operandShapes.append(type.shape)
                operandDTypes.append(type.dtype)
                switch operand {
                case .input, .vertex, .constant:
                    guard let r = rows(operand, before: v) else {
                        throw .malformed(
                            vertex: v, primitive: eq.primitive,
                            reason: "reads \(operand.token), which is not an earlier value")
                    }
                    operandRows.append(r)
                case .literal(let text, _):
                    guard let value = Operand.literalValue(text) else {
                        throw .malformed(
                            vertex: v, primitive: eq.primitive, reason: "cannot read the literal '\(text)'")
                    }
                    operandRows.append([Int32](repeating: builder.constantRow(value), count: Shape.count(type.shape)))
                }
            }
            let context = EquationContext(
                equation: eq, vertex: v, operandRows: operandRows, operandShapes: operandShapes,
                operandDTypes: operandDTypes, options: options)
            var lowered = try lowerEquation(context, builder: &builder)
            roundToNarrowFloat(&lowered, context, float32: mixesFloat64, builder: &builder)
            wrapToIntegerWidth(&lowered, context, builder: &builder)
            guard lowered.rows.count == Shape.count(eq.type.shape) else {
                throw context.malformed("computes \(lowered.rows.count) elements for a result of type \(eq.type)")
            }
            try guardBranch(&lowered, context, rows: { rows($0, before: v) }, builder: &builder)
            out.values.append(lowered.rows)
            var byOperand: [Operand: SparseBlock] = [:]
            for (position, block) in lowered.partials {
                let operand = eq.operands[position]
                guard operand.isDifferentiable else { continue }
                if let existing = byOperand[operand] {
                    byOperand[operand] = sum(existing, block, builder: &builder)
                } else {
                    byOperand[operand] = block
                }
            }
            out.partials.append(byOperand)
        }
        return out
    }

    /// An equation computing in bfloat16 or float16, or in float32 when `float32` (the program
    /// also holds float64 values): its new rows rounded to the format, as XLA computes (it rounds
    /// each result to the equation's dtype), so `exp` of a bfloat16 value is JAX's bfloat16 value,
    /// not float64's. Rows that are an operand's (a reshape, a slice) are already rounded. A
    /// conversion rounds by itself (ElementwiseLowering.convert). A program entirely in float32
    /// runs in the run's precision (float64 unless `--precision float32`; COST_MODEL §6).
    static func roundToNarrowFloat(
        _ lowered: inout LoweredEquation, _ c: EquationContext, float32: Bool, builder: inout TapeBuilder
    ) {
        guard let format = FloatFormat(dtype: c.equation.type.dtype), format != .float32 || float32,
            c.equation.primitive != "convert_element_type"
        else { return }
        let operandRows = Set(c.operandRows.joined())
        lowered.rows = lowered.rows.map {
            operandRows.contains($0) ? $0 : builder.unary(.narrowFloat, $0, exponent: format.code)
        }
    }

    /// An equation computing in an integer type of at most 32 bits: its new rows wrapped around
    /// into the type's range (IntegerFormat), as XLA's two's-complement arithmetic gives them
    /// (int32 max + 1 is −2³¹, an int8 product wraps). A conversion does its own.
    static func wrapToIntegerWidth(_ lowered: inout LoweredEquation, _ c: EquationContext, builder: inout TapeBuilder) {
        guard let format = IntegerFormat(dtype: c.equation.type.dtype), c.equation.primitive != "convert_element_type"
        else { return }
        let operandRows = Set(c.operandRows.joined())
        lowered.rows = lowered.rows.map {
            operandRows.contains($0) ? $0 : builder.unary(.wrapInteger, $0, exponent: format.code)
        }
    }

    /// An equation of a cond's branch (BranchGuard): its partials where the cond's index picks the
    /// branch, 0 elsewhere, so that a branch not taken adds nothing to the Jacobian, not even a NaN.
    /// `rows` gives the rows of an input, a constant or a vertex before this one (nil otherwise).
    static func guardBranch(
        _ lowered: inout LoweredEquation, _ c: EquationContext, rows: (Operand) -> [Int32]?,
        builder: inout TapeBuilder
    ) throws(JacobianError) {
        guard let guards = BranchGuard.guards(of: c.equation) else {
            throw c.malformed("cannot read its \(BranchGuard.parameter) parameter")
        }
        guard !guards.isEmpty else { return }
        var taken: Int32?
        for g in guards {
            guard let rows = rows(g.index) else {
                throw c.malformed("its \(BranchGuard.parameter) names \(g.text), which is not an earlier value")
            }
            guard rows.count == 1 else { throw c.malformed("its branch index \(g.text) is not a scalar") }
            let picked = builder.binary(.eq, rows[0], builder.constantRow(Double(g.branch)))
            taken = taken.map { builder.binary(.and, $0, picked) } ?? picked
        }
        let zero = builder.constantRow(0)
        for p in lowered.partials.indices {
            for (key, value) in lowered.partials[p].block.entries {
                let row: Int32
                switch value {
                case .constant(let x): row = builder.constantRow(x)
                case .row(let r): row = r
                }
                lowered.partials[p].block.entries[key] = builder.val(builder.select(taken!, onFalse: zero, onTrue: row))
            }
        }
    }

    static func lowerEquation(_ c: EquationContext, builder: inout TapeBuilder) throws(JacobianError) -> LoweredEquation
    {
        let p = c.equation.primitive
        if let f = UnaryFunction(primitive: p) { return try ElementwiseLowering.unary(f, c, builder: &builder) }
        if let f = BinaryFunction(primitive: p) { return try ElementwiseLowering.binary(f, c, builder: &builder) }
        switch p {
        case "convert_element_type": return try ElementwiseLowering.convert(c, builder: &builder)
        case "reduce_precision": return try ElementwiseLowering.reducePrecision(c, builder: &builder)
        case "round": return try ElementwiseLowering.unary(ElementwiseLowering.rounding(c), c, builder: &builder)
        case "clamp": return try ElementwiseLowering.clamp(c, builder: &builder)
        case "select_n": return try ElementwiseLowering.select(c, builder: &builder)
        case "reduce_prod": return try ContractionLowering.reduceProduct(c, builder: &builder)
        case "cumsum": return try ContractionLowering.cumulativeSum(c, builder: &builder)
        case "custom_jvp_call": return try CustomJvpLowering.lower(c, builder: &builder)
        case "dot_general": return try ContractionLowering.dotGeneral(c, builder: &builder)
        case "reduce_sum": return try ContractionLowering.reduceSum(c, builder: &builder)
        case "reduce_or", "reduce_and":
            return try ContractionLowering.reduceBoolean(any: p == "reduce_or", c, builder: &builder)
        case "argmax", "argmin": return try ContractionLowering.argExtremum(max: p == "argmax", c, builder: &builder)
        case "reduce_max", "reduce_min":
            return try ContractionLowering.reduceExtremum(max: p == "reduce_max", c, builder: &builder)
        case "stop_gradient": return try ReindexLowering.stopGradient(c, builder: &builder)
        case "iota": return try ReindexLowering.iota(c, builder: &builder)
        default: return try ReindexLowering.lower(c, builder: &builder)
        }
    }

    /// The sum of two partials of the same operand (an operand used twice, as in `mul a a`).
    static func sum(_ x: SparseBlock, _ y: SparseBlock, builder: inout TapeBuilder) -> SparseBlock {
        var out = x
        for (key, value) in y.sortedEntries {
            if let existing = out.entries[key] {
                out.entries[key] = builder.combine([Summand(existing), Summand(value)])
            } else {
                out.entries[key] = value
            }
        }
        return out
    }
}

/// One equation to lower, with its operands resolved to rows.
struct EquationContext {
    let equation: Equation
    let vertex: Int
    let operandRows: [[Int32]]
    let operandShapes: [[Int]]
    /// The operands' dtypes as the jaxpr prints them (`f64`, `bf16`, `i32`).
    let operandDTypes: [String]
    let options: LoweringOptions

    var resultShape: [Int] { equation.type.shape }
    var resultCount: Int { Shape.count(equation.type.shape) }
    var parameters: ParameterReader { ParameterReader(equation: equation, vertex: vertex) }

    func malformed(_ reason: String) -> JacobianError {
        .malformed(vertex: vertex, primitive: equation.primitive, reason: reason)
    }

    func unsupported(_ reason: String) -> JacobianError {
        .unsupported(vertex: vertex, primitive: equation.primitive, reason: reason)
    }

    func requireOperands(_ n: Int) throws(JacobianError) {
        guard operandRows.count >= n else {
            throw malformed("needs \(n) operand\(n == 1 ? "" : "s"), has \(operandRows.count)")
        }
    }
}

/// A lowered equation: the rows of its result and its partial with respect to operand positions.
struct LoweredEquation {
    var rows: [Int32]
    var partials: [(position: Int, block: SparseBlock)] = []
}
