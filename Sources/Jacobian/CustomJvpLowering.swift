import Elimination

/// custom_jvp_call: the body (`call_jaxpr`, kept as text in the graph) is read with the module's
/// own jaxpr reader and lowered in place on the same tape, and its Jacobian with respect to each
/// operand is accumulated by forward elimination of the body. That Jacobian becomes this vertex's
/// local partial. JAX differentiates with the custom rule, which agrees with the body's derivative
/// away from ties; jax.nn.relu, relu6 and jnp.logaddexp (softplus), whose rules differ at ties, are
/// recognised by their bodies and lowered with their rules (CustomJvpRule). Any other custom rule
/// that deliberately differs from its body (e.g. a clipped gradient) is not reproduced.
enum CustomJvpLowering {
    static func lower(_ c: EquationContext, builder: inout TapeBuilder) throws(JacobianError) -> LoweredEquation {
        guard let text = c.equation.param("call_jaxpr") else { throw c.malformed("has no call_jaxpr parameter") }
        let body: ComputationalGraph
        do {
            body = try ComputationalGraph.fromJaxpr(text, name: "custom_jvp_call@\(c.vertex)")
        } catch {
            // The line counts in the body's text, not in the file the graph came from.
            throw .unreadableBody(vertex: c.vertex, reason: "line \(error.line) of that text: \(error.message)")
        }
        guard body.inputCount == c.operandRows.count else {
            throw c.malformed("passes \(c.operandRows.count) operands to a body that takes \(body.inputCount)")
        }
        guard body.program.constants.isEmpty else {
            throw c.unsupported("a body with closed-over constants is not supported")
        }
        guard body.outputs.count == 1 else {
            throw c.unsupported("a body with \(body.outputs.count) results is not supported")
        }
        for (k, input) in body.program.inputs.enumerated() where Shape.count(input.type.shape) != c.operandRows[k].count
        {
            throw c.malformed("operand \(k + 1) has \(c.operandRows[k].count) elements, the body expects \(input.type)")
        }
        if let rule = CustomJvpRule(body: body.program) { return try rule.lower(c, builder: &builder) }
        let lowered = try ProgramLowering.lower(
            body.program, inputs: c.operandRows, constants: [], options: c.options, builder: &builder)
        // Forming a local partial is not Jacobian accumulation: do not count it.
        let counting = builder.counting
        builder.counting = false
        defer { builder.counting = counting }
        var elimination = SymbolicElimination(graph: body, lowered: lowered)
        for v in body.eliminable { elimination.eliminate(v, builder: &builder) }
        let output = body.outputs[0]
        let rows = lowered.values[output - 1]
        var partials: [(Int, SparseBlock)] = []
        for k in 0..<c.operandRows.count {
            partials.append(
                (
                    k,
                    elimination.block(output: output, input: k + 1)
                        ?? SparseBlock(rows: rows.count, cols: c.operandRows[k].count)
                ))
        }
        return LoweredEquation(rows: rows, partials: partials)
    }
}
