/// `reduce_window` (pooling and moving sums: `lax.reduce_window`, `flax.linen.max_pool` /
/// `avg_pool`, `reduce_window_sum`/`max`/`min` and the generic form whose body is one `add`, `mul`,
/// `max` or `min`) written as what it computes: the operand padded where the window leaves it
/// (and between its elements for a base dilation) with the combination's identity in the
/// operand's dtype, as JAX pads: 0.0 or 0 for a sum, −inf for a float max, an integer type's least
/// value (−2147483648 for i32), False for a boolean max (ElementType; a dtype without one, a float
/// type without infinities, is refused where it would be padded); one strided `slice` per position
/// inside the window (the elements that position sees in every window), and those slices
/// combined pairwise; a generic form's initial value other than the identity is
/// combined once more (JAX counts it once per window, and padding not at all: checked against
/// `lax.reduce_window` with init 0.5). A window of w positions becomes w slices and w − 1
/// combinations, so the cost model sees the products and sums the pooling makes.
///
/// The derivative is that of the combinations: at a tie of a max (two equal elements in one
/// window) it is shared as `max` shares it, where JAX's rule gives it to one element.
enum WindowReduction {
    /// The binary primitive each named reduction combines with.
    static let combiners = ["reduce_window_sum": "add", "reduce_window_max": "max", "reduce_window_min": "min"]

    /// The combining primitive of `eqn` when it is a window reduction this rewrites: a named one,
    /// or the generic `reduce_window` of one operand whose body is one add, mul, max or min.
    static func combiner(of eqn: JaxprEquation) -> String? {
        if let named = combiners[eqn.primitive] { return named }
        guard eqn.primitive == "reduce_window", eqn.operands.count == 2, eqn.outputs.count == 1,
            let body = eqn.param("jaxpr")?.jaxpr, body.equations.count == 1, body.inputs.count == 2,
            ["add", "mul", "max", "min"].contains(body.equations[0].primitive)
        else { return nil }
        return body.equations[0].primitive
    }

    /// The equations computing `eqn` (combining with `combiner`) from an operand of `shape`, and
    /// their result.
    static func equations(
        _ eqn: JaxprEquation, combiner: String, shape: [Int], dtype: String, tag: String
    ) throws(ImportError) -> (equations: [JaxprEquation], result: JaxprAtom) {
        let rank = shape.count
        func list(_ key: String, default value: Int, count: Int) -> [Int] {
            guard let text = eqn.param(key)?.text else { return Array(repeating: value, count: count) }
            return ParameterText.integers(in: text)
        }
        let window = list("window_dimensions", default: 1, count: rank)
        let strides = list("window_strides", default: 1, count: rank)
        let dilation = list("window_dilation", default: 1, count: rank)
        let baseDilation = list("base_dilation", default: 1, count: rank)
        let padding = list("padding", default: 0, count: 2 * rank)
        let result = eqn.outputs[0]
        guard window.count == rank, strides.count == rank, dilation.count == rank, baseDilation.count == rank,
            padding.count == 2 * rank, result.type.rank == rank,
            (window + strides + dilation + baseDilation).allSatisfy({ $0 >= 1 })
        else {
            throw ImportError(
                .shapeMismatch, line: eqn.line,
                "'\(eqn.primitive)' of an operand of shape \(shape) has window parameters that do not fit it (one per axis, ≥ 1)"
            )
        }
        // The padding, in the operand's dtype (nil: the dtype has none, refused below if padded).
        let identity = ElementType.identity(of: combiner, dtype)
        // The generic form's initial value, its second operand (the named forms start at the identity).
        var initial: JaxprAtom? = nil
        if eqn.primitive == "reduce_window" {
            guard case .literal(let text, _, _) = eqn.operands[1], Operand.literalValue(text) != nil else {
                throw ImportError(
                    .unsupportedPrimitive, line: eqn.line,
                    "'reduce_window' with an initial value computed by the program is not supported; pass a constant")
            }
            if Operand.literalValue(text) != identity.flatMap(Operand.literalValue) {
                initial = .literal(text: text, type: nil, line: eqn.line)
            }
        }

        var writer = EquationWriter<Never>(prefix: "\(result.name)@\(tag)", line: eqn.line)
        var x = eqn.operands[0]
        var padded = shape
        let lows = (0..<rank).map { padding[2 * $0] }, highs = (0..<rank).map { padding[2 * $0 + 1] }
        for a in 0..<rank {
            padded[a] = shape[a] == 0 ? 0 : (shape[a] - 1) * baseDilation[a] + 1
            padded[a] += lows[a] + highs[a]
        }
        if padded != shape {
            guard let identity else {
                throw ImportError(
                    .unsupportedPrimitive, line: eqn.line,
                    "'\(eqn.primitive)' pads its \(dtype) operand, and no \(dtype) value leaves every other unchanged under '\(combiner)' (booleans have no sum or product; a float type without infinities no max or min); convert the operand to float32 or float64 first"
                )
            }
            let config = (0..<rank).map { (low: lows[$0], high: highs[$0], interior: baseDilation[$0] - 1) }
            x = writer.pad(x, with: writer.literal(identity), config: config, shape: padded, dtype: dtype)
        }
        let out = result.type.shape
        var expected: [Int] = []
        for a in 0..<rank {
            let span = (window[a] - 1) * dilation[a] + 1
            expected.append(padded[a] >= span ? (padded[a] - span) / strides[a] + 1 : 0)
        }
        guard expected == out, out.allSatisfy({ $0 > 0 }) else {
            throw ImportError(
                .shapeMismatch, line: eqn.line,
                "'\(eqn.primitive)' gives \(out) where its window over the padded shape \(padded) gives \(expected)")
        }
        // One strided slice per position inside the window.
        let unit = strides.allSatisfy { $0 == 1 }
        var parts: [JaxprAtom] = EquationWriter.positions(window).map { position in
            let start = (0..<rank).map { position[$0] * dilation[$0] }
            let limit = (0..<rank).map { start[$0] + (out[$0] - 1) * strides[$0] + 1 }
            return start == Array(repeating: 0, count: rank) && limit == padded && unit
                ? x : writer.slice(x, start: start, limit: limit, strides: unit ? nil : strides, dtype: dtype)
        }
        if let initial { parts.append(writer.broadcast(initial, dimensions: [], shape: out, dtype: dtype)) }
        // Pairwise, as a balanced tree: the last combination binds the result; a window of one
        // position is the slice (or the operand) itself.
        let combined = writer.combine(parts, by: combiner, shape: out, dtype: dtype, into: result)
        return (writer.equations, combined)
    }
}
