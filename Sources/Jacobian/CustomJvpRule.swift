import Elimination

/// JAX library functions defined with `jax.custom_jvp` whose rule differs from their body's
/// derivative at ties, recognised by their body: the rule itself is not in the jaxpr
/// (`jvp_jaxpr_thunk` prints as a function's address), so CustomJvpLowering would otherwise
/// differentiate the body. Values are the body's (the same operations); partials are the rule's:
/// - `relu` (jax.nn.relu; body `max x 0.0`): 1 where x > 0, else 0 (the body's max gives 1/2 at 0);
/// - `relu6` (jax.nn.relu6; `max x 0.0`, then `min _ 6.0`): 1 where 0 < x < 6, else 0;
/// - `logaddexp` (jnp.logaddexp, and so jax.nn.softplus; its ten equations): exp(x − z) and
///   exp(y − z), BinaryFunction.logaddexp (the body gives 0 and 1 at a tie, the rule 1/2 each).
/// Any other body is differentiated as it stands.
enum CustomJvpRule {
    case relu, relu6, logaddexp

    /// The rule whose function has exactly this body, or nil.
    init?(body program: Program) {
        func isLiteral(_ operand: Operand, _ value: Double) -> Bool {
            if case .literal(let text, _) = operand { return Operand.literalValue(text) == value }
            return false
        }
        let eqs = program.equations
        let (x, y) = (Operand.input(1), Operand.input(2))
        func shape(_ expected: [(String, [Operand])]) -> Bool {
            eqs.count == expected.count
                && zip(eqs, expected).allSatisfy { eq, e in eq.primitive == e.0 && eq.operands == e.1 }
        }
        guard program.outputs == [eqs.count] else { return nil }
        if program.inputs.count == 1, eqs.count >= 1, eqs[0].primitive == "max", eqs[0].operands.count == 2,
            eqs[0].operands[0] == x, isLiteral(eqs[0].operands[1], 0)
        {
            if eqs.count == 1 {
                self = .relu
                return
            }
            if eqs.count == 2, eqs[1].primitive == "min", eqs[1].operands.count == 2, eqs[1].operands[0] == .vertex(1),
                isLiteral(eqs[1].operands[1], 6)
            {
                self = .relu6
                return
            }
            return nil
        }
        let v = Operand.vertex
        if program.inputs.count == 2,
            shape([
                ("max", [x, y]), ("sub", [x, y]), ("ne", [v(2), v(2)]), ("add", [x, y]), ("abs", [v(2)]),
                ("neg", [v(5)]), ("exp", [v(6)]), ("log1p", [v(7)]), ("add", [v(1), v(8)]),
                ("select_n", [v(3), v(9), v(4)]),
            ])
        {
            self = .logaddexp
            return
        }
        return nil
    }

    func lower(_ c: EquationContext, builder: inout TapeBuilder) throws(JacobianError) -> LoweredEquation {
        if self == .logaddexp { return try ElementwiseLowering.binary(.logaddexp, c, builder: &builder) }
        try c.requireOperands(1)
        let x = c.operandRows[0]
        guard x.count == c.resultCount else { throw c.malformed("an operand differs from the result's shape") }
        let (zero, six) = (builder.constantRow(0), builder.constantRow(6))
        var rows: [Int32] = []
        var block = SparseBlock(rows: x.count, cols: x.count)
        for (e, xe) in x.enumerated() {
            let positive = builder.binary(.max, xe, zero)
            rows.append(self == .relu ? positive : builder.binary(.min, positive, six))
            let inside = builder.binary(.gt, xe, zero)
            block[e, e] = builder.val(
                self == .relu ? inside : builder.binary(.and, inside, builder.binary(.lt, xe, six)))
        }
        return LoweredEquation(rows: rows, partials: [(0, block)])
    }
}
