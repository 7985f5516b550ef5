/// Elementwise primitives: one row operation per element; the partial is diagonal (one entry per
/// element), or one entry per result element in the broadcast operand's column when a scalar or a
/// size-1 dimension is broadcast.
enum ElementwiseLowering {
    static func unary(
        _ f: UnaryFunction, _ c: EquationContext, builder: inout TapeBuilder
    ) throws(JacobianError) -> LoweredEquation {
        try c.requireOperands(1)
        let x = c.operandRows[0]
        guard x.count == c.resultCount else {
            throw c.malformed("operand has \(x.count) elements, result \(c.resultCount)")
        }
        let n = f == .integerPow ? try c.parameters.int("y") : 0
        var rows: [Int32] = []
        var partial = SparseBlock(rows: x.count, cols: x.count)
        for e in 0..<x.count {
            let y = builder.unary(f, x[e], exponent: n)
            rows.append(y)
            partial[e, e] = builder.unaryDerivative(f, x[e], y, exponent: n)
        }
        return LoweredEquation(rows: rows, partials: [(0, partial)])
    }

    /// round[rounding_method=…]: 0 (AWAY_FROM_ZERO, lax.round's default) or 1 (TO_NEAREST_EVEN,
    /// jnp.round's); JAX prints the number, older versions the enum's name.
    static func rounding(_ c: EquationContext) throws(JacobianError) -> UnaryFunction {
        switch c.equation.param("rounding_method") ?? "0" {
        case "0", "RoundingMethod.AWAY_FROM_ZERO", "AWAY_FROM_ZERO": return .roundAway
        case "1", "RoundingMethod.TO_NEAREST_EVEN", "TO_NEAREST_EVEN": return .roundEven
        case let other: throw c.unsupported("rounding_method \(other) (ccelim knows 0, away from zero, and 1, to even)")
        }
    }

    /// clamp(lo, x, hi) = min(max(x, lo), hi) as XLA defines it; lo and hi are scalars or x's shape.
    /// The partials are JAX's: x's is 1 strictly between the bounds, lo's where x < lo < hi, hi's
    /// where hi < x; at a tie every partial is 0.
    static func clamp(_ c: EquationContext, builder: inout TapeBuilder) throws(JacobianError) -> LoweredEquation {
        guard c.operandRows.count == 3 else { throw c.malformed("takes 3 operands, has \(c.operandRows.count)") }
        let n = c.resultCount
        guard c.operandRows[1].count == n else {
            throw c.malformed("operand has \(c.operandRows[1].count) elements, result \(n)")
        }
        let maps = try (0..<3).map { (k: Int) throws(JacobianError) -> [Int] in
            try broadcastMap(from: c.operandShapes[k], to: c.resultShape, context: c)
        }
        let differentiable = c.equation.operands.map(\.isDifferentiable)
        var rows: [Int32] = []
        var partials = (0..<3).map { (position: $0, block: SparseBlock(rows: n, cols: c.operandRows[$0].count)) }
        for e in 0..<n {
            let lo = c.operandRows[0][maps[0][e]], x = c.operandRows[1][e], hi = c.operandRows[2][maps[2][e]]
            rows.append(builder.binary(.min, builder.binary(.max, x, lo), hi))
            if differentiable[0] {
                let below = builder.binary(.and, builder.binary(.gt, lo, x), builder.binary(.lt, lo, hi))
                partials[0].block[e, maps[0][e]] = builder.val(below)
            }
            if differentiable[1] {
                let inside = builder.binary(.and, builder.binary(.gt, x, lo), builder.binary(.lt, x, hi))
                partials[1].block[e, e] = builder.val(inside)
            }
            if differentiable[2] { partials[2].block[e, maps[2][e]] = builder.val(builder.binary(.lt, hi, x)) }
        }
        return LoweredEquation(rows: rows, partials: partials.filter { differentiable[$0.position] })
    }

    /// convert_element_type: a float → float conversion is an alias with an identity partial,
    /// except to a narrower float (float64 → float32, float32 → bfloat16, an integer → float16),
    /// which rounds the value to the format (FloatFormat) and passes the derivative on (1); a
    /// conversion to an integer or bool changes the values and has derivative zero (as in JAX):
    /// a float is truncated toward zero and saturates at an integer type's range, an integer
    /// wraps around into a narrower one (IntegerFormat; int64 and uint64 only truncate).
    static func convert(_ c: EquationContext, builder: inout TapeBuilder) throws(JacobianError) -> LoweredEquation {
        try c.requireOperands(1)
        let x = c.operandRows[0]
        guard x.count == c.resultCount else {
            throw c.malformed("operand has \(x.count) elements, result \(c.resultCount)")
        }
        let dtype = c.equation.param("new_dtype") ?? c.equation.type.dtype
        let f: UnaryFunction?
        var code = 0
        if dtype.hasPrefix("bool") {
            f = .toBool
        } else if isInteger(dtype) {
            let source = c.operandDTypes[0]
            if let format = IntegerFormat(dtype: dtype), source != "bool" {
                f = isInteger(source) ? .wrapInteger : .saturateInteger
                code = format.code
            } else {
                f = .truncate
            }
        } else if let format = FloatFormat(dtype: dtype), narrows(from: c.operandDTypes[0], to: format) {
            f = .narrowFloat
            code = format.code
        } else {
            f = nil
        }
        guard let f else { return ReindexLowering.identity(x) }
        let rows = x.map { builder.unary(f, $0, exponent: code) }
        guard f == .narrowFloat else { return LoweredEquation(rows: rows) }
        var partial = SparseBlock(rows: x.count, cols: x.count)
        for e in x.indices { partial[e, e] = .constant(1) }
        return LoweredEquation(rows: rows, partials: [(0, partial)])
    }

    /// reduce_precision[exponent_bits=E mantissa_bits=M]: each element rounded to that format
    /// (FloatFormat), derivative 1.
    static func reducePrecision(
        _ c: EquationContext, builder: inout TapeBuilder
    ) throws(JacobianError)
        -> LoweredEquation
    {
        try c.requireOperands(1)
        let x = c.operandRows[0]
        guard x.count == c.resultCount else {
            throw c.malformed("operand has \(x.count) elements, result \(c.resultCount)")
        }
        let e = try c.parameters.int("exponent_bits"), m = try c.parameters.int("mantissa_bits")
        guard let format = FloatFormat(exponentBits: e, mantissaBits: m) else {
            throw c.unsupported("exponent_bits \(e), mantissa_bits \(m) (ccelim rounds to 2–11 and 0–52)")
        }
        var partial = SparseBlock(rows: x.count, cols: x.count)
        for e in x.indices { partial[e, e] = .constant(1) }
        return LoweredEquation(
            rows: x.map { builder.unary(.narrowFloat, $0, exponent: format.code) }, partials: [(0, partial)])
    }

    /// Whether converting a value of `source` to `format` can change it: float64 to anything
    /// narrower, float32 to bfloat16 or float16, bfloat16 and float16 to each other, an integer to
    /// bfloat16 or float16 (beyond 256 and 2048 not every integer is a value). An integer converted
    /// to float32 is left as it is, as float32 arithmetic is (COST_MODEL §6).
    static func narrows(from source: String, to format: FloatFormat) -> Bool {
        if let from = FloatFormat(dtype: source) { return !format.holds(from) }
        if source == "f64" || source == "float64" { return true }
        return isInteger(source) && format != .float32
    }

    /// Whether `dtype` is an integer type, short (`i32`, `u8`) or long (`int32`, `uint8`).
    static func isInteger(_ dtype: String) -> Bool {
        if dtype.hasPrefix("int") || dtype.hasPrefix("uint") { return true }
        guard let kind = dtype.first, kind == "i" || kind == "u" else { return false }
        return dtype.dropFirst().first?.isNumber == true
    }

    static func binary(
        _ f: BinaryFunction, _ c: EquationContext, builder: inout TapeBuilder
    ) throws(JacobianError) -> LoweredEquation {
        guard c.operandRows.count == 2 else { throw c.malformed("takes 2 operands, has \(c.operandRows.count)") }
        let shape = c.resultShape
        let n = c.resultCount
        let maps = try (0..<2).map { (k: Int) throws(JacobianError) -> [Int] in
            try broadcastMap(from: c.operandShapes[k], to: shape, context: c)
        }
        let x = c.operandRows[0], y = c.operandRows[1]
        var rows: [Int32] = []
        rows.reserveCapacity(n)
        // `div` of integers rounds toward zero, as XLA's (`//` of non-negative ints, `lax.div`,
        // `jnp.divmod`, `unravel_index`): the quotient truncated; an integer result has no partials.
        if f == .div && Self.isInteger(c.equation.type.dtype) {
            for e in 0..<n { rows.append(builder.unary(.truncate, builder.binary(.div, x[maps[0][e]], y[maps[1][e]]))) }
            return LoweredEquation(rows: rows)
        }
        for e in 0..<n { rows.append(builder.binary(f, x[maps[0][e]], y[maps[1][e]])) }
        var partials: [(Int, SparseBlock)] = []
        for k in 0..<2 {
            var block = SparseBlock(rows: n, cols: c.operandRows[k].count)
            for e in 0..<n {
                if let v = builder.binaryPartial(f, wrt: k, x[maps[0][e]], y[maps[1][e]], rows[e]) {
                    block[e, maps[k][e]] = v
                }
            }
            partials.append((k, block))
        }
        return LoweredEquation(rows: rows, partials: partials)
    }

    /// select_n(predicate, case0, case1, …): element e is case_k[e] where the predicate (a scalar or
    /// the result's shape; bool or an integer index) is k. The partial with respect to case k is
    /// [predicate = k] on the diagonal; the predicate itself has none (JAX's rule).
    static func select(_ c: EquationContext, builder: inout TapeBuilder) throws(JacobianError) -> LoweredEquation {
        guard c.operandRows.count >= 2 else { throw c.malformed("needs a predicate and a case") }
        let n = c.resultCount
        let predicate = try broadcastMap(from: c.operandShapes[0], to: c.resultShape, context: c)
        let cases = c.operandRows.dropFirst()
        guard cases.allSatisfy({ $0.count == n }) else { throw c.malformed("a case differs from the result's shape") }
        var rows: [Int32] = []
        var partials = cases.indices.map { (position: $0, block: SparseBlock(rows: n, cols: n)) }
        for e in 0..<n {
            let p = c.operandRows[0][predicate[e]]
            let picks = cases.indices.map { k in builder.binary(.eq, p, builder.constantRow(Double(k - 1))) }
            var value = c.operandRows[1][e]
            for k in cases.indices.dropFirst() {
                value = builder.select(picks[k - 1], onFalse: value, onTrue: c.operandRows[k][e])
            }
            rows.append(value)
            for k in cases.indices { partials[k - 1].block[e, e] = builder.val(picks[k - 1]) }
        }
        return LoweredEquation(rows: rows, partials: partials)
    }

    /// For every result element, the element of the operand it reads: the operand has the result's
    /// shape, is a scalar (or any size-1 array), or has size-1 dimensions where the result is wider.
    static func broadcastMap(
        from operand: [Int], to result: [Int], context c: EquationContext
    ) throws(JacobianError) -> [Int] {
        let n = Shape.count(result)
        if Shape.count(operand) == 1 { return [Int](repeating: 0, count: n) }
        if operand == result { return Array(0..<n) }
        guard operand.count == result.count, zip(operand, result).allSatisfy({ $0 == $1 || $0 == 1 }) else {
            throw c.malformed("cannot broadcast an operand of shape \(operand) to the result shape \(result)")
        }
        return (0..<n).map { e in
            var index = Shape.index(e, result)
            for d in 0..<index.count where operand[d] == 1 { index[d] = 0 }
            return Shape.flat(index, operand)
        }
    }
}
