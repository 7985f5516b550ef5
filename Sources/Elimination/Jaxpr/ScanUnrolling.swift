/// Control flow in a jaxpr. `scan` (which `lax.scan` and `lax.fori_loop` with static bounds print)
/// is unrolled at import into the straight-line equations the same program written with a Python
/// loop prints: per iteration `xs[i]` as `slice` + `squeeze`, the body's equations with the carries
/// threaded through, and after the loop each stacked `ys` as one `broadcast_in_dim` per iteration
/// and a `concatenate` (as `jnp.stack` prints it). Scalar arithmetic on literals alone (a
/// fori_loop's counter and what the body computes from it) is folded into literals, as Python
/// computes a loop index.
/// `while` (lax.while_loop) is unrolled the same way when its condition folds on the carries (a
/// counter), and refused naming the line when it depends on values (Docs/COST_MODEL.md §6); `cond`
/// is ProgramBuilder's (its branches and a `select_n`).
struct ScanUnrolling {
    /// The most iterations a scan may have; beyond it the unrolled graph would swamp the game.
    static let maxTripCount = 1000

    /// The unrolled equations, in order, and the atom each of the scan's results stands for (a
    /// renamed body variable, an operand of the scan, or a folded literal).
    var equations: [JaxprEquation] { writer.equations }
    var results: [JaxprAtom] = []
    /// Names every result itself (`xs0@tag.i`, `ys0@tag`, body names with `@tag.i`).
    private var writer: EquationWriter<Never>

    /// Unrolls `eqn` (a `while`, lax.while_loop) whose condition the importer can evaluate: before
    /// each iteration the condition's equations are folded on the carries (a counter that starts
    /// at a literal and the body steps by literals, as a fori_loop's); while it folds to True the
    /// body is unrolled as a scan's iteration. A condition that depends on values (a tolerance) is
    /// refused naming the line: its trip count differs from sample to sample. More than
    /// `maxTripCount` iterations and more than `maxEquations` equations are refused as for scan.
    init(while eqn: JaxprEquation, tag: String, maxEquations: Int) throws(ImportError) {
        let line = eqn.line
        writer = EquationWriter(prefix: "@\(tag)", line: line)
        guard let cond = eqn.param("cond_jaxpr")?.jaxpr,
            let body = eqn.param("body_jaxpr")?.jaxpr.map(SignBit.rewritten),
            let condConsts = eqn.param("cond_nconsts").flatMap({ Int($0.text) }),
            let bodyConsts = eqn.param("body_nconsts").flatMap({ Int($0.text) })
        else {
            throw ImportError(
                .syntax, line: line,
                "'while' without readable cond_jaxpr, body_jaxpr, cond_nconsts and body_nconsts parameters")
        }
        let carries = eqn.operands.count - condConsts - bodyConsts
        guard condConsts >= 0, bodyConsts >= 0, carries >= 0, cond.inputs.count == condConsts + carries,
            body.inputs.count == bodyConsts + carries, body.outputs.count == carries,
            eqn.outputs.count == carries, cond.outputs.count == 1
        else {
            throw ImportError(
                .shapeMismatch, line: line,
                "'while' passes \(eqn.operands.count) operands (\(condConsts) and \(bodyConsts) consts) to a condition taking \(cond.inputs.count) and a body taking \(body.inputs.count)"
            )
        }
        guard cond.constants.isEmpty, body.constants.isEmpty else {
            throw ImportError(
                .unsupportedPrimitive, line: line, "'while' whose body closes over constants is not supported")
        }
        let condConstants = Array(eqn.operands[..<condConsts])
        let bodyConstants = Array(eqn.operands[condConsts..<(condConsts + bodyConsts)])
        var carry = Array(eqn.operands[(condConsts + bodyConsts)...])
        var iteration = 0
        while true {
            // The condition, folded on this iteration's carries; its equations are not kept.
            var test = ScanUnrolling(tag: tag, line: line)
            var scope: [String: JaxprAtom] = [:]
            for (binder, atom) in zip(cond.inputs, condConstants + carry) { scope[binder.name] = atom }
            for inner in cond.equations { try test.append(inner, suffix: "@\(tag).c", scope: &scope) }
            let verdict = try Self.rename(cond.outputs[0], scope)
            guard case .literal(let text, _, _) = verdict, let value = Operand.literalValue(text) else {
                throw ImportError(
                    .unsupportedPrimitive, line: line,
                    "unsupported 'while': its condition depends on values (a trip count that changes from sample to sample has no straight-line graph); bound it by a counter, or write lax.scan or lax.fori_loop with static bounds, which ccelim unrolls"
                )
            }
            if value == 0 { break }
            guard iteration < Self.maxTripCount else {
                throw ImportError(
                    .tooLarge, line: line, "'while' runs more than the \(Self.maxTripCount) iterations ccelim unrolls")
            }
            scope = [:]
            for (binder, atom) in zip(body.inputs, bodyConstants + carry) { scope[binder.name] = atom }
            for inner in body.equations { try append(inner, suffix: "@\(tag).\(iteration)", scope: &scope) }
            carry = try body.outputs.map { (atom: JaxprAtom) throws(ImportError) -> JaxprAtom in
                try Self.rename(atom, scope)
            }
            guard equations.count <= maxEquations else {
                throw ImportError.unrollingTooLarge("'while'", maxEquations: maxEquations, line: line)
            }
            iteration += 1
        }
        results = carry
    }

    private init(tag: String, line: Int) {
        writer = EquationWriter(prefix: "@\(tag)", line: line)
    }

    /// Unrolls `eqn` (a `scan`). `tag` makes the renamed body variables unique in the program
    /// (`name@tag.i` for iteration i; `@` never appears in printed names). More than
    /// `maxEquations` unrolled equations (what a game state still holds, GameLimits) is refused
    /// as soon as they are reached.
    init(_ eqn: JaxprEquation, tag: String, maxEquations: Int) throws(ImportError) {
        let line = eqn.line
        writer = EquationWriter(prefix: "@\(tag)", line: line)
        func integer(_ key: String) throws(ImportError) -> Int {
            guard let text = eqn.param(key)?.text, let n = Int(text) else {
                throw ImportError(.syntax, line: line, "'scan' without a readable '\(key)' parameter")
            }
            return n
        }
        guard let body = eqn.param("jaxpr")?.jaxpr.map(SignBit.rewritten) else {
            throw ImportError(.syntax, line: line, "'scan' has no body jaxpr")
        }
        let length = try integer("length")
        let consts = try integer("num_consts")
        let carries = try integer("num_carry")
        let reverse = eqn.param("reverse")?.text == "True"
        guard length >= 1 else {
            throw ImportError(.unsupportedShape, line: line, "'scan' of length 0 computes nothing to differentiate")
        }
        guard length <= Self.maxTripCount else {
            throw ImportError(
                .tooLarge, line: line,
                "'scan' of length \(length) is above the \(Self.maxTripCount) iterations ccelim unrolls")
        }
        guard body.constants.isEmpty else {
            throw ImportError(
                .unsupportedPrimitive, line: line, "'scan' whose body closes over constants is not supported")
        }
        let xsCount = eqn.operands.count - consts - carries
        guard consts >= 0, carries >= 0, xsCount >= 0, body.inputs.count == eqn.operands.count else {
            throw ImportError(
                .shapeMismatch, line: line,
                "'scan' passes \(eqn.operands.count) operands (\(consts) consts, \(carries) carries) to a body that takes \(body.inputs.count)"
            )
        }
        guard body.outputs.count == eqn.outputs.count, body.outputs.count >= carries else {
            throw ImportError(
                .shapeMismatch, line: line,
                "'scan' binds \(eqn.outputs.count) results to a body that returns \(body.outputs.count)")
        }

        var carry = Array(eqn.operands[consts..<(consts + carries)])
        let xs = Array(eqn.operands[(consts + carries)...])
        let xBinders = Array(body.inputs[(consts + carries)...])
        let yBinders = Array(eqn.outputs[carries...])
        let unset = JaxprAtom.literal(text: "0", type: nil, line: line)
        var ys = [[JaxprAtom]](repeating: [JaxprAtom](repeating: unset, count: length), count: yBinders.count)
        for i in reverse ? Array((0..<length).reversed()) : Array(0..<length) {
            let suffix = "@\(tag).\(i)"
            var scope: [String: JaxprAtom] = [:]
            for (binder, atom) in zip(body.inputs, eqn.operands[..<consts]) { scope[binder.name] = atom }
            for (binder, atom) in zip(body.inputs[consts...], carry) { scope[binder.name] = atom }
            for (k, (binder, atom)) in zip(xBinders, xs).enumerated() {
                scope[binder.name] = try slice(atom, at: i, as: binder, name: "xs\(k)\(suffix)", line: line)
            }
            for inner in body.equations { try append(inner, suffix: suffix, scope: &scope) }
            let outputs = try body.outputs.map { (atom: JaxprAtom) throws(ImportError) -> JaxprAtom in
                try Self.rename(atom, scope)
            }
            carry = Array(outputs[..<carries])
            for k in yBinders.indices { ys[k][i] = outputs[carries + k] }
            guard equations.count <= maxEquations else {
                throw ImportError.unrollingTooLarge(
                    "'scan' of length \(length)", maxEquations: maxEquations, line: line)
            }
        }
        results = carry
        for (k, binder) in yBinders.enumerated() {
            // Unused ys are not stacked, as a Python loop would not stack them.
            results.append(
                binder.name == "_" ? unset : try stack(ys[k], as: binder, name: "ys\(k)@\(tag)", line: line))
        }
    }

    /// xs[i]: `slice` of row i, then `squeeze` of the leading dimension (what `xs[i]` prints).
    private mutating func slice(
        _ xs: JaxprAtom, at i: Int, as binder: JaxprBinder, name: String, line: Int
    ) throws(ImportError) -> JaxprAtom {
        guard case .variable = xs else {
            throw ImportError(.shapeMismatch, line: line, "'scan' scans over a literal")
        }
        let rest = binder.type.shape, dtype = binder.type.dtype
        let row = writer.slice(
            xs, start: [i] + rest.map { _ in 0 }, limit: [i + 1] + rest, dtype: dtype, name: name + "row")
        return writer.squeeze(row, dimensions: [0], shape: rest, dtype: dtype, name: name)
    }

    /// The stacked ys: each iteration's y as a leading size-1 dimension, concatenated in index
    /// order (one iteration: the broadcast alone, as `jnp.stack` prints it).
    private mutating func stack(
        _ parts: [JaxprAtom], as binder: JaxprBinder, name: String, line: Int
    ) throws(ImportError) -> JaxprAtom {
        guard !binder.type.shape.isEmpty else {
            throw ImportError(
                .shapeMismatch, line: line, "'scan' stacks ys into \(binder.type), which has no leading axis")
        }
        let rest = Array(binder.type.shape.dropFirst()), dtype = binder.type.dtype
        let rows = parts.enumerated().map { i, part in
            writer.broadcast(
                part, dimensions: rest.indices.map { $0 + 1 }, shape: [1] + rest, dtype: dtype,
                name: parts.count == 1 ? name : "\(name).\(i)")
        }
        if parts.count == 1 { return rows[0] }
        return writer.concatenate(rows, dimension: 0, shape: binder.type.shape, dtype: dtype, name: name)
    }

    /// One body equation of one iteration: operands renamed, results renamed with `suffix`, or
    /// folded into a literal when it computes a scalar from literals alone.
    private mutating func append(
        _ inner: JaxprEquation, suffix: String, scope: inout [String: JaxprAtom]
    ) throws(ImportError) {
        var renamed = inner
        renamed.operands = try inner.operands.map { (atom: JaxprAtom) throws(ImportError) -> JaxprAtom in
            try Self.rename(atom, scope)
        }
        // A scalar computed from literals alone (a fori_loop's counter) is a literal.
        if inner.outputs.count == 1, let folded = Self.fold(renamed) {
            if inner.outputs[0].name != "_" { scope[inner.outputs[0].name] = folded }
            return
        }
        renamed.outputs = inner.outputs.map { binder in
            var b = binder
            if b.name != "_" {
                b.name += suffix
                scope[binder.name] = .variable(name: b.name, line: binder.line)
            }
            return b
        }
        writer.emit(renamed)
    }

    private static func rename(_ atom: JaxprAtom, _ scope: [String: JaxprAtom]) throws(ImportError) -> JaxprAtom {
        guard case .variable(let name, let line) = atom else { return atom }
        guard let bound = scope[name] else {
            if let literal = JaxprAtom.unboundLiteral(name, line: line) { return literal }
            throw ImportError(.undefinedVariable, line: line, "variable '\(name)' is used before it is defined")
        }
        return bound
    }

    /// The literal a scalar equation of literals alone computes (conversions, arithmetic, floor,
    /// ceil, clamp, rem, comparisons, and/or/not, select_n; in Double, as Python computes a loop
    /// index's arithmetic, but rounded to float32 where the values are float32), or nil when it is
    /// not one or its integer result is not representable.
    static func fold(_ eqn: JaxprEquation) -> JaxprAtom? {
        guard eqn.outputs.count == 1, eqn.outputs[0].type.shape.isEmpty else { return nil }
        var values: [Double] = []
        for atom in eqn.operands {
            guard case .literal(let text, _, _) = atom, let v = Operand.literalValue(text) else { return nil }
            values.append(v)
        }
        let type = eqn.outputs[0].type
        let integral = type.dtype.hasPrefix("i") || type.dtype.hasPrefix("u") || type.dtype == "bool"
        // float32 arithmetic (a loop counter `t += 0.04` in f32) rounds every operand and result
        // to float32, so a trip count it decides is JAX's (25 steps to 1.0, not float64's 26).
        let singlePrecision =
            type.dtype == "f32"
            || eqn.operands.contains {
                if case .literal(_, let t?, _) = $0 { return t.dtype == "f32" } else { return false }
            }
        if singlePrecision { values = values.map { Double(Float($0)) } }
        var value: Double
        switch (eqn.primitive, values.count) {
        // To bool: nonzero is True (0.3 too); to an integer: toward zero.
        case ("convert_element_type", 1):
            value =
                type.dtype == "bool" ? (values[0] != 0 ? 1 : 0) : integral ? values[0].rounded(.towardZero) : values[0]
        case ("neg", 1): value = -values[0]
        case ("add", 2): value = values[0] + values[1]
        case ("sub", 2): value = values[0] - values[1]
        case ("mul", 2): value = values[0] * values[1]
        // XLA's integer division truncates toward zero.
        case ("div", 2): value = integral ? (values[0] / values[1]).rounded(.towardZero) : values[0] / values[1]
        case ("max", 2): value = max(values[0], values[1])
        case ("min", 2): value = min(values[0], values[1])
        // floor, ceil and clamp: what jnp.quantile (jnp.median) prints to find its indices.
        case ("floor", 1): value = values[0].rounded(.down)
        case ("ceil", 1): value = values[0].rounded(.up)
        case ("clamp", 3): value = min(max(values[1], values[0]), values[2])
        case ("rem", 2): value = values[0].truncatingRemainder(dividingBy: values[1])
        // and, or, not: logical on booleans, bitwise on integers (what jnp.remainder prints to fix
        // a sign, e.g. for a fori_loop's `i % 2` choosing a cond's branch).
        case ("and", 2), ("or", 2), ("not", 1):
            guard integral, let a = Int(exactly: values[0]), let b = Int(exactly: values.last!) else { return nil }
            let bits = eqn.primitive == "and" ? a & b : eqn.primitive == "or" ? a | b : ~a
            value = Double(type.dtype == "bool" ? bits & 1 : bits)
        case ("eq", 2): value = values[0] == values[1] ? 1 : 0
        case ("ne", 2): value = values[0] != values[1] ? 1 : 0
        case ("lt", 2): value = values[0] < values[1] ? 1 : 0
        case ("le", 2): value = values[0] <= values[1] ? 1 : 0
        case ("gt", 2): value = values[0] > values[1] ? 1 : 0
        case ("ge", 2): value = values[0] >= values[1] ? 1 : 0
        // select_n(k, case0, case1, …): what jnp.take prints to wrap a negative index.
        case ("select_n", let n) where n >= 2:
            guard let k = Int(exactly: values[0]), k >= 0, k < n - 1 else { return nil }
            value = values[k + 1]
        default: return nil
        }
        if type.dtype == "f32" { value = Double(Float(value)) }
        let text: String
        if type.dtype == "bool" {
            text = value != 0 ? "True" : "False"
        } else if integral {
            // A non-finite or out-of-range result (an integer div by a literal 0) is not folded.
            guard let n = Int(exactly: value) else { return nil }
            text = String(n)
        } else {
            text = "\(value)"
        }
        return .literal(text: text, type: type, line: eqn.line)
    }
}
