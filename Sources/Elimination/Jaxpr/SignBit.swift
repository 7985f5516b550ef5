/// `jnp.signbit` (and `jnp.copysign`, which calls it): JAX computes it on the number's bits, three
/// equations,
///
///     h:i64[…] = bitcast_convert_type[new_dtype=int64] x
///     i:i64[…] = shift_right_arithmetic h 63
///     j:bool[…] = convert_element_type[new_dtype=bool …] i
///
/// ccelim holds every value as a floating-point number, so it has no integer bit patterns; those
/// equations are recognised and written as `x < 0 or 1/x < 0`, true for the negative numbers, −0.0
/// and −inf, as signbit is. Only a NaN whose sign bit is set differs (JAX: true, here false). The
/// result is a bool, whose derivative is zero either way.
///
/// They are found in any equation list (the body of `pjit[name=signbit]`, as JAX 0.4 prints it, or
/// a program where that body is inlined), in order though not necessarily adjacent, when the
/// bitcast's result is read by the shift alone and the shift's by the conversion alone; any other
/// `bitcast_convert_type` is left as it is (and refused by its primitive).
enum SignBit {
    /// `syntax` with every signbit in its equations written without bits (any float width and
    /// shape); `syntax` itself when it holds none.
    static func rewritten(_ syntax: JaxprSyntax) -> JaxprSyntax {
        let eqs = syntax.equations
        guard eqs.contains(where: { $0.primitive == "bitcast_convert_type" }) else { return syntax }
        var types: [String: ArrayType] = [:]
        for binder in syntax.constants + syntax.inputs + eqs.flatMap(\.outputs) { types[binder.name] = binder.type }
        // Where each variable is read: the equations, and -1 for the list's results.
        var readers: [String: [Int]] = [:]
        for (k, eqn) in eqs.enumerated() {
            for case .variable(let name, _) in eqn.operands { readers[name, default: []].append(k) }
        }
        for case .variable(let name, _) in syntax.outputs { readers[name, default: []].append(-1) }
        /// The one equation that reads `eqn`'s result, when it reads it once and is a `primitive`.
        func soleReader(of eqn: JaxprEquation, _ primitive: String) -> Int? {
            guard eqn.outputs.count == 1, let k = readers[eqn.outputs[0].name], k.count == 1, k[0] >= 0,
                eqs[k[0]].primitive == primitive, eqs[k[0]].outputs.count == 1
            else { return nil }
            return k[0]
        }

        var replaced: [Int: [JaxprEquation]] = [:]
        var removed = Set<Int>()
        for (b, bitcast) in eqs.enumerated() where bitcast.primitive == "bitcast_convert_type" {
            // The shift reads the bitcast once and its second operand is the literal width − 1, so
            // the bitcast is its first; the conversion reads the shift, its one operand.
            guard bitcast.operands.count == 1, case .variable(let source, _) = bitcast.operands[0],
                let x = types[source], x.dtype.hasPrefix("f") || x.dtype.hasPrefix("bf"),
                let width = Int(x.dtype.drop { !$0.isNumber }),
                let s = soleReader(of: bitcast, "shift_right_arithmetic"),
                bitcast.outputs[0].type == ArrayType(dtype: "i\(width)", shape: x.shape),
                eqs[s].operands.count == 2, case .literal(let bits, _, _) = eqs[s].operands[1], Int(bits) == width - 1,
                let c = soleReader(of: eqs[s], "convert_element_type"), eqs[c].operands.count == 1,
                eqs[c].outputs[0].type == ArrayType(dtype: "bool", shape: x.shape)
            else { continue }
            let result = eqs[c].outputs[0]
            var writer = EquationWriter<Never>(prefix: "\(result.name)@signbit", line: bitcast.line)
            let input = JaxprAtom.variable(name: source, line: bitcast.line)
            let reciprocal = writer.bind("div", [], [writer.literal("1.0"), input], shape: x.shape, dtype: x.dtype)
            let negative = writer.bind("lt", [], [input, writer.literal("0.0")], shape: x.shape, dtype: "bool")
            let negativeZero = writer.bind(
                "lt", [], [reciprocal, writer.literal("0.0")], shape: x.shape, dtype: "bool")
            writer.bind("or", [], [negative, negativeZero], shape: x.shape, dtype: "bool", into: result)
            removed.formUnion([b, s])
            replaced[c] = writer.equations
        }
        guard !replaced.isEmpty else { return syntax }
        var plain = syntax
        plain.equations = eqs.indices.flatMap { k in removed.contains(k) ? [] : replaced[k] ?? [eqs[k]] }
        return plain
    }
}
