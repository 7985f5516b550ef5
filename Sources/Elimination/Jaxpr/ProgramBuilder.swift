/// Turns parsed jaxpr text into a `Program`: numbers inputs and equations (COST_MODEL.md §1),
/// resolves operands, inlines nested calls (`pjit`, `jit`, `closed_call`, …, and a `custom_jvp_call`
/// that is not elementwise) in place, turns a `cond` into its branches and a `select_n`, unrolls
/// `cholesky`, `triangular_solve`, `lu`, `qr` and `tridiagonal_solve` into element arithmetic
/// (LinearAlgebraUnrolling), writes a `custom_linear_solve` as one refinement step of its solve,
/// stores values of rank 3 and more as matrices (RankFlattening), and checks shapes. Every problem
/// is an `ImportError` naming the line.
struct ProgramBuilder {
    /// Call-like primitives whose body is inlined: each inner equation becomes its own vertex.
    /// Calls whose body is inlined. A `custom_vjp_call` is its primal function (`fun_jaxpr`),
    /// differentiated as written: a backward rule that differs from the function's derivative (a
    /// clipped or straight-through gradient) is not reproduced (Docs/COST_MODEL.md §6).
    static let inlinedCalls: Set<String> = [
        "pjit", "jit", "closed_call", "core_call", "remat", "checkpoint", "remat2", "custom_vjp_call_jaxpr",
        "custom_vjp_call",
    ]
    /// Primitives that give their operands back unchanged (placement on a device, a barrier to the
    /// compiler's reordering): each result is bound to its operand, no vertex.
    static let passThroughs: Set<String> = ["device_put", "optimization_barrier"]

    private var inputs: [Variable] = []
    private var constants: [Variable] = []
    private var constantNames: Set<String> = []
    private var equations: [Equation] = []
    /// The source line of each equation (for later error messages).
    private(set) var lines: [Int] = []
    private var inlineCount = 0
    private var scanCount = 0
    private var gatherCount = 0
    private var cumulativeCount = 0
    private var condCount = 0
    private var sortCount = 0
    private var linearAlgebraCount = 0
    /// The permutation vertex of each unrolled `lu`, by its factor matrix's vertex.
    private var luPermutations: [Int: Int] = [:]
    /// Values of vertices computed from literals alone (index arrays), for `gather`.
    private var known: [Int: [Double]] = [:]
    /// The shape of each vertex whose value has rank 3 or more (stored as a matrix: RankFlattening).
    private var logicalShapes: [Int: [Int]] = [:]
    /// The JAX shape of each input, constant and output of rank 3 or more (`Program.jaxShapes`).
    private var jaxShapes: [BoundaryValue: [Int]] = [:]
    private var flattenCount = 0
    private var shapeRewriteCount = 0

    static func build(_ syntax: JaxprSyntax) throws(ImportError) -> (Program, lines: [Int]) {
        // jnp.signbit works on the number's bits, which ccelim does not hold (so do call, branch
        // and loop bodies: inlineBody, ScanUnrolling). The rewrite writes no nested jaxprs, so the
        // constants below are numbered as the text prints them either way.
        var syntax = SignBit.rewritten(syntax)
        var builder = ProgramBuilder()
        // Every constant the text names, in the order a constants file lists their values.
        for binder in ConstantNumbering.number(&syntax) { builder.registerConstant(binder) }
        var scope: [String: Operand] = [:]
        for binder in syntax.constants {
            scope[binder.name] = builder.addConstant(binder, suffix: "")
        }
        for binder in syntax.inputs {
            builder.inputs.append(Variable(name: binder.name, type: Self.storedType(binder.type)))
            if binder.type.rank > 2 { builder.jaxShapes[.input(builder.inputs.count)] = binder.type.shape }
            scope[binder.name] = .input(builder.inputs.count)
        }
        try builder.emit(syntax.equations, scope: &scope, suffix: "")
        var outputs: [Int] = []
        var returned = Set<Int>()
        for atom in syntax.outputs {
            let operand = try resolve(atom, scope)
            // An output that is not a vertex of its own (an input returned unchanged, a constant,
            // a literal, a value returned twice) is a copy of it: a vertex with an identity edge
            // from an input or a vertex (Jacobian block I), none from a constant or a literal (0).
            let v: Int
            if case .vertex(let w) = operand, returned.insert(w).inserted {
                v = w
            } else {
                v = builder.appendCopy(of: operand, line: line(of: atom))
                returned.insert(v)
            }
            outputs.append(v)
            // A result of rank 3 or more is its vertex's stored matrix; the caller gets its JAX shape.
            if let shape = builder.logicalShapes[v] { builder.jaxShapes[.output(outputs.count)] = shape }
        }
        if outputs.isEmpty { throw ImportError(.syntax, line: 1, "the jaxpr returns nothing") }
        let program = Program(
            inputs: builder.inputs, constants: builder.constants, equations: builder.equations, outputs: outputs,
            jaxShapes: builder.jaxShapes)
        return (program, builder.lines)
    }

    /// `flat`: the equations a RankFlattening wrote, already of rank ≤ 2 (their operands may be
    /// stored matrices of higher-rank values).
    private mutating func emit(
        _ eqns: [JaxprEquation], scope: inout [String: Operand], suffix: String, flat: Bool = false
    ) throws(ImportError) {
        for eqn in eqns {
            var operands: [Operand] = []
            for atom in eqn.operands { operands.append(try Self.resolve(atom, scope)) }
            let highRank =
                !flat
                && (eqn.outputs.contains { $0.type.rank > 2 } || operands.contains { logicalType(of: $0).rank > 2 })

            // A custom_jvp_call of values of rank 3 or more is inlined too (its body flattened).
            if Self.inlinedCalls.contains(eqn.primitive)
                || (eqn.primitive == "custom_jvp_call" && (highRank || !Self.isElementwiseCall(eqn)))
            {
                try inline(eqn, operands: operands, scope: &scope)
                continue
            }
            if Self.passThroughs.contains(eqn.primitive) {
                guard eqn.outputs.count == operands.count else {
                    throw ImportError(
                        .shapeMismatch, line: eqn.line,
                        "'\(eqn.primitive)' of \(operands.count) operands binds \(eqn.outputs.count) results")
                }
                for (binder, operand) in zip(eqn.outputs, operands) where binder.name != "_" {
                    scope[binder.name] = operand
                }
                continue
            }
            if highRank && (eqn.primitive == "cond" || eqn.primitive == "custom_linear_solve") {
                throw ImportError(
                    .unsupportedShape, line: eqn.line,
                    "'\(eqn.primitive)' of values of rank 3 or more is not supported (ccelim stores such values as matrices for elementwise primitives, broadcast_in_dim, reshape, transpose, reductions, dot_general, slice and concatenate)"
                )
            }
            if eqn.primitive == "cond" {
                try cond(eqn, operands: operands, scope: &scope, suffix: suffix)
                continue
            }
            if eqn.primitive == "custom_linear_solve" {
                try linearSolve(eqn, operands: operands, scope: &scope, suffix: suffix)
                continue
            }
            if eqn.primitive == "scan" || eqn.primitive == "while" {
                scanCount += 1
                let maxEquations = GameLimits.maxVertices(inputs: inputs.count) - equations.count
                let unrolled =
                    eqn.primitive == "scan"
                    ? try ScanUnrolling(eqn, tag: "s\(scanCount)", maxEquations: maxEquations)
                    : try ScanUnrolling(while: eqn, tag: "s\(scanCount)", maxEquations: maxEquations)
                try emit(unrolled.equations, scope: &scope, suffix: suffix)
                for (binder, atom) in zip(eqn.outputs, unrolled.results) where binder.name != "_" {
                    scope[binder.name] = try Self.resolve(atom, scope)
                }
                continue
            }
            // Rewrites in the arrays' own shapes; the next emit stores what they write.
            if let rewritten = try Self.shapeRewrite(
                eqn, types: operands.map { logicalType(of: $0) }, tag: "x\(shapeRewriteCount + 1)")
            {
                shapeRewriteCount += 1
                try emitRewritten(rewritten, for: eqn, scope: &scope, suffix: suffix)
                continue
            }
            if eqn.primitive == "split" {
                try split(eqn, operands: operands, scope: &scope, suffix: suffix)
                continue
            }
            // Gathers, scatters and cumulative scans are rewritten below into slices, concatenations
            // and arithmetic of the logical shapes, which the next emit flattens.
            let rewrittenBelow =
                eqn.primitive == "gather" || eqn.primitive.hasPrefix("scatter")
                || CumulativeScan.combiners[eqn.primitive] != nil
            if highRank && !rewrittenBelow {
                if eqn.outputs.allSatisfy({ $0.name == "_" }) { continue }
                flattenCount += 1
                let lowered = try RankFlattening.equations(
                    eqn, operandTypes: operands.map(logicalType(of:)), tag: "f\(flattenCount)",
                    maxEquations: GameLimits.maxVertices(inputs: inputs.count) - equations.count)
                try emit(lowered, scope: &scope, suffix: suffix, flat: true)
                let binder = eqn.outputs[0]
                if binder.type.rank > 2, case .vertex(let v)? = scope[binder.name] {
                    logicalShapes[v] = binder.type.shape
                }
                continue
            }
            if eqn.primitive == "gather" || eqn.primitive.hasPrefix("scatter") {
                try gather(eqn, operands: operands, scope: &scope, suffix: suffix)
                continue
            }
            if CumulativeScan.combiners[eqn.primitive] != nil, let operand = operands.first {
                cumulativeCount += 1
                try emitRewritten(
                    CumulativeScan.equations(
                        eqn, operandShape: logicalType(of: operand).shape, tag: "c\(cumulativeCount)"),
                    for: eqn, scope: &scope, suffix: suffix)
                continue
            }
            if LinearAlgebraUnrolling.primitives.contains(eqn.primitive) {
                linearAlgebraCount += 1
                let lowered = try LinearAlgebraUnrolling.equations(
                    eqn, operandShapes: operands.map { type(of: $0).shape }, tag: "l\(linearAlgebraCount)",
                    maxEquations: GameLimits.maxVertices(inputs: inputs.count) - equations.count)
                try emit(lowered.equations, scope: &scope, suffix: suffix)
                for (binder, atom) in zip(eqn.outputs, lowered.results) where binder.name != "_" {
                    scope[binder.name] = try Self.resolve(atom, scope)
                }
                if eqn.primitive == "lu", case .vertex(let factors)? = scope[eqn.outputs[0].name],
                    case .vertex(let permutation)? = scope[eqn.outputs[2].name]
                {
                    luPermutations[factors] = permutation
                }
                continue
            }
            if eqn.primitive == "sort", eqn.outputs.count > 1 {
                try sortResults(eqn, operands: operands, scope: &scope, suffix: suffix)
                continue
            }
            guard EdgeRules.isSupported(eqn.primitive) else {
                throw ImportError(
                    .unsupportedPrimitive, line: eqn.line,
                    "unsupported primitive '\(eqn.primitive)'\(ImportError.supportedPrimitivesHint)")
            }
            guard eqn.outputs.count == 1 else {
                throw ImportError(
                    .unsupportedPrimitive, line: eqn.line,
                    "'\(eqn.primitive)' with \(eqn.outputs.count) results is not supported")
            }
            append(eqn, operands: operands, scope: &scope, suffix: suffix)
        }
    }

    /// A vertex `copy` of `operand` (an output that is not a vertex of its own); its type is the
    /// operand's (a literal's as JAX types a bare one: an integer int32, else the program's float,
    /// float64 when an input is), its JAX shape too. Returns the vertex.
    private mutating func appendCopy(of operand: Operand, line: Int) -> Int {
        var type = type(of: operand)
        if case .literal(let text, nil) = operand {
            let float = inputs.contains { $0.type.dtype == "f64" } ? "f64" : "f32"
            type = ArrayType(dtype: Int(text) != nil ? "i32" : float, shape: [])
        }
        let name: String
        switch operand {
        case .input(let i): name = inputs[i - 1].name
        case .vertex(let v): name = equations[v - 1].name
        case .constant(let c): name = constants[c - 1].name
        case .literal(let text, _): name = text
        }
        equations.append(Equation(name: name + "'", type: type, primitive: "copy", params: [], operands: [operand]))
        lines.append(line)
        let logical = logicalType(of: operand)
        if logical.rank > 2 { logicalShapes[equations.count] = logical.shape }
        return equations.count
    }

    /// `eqn` (one result) as the next vertex, reading `operands`.
    private mutating func append(
        _ eqn: JaxprEquation, operands: [Operand], scope: inout [String: Operand], suffix: String
    ) {
        let binder = eqn.outputs[0]
        let params = eqn.params.map { Parameter(key: $0.key, value: $0.text) }
        equations.append(
            Equation(
                name: binder.name == "_" ? "_" : binder.name + suffix, type: binder.type,
                primitive: eqn.primitive, params: params, operands: operands))
        lines.append(eqn.line)
        if binder.name != "_" { scope[binder.name] = .vertex(equations.count) }
        if let value = ConstantIndexing.value(of: eqn, operands: operands.map(knownValue)) {
            known[equations.count] = value
        }
    }

    /// The equations of a rewrite in the arrays' own shapes, when one applies to `eqn` (operands of
    /// `types`): a reshape that transposes first (TransposingReshape), a dot_general the matrix
    /// rules cannot label (ProductExpansion), a convolution (ConvolutionExpansion), a window
    /// reduction (WindowReduction).
    private static func shapeRewrite(
        _ eqn: JaxprEquation, types: [ArrayType], tag: String
    ) throws(ImportError) -> (equations: [JaxprEquation], result: JaxprAtom)? {
        let (shapes, dtypes) = (types.map(\.shape), types.map(\.dtype))
        if let permutation = TransposingReshape.permutation(of: eqn), let type = types.first {
            return try TransposingReshape.equations(
                eqn, permutation: permutation, shape: type.shape, dtype: type.dtype, tag: tag)
        }
        if ProductExpansion.applies(eqn, operandRanks: types.map(\.rank)) {
            return try ProductExpansion.equations(eqn, shapes: shapes, dtypes: dtypes, tag: tag)
        }
        if ConvolutionExpansion.applies(eqn, shapes: shapes) {
            return try ConvolutionExpansion.equations(eqn, shapes: shapes, dtypes: dtypes, tag: tag)
        }
        if let combiner = WindowReduction.combiner(of: eqn), let type = types.first {
            return try WindowReduction.equations(
                eqn, combiner: combiner, shape: type.shape, dtype: type.dtype, tag: tag)
        }
        return nil
    }

    /// `split` (jnp.split, jnp.array_split): one `slice` per used part, along `axis`.
    private mutating func split(
        _ eqn: JaxprEquation, operands: [Operand], scope: inout [String: Operand], suffix: String
    ) throws(ImportError) {
        let shape = operands.first.map { logicalType(of: $0).shape } ?? []
        let axisText = eqn.param("axis")?.text
        let axes = try EdgeRules.intList(axisText, name: "axis", line: eqn.line)
        let sizes = try EdgeRules.intList(eqn.param("sizes")?.text, name: "sizes", line: eqn.line)
        guard operands.count == 1, axes.count == 1, let axis = axes.first, 0 <= axis, axis < shape.count,
            sizes.count == eqn.outputs.count, sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == shape[axis]
        else {
            throw ImportError(
                .shapeMismatch, line: eqn.line,
                "'split' of \(operands.count) operand(s) of shape \(shape) into sizes \(sizes) along axis \(axisText ?? "?") binding \(eqn.outputs.count) results"
            )
        }
        var writer = EquationWriter<Never>(prefix: "\(eqn.outputs[0].name)@split", line: eqn.line)
        var start = 0
        for (binder, size) in zip(eqn.outputs, sizes) {
            defer { start += size }
            guard binder.name != "_" else { continue }
            var (low, high) = (shape.map { _ in 0 }, shape)
            (low[axis], high[axis]) = (start, start + size)
            writer.slice(eqn.operands[0], start: low, limit: high, dtype: binder.type.dtype, into: binder)
        }
        try emit(writer.equations, scope: &scope, suffix: suffix)
    }

    /// `sort` of several operands by the first (`jnp.argsort`: keys and an iota; `lax.sort` of a
    /// tuple, num_keys=1): one `sort` vertex per used result, the keys alone for the first, the keys
    /// and the operand they order for the others (EdgeRules: an edge from that operand only).
    /// Several keys (a lexicographic sort) are refused.
    private mutating func sortResults(
        _ eqn: JaxprEquation, operands: [Operand], scope: inout [String: Operand], suffix: String
    ) throws(ImportError) {
        guard eqn.param("num_keys")?.text == "1" else {
            throw ImportError(
                .unsupportedPrimitive, line: eqn.line,
                "'sort' by \(eqn.param("num_keys")?.text ?? "an unknown number of") keys (lexicographic) is not supported; sort by one key"
            )
        }
        guard operands.count == eqn.outputs.count else {
            throw ImportError(
                .shapeMismatch, line: eqn.line,
                "'sort' of \(operands.count) operands binds \(eqn.outputs.count) results")
        }
        sortCount += 1
        for (j, binder) in eqn.outputs.enumerated() where binder.name != "_" {
            var one = eqn
            one.outputs = [binder]
            append(
                one, operands: j == 0 ? [operands[0]] : [operands[0], operands[j]], scope: &scope,
                suffix: suffix + "@o\(sortCount)")
        }
    }

    /// `cond` (lax.cond, lax.switch): every branch inlined with the cond's operands, and each result
    /// picked by `select_n` on the branch index, as JAX itself lowers a cond whose index is batched
    /// (vmap) and as jnp.where would be written by hand. So the branch not taken is computed too;
    /// its equations carry a BranchGuard, with which the interpreter zeroes their partials where the
    /// index does not pick them, as jax.jacrev of the cond (which runs one branch) differentiates
    /// (Docs/COST_MODEL.md §6). An index
    /// known at import (a literal, a fori_loop's folded counter, a value computed from literals)
    /// inlines only its branch, clamped into range as `lax.switch` clamps it. A result that every
    /// branch computes as the same operand (a pass-through) is bound to it without a selection.
    private mutating func cond(
        _ eqn: JaxprEquation, operands: [Operand], scope: inout [String: Operand], suffix: String
    ) throws(ImportError) {
        let branches = eqn.param("branches")?.jaxprs ?? []
        guard !branches.isEmpty else {
            throw ImportError(.syntax, line: eqn.line, "'cond' has no readable 'branches' (a tuple of jaxprs)")
        }
        guard let index = operands.first, type(of: index).shape.isEmpty else {
            throw ImportError(.shapeMismatch, line: eqn.line, "'cond' takes a scalar branch index first")
        }
        let arguments = Array(operands.dropFirst())
        condCount += 1
        var taken = Array(branches.indices)
        if let value = knownValue(index), value.count == 1, value[0].isFinite {
            taken = [Int(min(max(value[0], 0), Double(branches.count - 1)))]
        }
        var results: [[Operand]] = []
        for k in taken {
            let first = equations.count
            results.append(
                try inlineBody(
                    branches[k], operands: arguments, results: eqn.outputs.count, suffix: "@k\(condCount).\(k)",
                    primitive: "cond", line: eqn.line))
            // Several branches: each one's equations count only where the index picks it (BranchGuard).
            guard taken.count > 1 else { continue }
            let text = BranchGuard(index: index, branch: k).text
            for v in first..<equations.count {
                if let i = equations[v].params.firstIndex(where: { $0.key == BranchGuard.parameter }) {
                    equations[v].params[i].value += "," + text
                } else {
                    equations[v].params.append(Parameter(key: BranchGuard.parameter, value: text))
                }
            }
        }
        for (j, binder) in eqn.outputs.enumerated() where binder.name != "_" {
            let cases = results.map { $0[j] }
            if cases.allSatisfy({ $0 == cases[0] }) {
                scope[binder.name] = cases[0]
                continue
            }
            for (k, operand) in cases.enumerated() where type(of: operand).shape != binder.type.shape {
                throw ImportError(
                    .shapeMismatch, line: eqn.line,
                    "'cond' branch \(k) returns \(type(of: operand)) where the cond binds \(binder.type)")
            }
            let select = JaxprEquation(
                outputs: [binder], primitive: "select_n", params: [], operands: [], line: eqn.line)
            append(select, operands: [index] + cases, scope: &scope, suffix: suffix + "@k\(condCount)")
        }
    }

    /// `custom_linear_solve` (jnp.linalg.solve, lax.custom_linear_solve): JAX's value is
    /// x₀ = solve(b), and its derivative is defined implicitly, dx = solve(db − ∂matvec·x₀), the
    /// solve's own consts not differentiated. Written so for any solve, exact or not (a few Jacobi
    /// sweeps, a preconditioner): x₀ = solve(b) on stop-gradient consts and b (no edges), the
    /// residual r = b − matvec(x₀) (edges from b and matvec's consts), c = solve(r) on the
    /// stop-gradient consts, and x = x₀ + (c − stop_gradient(c)): the value x₀, the derivative
    /// dc. (Session 25; before, x = x₀ + c, one refinement step, whose value was not solve(b) for
    /// an inexact solve.) The operands are the consts of matvec, vecmat, solve and
    /// transpose_solve (`const_lengths`), then b; only matvec and solve are read.
    private mutating func linearSolve(
        _ eqn: JaxprEquation, operands: [Operand], scope: inout [String: Operand], suffix: String
    ) throws(ImportError) {
        guard let jaxprs = eqn.param("jaxprs"), let solve = jaxprs.jaxpr(named: "solve"),
            let matvec = jaxprs.jaxpr(named: "matvec")
        else {
            throw ImportError(
                .syntax, line: eqn.line, "'custom_linear_solve' has no readable 'jaxprs' with a matvec and a solve")
        }
        var lengths: [String: Int] = [:]
        for field in ["matvec", "vecmat", "solve", "transpose_solve"] {
            let text = eqn.param("const_lengths")?.text ?? ""
            guard let range = text.range(of: "\(field)="),
                let count = Int(text[range.upperBound...].prefix { $0.isNumber })
            else {
                throw ImportError(
                    .syntax, line: eqn.line,
                    "'custom_linear_solve' needs const_lengths=(…\(field)=N…), found '\(text)'")
            }
            lengths[field] = count
        }
        let consts = lengths["matvec"]! + lengths["vecmat"]! + lengths["solve"]! + lengths["transpose_solve"]!
        guard operands.count == consts + eqn.outputs.count else {
            throw ImportError(
                .shapeMismatch, line: eqn.line,
                "'custom_linear_solve' has \(operands.count) operands for \(consts) consts and \(eqn.outputs.count) right-hand sides"
            )
        }
        let matvecConsts = Array(operands[0..<lengths["matvec"]!])
        let solveStart = lengths["matvec"]! + lengths["vecmat"]!
        let solveConsts = Array(operands[solveStart..<(solveStart + lengths["solve"]!)])
        let rhs = Array(operands[consts...])
        linearAlgebraCount += 1
        let tag = "@l\(linearAlgebraCount)"
        if rhs.count == 1, type(of: rhs[0]).rank == 2, solveConsts.count == 2,
            case .vertex(let factors) = solveConsts[0], case .vertex(let permutation) = solveConsts[1],
            luPermutations[factors] == permutation, Self.multipliesRows(matvec)
        {
            try solveRows(
                eqn, factors: solveConsts, matvec: matvec, matvecConsts: matvecConsts, scope: &scope, suffix: suffix)
            return
        }
        /// One equation per right-hand side: `primitive` of `inputs(j)`, named after result j.
        func each(_ primitive: String, _ part: String, _ inputs: (Int) -> [Operand]) -> [Operand] {
            eqn.outputs.enumerated().map { j, binder in
                let equation = JaxprEquation(
                    outputs: [JaxprBinder(name: binder.name + tag + part, type: binder.type, line: eqn.line)],
                    primitive: primitive, params: [], operands: [], line: eqn.line)
                append(equation, operands: inputs(j), scope: &scope, suffix: suffix)
                return .vertex(equations.count)
            }
        }
        let frozen = each("stop_gradient", ".b") { [rhs[$0]] }
        // The solve's consts held: JAX does not differentiate the solve, only matvec.
        var heldConsts: [Operand] = []
        for (k, operand) in solveConsts.enumerated() {
            if case .literal = operand {
                heldConsts.append(operand)
                continue
            }
            let held = JaxprEquation(
                outputs: [
                    JaxprBinder(name: "\(eqn.outputs[0].name)\(tag).s\(k)", type: type(of: operand), line: eqn.line)
                ],
                primitive: "stop_gradient", params: [], operands: [], line: eqn.line)
            append(held, operands: [operand], scope: &scope, suffix: suffix)
            heldConsts.append(.vertex(equations.count))
        }
        let start = try inlineBody(
            solve, operands: heldConsts + frozen, results: rhs.count, suffix: tag + ".x", primitive: eqn.primitive,
            line: eqn.line)
        let product = try inlineBody(
            matvec, operands: matvecConsts + start, results: rhs.count, suffix: tag + ".m", primitive: eqn.primitive,
            line: eqn.line)
        let residual = each("sub", ".r") { [rhs[$0], product[$0]] }
        let correction = try inlineBody(
            solve, operands: heldConsts + residual, results: rhs.count, suffix: tag + ".d", primitive: eqn.primitive,
            line: eqn.line)
        // c − stop_gradient(c): zero, with c's derivative.
        let heldCorrection = each("stop_gradient", ".c") { [correction[$0]] }
        let tangent = each("sub", ".t") { [correction[$0], heldCorrection[$0]] }
        for (j, binder) in eqn.outputs.enumerated() where binder.name != "_" {
            let add = JaxprEquation(outputs: [binder], primitive: "add", params: [], operands: [], line: eqn.line)
            append(add, operands: [start[j], tangent[j]], scope: &scope, suffix: suffix)
        }
    }

    /// Whether `matvec` is X ↦ (A·Xᵀ)ᵀ for its first input A: `dot_general` contracting both
    /// operands' dimension 1, then `transpose`, what jnp.linalg.solve of a matrix right-hand side
    /// (and jnp.linalg.inv) prints, each row of X one vector A multiplies.
    static func multipliesRows(_ matvec: JaxprSyntax) -> Bool {
        guard matvec.inputs.count == 2, matvec.equations.count == 2, matvec.outputs.count == 1 else { return false }
        let (product, transpose) = (matvec.equations[0], matvec.equations[1])
        func name(_ atom: JaxprAtom) -> String? {
            if case .variable(let name, _) = atom { return name }
            return nil
        }
        return product.primitive == "dot_general"
            && product.param("dimension_numbers")?.text.hasPrefix("(([1], [1]), ([], []))") == true
            && product.operands.map(name) == [matvec.inputs[0].name, matvec.inputs[1].name]
            && transpose.primitive == "transpose" && transpose.param("permutation")?.text == "(1, 0)"
            && transpose.operands.map(name) == [product.outputs[0].name]
            && matvec.outputs.map(name) == [transpose.outputs[0].name]
    }

    /// `custom_linear_solve` of a matrix B whose rows are the right-hand sides (jnp.linalg.solve
    /// of a matrix, jnp.linalg.inv: matvec X ↦ X·Aᵀ, `multipliesRows`) and whose solve consts are
    /// the factors of an unrolled `lu`: JAX's solve jaxpr for it goes through rank 3 (a batched
    /// _lu_solve), so the solve is written from the factors instead (LinearAlgebraUnrolling.luSolve,
    /// on Bᵀ), in the same refinement step as `linearSolve`: X₀ = solve(stop_gradient(B)),
    /// X = X₀ + solve(B − matvec(X₀)).
    private mutating func solveRows(
        _ eqn: JaxprEquation, factors: [Operand], matvec: JaxprSyntax, matvecConsts: [Operand],
        scope: inout [String: Operand], suffix: String
    ) throws(ImportError) {
        let binder = eqn.outputs[0]
        let (k, n) = (binder.type.shape[0], binder.type.shape[1])
        let base = binder.name + "@l\(linearAlgebraCount)"
        let index = type(of: factors[1]).dtype
        scope[base + ".A"] = factors[0]
        scope[base + ".P"] = factors[1]
        scope[base + ".B"] = try Self.resolve(eqn.operands.last!, scope)
        func atom(_ part: String) -> JaxprAtom { .variable(name: base + part, line: eqn.line) }
        func binding(_ part: String, _ shape: [Int]) -> JaxprBinder {
            JaxprBinder(name: base + part, type: ArrayType(dtype: binder.type.dtype, shape: shape), line: eqn.line)
        }
        func equation(_ part: String, _ shape: [Int], _ primitive: String, _ operands: [JaxprAtom]) -> JaxprEquation {
            JaxprEquation(
                outputs: [binding(part, shape)], primitive: primitive,
                params: primitive == "transpose" ? [EquationWriter.param("permutation", "(1, 0)")] : [],
                operands: operands, line: eqn.line)
        }
        /// Bᵀ's columns solved, transposed back: `part`.
        func solved(_ of: String, _ part: String) throws(ImportError) -> [JaxprEquation] {
            [equation(part + "bt", [n, k], "transpose", [atom(of)])]
                + (try LinearAlgebraUnrolling.luSolve(
                    lu: atom(".A"), permutation: atom(".P"), index: index, rhs: atom(part + "bt"),
                    into: binding(part + "xt", [n, k]), tag: "l\(linearAlgebraCount)" + part,
                    maxEquations: GameLimits.maxVertices(inputs: inputs.count) - equations.count))
                + [equation(part, [k, n], "transpose", [atom(part + "xt")])]
        }
        try emit(
            [equation(".b", [k, n], "stop_gradient", [atom(".B")])] + solved(".b", ".x"), scope: &scope, suffix: suffix)
        let product = try inlineBody(
            matvec, operands: matvecConsts + [scope[base + ".x"]!], results: 1, suffix: "@l\(linearAlgebraCount).m",
            primitive: eqn.primitive, line: eqn.line)
        scope[base + ".Ax"] = product[0]
        let correction = [equation(".r", [k, n], "sub", [atom(".B"), atom(".Ax")])] + (try solved(".r", ".d"))
        try emit(correction, scope: &scope, suffix: suffix)
        guard binder.name != "_" else { return }
        let add = JaxprEquation(
            outputs: [binder], primitive: "add", params: [], operands: [atom(".x"), atom(".d")], line: eqn.line)
        try emit([add], scope: &scope, suffix: suffix)
    }

    /// Primitives a custom_jvp_call's body may hold and still be one elementwise vertex.
    private static let elementwiseBody: Set<String> = EdgeRules.unaryElementwise
        .union(EdgeRules.binaryElementwise).union(EdgeRules.comparisons).union(EdgeRules.logical)
        .union(EdgeRules.piecewiseConstant)
        .union(["select_n", "convert_element_type", "stop_gradient", "broadcast_in_dim", "clamp", "pjit"])

    /// Whether a `custom_jvp_call` is elementwise (jax.nn.relu, relu6, softplus, jnp.logaddexp):
    /// one result, and a body without constants whose every value, inputs included, has the
    /// result's shape or none, computed by elementwise primitives only (nested calls checked the
    /// same way). Such a call stays one vertex with the elementwise label (Docs/COST_MODEL.md §6);
    /// any other (jnp.linalg.det and slogdet: an LU factorization inside) is inlined as a `pjit`,
    /// its body differentiated, which is what its custom rule computes away from ties.
    static func isElementwiseCall(_ eqn: JaxprEquation) -> Bool {
        guard eqn.outputs.count == 1, let body = eqn.param("call_jaxpr")?.jaxpr else { return false }
        return isElementwise(body, shape: eqn.outputs[0].type.shape)
    }

    private static func isElementwise(_ body: JaxprSyntax, shape: [Int]) -> Bool {
        func fits(_ binder: JaxprBinder) -> Bool { binder.type.shape.isEmpty || binder.type.shape == shape }
        guard body.constants.isEmpty, body.inputs.allSatisfy(fits) else { return false }
        return body.equations.allSatisfy { eq in
            guard elementwiseBody.contains(eq.primitive) || eq.primitive == "custom_jvp_call",
                eq.outputs.allSatisfy(fits)
            else { return false }
            guard let nested = (eq.param("jaxpr") ?? eq.param("call_jaxpr"))?.jaxpr else {
                return eq.primitive != "pjit" && eq.primitive != "custom_jvp_call"
            }
            return isElementwise(nested, shape: shape)
        }
    }

    private func knownValue(_ operand: Operand) -> [Double]? {
        switch operand {
        case .literal(let text, _): return Operand.literalValue(text).map { [$0] }
        case .vertex(let v): return known[v]
        case .input, .constant: return nil
        }
    }

    /// `gather` and `scatter`/`scatter-add` with constant indices, as the re-indexing
    /// ConstantIndexing writes for them.
    private mutating func gather(
        _ eqn: JaxprEquation, operands: [Operand], scope: inout [String: Operand], suffix: String
    ) throws(ImportError) {
        let isGather = eqn.primitive == "gather"
        guard operands.count == (isGather ? 2 : 3), eqn.outputs.count == 1 else {
            throw ImportError(
                .shapeMismatch, line: eqn.line,
                "'\(eqn.primitive)' takes an operand, indices\(isGather ? "" : " and updates") and gives one result")
        }
        let source: String
        switch operands[1] {
        case .input: source = "an input of the program (data-dependent)"
        case .constant:
            source = "a closed-over constant (such as jnp.array([...])), whose values the jaxpr text does not print"
        default:
            source =
                "computed at run time (data-dependent) or from closed-over constants, whose values the jaxpr text does not print"
        }
        gatherCount += 1
        let operandShape = logicalType(of: operands[0]).shape
        let lowered =
            isGather
            ? try ConstantIndexing.gather(
                eqn, operandShape: operandShape, indicesType: logicalType(of: operands[1]),
                indices: knownValue(operands[1]),
                source: source, tag: "g\(gatherCount)")
            : try ConstantIndexing.scatter(
                eqn, operandShape: operandShape, indicesType: logicalType(of: operands[1]),
                updatesShape: logicalType(of: operands[2]).shape, indices: knownValue(operands[1]),
                tag: "g\(gatherCount)")
        try emitRewritten(lowered, for: eqn, scope: &scope, suffix: suffix)
    }

    /// The equations a rewrite (ConstantIndexing, CumulativeScan) wrote for `eqn`, with `eqn`'s
    /// result bound to the rewrite's result.
    private mutating func emitRewritten(
        _ lowered: (equations: [JaxprEquation], result: JaxprAtom), for eqn: JaxprEquation,
        scope: inout [String: Operand], suffix: String
    ) throws(ImportError) {
        try emit(lowered.equations, scope: &scope, suffix: suffix)
        if eqn.outputs[0].name != "_" { scope[eqn.outputs[0].name] = try Self.resolve(lowered.result, scope) }
    }

    private mutating func inline(
        _ eqn: JaxprEquation, operands: [Operand], scope: inout [String: Operand]
    ) throws(ImportError) {
        guard let body = (eqn.param("jaxpr") ?? eqn.param("call_jaxpr") ?? eqn.param("fun_jaxpr"))?.jaxpr else {
            throw ImportError(.syntax, line: eqn.line, "'\(eqn.primitive)' has no nested jaxpr to inline")
        }
        inlineCount += 1
        let results = try inlineBody(
            body, operands: operands, results: eqn.outputs.count, suffix: "@\(inlineCount)",
            primitive: eqn.primitive, line: eqn.line)
        for (binder, result) in zip(eqn.outputs, results) where binder.name != "_" {
            scope[binder.name] = result
        }
    }

    /// `body`'s equations as vertices (names ending in `suffix`), its inputs bound to `operands`;
    /// what it returns. `primitive` and `line` name the call in errors.
    private mutating func inlineBody(
        _ body: JaxprSyntax, operands: [Operand], results: Int, suffix: String, primitive: String, line: Int
    ) throws(ImportError) -> [Operand] {
        guard body.inputs.count == operands.count else {
            throw ImportError(
                .shapeMismatch, line: line,
                "'\(primitive)' passes \(operands.count) operands to a body that takes \(body.inputs.count)")
        }
        guard body.outputs.count == results else {
            throw ImportError(
                .shapeMismatch, line: line,
                "'\(primitive)' binds \(results) results to a body that returns \(body.outputs.count)")
        }
        var inner: [String: Operand] = [:]
        for binder in body.constants {
            inner[binder.name] = addConstant(binder, suffix: suffix)
        }
        for (binder, operand) in zip(body.inputs, operands) {
            let given = logicalType(of: operand)
            guard given.shape == binder.type.shape else {
                throw ImportError(
                    .shapeMismatch, line: line, "'\(primitive)' passes \(given) where its body expects \(binder.type)")
            }
            inner[binder.name] = operand
        }
        // jnp.signbit works on the number's bits, which ccelim does not hold.
        let body = SignBit.rewritten(body)
        try emit(body.equations, scope: &inner, suffix: suffix)
        var outputs: [Operand] = []
        for atom in body.outputs { outputs.append(try Self.resolve(atom, inner)) }
        return outputs
    }

    /// The operand of a closed-over constant (of the jaxpr or of an inlined body): the one
    /// `ConstantNumbering` gave it, the same each time its body is inlined; a constant of a body
    /// written by a rewrite (never numbered) gets a new one.
    private mutating func addConstant(_ binder: JaxprBinder, suffix: String) -> Operand {
        if let k = binder.constant { return .constant(k + 1) }
        var unnumbered = binder
        unnumbered.name += suffix
        registerConstant(unnumbered)
        return .constant(constants.count)
    }

    /// Appends a constant, stored as a matrix when its rank is 3 or more; a name already taken
    /// (the same letter in two bodies) gets its number.
    private mutating func registerConstant(_ binder: JaxprBinder) {
        var name = binder.name
        if !constantNames.insert(name).inserted { name += "@\(constants.count + 1)" }
        constants.append(Variable(name: name, type: Self.storedType(binder.type)))
        if binder.type.rank > 2 { jaxShapes[.constant(constants.count)] = binder.type.shape }
    }

    /// How the program holds a value of `type`: itself up to rank 2, else the matrix RankFlattening
    /// stores it as.
    private static func storedType(_ type: ArrayType) -> ArrayType {
        ArrayType(dtype: type.dtype, shape: RankFlattening.stored(type.shape))
    }

    /// The type of `operand` as the jaxpr wrote it (`type(of:)` is the stored one).
    private func logicalType(of operand: Operand) -> ArrayType {
        let shape: [Int]?
        switch operand {
        case .vertex(let v): shape = logicalShapes[v]
        case .input(let i): shape = jaxShapes[.input(i)]
        case .constant(let c): shape = jaxShapes[.constant(c)]
        case .literal: shape = nil
        }
        let stored = type(of: operand)
        return shape.map { ArrayType(dtype: stored.dtype, shape: $0) } ?? stored
    }

    private func type(of operand: Operand) -> ArrayType {
        switch operand {
        case .input(let i): return inputs[i - 1].type
        case .vertex(let v): return equations[v - 1].type
        case .constant(let c): return constants[c - 1].type
        case .literal(_, let t): return t ?? ArrayType(dtype: "f32", shape: [])
        }
    }

    private static func resolve(_ atom: JaxprAtom, _ scope: [String: Operand]) throws(ImportError) -> Operand {
        switch atom {
        case .literal(let text, let type, _):
            return .literal(text, type)
        case .variable(let name, let line):
            guard let operand = scope[name] else {
                if let literal = JaxprAtom.unboundLiteral(name, line: line) { return try resolve(literal, scope) }
                throw ImportError(.undefinedVariable, line: line, "variable '\(name)' is used before it is defined")
            }
            return operand
        }
    }

    private static func line(of atom: JaxprAtom) -> Int {
        switch atom {
        case .literal(_, _, let line), .variable(_, let line): return line
        }
    }
}
