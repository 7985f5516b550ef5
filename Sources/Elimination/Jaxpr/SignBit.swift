/// `jnp.signbit` (and `jnp.copysign`, which calls it): JAX computes it on the number's bits, a
/// body of three equations,
///
///     h:i64[…] = bitcast_convert_type[new_dtype=int64] x
///     i:i64[…] = shift_right_arithmetic h 63
///     j:bool[…] = convert_element_type[new_dtype=bool …] i
///
/// ccelim holds every value as a floating-point number, so it has no integer bit patterns; such a
/// body is recognised and written as `x < 0 or 1/x < 0`, true for the negative numbers, −0.0 and
/// −inf, as signbit is. Only a NaN whose sign bit is set differs (JAX: true, here false). The
/// result is a bool, whose derivative is zero either way.
enum SignBit {
    /// The body written without bits, when `body` is signbit's (any float width and shape).
    static func rewritten(_ body: JaxprSyntax) -> JaxprSyntax? {
        let eqs = body.equations
        guard body.inputs.count == 1, body.outputs.count == 1, eqs.count == 3,
            let x = body.inputs.first, let width = Int(x.type.dtype.dropFirst()), x.type.dtype.hasPrefix("f"),
            eqs[0].primitive == "bitcast_convert_type", eqs[0].operands.count == 1,
            case .variable(let source, _) = eqs[0].operands[0], source == x.name,
            eqs[0].outputs.count == 1, eqs[0].outputs[0].type.dtype == "i\(width)",
            eqs[1].primitive == "shift_right_arithmetic", eqs[1].operands.count == 2,
            case .variable(let shifted, _) = eqs[1].operands[0], shifted == eqs[0].outputs[0].name,
            case .literal(let bits, _, _) = eqs[1].operands[1], Int(bits) == width - 1,
            eqs[2].primitive == "convert_element_type", eqs[2].operands.count == 1,
            case .variable(let converted, _) = eqs[2].operands[0], converted == eqs[1].outputs.first?.name,
            let result = eqs[2].outputs.first, result.type.dtype == "bool",
            case .variable(let returned, _) = body.outputs[0], returned == result.name
        else { return nil }
        var writer = EquationWriter<Never>(prefix: "\(result.name)@signbit", line: eqs[0].line)
        let shape = x.type.shape, input = JaxprAtom.variable(name: x.name, line: eqs[0].line)
        let reciprocal = writer.bind("div", [], [writer.literal("1.0"), input], shape: shape, dtype: x.type.dtype)
        let negative = writer.bind("lt", [], [input, writer.literal("0.0")], shape: shape, dtype: "bool")
        let negativeZero = writer.bind("lt", [], [reciprocal, writer.literal("0.0")], shape: shape, dtype: "bool")
        writer.bind("or", [], [negative, negativeZero], shape: shape, dtype: "bool", into: result)
        var plain = body
        plain.equations = writer.equations
        return plain
    }
}
