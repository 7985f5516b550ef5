/// Intermediate values of rank 3 and more (`x[:, None, :] - x[None, :, :]`, a batched `einsum`,
/// attention heads) stored as matrices: a value of shape (a₁, …, a_k, c) is the matrix of
/// (a₁·…·a_k) rows and c columns with the same elements in the same (row-major) order, so the
/// paper's cost model (rank ≤ 2, Docs/COST_MODEL.md §1) labels every vertex. Elementwise
/// primitives act on the stored matrices as they are, once the operands broadcast along size-1
/// axes are expanded; the primitives that move elements between axes are written in matrix
/// primitives: a *row gather* (rows picked from one or more matrices: contiguous runs sliced, a
/// repeated row sliced once and broadcast, the pieces concatenated), `reshape` (the order is the
/// same), a matrix `transpose` for the last axis, `reduce_*` and `dot_general` per batch, `rev`
/// and `cumsum` on the matrix or through a transpose, a one-channel convolution as slices times
/// weights. Gathers, scatters and the rewritten cumulative scans are written by their own rewrites
/// in the logical shapes and then land here. Inputs, constants and results of rank 3 and more are
/// stored the same way; the program keeps their JAX shapes (`Program.jaxShapes`) for its callers.
/// Docs/COST_MODEL.md §6.
///
/// Every rewrite is exact: each stored element is the value JAX computes at that position, so the
/// interpreter's and the code generators' Jacobians are JAX's, only the cost model sees matrices.
enum RankFlattening {
    /// Elementwise primitives: they act on the stored matrices unchanged.
    static let elementwise: Set<String> = EdgeRules.unaryElementwise.subtracting(["custom_jvp_call"])
        .union(EdgeRules.binaryElementwise).union(EdgeRules.comparisons).union(EdgeRules.logical)
        .union(EdgeRules.piecewiseConstant)
        .union(["select_n", "convert_element_type", "stop_gradient", "clamp", "copy", "copy_p"])
    static let reductions: Set<String> = [
        "reduce_sum", "reduce_max", "reduce_min", "reduce_prod", "reduce_and", "reduce_or", "argmax", "argmin",
    ]
    static let structural: Set<String> = [
        "broadcast_in_dim", "reshape", "squeeze", "transpose", "dot_general", "slice", "concatenate",
        "conv_general_dilated", "rev", "cumsum", "pad", "iota", "dynamic_slice", "dynamic_update_slice",
    ]

    /// The shape a value of shape `shape` has in the program: itself up to rank 2, else
    /// (product of all axes but the last, last).
    static func stored(_ shape: [Int]) -> [Int] {
        shape.count <= 2 ? shape : [rows(shape), shape.last!]
    }

    /// The equations that compute `eqn`'s one result (stored as `stored(shape)`, the last equation
    /// binds it) from operands of the given types (`types[i].shape` the logical shape; a literal
    /// has shape []). More than `maxEquations` equations are refused.
    static func equations(
        _ eqn: JaxprEquation, operandTypes types: [ArrayType], tag: String, maxEquations: Int
    ) throws(ImportError) -> [JaxprEquation] {
        let p = eqn.primitive
        let highest = ([eqn.outputs.first?.type.rank ?? 0] + types.map(\.rank)).max() ?? 0
        guard elementwise.contains(p) || reductions.contains(p) || structural.contains(p) else {
            throw ImportError(
                .unsupportedShape, line: eqn.line,
                "'\(p)' of a rank-\(highest) value: ccelim stores values of rank 3 and more as matrices for elementwise primitives, broadcast_in_dim, reshape, squeeze, transpose, reduce_sum/max/min/prod/and/or, argmax/argmin, dot_general, slice, concatenate, rev, cumsum, pad, iota, dynamic_slice, dynamic_update_slice and conv_general_dilated only"
            )
        }
        guard eqn.outputs.count == 1, eqn.operands.count == types.count else {
            throw ImportError(.shapeMismatch, line: eqn.line, "'\(p)' with \(eqn.outputs.count) results")
        }
        let binder = eqn.outputs[0]
        guard binder.type.shape.allSatisfy({ $0 > 0 }), types.allSatisfy({ $0.shape.allSatisfy { $0 > 0 } }) else {
            throw ImportError(.unsupportedShape, line: eqn.line, "'\(p)' of an empty array of rank \(highest)")
        }
        var flattener = Flattener(
            prefix: "\(binder.name == "_" ? "_\(tag)" : binder.name)@\(tag)", line: eqn.line, primitive: p,
            maxEquations: maxEquations)
        let result = JaxprBinder(
            name: binder.name, type: ArrayType(dtype: binder.type.dtype, shape: stored(binder.type.shape)),
            line: binder.line)
        let operands = zip(eqn.operands, types).map { Value(atom: $0, type: $1) }
        let shape = binder.type.shape
        func mismatch(_ expected: [Int]) -> ImportError {
            ImportError(
                .shapeMismatch, line: eqn.line,
                "'\(p)' of \(types.map(\.description).joined(separator: " and ")) gives shape \(expected), the jaxpr declares \(binder.type)"
            )
        }
        if elementwise.contains(p) {
            var atoms: [JaxprAtom] = []
            for operand in operands {
                if operand.shape.isEmpty || operand.shape == shape {
                    atoms.append(operand.atom)
                } else {
                    atoms.append(try flattener.expand(operand, to: shape))
                }
            }
            flattener.out.emit(
                JaxprEquation(outputs: [result], primitive: p, params: eqn.params, operands: atoms, line: eqn.line))
        } else if reductions.contains(p) {
            let axes = try EdgeRules.intList(eqn.param("axes")?.text, name: "axes", line: eqn.line)
            let kept = operands[0].shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
            guard kept == shape else { throw mismatch(kept) }
            let positions = p == "argmax" || p == "argmin"
            guard !positions || axes.count == 1 else {
                throw ImportError(.syntax, line: eqn.line, "'\(p)' needs one axis, found \(axes)")
            }
            flattener.extraParams = positions ? [("index_dtype", eqn.param("index_dtype")?.text ?? "int32")] : []
            try flattener.reduce(p, operands[0], axes: Set(axes), into: result, resultShape: shape)
        } else {
            switch p {
            case "broadcast_in_dim":
                let dims = try EdgeRules.intList(
                    eqn.param("broadcast_dimensions")?.text, name: "broadcast_dimensions", line: eqn.line)
                try flattener.broadcast(operands[0], dimensions: dims, to: shape, into: result)
            case "reshape", "squeeze":
                guard operands[0].type.elementCount == binder.type.elementCount else {
                    throw ImportError(
                        .shapeMismatch, line: eqn.line, "'\(p)' of \(operands[0].type) cannot give \(binder.type)")
                }
                flattener.reshape(operands[0].atom, to: result)
            case "transpose":
                let perm = try EdgeRules.intList(eqn.param("permutation")?.text, name: "permutation", line: eqn.line)
                guard perm.sorted() == Array(0..<operands[0].shape.count) else {
                    throw ImportError(
                        .shapeMismatch, line: eqn.line, "'transpose' by \(perm) of \(operands[0].type)")
                }
                guard perm.map({ operands[0].shape[$0] }) == shape else {
                    throw mismatch(perm.map { operands[0].shape[$0] })
                }
                _ = try flattener.transposed(operands[0], perm, into: result)
            case "dot_general":
                try flattener.dotGeneral(eqn, operands[0], operands[1], into: result, resultShape: shape)
            case "slice":
                try flattener.slice(eqn, operands[0], into: result, resultShape: shape)
            case "rev":
                guard operands[0].shape == shape else { throw mismatch(operands[0].shape) }
                let dims = try EdgeRules.intList(eqn.param("dimensions")?.text, name: "dimensions", line: eqn.line)
                try flattener.reverse(operands[0], dimensions: Set(dims), into: result)
            case "cumsum":
                guard operands[0].shape == shape else { throw mismatch(operands[0].shape) }
                let axis = try EdgeRules.intList(eqn.param("axis")?.text, name: "axis", line: eqn.line)
                guard axis.count == 1, axis[0] >= 0, axis[0] < shape.count else {
                    throw ImportError(.syntax, line: eqn.line, "'cumsum' needs one axis of \(shape)")
                }
                try flattener.cumulativeSum(
                    operands[0], axis: axis[0], reverse: eqn.param("reverse")?.text ?? "False", into: result)
            case "iota":
                let d = try EdgeRules.intList(eqn.param("dimension")?.text, name: "dimension", line: eqn.line)
                guard d.count == 1, d[0] >= 0, d[0] < shape.count else {
                    throw ImportError(.syntax, line: eqn.line, "'iota' needs one dimension of \(shape)")
                }
                try flattener.iota(dimension: d[0], shape: shape, into: result)
            case "dynamic_slice":
                try flattener.dynamicSlice(
                    eqn, operands[0], starts: Array(operands.dropFirst()), into: result, resultShape: shape)
            case "dynamic_update_slice":
                guard operands.count >= 2, operands[0].shape == shape else { throw mismatch(operands[0].shape) }
                try flattener.dynamicUpdateSlice(
                    operands[0], operands[1], starts: Array(operands.dropFirst(2)), into: result)
            case "pad":
                try flattener.pad(eqn, operands[0], operands[1], into: result, resultShape: shape)
            case "conv_general_dilated":
                try flattener.convolution(eqn, operands[0], operands[1], into: result, resultShape: shape)
            default:
                let d = try EdgeRules.intList(eqn.param("dimension")?.text, name: "dimension", line: eqn.line)
                guard d.count == 1, d[0] >= 0, d[0] < shape.count else {
                    throw ImportError(.syntax, line: eqn.line, "'concatenate' needs one dimension")
                }
                var joined = operands[0].shape
                if joined.count == shape.count {
                    joined[d[0]] = operands.reduce(0) { $0 + ($1.shape.count == shape.count ? $1.shape[d[0]] : 0) }
                }
                guard joined == shape,
                    operands.allSatisfy({
                        $0.shape.count == shape.count
                            && $0.shape.enumerated().allSatisfy { $0.offset == d[0] || $0.element == shape[$0.offset] }
                    })
                else { throw mismatch(joined) }
                try flattener.concatenate(operands, dimension: d[0], into: result, resultShape: shape)
            }
        }
        return flattener.out.equations
    }

    static func rows(_ shape: [Int]) -> Int { shape.dropLast().reduce(1, *) }

    /// The position of `index` in row-major order over `sizes`.
    static func linear(_ index: [Int], _ sizes: [Int]) -> Int {
        zip(index, sizes).reduce(0) { $0 * $1.1 + $1.0 }
    }

    /// Every index over `sizes` in row-major order (one empty index for no axes).
    static func indices(_ sizes: [Int]) -> [[Int]] {
        var result: [[Int]] = [[]]
        for size in sizes {
            result = result.flatMap { prefix in (0..<size).map { prefix + [$0] } }
        }
        return result
    }

    /// An operand: its atom (stored shape) and its logical type.
    struct Value {
        var atom: JaxprAtom
        var type: ArrayType
        var shape: [Int] { type.shape }
    }

    /// Writes the matrix equations (fresh names `prefix.k`), refusing more than `maxEquations`.
    struct Flattener {
        let line: Int
        let primitive: String
        var out: EquationWriter<ImportError>
        /// Parameters a reduction keeps besides its axes (argmax's index_dtype).
        var extraParams: [(String, String)] = []

        init(prefix: String, line: Int, primitive: String, maxEquations: Int) {
            (self.line, self.primitive) = (line, primitive)
            let tooLarge = ImportError.unrollingTooLarge(
                "'\(primitive)' of a value of rank 3 or more", maxEquations: maxEquations, line: line)
            out = EquationWriter(
                prefix: prefix, line: line,
                limits: .init(
                    maxEquations: maxEquations, tooLarge: tooLarge,
                    declared: { result in
                        // The jaxpr declares a result that is not what the primitive gives its operands.
                        ImportError(
                            .shapeMismatch, line: line,
                            "'\(primitive)' of these operands does not give the declared \(result.name):\(result.type.dtype)[…] (stored as \(result.type.shape))"
                        )
                    }))
        }

        /// `atom` reshaped to the stored shape of `result`, which it binds (never refused by the size limit).
        mutating func reshape(_ atom: JaxprAtom, to result: JaxprBinder) {
            out.emit("reshape", EquationWriter.reshapeParams(result.type.shape, sharding: true), [atom], into: result)
        }

        /// `atom` of shape `from` as shape `shape`: itself when they are the same.
        mutating func reshaped(
            _ atom: JaxprAtom, from: [Int], to shape: [Int], dtype: String
        ) throws(ImportError)
            -> JaxprAtom
        {
            from == shape ? atom : try out.reshape(atom, to: shape, dtype: dtype, sharding: true)
        }

        /// `value` as a matrix (rows of its leading axes, its last axis): a vector becomes one row,
        /// a scalar a 1×1 matrix.
        mutating func matrix(_ value: Value) throws(ImportError) -> JaxprAtom {
            try reshaped(
                value.atom, from: stored(value.shape), to: [rows(value.shape), value.shape.last ?? 1],
                dtype: value.type.dtype)
        }

        /// A matrix of `picks.count` rows, row k being row `picks[k].row` of `sources[picks[k].source]`
        /// (every source has `columns` columns): runs of consecutive rows are one slice, a run of one
        /// repeated row a slice broadcast, the pieces concatenated; `into` binds the last equation.
        mutating func gather(
            _ sources: [(atom: JaxprAtom, rows: Int)], picks: [(source: Int, row: Int)], columns: Int, dtype: String,
            into: JaxprBinder? = nil
        ) throws(ImportError) -> JaxprAtom {
            // Runs: (source, first row, length, repeated).
            var runs: [(source: Int, row: Int, length: Int, repeated: Bool)] = []
            var k = 0
            while k < picks.count {
                let (s, r) = picks[k]
                var end = k + 1
                let repeated = end < picks.count && picks[end].source == s && picks[end].row == r
                while end < picks.count, picks[end].source == s, picks[end].row == (repeated ? r : r + (end - k)) {
                    end += 1
                }
                runs.append((s, r, end - k, repeated))
                k = end
            }
            let target = runs.count == 1 ? into : nil
            var pieces: [JaxprAtom] = []
            for run in runs {
                let source = sources[run.source]
                if !run.repeated && run.row == 0 && run.length == source.rows {
                    if let target {
                        reshape(source.atom, to: target)
                        return .variable(name: target.name, line: line)
                    }
                    pieces.append(source.atom)
                    continue
                }
                let rowCount = run.repeated ? 1 : run.length
                let broadcast = run.repeated && run.length > 1
                let sliced = try out.slice(
                    source.atom, start: [run.row, 0], limit: [run.row + rowCount, columns], dtype: dtype,
                    into: broadcast ? nil : target)
                pieces.append(
                    broadcast
                        ? try out.broadcast(
                            sliced, dimensions: [0, 1], shape: [run.length, columns], dtype: dtype, into: target)
                        : sliced)
            }
            if pieces.count == 1 { return pieces[0] }
            return try out.concatenate(pieces, dimension: 0, shape: [picks.count, columns], dtype: dtype, into: into)
        }

        /// `value` broadcast along its size-1 axes to `shape` (the same rank), as a matrix.
        mutating func expand(
            _ value: Value, to shape: [Int], into: JaxprBinder? = nil
        ) throws(ImportError)
            -> JaxprAtom
        {
            guard value.shape.count == shape.count,
                zip(value.shape, shape).allSatisfy({ $0 == $1 || $0 == 1 })
            else {
                throw ImportError(
                    .shapeMismatch, line: line,
                    "'\(primitive)' cannot broadcast an operand of shape \(value.shape) to \(shape)")
            }
            var atom = try matrix(value)
            let (r, c) = (rows(value.shape), shape.last!)
            let leading = Array(shape.dropLast()), from = Array(value.shape.dropLast())
            let leadingSame = leading == from
            if value.shape.last! != c {
                atom = try out.broadcast(
                    atom, dimensions: [0, 1], shape: [r, c], dtype: value.type.dtype, into: leadingSame ? into : nil)
                if leadingSame { return atom }
            }
            if leadingSame {
                if let into { reshape(atom, to: into) }
                return atom
            }
            let picks = indices(leading).map { index in
                (source: 0, row: linear(zip(index, from).map { $1 == 1 ? 0 : $0 }, from))
            }
            return try gather([(atom, r)], picks: picks, columns: c, dtype: value.type.dtype, into: into)
        }

        /// broadcast_in_dim: the operand's axes placed at `dimensions` (size-1 axes inserted: a
        /// reshape, the order kept, as `dimensions` increase), then expanded.
        mutating func broadcast(
            _ value: Value, dimensions: [Int], to shape: [Int], into result: JaxprBinder
        ) throws(ImportError) {
            guard dimensions.count == value.shape.count, dimensions == dimensions.sorted(),
                Set(dimensions).count == dimensions.count, dimensions.allSatisfy({ $0 < shape.count })
            else {
                throw ImportError(
                    .shapeMismatch, line: line,
                    "'broadcast_in_dim' of shape \(value.shape) by dimensions \(dimensions) to \(shape)")
            }
            if value.shape.isEmpty {
                try out.broadcast(
                    value.atom, dimensions: [], shape: result.type.shape, dtype: result.type.dtype, into: result)
                return
            }
            var placed = [Int](repeating: 1, count: shape.count)
            for (k, d) in dimensions.enumerated() { placed[d] = value.shape[k] }
            let atom = try reshaped(
                value.atom, from: stored(value.shape), to: [rows(placed), placed.last!], dtype: value.type.dtype)
            if placed == shape {
                reshape(atom, to: result)
                return
            }
            let placedValue = Value(atom: atom, type: ArrayType(dtype: value.type.dtype, shape: placed))
            _ = try expand(placedValue, to: shape, into: result)
        }

        /// `value` with its axes in the order `perm`, as a matrix (rows of the permuted leading
        /// axes, the axis perm.last as columns). The last axis kept: a row gather. Moved: the
        /// others gathered with perm.last innermost, the matrix transposed and reshaped (rows now
        /// indexed by (old last, others)), and gathered into place.
        mutating func transposed(
            _ value: Value, _ perm: [Int], into: JaxprBinder? = nil
        ) throws(ImportError)
            -> JaxprAtom
        {
            let s = value.shape, r = s.count, dtype = value.type.dtype
            let target = perm.map { s[$0] }
            let targetMatrix = [rows(target), target.last ?? 1]
            if r <= 2 {
                let atom = try matrix(value)
                if perm == Array(0..<r) {
                    if let into { reshape(atom, to: into) }
                    return atom
                }
                // A matrix transposed.
                let t = try out.transpose(
                    atom, shape: s, dtype: dtype, into: into?.type.shape == [s[1], s[0]] ? into : nil)
                if let into, into.type.shape != [s[1], s[0]] { reshape(t, to: into) }
                return t
            }
            let leading = Array(s.dropLast())
            if perm.last == r - 1 {
                let picks = indices(Array(target.dropLast())).map { m in
                    var source = [Int](repeating: 0, count: r - 1)
                    for (a, v) in m.enumerated() { source[perm[a]] = v }
                    return (source: 0, row: linear(source, leading))
                }
                return try gather([(value.atom, rows(s))], picks: picks, columns: s[r - 1], dtype: dtype, into: into)
            }
            let p = perm.last!
            let others = (0..<(r - 1)).filter { $0 != p }
            let n = others.map { s[$0] }.reduce(1, *)
            let (c, width) = (s[r - 1], s[p])
            let first = indices(others.map { s[$0] } + [width]).map { m in
                var source = [Int](repeating: 0, count: r - 1)
                for (k, a) in others.enumerated() { source[a] = m[k] }
                source[p] = m.last!
                return (source: 0, row: linear(source, leading))
            }
            let grouped = try gather([(value.atom, rows(s))], picks: first, columns: c, dtype: dtype)
            let flipped = try out.transpose(grouped, shape: [n * width, c], dtype: dtype)
            let byLast = try reshaped(flipped, from: [c, n * width], to: [c * n, width], dtype: dtype)
            let picks = indices(Array(target.dropLast())).map { m in
                var source = [Int](repeating: 0, count: r)
                for (a, v) in m.enumerated() { source[perm[a]] = v }
                return (source: 0, row: source[r - 1] * n + linear(others.map { source[$0] }, others.map { s[$0] }))
            }
            precondition(targetMatrix == [picks.count, width])
            return try gather([(byLast, c * n)], picks: picks, columns: width, dtype: dtype, into: into)
        }

        /// reduce_* over `axes`. The last axis among them: reduced on the matrix, then the rest
        /// on what is left. Otherwise the rows are gathered kept-major, reduced-minor, and the
        /// groups reduced through transpose, reshape, reduce along 1, reshape, transpose.
        mutating func reduce(
            _ p: String, _ value: Value, axes: Set<Int>, into result: JaxprBinder, resultShape: [Int]
        ) throws(ImportError) {
            // The reduction and what follows it have the result's type (argmax: integers).
            let s = value.shape, r = s.count, dtype = value.type.dtype, outDtype = result.type.dtype
            guard axes.allSatisfy({ $0 >= 0 && $0 < r }) else {
                throw ImportError(.shapeMismatch, line: line, "'\(p)' over axes \(axes.sorted()) of shape \(s)")
            }
            func reduceParams(_ a: [Int]) -> [(String, String)] {
                [("axes", EquationWriter.tuple(a))] + extraParams
            }
            if axes.isEmpty {
                reshape(value.atom, to: result)
                return
            }
            if r <= 2 {
                try out.bind(
                    p, reduceParams(axes.sorted()), [value.atom], shape: result.type.shape, dtype: outDtype,
                    into: result)
                return
            }
            if axes.contains(r - 1) {
                let rest = axes.subtracting([r - 1])
                let remaining = Array(s.dropLast())
                let vector = try out.bind(
                    p, reduceParams([1]), [value.atom], shape: [rows(s)], dtype: outDtype,
                    into: rest.isEmpty && result.type.shape == [rows(s)] ? result : nil)
                if rest.isEmpty {
                    if result.type.shape != [rows(s)] { reshape(vector, to: result) }
                    return
                }
                let atom = try reshaped(vector, from: [rows(s)], to: stored(remaining), dtype: outDtype)
                try reduce(
                    p, Value(atom: atom, type: ArrayType(dtype: outDtype, shape: remaining)), axes: rest, into: result,
                    resultShape: resultShape)
                return
            }
            let kept = (0..<(r - 1)).filter { !axes.contains($0) }
            let reduced = axes.sorted()
            let (nK, nA, c) = (kept.map { s[$0] }.reduce(1, *), reduced.map { s[$0] }.reduce(1, *), s[r - 1])
            let leading = Array(s.dropLast())
            let picks = indices(kept.map { s[$0] } + reduced.map { s[$0] }).map { m in
                var source = [Int](repeating: 0, count: r - 1)
                for (k, a) in (kept + reduced).enumerated() { source[a] = m[k] }
                return (source: 0, row: linear(source, leading))
            }
            let grouped = try gather([(value.atom, rows(s))], picks: picks, columns: c, dtype: dtype)
            let final = result.type.shape == [nK, c] ? result : nil
            if nK == 1 {
                let v = try out.bind(
                    p, reduceParams([0]), [grouped], shape: [c], dtype: outDtype,
                    into: result.type.shape == [c] ? result : nil)
                if result.type.shape != [c] { reshape(v, to: result) }
                return
            }
            let flipped = try out.transpose(grouped, shape: [nK * nA, c], dtype: dtype)
            let blocks = try reshaped(flipped, from: [c, nK * nA], to: [c * nK, nA], dtype: dtype)
            let sums = try out.bind(p, reduceParams([1]), [blocks], shape: [c * nK], dtype: outDtype)
            let table = try reshaped(sums, from: [c * nK], to: [c, nK], dtype: outDtype)
            let back = try out.transpose(table, shape: [c, nK], dtype: outDtype, into: final)
            if final == nil { reshape(back, to: result) }
        }

        /// dot_general with any batch axes: each operand transposed to (batch, free, contracted) as
        /// a matrix, then per batch element one matrix product contracting both matrices' columns
        /// (rows: the free axes), the products stacked along 0 and reshaped to the result.
        mutating func dotGeneral(
            _ eqn: JaxprEquation, _ lhs: Value, _ rhs: Value, into result: JaxprBinder, resultShape: [Int]
        ) throws(ImportError) {
            let lists = ParameterText.integerLists(in: eqn.param("dimension_numbers")?.text ?? "")
            guard lists.count == 4, !lists[0].isEmpty, lists[0].count == lists[1].count,
                lists[2].count == lists[3].count
            else {
                throw ImportError(
                    .unsupportedShape, line: line,
                    "dot_general of values of rank 3 or more must contract at least one dimension, as many in each operand, found \(eqn.param("dimension_numbers")?.text ?? "none")"
                )
            }
            let (cl, cr, bl, br) = (lists[0], lists[1], lists[2], lists[3])
            let (sl, sr) = (lhs.shape, rhs.shape)
            guard (cl + cr + bl + br).allSatisfy({ $0 >= 0 }), cl.allSatisfy({ $0 < sl.count }),
                cr.allSatisfy({ $0 < sr.count }), zip(cl, cr).allSatisfy({ sl[$0] == sr[$1] }),
                Set(cl + bl).count == cl.count + bl.count, Set(cr + br).count == cr.count + br.count,
                bl.allSatisfy({ $0 < sl.count }), br.allSatisfy({ $0 < sr.count }),
                zip(bl, br).allSatisfy({ sl[$0] == sr[$1] })
            else {
                throw ImportError(
                    .shapeMismatch, line: line, "dot_general \(lists) of shapes \(sl) and \(sr)")
            }
            let freeL = (0..<sl.count).filter { !cl.contains($0) && !bl.contains($0) }
            let freeR = (0..<sr.count).filter { !cr.contains($0) && !br.contains($0) }
            let batch = bl.map { sl[$0] }.reduce(1, *)
            let (ml, mr, k) = (
                freeL.map { sl[$0] }.reduce(1, *), freeR.map { sr[$0] }.reduce(1, *), cl.map { sl[$0] }.reduce(1, *)
            )
            let expected: [Int] = bl.map { sl[$0] } + freeL.map { sl[$0] } + freeR.map { sr[$0] }
            guard resultShape == expected else {
                throw ImportError(
                    .shapeMismatch, line: line, "dot_general \(lists) of shapes \(sl) and \(sr) gives \(resultShape)")
            }
            let dtype = result.type.dtype
            let left = try matrixOrdered(lhs, bl + freeL + cl, columns: k)
            let right = try matrixOrdered(rhs, br + freeR + cr, columns: k)
            let precision = eqn.param("precision")?.text ?? "None"
            let preferred = eqn.param("preferred_element_type")?.text ?? "None"
            var blocks: [JaxprAtom] = []
            let single = batch == 1
            for b in 0..<batch {
                let l = single ? left : try rowsSlice(left, from: b * ml, count: ml, columns: k, dtype: lhs.type.dtype)
                let rr =
                    single ? right : try rowsSlice(right, from: b * mr, count: mr, columns: k, dtype: rhs.type.dtype)
                blocks.append(
                    try out.bind(
                        "dot_general",
                        [
                            ("dimension_numbers", "(([1], [1]), ([], []))"), ("precision", precision),
                            ("preferred_element_type", preferred),
                        ], [l, rr], shape: [ml, mr], dtype: dtype,
                        into: single && result.type.shape == [ml, mr] ? result : nil))
            }
            if single {
                if result.type.shape != [ml, mr] { reshape(blocks[0], to: result) }
                return
            }
            let stacked = [batch * ml, mr]
            let all = try out.concatenate(
                blocks, dimension: 0, shape: stacked, dtype: dtype, into: result.type.shape == stacked ? result : nil)
            if result.type.shape != stacked { reshape(all, to: result) }
        }

        /// `value` transposed to `order` as a matrix of `columns` columns (its last axes).
        private mutating func matrixOrdered(
            _ value: Value, _ order: [Int], columns: Int
        ) throws(ImportError)
            -> JaxprAtom
        {
            let s = value.shape
            let atom = s.count == 1 ? try matrix(value) : try transposed(value, order)
            let count = s.reduce(1, *)
            return try reshaped(
                atom, from: [count / s[order.last!], s[order.last!]], to: [count / columns, columns],
                dtype: value.type.dtype)
        }

        private mutating func rowsSlice(
            _ atom: JaxprAtom, from row: Int, count: Int, columns: Int, dtype: String
        )
            throws(ImportError) -> JaxprAtom
        {
            try out.slice(atom, start: [row, 0], limit: [row + count, columns], dtype: dtype)
        }

        /// slice: the leading axes by a row gather, the last on the matrix.
        mutating func slice(
            _ eqn: JaxprEquation, _ value: Value, into result: JaxprBinder, resultShape: [Int]
        ) throws(ImportError) {
            let s = value.shape, r = s.count, dtype = value.type.dtype
            let start = try EdgeRules.intList(eqn.param("start_indices")?.text, name: "start_indices", line: line)
            let limit = try EdgeRules.intList(eqn.param("limit_indices")?.text, name: "limit_indices", line: line)
            let stridesText = eqn.param("strides")?.text ?? "None"
            let strides =
                stridesText == "None" ? [Int](repeating: 1, count: r) : ParameterText.integers(in: stridesText)
            guard start.count == r, limit.count == r, strides.count == r, strides.allSatisfy({ $0 > 0 }),
                (0..<r).allSatisfy({ 0 <= start[$0] && start[$0] <= limit[$0] && limit[$0] <= s[$0] }),
                resultShape == (0..<r).map({ (limit[$0] - start[$0] + strides[$0] - 1) / strides[$0] })
            else {
                throw ImportError(.shapeMismatch, line: line, "'slice' of shape \(s) from \(start) to \(limit)")
            }
            let leading = Array(s.dropLast())
            let picks = indices(Array(resultShape.dropLast())).map { m in
                (source: 0, row: linear((0..<(r - 1)).map { start[$0] + m[$0] * strides[$0] }, leading))
            }
            let (c, last) = (s[r - 1], r - 1)
            let wholeRows = start[last] == 0 && limit[last] == c && strides[last] == 1
            let rowsPicked = try gather(
                [(value.atom, rows(s))], picks: picks, columns: c, dtype: dtype, into: wholeRows ? result : nil)
            if wholeRows { return }
            try out.slice(
                rowsPicked, start: [0, start[last]], limit: [picks.count, limit[last]],
                strides: strides[last] == 1 ? nil : [1, strides[last]], dtype: dtype, into: result)
        }

        /// conv_general_dilated of one batch element, one channel and one filter in one spatial
        /// dimension (jnp.convolve and jnp.correlate: shapes (1, 1, W) and (1, 1, K); every other
        /// convolution is ConvolutionExpansion's, written before this in the array's shapes), a
        /// cross-correlation: out[i] = Σ_k x[i·stride + k·dilation] · w[k] over x padded as given.
        /// Written as K strided slices of the padded row, each times its weight, summed.
        mutating func convolution(
            _ eqn: JaxprEquation, _ lhs: Value, _ rhs: Value, into result: JaxprBinder, resultShape: [Int]
        ) throws(ImportError) {
            func ints(_ key: String) throws(ImportError) -> [Int] {
                try EdgeRules.intList(eqn.param(key)?.text, name: key, line: line)
            }
            let numbers = ParameterText.integers(in: eqn.param("dimension_numbers")?.text ?? "")
            let (strides, padding) = (try ints("window_strides"), try ints("padding"))
            let (lhsDilation, rhsDilation) = (try ints("lhs_dilation"), try ints("rhs_dilation"))
            let groups = [eqn.param("feature_group_count")?.text, eqn.param("batch_group_count")?.text]
            guard lhs.shape.count == 3, rhs.shape.count == 3, lhs.shape[0] == 1, lhs.shape[1] == 1,
                rhs.shape[0] == 1, rhs.shape[1] == 1, numbers == [0, 1, 2, 0, 1, 2, 0, 1, 2],
                strides.count == 1, strides[0] > 0, padding.count == 2, padding.allSatisfy({ $0 >= 0 }),
                lhsDilation == [1], rhsDilation.count == 1, rhsDilation[0] > 0, groups == ["1", "1"]
            else {
                throw ImportError(
                    .unsupportedShape, line: line,
                    "'conv_general_dilated' of shapes \(lhs.shape) and \(rhs.shape): its parameters do not fit a one-channel convolution in one dimension (one stride, padding and dilation)"
                )
            }
            // Booleans combine by and and or, which products and sums of Doubles do not.
            guard let zero = ElementType.identity(of: "add", lhs.type.dtype), rhs.type.dtype != "bool" else {
                throw ImportError(
                    .unsupportedShape, line: line,
                    "'conv_general_dilated' of \(lhs.type.dtype) and \(rhs.type.dtype) values is not supported (booleans combine by and and or); convert the operands to a number type first"
                )
            }
            let (w, k, stride, dilation) = (lhs.shape[2], rhs.shape[2], strides[0], rhsDilation[0])
            let padded = w + padding[0] + padding[1]
            let span = dilation * (k - 1) + 1
            let width = padded >= span ? (padded - span) / stride + 1 : 0
            guard width > 0, resultShape == [1, 1, width] else {
                throw ImportError(
                    .shapeMismatch, line: line,
                    "'conv_general_dilated' of shapes \(lhs.shape) and \(rhs.shape) gives \(resultShape), not [1, 1, \(width)]"
                )
            }
            let dtype = result.type.dtype
            var row = lhs.atom
            if padding != [0, 0] {
                row = try out.pad(
                    lhs.atom, with: out.literal(zero), config: [(0, 0, 0), (padding[0], padding[1], 0)],
                    shape: [1, padded], dtype: dtype)
            }
            var total: JaxprAtom? = nil
            for j in 0..<k {
                let start = j * dilation
                let window = try out.slice(
                    row, start: [0, start], limit: [1, start + (width - 1) * stride + 1],
                    strides: stride == 1 ? nil : [1, stride], dtype: dtype)
                let weight = try out.slice(rhs.atom, start: [0, j], limit: [1, j + 1], dtype: dtype)
                let last = j == k - 1
                let term = try out.bind(
                    "mul", [], [window, weight], shape: [1, width], dtype: dtype,
                    into: last && total == nil ? result : nil)
                total =
                    total == nil
                    ? term
                    : try out.bind(
                        "add", [], [total!, term], shape: [1, width], dtype: dtype, into: last ? result : nil)
            }
        }

        /// rev: reversed leading axes by a row gather, the last axis on the matrix.
        mutating func reverse(_ value: Value, dimensions: Set<Int>, into result: JaxprBinder) throws(ImportError) {
            let s = value.shape, r = s.count
            let leading = Array(s.dropLast())
            let picks = indices(leading).map { m in
                (source: 0, row: linear(m.enumerated().map { dimensions.contains($0) ? s[$0] - 1 - $1 : $1 }, leading))
            }
            let last = dimensions.contains(r - 1)
            let rows = try gather(
                [(value.atom, rows(s))], picks: picks, columns: s[r - 1], dtype: value.type.dtype,
                into: last ? nil : result)
            if last {
                try out.bind(
                    "rev", [("dimensions", "(1,)")], [rows], shape: result.type.shape, dtype: value.type.dtype,
                    into: result)
            }
        }

        /// cumsum along `axis`: on the matrix when it is the last axis, else with the axis moved
        /// last (a transpose), summed along the matrix's columns, and moved back.
        mutating func cumulativeSum(
            _ value: Value, axis: Int, reverse: String, into result: JaxprBinder
        )
            throws(ImportError)
        {
            let s = value.shape, r = s.count, dtype = value.type.dtype
            let params = [("axis", "1"), ("reverse", reverse)]
            if axis == r - 1 {
                try out.bind("cumsum", params, [value.atom], shape: result.type.shape, dtype: dtype, into: result)
                return
            }
            let perm = (0..<r).filter { $0 != axis } + [axis]
            let moved = perm.map { s[$0] }
            let matrix = try transposed(value, perm)
            let summed = try out.bind("cumsum", params, [matrix], shape: [rows(moved), s[axis]], dtype: dtype)
            var inverse = [Int](repeating: 0, count: r)
            for (k, a) in perm.enumerated() { inverse[a] = k }
            _ = try transposed(
                Value(atom: summed, type: ArrayType(dtype: dtype, shape: moved)), inverse, into: result)
        }

        /// pad: the last axis padded on the matrix (low, high and interior as given), then the rows
        /// gathered from it and from one row of the padding value (leading axes' padding; negative
        /// padding crops).
        mutating func pad(
            _ eqn: JaxprEquation, _ value: Value, _ padding: Value, into result: JaxprBinder, resultShape: [Int]
        ) throws(ImportError) {
            let s = value.shape, r = s.count, dtype = value.type.dtype
            let config = ParameterText.integers(in: eqn.param("padding_config")?.text ?? "")
            guard config.count == 3 * r, padding.shape.isEmpty else {
                throw ImportError(
                    .shapeMismatch, line: line,
                    "'pad' by \(config) of shape \(s) needs a (low, high, interior) per axis and a scalar")
            }
            let low: [Int] = (0..<r).map { config[3 * $0] }
            let high: [Int] = (0..<r).map { config[3 * $0 + 1] }
            let interior: [Int] = (0..<r).map { config[3 * $0 + 2] }
            var padded: [Int] = []
            for a in 0..<r { padded.append(low[a] + high[a] + s[a] + max(s[a] - 1, 0) * interior[a]) }
            guard interior.allSatisfy({ $0 >= 0 }), padded == resultShape, padded.allSatisfy({ $0 > 0 }) else {
                throw ImportError(
                    .shapeMismatch, line: line, "'pad' by \(config) does not take \(s) to \(resultShape)")
            }
            let c = padded[r - 1]
            let rowCount = rows(s)
            var matrix = value.atom
            if low[r - 1] != 0 || high[r - 1] != 0 || interior[r - 1] != 0 {
                matrix = try out.pad(
                    value.atom, with: padding.atom, config: [(0, 0, 0), (low[r - 1], high[r - 1], interior[r - 1])],
                    shape: [rowCount, c], dtype: dtype)
            }
            let filler = try out.broadcast(padding.atom, dimensions: [], shape: [1, c], dtype: dtype)
            let leading = Array(s.dropLast())
            let picks = indices(Array(padded.dropLast())).map { m -> (source: Int, row: Int) in
                var source: [Int] = []
                for (a, p) in m.enumerated() {
                    let t = p - low[a]
                    guard t >= 0, t % (interior[a] + 1) == 0, t / (interior[a] + 1) < s[a] else { return (1, 0) }
                    source.append(t / (interior[a] + 1))
                }
                return (0, linear(source, leading))
            }
            _ = try gather([(matrix, rowCount), (filler, 1)], picks: picks, columns: c, dtype: dtype, into: result)
        }

        /// dynamic_slice at run-time starts: each row of the window a matrix `dynamic_slice` of one
        /// row at its row of the stored matrix (`WindowRows`) and the last start (which the matrix
        /// slice clamps itself), the rows concatenated.
        mutating func dynamicSlice(
            _ eqn: JaxprEquation, _ value: Value, starts: [Value], into result: JaxprBinder, resultShape: [Int]
        ) throws(ImportError) {
            let s = value.shape, r = s.count, dtype = value.type.dtype
            let sizes = ParameterText.integers(in: eqn.param("slice_sizes")?.text ?? "")
            guard starts.count == r, sizes.count == r, resultShape == sizes,
                (0..<r).allSatisfy({ sizes[$0] >= 1 && sizes[$0] <= s[$0] }), starts.allSatisfy({ $0.shape.isEmpty })
            else {
                throw ImportError(
                    .shapeMismatch, line: line,
                    "'dynamic_slice' of shape \(s) by slice_sizes \(sizes) at \(starts.count) scalar starts gives \(resultShape)"
                )
            }
            let rows = try WindowRows(shape: s, window: sizes, starts: starts, out: &out)
            var pieces: [JaxprAtom] = []
            for offset in indices(Array(sizes.dropLast())) {
                let row = try rows.row(offset, out: &out)
                pieces.append(
                    try out.dynamicSlice(
                        value.atom, starts: [row, starts[r - 1].atom], sizes: [1, sizes[r - 1]], dtype: dtype,
                        into: sizes.dropLast().allSatisfy({ $0 == 1 }) ? result : nil))
            }
            if pieces.count > 1 {
                try out.concatenate(pieces, dimension: 0, shape: result.type.shape, dtype: dtype, into: result)
            }
        }

        /// dynamic_update_slice at run-time starts (`lax.dynamic_update_slice` of a rank-3 cache,
        /// `x.at[i, :, k].set(v)`): the update's rows written one after the other, each a matrix
        /// `dynamic_update_slice` of that row (a `slice` of the update's matrix) at its row of the
        /// stored matrix (`WindowRows`, the rows `dynamicSlice` reads) and the last start (which the
        /// matrix write clamps itself). The windows' rows are distinct, so the order of the writes
        /// does not matter.
        mutating func dynamicUpdateSlice(
            _ value: Value, _ update: Value, starts: [Value], into result: JaxprBinder
        ) throws(ImportError) {
            let s = value.shape, r = s.count, window = update.shape, dtype = result.type.dtype
            guard window.count == r, starts.count == r, (0..<r).allSatisfy({ window[$0] <= s[$0] }),
                starts.allSatisfy({ $0.shape.isEmpty })
            else {
                throw ImportError(
                    .shapeMismatch, line: line,
                    "'dynamic_update_slice' of shape \(s) by an update of shape \(window) at \(starts.count) scalar starts"
                )
            }
            let rows = try WindowRows(shape: s, window: window, starts: starts, out: &out)
            let updateRows = try matrix(update), c = window[r - 1]
            var current = value.atom
            let offsets = indices(Array(window.dropLast()))
            for (k, offset) in offsets.enumerated() {
                let row = try rows.row(offset, out: &out)
                let piece = try rowsSlice(updateRows, from: k, count: 1, columns: c, dtype: dtype)
                current = try out.bind(
                    "dynamic_update_slice", [], [current, piece, row, starts[r - 1].atom], shape: result.type.shape,
                    dtype: dtype, into: k == offsets.count - 1 ? result : nil)
            }
        }

        /// The stored row of each row of a window of shape `window` at run-time `starts` in a value
        /// of shape `shape`: Σ (clamped start + offset)·stride over the leading axes, each start
        /// clamped to [0, shape − window] as XLA clamps it (`clamp`; a literal start clamped here),
        /// in integer `mul` and `add`.
        struct WindowRows {
            /// The literal starts' part of the row.
            var constant = 0
            /// The run-time starts' part, nil when every leading start is a literal.
            var base: JaxprAtom?
            /// The integer dtype the terms are added in (lax.add takes operands of one dtype).
            var index: String
            let leading: [Int]

            init(
                shape s: [Int], window: [Int], starts: [Value], out: inout EquationWriter<ImportError>
            )
                throws(ImportError)
            {
                let r = s.count
                index = starts.first { !($0.type.dtype.hasPrefix("f")) }?.type.dtype ?? "int32"
                leading = Array(s.dropLast())
                var step = 1
                for a in stride(from: r - 2, through: 0, by: -1) {
                    defer { step *= s[a] }
                    let high = s[a] - window[a]
                    if case .literal(let text, _, _) = starts[a].atom, let v = Double(text) {
                        constant += min(max(Int(v), 0), high) * step
                        continue
                    }
                    var term = try out.bind(
                        "clamp", [], [out.literal("0"), starts[a].atom, out.literal("\(high)")], shape: [],
                        dtype: starts[a].type.dtype)
                    if step != 1 {
                        term = try out.bind(
                            "mul", [], [term, out.literal("\(step)")], shape: [], dtype: starts[a].type.dtype)
                    }
                    if starts[a].type.dtype != index {
                        term = try out.bind(
                            "convert_element_type",
                            [("new_dtype", ElementType.name(index)), ("weak_type", "False")], [term],
                            shape: [], dtype: index)
                    }
                    let index = index
                    base =
                        try base.map { b throws(ImportError) in
                            try out.bind("add", [], [b, term], shape: [], dtype: index)
                        }
                        ?? term
                }
            }

            /// The stored row of the window's row at `offset` (its leading axes).
            func row(_ offset: [Int], out: inout EquationWriter<ImportError>) throws(ImportError) -> JaxprAtom {
                let shift = constant + linear(offset, leading)
                guard let base else { return out.literal("\(shift)") }
                return shift == 0
                    ? base : try out.bind("add", [], [base, out.literal("\(shift)")], shape: [], dtype: index)
            }
        }

        /// iota along `dimension`: along the last axis a matrix iota along 1; along a leading one, a
        /// matrix iota along 0 (row k all k) whose rows are gathered by that axis' position.
        mutating func iota(dimension d: Int, shape: [Int], into result: JaxprBinder) throws(ImportError) {
            let (r, c, dtype) = (shape.count, shape.last!, result.type.dtype)
            if d == r - 1 {
                try out.iota(dimension: 1, shape: result.type.shape, dtype: dtype, into: result)
                return
            }
            let table = try out.iota(dimension: 0, shape: [shape[d], c], dtype: dtype)
            let picks = indices(Array(shape.dropLast())).map { (source: 0, row: $0[d]) }
            _ = try gather([(table, shape[d])], picks: picks, columns: c, dtype: dtype, into: result)
        }

        /// concatenate: along the last axis the matrices side by side; along another, a row gather
        /// over all operands.
        mutating func concatenate(
            _ values: [Value], dimension d: Int, into result: JaxprBinder, resultShape: [Int]
        ) throws(ImportError) {
            let r = resultShape.count
            guard values.allSatisfy({ $0.shape.count == r }) else {
                throw ImportError(.shapeMismatch, line: line, "'concatenate' of operands of different ranks")
            }
            var matrices: [JaxprAtom] = []
            for v in values { matrices.append(try matrix(v)) }
            let dtype = result.type.dtype
            if d == r - 1 {
                try out.concatenate(matrices, dimension: 1, shape: result.type.shape, dtype: dtype, into: result)
                return
            }
            var offsets: [Int] = []
            var total = 0
            for v in values {
                offsets.append(total)
                total += v.shape[d]
            }
            let picks = indices(Array(resultShape.dropLast())).map { m -> (source: Int, row: Int) in
                let i = offsets.lastIndex { $0 <= m[d] }!
                var index = m
                index[d] -= offsets[i]
                return (source: i, row: linear(index, Array(values[i].shape.dropLast())))
            }
            _ = try gather(
                zip(matrices, values).map { ($0, rows($1.shape)) }, picks: picks, columns: resultShape[r - 1],
                dtype: dtype, into: result)
        }
    }
}
