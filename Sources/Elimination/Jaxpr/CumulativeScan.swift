/// `cumprod`, `cummax` and `cummin` (jnp.cumprod, lax.cummax, lax.cummin, reversed too) written
/// as the equations JAX evaluates them with: each element along the axis a `slice` of width 1,
/// combined by `mul`, `max` or `min` in the tree of JAX's associative scan
/// (jax.lax.associative_scan: neighbours paired, the pairs scanned, then each even position
/// combined with the odd result before it), and the running results concatenated back along the
/// axis. The same tree means the same rounding, and at ties of cummax/cummin the same shares of
/// the derivative as `jax.jacrev` (a sequential chain would give the last element 1/2 and the
/// first 1/2^(n−1) where JAX gives every tied element 1/n for n a power of two). The cost model
/// sees what the scan computes: one vertex per combination, with that primitive's edges.
/// `cumlogsumexp` (lax.cumlogsumexp) combines with `logaddexp`, one binary elementwise vertex
/// that is not a JAX primitive (BinaryFunction.logaddexp): JAX differentiates the scan with
/// jnp.logaddexp's custom rule, exp(a − out), which shares a tie 1/2 each, where differentiating
/// its primal equations would give 0 and 1 (abs's derivative is 1 at 0).
/// `cumsum` is linear and keeps its own vertex (EdgeRules).
enum CumulativeScan {
    /// The binary primitive each cumulative primitive combines with (`logaddexp`: its equations).
    static let combiners: [String: String] = [
        "cumprod": "mul", "cummax": "max", "cummin": "min", "cumlogsumexp": "logaddexp",
    ]

    static func equations(
        _ eqn: JaxprEquation, operandShape: [Int], tag: String
    ) throws(ImportError) -> (equations: [JaxprEquation], result: JaxprAtom) {
        let line = eqn.line
        guard let combiner = combiners[eqn.primitive], eqn.operands.count == 1, eqn.outputs.count == 1 else {
            throw ImportError(.shapeMismatch, line: line, "'\(eqn.primitive)' takes one operand and gives one result")
        }
        guard let axisText = eqn.param("axis")?.text, let axis = Int(axisText), axis >= 0, axis < operandShape.count
        else {
            throw ImportError(
                .syntax, line: line,
                "'\(eqn.primitive)' needs an axis of its operand of shape \(operandShape), found '\(eqn.param("axis")?.text ?? "none")'"
            )
        }
        let result = eqn.outputs[0]
        guard result.type.shape == operandShape else {
            throw ImportError(
                .shapeMismatch, line: line,
                "'\(eqn.primitive)' of an operand of shape \(operandShape) gives a result of shape \(result.type.shape)"
            )
        }
        let n = operandShape[axis]
        guard n > 0 else {
            throw ImportError(.shapeMismatch, line: line, "'\(eqn.primitive)' along an axis of length 0")
        }
        let reverse = eqn.param("reverse")?.text == "True"
        var window = operandShape
        window[axis] = 1
        let dtype = result.type.dtype
        var writer = EquationWriter(prefix: "\(result.name)@\(tag)", line: line)
        // One slice per position, in the order the scan runs (JAX reverses the axis, scans, and
        // reverses back). One position: the slice is the whole operand, a copy-like re-indexing
        // bound to the result.
        let positions = reverse ? Array((0..<n).reversed()) : Array(0..<n)
        let elements = positions.map { k -> JaxprAtom in
            var start = [Int](repeating: 0, count: operandShape.count)
            var limit = operandShape
            start[axis] = k
            limit[axis] = k + 1
            return writer.slice(
                eqn.operands[0], start: start, limit: limit, dtype: dtype, into: n == 1 ? result : nil)
        }
        func combine(_ a: JaxprAtom, _ b: JaxprAtom) -> JaxprAtom {
            writer.bind(combiner, [], [a, b], shape: window, dtype: dtype)
        }
        func scan(_ xs: [JaxprAtom]) -> [JaxprAtom] {
            guard xs.count >= 2 else { return xs }
            let reduced = stride(from: 0, to: xs.count - 1, by: 2).map { combine(xs[$0], xs[$0 + 1]) }
            let odd = scan(reduced)
            var out: [JaxprAtom] = []
            for i in xs.indices {
                if i == 0 {
                    out.append(xs[0])
                } else if i % 2 == 1 {
                    out.append(odd[i / 2])
                } else {
                    out.append(combine(odd[i / 2 - 1], xs[i]))
                }
            }
            return out
        }
        var running = scan(elements)
        if reverse { running.reverse() }
        if n > 1 {
            writer.concatenate(running, dimension: axis, shape: result.type.shape, dtype: dtype, into: result)
        }
        return (writer.equations, .variable(name: result.name, line: line))
    }
}
