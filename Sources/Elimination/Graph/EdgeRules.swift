/// The edge labels each primitive gives its operands: COST_MODEL.md §2, reproduced exactly (the
/// reference's quirks included) so that costs match the paper. One function per family.
enum EdgeRules {
    static let unaryElementwise: Set<String> = [
        "neg", "abs", "exp", "log", "log1p", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh",
        "tanh", "asinh", "acosh", "atanh", "integer_pow", "square", "sqrt", "rsqrt", "logistic", "erf",
        "custom_jvp_call", "expm1", "exp2", "cbrt", "erfc", "lgamma", "digamma", "erf_inv", "bessel_i0e", "bessel_i1e",
        "reduce_precision",
    ]
    static let binaryElementwise: Set<String> = [
        "add", "sub", "mul", "div", "atan2", "add_any", "max", "min", "pow", "rem", "logaddexp",
    ]
    /// Comparisons: boolean results that are not differentiable, so no edge enters them
    /// (Docs/COST_MODEL.md §6; the reference lists `eq` among the binary ops but no task has one).
    static let comparisons: Set<String> = ["eq", "ne", "gt", "lt", "ge", "le", "lt_to", "le_to", "eq_to"]
    /// Boolean masks combined (`&`, `|`, `~` on comparisons): no edges either. On integers these
    /// are bitwise operations, which ccelim does not evaluate: refused.
    static let logical: Set<String> = ["and", "or", "not"]
    /// Any and all of booleans along axes (`jnp.any`, `jnp.all`, and jnp.quantile's NaN check):
    /// no edges, as the masks.
    static let booleanReductions: Set<String> = ["reduce_or", "reduce_and"]
    /// Elementwise functions that are constant almost everywhere (`jnp.sign`, and `is_finite`,
    /// which `logsumexp` prints): derivative 0, so no edge either, as the comparisons.
    static let piecewiseConstant: Set<String> = ["sign", "is_finite", "floor", "ceil", "round"]
    /// Every result element is one operand element (pad: or its padding value; sort: which one
    /// depends on the values, a permutation all the same): type 11.
    static let reindexing: Set<String> = [
        "reshape", "slice", "dynamic_slice", "dynamic_update_slice", "concatenate", "rev", "pad", "sort",
    ]
    /// No edge: stop_gradient's result is a constant to JAX's derivatives, iota's is one, and
    /// argmax/argmin give integer positions (derivative zero).
    static let noEdges: Set<String> = ["stop_gradient", "iota", "argmax", "argmin"]
    /// Identity copies (JAX's `copy`, and the copy vertex appended for a consumed output): type −6.
    static let identity: Set<String> = ["copy", "copy_p"]
    static let other: Set<String> = [
        "dot_general", "reduce_sum", "reduce_max", "reduce_min", "transpose", "broadcast_in_dim",
        "squeeze", "convert_element_type", "select_n", "reduce_prod", "cumsum", "clamp",
    ]

    static func isSupported(_ primitive: String) -> Bool {
        unaryElementwise.contains(primitive) || binaryElementwise.contains(primitive)
            || reindexing.contains(primitive) || noEdges.contains(primitive) || identity.contains(primitive)
            || comparisons.contains(primitive) || logical.contains(primitive)
            || piecewiseConstant.contains(primitive) || other.contains(primitive)
            || booleanReductions.contains(primitive)
    }

    /// Integer and boolean values carry no derivative (JAX's tangent of an integer is float0): an
    /// index from `argmax` or `searchsorted`, a start index, a mask. No task or corpus program has
    /// one, so the paper's labels are untouched.
    static func isIntegral(_ dtype: String) -> Bool {
        dtype == "bool" || dtype.hasPrefix("i") || dtype.hasPrefix("u")
    }

    /// One label per distinct differentiable operand, in first-use order. When an operand appears
    /// twice the later position's label wins (the reference writes its edge table in operand order).
    /// Operands of integer or boolean type get none (`isIntegral`).
    static func labels(for eq: Equation, in program: Program, line: Int) throws(ImportError) -> [(Operand, EdgeLabel)] {
        let types = eq.operands.map { program.type(of: $0) }
        let out = Dims(normalising: eq.type.shape)
        var result: [(Operand, EdgeLabel)] = []
        func put(_ operand: Operand, _ label: EdgeLabel) {
            guard operand.isDifferentiable, !isIntegral(program.type(of: operand).dtype) else { return }
            if let i = result.firstIndex(where: { $0.0 == operand }) {
                result[i].1 = label
            } else {
                result.append((operand, label))
            }
        }
        let p = eq.primitive

        if noEdges.contains(p) { return [] }

        if identity.contains(p) {
            try requireOperands(eq, 1, line: line)
            put(eq.operands[0], EdgeLabel(type: -6, out: out, primal: Dims(normalising: types[0].shape)))
            return result
        }

        if unaryElementwise.contains(p) {
            for (operand, t) in zip(eq.operands, types) {
                let d = Dims(normalising: t.shape)
                // The reference writes unary labels as [type, in_shape, out_shape].
                put(operand, EdgeLabel(type: d.isScalar ? 1 : 6, out: d, primal: out))
            }
            return result
        }

        if binaryElementwise.contains(p) {
            guard eq.operands.count == 2 else {
                throw ImportError(.shapeMismatch, line: line, "'\(p)' takes 2 operands, found \(eq.operands.count)")
            }
            for i in 0..<2 {
                try checkBroadcast(types[i].shape, to: eq.type.shape, primitive: p, line: line)
                let x = Dims(normalising: types[i].shape)
                let y = Dims(normalising: types[1 - i].shape)
                put(eq.operands[i], EdgeLabel(type: binaryType(x, other: y), out: out, primal: x))
            }
            return result
        }

        if comparisons.contains(p) || logical.contains(p) || piecewiseConstant.contains(p) {
            guard !logical.contains(p) || eq.type.dtype == "bool" else {
                throw ImportError(
                    .unsupportedPrimitive, line: line,
                    "'\(p)' of \(eq.type.dtype) values is bitwise; ccelim supports it on booleans (masks) only")
            }
            try requireOperands(eq, p == "not" || piecewiseConstant.contains(p) ? 1 : 2, line: line)
            for t in types { try checkBroadcast(t.shape, to: eq.type.shape, primitive: p, line: line) }
            return []
        }

        if booleanReductions.contains(p) {
            try requireOperands(eq, 1, line: line)
            guard types[0].dtype == "bool" else {
                throw ImportError(
                    .unsupportedPrimitive, line: line,
                    "'\(p)' of \(types[0].dtype) values is bitwise; ccelim supports it on booleans (masks) only")
            }
            return []
        }

        if reindexing.contains(p) {
            if p == "rev" || p == "pad" { try requireOperands(eq, p == "pad" ? 2 : 1, line: line) }
            // sort: its operand, or (one result of a sort of several operands, ProgramBuilder) the
            // keys and the operand they order, which alone reaches the result.
            if p == "sort" { try requireOperands(eq, eq.operands.count == 2 ? 2 : 1, line: line) }
            // concatenate labels every operand with the FIRST operand's shape as its primal dims.
            let firstDims = types.first.map { Dims(normalising: $0.shape) } ?? out
            for (k, (operand, t)) in zip(eq.operands, types).enumerated()
            where p != "sort" || k == eq.operands.count - 1 {
                let primal = p == "concatenate" ? firstDims : Dims(normalising: t.shape)
                put(operand, EdgeLabel(type: 11, out: out, primal: primal))
            }
            return result
        }

        switch p {
        case "dot_general":
            let (lhsType, rhsType) = try dotGeneralTypes(eq, types, line: line)
            put(eq.operands[0], EdgeLabel(type: lhsType, out: out, primal: Dims(normalising: types[0].shape)))
            put(eq.operands[1], EdgeLabel(type: rhsType, out: out, primal: Dims(normalising: types[1].shape)))
        case "select_n":
            // select_n(predicate, case0, case1, …): the predicate is not differentiable; each case
            // reaches the result elementwise (a 0/1 diagonal), labelled as a unary elementwise op.
            guard eq.operands.count >= 2 else {
                throw ImportError(.shapeMismatch, line: line, "'select_n' takes a predicate and at least one case")
            }
            guard types[0].shape.isEmpty || types[0].shape == eq.type.shape else {
                throw ImportError(
                    .shapeMismatch, line: line,
                    "'select_n' predicate of shape \(types[0].shape) for a result of shape \(eq.type.shape)")
            }
            for (operand, t) in zip(eq.operands, types).dropFirst() {
                guard t.shape == eq.type.shape else {
                    throw ImportError(
                        .shapeMismatch, line: line,
                        "'select_n' case of shape \(t.shape) for a result of shape \(eq.type.shape)")
                }
                put(operand, EdgeLabel(type: out.isScalar ? 1 : 6, out: out, primal: out))
            }
        case "clamp":
            // clamp(lo, x, hi): elementwise in x; lo and hi are scalars or x's shape, each labelled
            // as the operand of a binary elementwise op beside x (max and min, which clamp is).
            try requireOperands(eq, 3, line: line)
            guard types[1].shape == eq.type.shape else {
                throw ImportError(
                    .shapeMismatch, line: line,
                    "'clamp' operand of shape \(types[1].shape) for a result of shape \(eq.type.shape)")
            }
            let x = Dims(normalising: types[1].shape)
            for k in [0, 2] {
                guard types[k].shape.isEmpty || types[k].shape == eq.type.shape else {
                    throw ImportError(
                        .shapeMismatch, line: line,
                        "'clamp' bound of shape \(types[k].shape) for an operand of shape \(eq.type.shape)")
                }
                let d = Dims(normalising: types[k].shape)
                put(eq.operands[k], EdgeLabel(type: binaryType(d, other: x), out: out, primal: d))
            }
            put(eq.operands[1], EdgeLabel(type: binaryType(x, other: x), out: out, primal: x))
        case "reduce_sum", "reduce_max", "reduce_min", "reduce_prod":
            try requireOperands(eq, 1, line: line)
            let input = types[0]
            var t = 1
            if input.rank == 2 {
                if eq.type.rank == 0 {
                    t = 1
                } else if p == "reduce_sum" {
                    let axes = try intList(eq.param("axes"), name: "axes", line: line)
                    switch axes {
                    case [0]: t = -4
                    case [1]: t = -2
                    default: t = 1
                    }
                    if eq.type.rank == 2 && eq.type.shape[0] == 1 { t = -3 }
                } else {
                    // reduce_max, reduce_min and reduce_prod: partials with values (Docs/COST_MODEL.md §6).
                    t = 2
                    if eq.type.rank == 2 && eq.type.shape[0] == 1 && eq.type.shape[1] > 1 { t = 3 }
                }
            }
            put(eq.operands[0], EdgeLabel(type: t, out: out, primal: Dims(normalising: input.shape)))
        case "cumsum":
            // A running sum along one axis: dense (0/1 triangular) along it, a Kronecker delta
            // between the other dimensions, as reduce_sum's −4/−2 (Docs/COST_MODEL.md §6).
            try requireOperands(eq, 1, line: line)
            let d = Dims(normalising: types[0].shape)
            var t = 1
            if types[0].rank == 2 && !d.isColumn && !d.isRow && !d.isScalar {
                let axis = try intList(eq.param("axis"), name: "axis", line: line)
                t = axis == [0] ? -3 : -2
            }
            put(eq.operands[0], EdgeLabel(type: t, out: out, primal: d))
        case "transpose":
            try requireOperands(eq, 1, line: line)
            let d = Dims(normalising: types[0].shape)
            let t = d.isScalar ? 1 : d.isColumn ? -4 : d.isRow ? -5 : -7
            put(eq.operands[0], EdgeLabel(type: t, out: out, primal: d))
        case "broadcast_in_dim", "squeeze":
            // Newer JAX adds dynamic-shape operands to broadcast_in_dim; only the first is data.
            guard !eq.operands.isEmpty else { try requireOperands(eq, 1, line: line); break }
            let d = Dims(normalising: types[0].shape)
            put(eq.operands[0], EdgeLabel(type: d == out ? -6 : -7, out: out, primal: d))
        case "convert_element_type":
            try requireOperands(eq, 1, line: line)
            put(eq.operands[0], EdgeLabel(type: -1, out: out, primal: Dims(normalising: types[0].shape)))
        default:
            throw ImportError(
                .unsupportedPrimitive, line: line, "unsupported primitive '\(p)'\(ImportError.supportedPrimitivesHint)")
        }
        return result
    }

    /// Binary elementwise op, for the operand x combined with the other operand y.
    static func binaryType(_ x: Dims, other y: Dims) -> Int {
        if x.isScalar { return 1 }
        if x.isColumn { return y.isScalar ? -2 : 2 }
        if x.isRow { return y.isScalar ? -3 : 3 }
        // A matrix. The reference means type 10 for matrix⊙scalar but overwrites it with −8.
        if y.isScalar || y.isColumn { return -8 }
        if y.isRow { return 8 }
        return 6
    }

    /// dot_general: rank decides (a rank-1 array is a vector even with length 1).
    static func dotGeneralTypes(_ eq: Equation, _ types: [ArrayType], line: Int) throws(ImportError) -> (Int, Int) {
        try requireOperands(eq, 2, line: line)
        guard let dn = eq.param("dimension_numbers") else {
            throw ImportError(.syntax, line: line, "dot_general without dimension_numbers")
        }
        let lists = integerLists(in: dn)
        guard lists.count == 4 else {
            throw ImportError(.syntax, line: line, "cannot read dot_general dimension_numbers '\(dn)'")
        }
        // Batch dimensions (vmapped products of rank ≤ 2) do not change the type: the reference
        // decides on the contracting dimensions alone (RoeFlux_3d has one).
        guard lists[2].count == lists[3].count else {
            throw ImportError(
                .shapeMismatch, line: line, "dot_general batch dimensions \(lists[2]) and \(lists[3]) differ in number")
        }
        guard lists[0].count == 1 && lists[1].count == 1 else {
            throw ImportError(
                .unsupportedShape, line: line,
                "dot_general must contract exactly one dimension per operand, found \(dn)")
        }
        let (l, r) = (types[0], types[1])
        let (ld, rd) = (lists[0][0], lists[1][0])
        guard ld < l.rank, rd < r.rank, l.shape[ld] == r.shape[rd] else {
            throw ImportError(
                .shapeMismatch, line: line, "dot_general contracts dimension \(ld) of \(l) with dimension \(rd) of \(r)"
            )
        }
        switch (l.rank, r.rank) {
        case (1, 1): return (1, 1)
        case (1, 2):
            // Only a true row (1,m>1): a (1,1) matrix normalises to a scalar and is the general case.
            if Dims(normalising: r.shape).isRow && ld == 0 && rd == 1 { return (-3, -2) }
            return (-4, -3)
        case (2, 1): return (-2, 1)
        case (2, 2):
            switch (ld, rd) {
            case (1, 0): return (-2, -3)
            case (1, 1): return (-2, -5)
            case (0, 0): return (-4, -3)
            default: return (-4, -5)
            }
        default:
            throw ImportError(
                .unsupportedShape, line: line,
                "dot_general of a rank-\(l.rank) and a rank-\(r.rank) operand is not supported")
        }
    }

    static func requireOperands(_ eq: Equation, _ n: Int, line: Int) throws(ImportError) {
        guard eq.operands.count == n else {
            throw ImportError(
                .shapeMismatch, line: line,
                "'\(eq.primitive)' takes \(n) operand\(n == 1 ? "" : "s"), found \(eq.operands.count)")
        }
    }

    /// An operand of a binary op must equal the result's shape, be a scalar, or broadcast to it
    /// along size-1 dimensions of the same rank.
    static func checkBroadcast(_ shape: [Int], to result: [Int], primitive: String, line: Int) throws(ImportError) {
        if shape == result || shape.isEmpty { return }
        if shape.count == result.count && zip(shape, result).allSatisfy({ $0 == $1 || $0 == 1 }) { return }
        throw ImportError(
            .shapeMismatch, line: line,
            "'\(primitive)' cannot combine an operand of shape \(shape) into a result of shape \(result)")
    }

    /// `(0,)`, `(np.int64(1),)`, `(0, 1)` → [0], [1], [0, 1].
    static func intList(_ text: String?, name: String, line: Int) throws(ImportError) -> [Int] {
        guard let text else { throw ImportError(.syntax, line: line, "missing parameter '\(name)'") }
        return ParameterText.integers(in: text)
    }

    static func integerLists(in text: String) -> [[Int]] { ParameterText.integerLists(in: text) }
}
