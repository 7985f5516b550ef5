/// A `reshape` with `dimensions` (`jnp.ravel(x, order="F")`, `jnp.reshape(x, s, order="F")`,
/// `lax.reshape(x, s, dimensions)`): lax reshapes the operand *transposed by* `dimensions`, so it is
/// written as that `transpose` and a row-major `reshape` (`dimensions=None`), which the matrix
/// rules and the rank flattening know. Read as a plain reshape it gave wrong values and Jacobians
/// silently (probe25: `jnp.ravel` of a (2, 3, 4) array in Fortran order).
enum TransposingReshape {
    /// The permutation of a reshape that transposes first; nil for any other equation, and for
    /// `dimensions=None` or the identity (a plain reshape).
    static func permutation(of eqn: JaxprEquation) -> [Int]? {
        guard eqn.primitive == "reshape", let text = eqn.param("dimensions")?.text else { return nil }
        let dims = ParameterText.integers(in: text)  // none in "None"
        return dims == Array(0..<dims.count) ? nil : dims
    }

    /// The `transpose` by `permutation` of the operand (of `shape`) and the row-major `reshape` to
    /// the declared result.
    static func equations(
        _ eqn: JaxprEquation, permutation: [Int], shape: [Int], dtype: String, tag: String
    ) throws(ImportError) -> (equations: [JaxprEquation], result: JaxprAtom) {
        guard permutation.sorted() == Array(0..<shape.count), eqn.operands.count == 1, eqn.outputs.count == 1 else {
            throw ImportError(
                .shapeMismatch, line: eqn.line,
                "'reshape' with dimensions=\(permutation) of an operand of shape \(shape): dimensions must order all \(shape.count) axes"
            )
        }
        let result = eqn.outputs[0]
        var writer = EquationWriter<Never>(prefix: "\(result.name)@\(tag)", line: eqn.line)
        let transposed = writer.bind(
            "transpose", [("permutation", EquationWriter<Never>.tuple(permutation))], [eqn.operands[0]],
            shape: permutation.map { shape[$0] }, dtype: dtype)
        let sharding = eqn.param("sharding") != nil
        let reshaped = writer.reshape(
            transposed, to: result.type.shape, dtype: result.type.dtype, sharding: sharding, name: result.name)
        return (writer.equations, reshaped)
    }
}
