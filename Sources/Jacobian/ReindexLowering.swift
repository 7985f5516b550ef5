/// Primitives that only move elements: every result element is some operand element. The result's
/// rows are aliases of the operand's rows (no copy) and the partial is a 0/1 pattern of constant
/// ones, so eliminating through them costs no multiplication.
enum ReindexLowering {
    static func lower(_ c: EquationContext, builder: inout TapeBuilder) throws(JacobianError) -> LoweredEquation {
        switch c.equation.primitive {
        case "reshape":
            if let dims = try c.parameters.ints("dimensions"), dims != Array(0..<dims.count) {
                throw c.unsupported("reshape with dimensions=\(dims) (a transposing reshape) is not supported")
            }
            return try sameOrder(c)
        case "squeeze", "copy", "copy_p": return try sameOrder(c)
        case "transpose": return try transpose(c)
        case "broadcast_in_dim": return try broadcastInDim(c)
        case "slice": return try slice(c)
        case "dynamic_slice": return try dynamicSlice(c, builder: &builder)
        case "dynamic_update_slice": return try dynamicUpdateSlice(c, builder: &builder)
        case "concatenate": return try concatenate(c)
        case "rev": return try reverse(c)
        case "sort": return try sort(c, builder: &builder)
        case "pad": return try pad(c)
        default:
            throw c.unsupported("the interpreter does not know the primitive '\(c.equation.primitive)'")
        }
    }

    static func identity(_ rows: [Int32]) -> LoweredEquation {
        var block = SparseBlock(rows: rows.count, cols: rows.count)
        for e in 0..<rows.count { block[e, e] = .constant(1) }
        return LoweredEquation(rows: rows, partials: [(0, block)])
    }

    /// Builds an equation whose result element e is element `source(e).element` of operand
    /// `source(e).operand` (nil: an element no operand provides, which JAX never produces here).
    static func gather(
        _ c: EquationContext, operands: [Int], _ source: (Int) -> (operand: Int, element: Int)
    ) -> LoweredEquation {
        var blocks = operands.map { SparseBlock(rows: c.resultCount, cols: c.operandRows[$0].count) }
        var rows: [Int32] = []
        rows.reserveCapacity(c.resultCount)
        for e in 0..<c.resultCount {
            let s = source(e)
            rows.append(c.operandRows[s.operand][s.element])
            if let k = operands.firstIndex(of: s.operand) { blocks[k][e, s.element] = .constant(1) }
        }
        return LoweredEquation(rows: rows, partials: zip(operands, blocks).map { ($0, $1) })
    }

    /// reshape, squeeze, copy: the same elements in the same row-major order.
    static func sameOrder(_ c: EquationContext) throws(JacobianError) -> LoweredEquation {
        try c.requireOperands(1)
        guard c.operandRows[0].count == c.resultCount else {
            throw c.malformed("operand has \(c.operandRows[0].count) elements, result \(c.resultCount)")
        }
        return identity(c.operandRows[0])
    }

    static func transpose(_ c: EquationContext) throws(JacobianError) -> LoweredEquation {
        try c.requireOperands(1)
        let shape = c.operandShapes[0]
        let perm = try c.parameters.requiredInts("permutation")
        guard perm.sorted() == Array(0..<shape.count), perm.map({ shape[$0] }) == c.resultShape else {
            throw c.malformed("permutation \(perm) does not take \(shape) to \(c.resultShape)")
        }
        return gather(c, operands: [0]) { e in
            let o = Shape.index(e, c.resultShape)
            var j = [Int](repeating: 0, count: shape.count)
            for (k, p) in perm.enumerated() { j[p] = o[k] }
            return (0, Shape.flat(j, shape))
        }
    }

    /// Newer JAX omits `shape=`; the result type always has it.
    static func broadcastInDim(_ c: EquationContext) throws(JacobianError) -> LoweredEquation {
        try c.requireOperands(1)
        let shape = c.operandShapes[0]
        let dims = try c.parameters.ints("broadcast_dimensions") ?? []
        guard dims.count == shape.count,
            zip(shape, dims).allSatisfy({ $1 >= 0 && $1 < c.resultShape.count && ($0 == 1 || $0 == c.resultShape[$1]) })
        else {
            throw c.malformed("broadcast_dimensions \(dims) do not take \(shape) to \(c.resultShape)")
        }
        return gather(c, operands: [0]) { e in
            let o = Shape.index(e, c.resultShape)
            let j = (0..<shape.count).map { shape[$0] == 1 ? 0 : o[dims[$0]] }
            return (0, Shape.flat(j, shape))
        }
    }

    static func slice(_ c: EquationContext) throws(JacobianError) -> LoweredEquation {
        try c.requireOperands(1)
        let shape = c.operandShapes[0]
        let start = try c.parameters.requiredInts("start_indices")
        let strides = try c.parameters.ints("strides") ?? [Int](repeating: 1, count: shape.count)
        func fits(_ d: Int) -> Bool {
            let last: Int = start[d] + (c.resultShape[d] - 1) * strides[d]
            return start[d] >= 0 && strides[d] >= 1 && (c.resultShape[d] == 0 || last < shape[d])
        }
        guard start.count == shape.count, strides.count == shape.count, c.resultShape.count == shape.count,
            (0..<shape.count).allSatisfy(fits)
        else {
            throw c.malformed("start_indices \(start), strides \(strides) do not cut \(c.resultShape) out of \(shape)")
        }
        return gather(c, operands: [0]) { e in
            let o = Shape.index(e, c.resultShape)
            return (0, Shape.flat((0..<shape.count).map { start[$0] + o[$0] * strides[$0] }, shape))
        }
    }

    /// dynamic_slice. Start indices are clamped so the slice fits, as XLA does. Known when compiling
    /// (literals, or values computed only from literals), the slice is a re-indexing; computed at
    /// run time (`x[jnp.argmax(x)]`), each result element is a selection among the elements every
    /// possible start would give, and its partial is 1 at the one the start picks (JAX's rule).
    static func dynamicSlice(_ c: EquationContext, builder: inout TapeBuilder) throws(JacobianError) -> LoweredEquation
    {
        let shape = c.operandShapes[0]
        try c.requireOperands(1 + shape.count)
        let size = c.resultShape
        guard size.count == shape.count, zip(size, shape).allSatisfy({ $0 <= $1 }) else {
            throw c.malformed("cannot cut \(size) out of \(shape)")
        }
        let combinations = try startCombinations(
            c, firstStart: 1, last: (0..<shape.count).map { shape[$0] - size[$0] }, builder: &builder)
        if combinations.count == 1 {
            let start = combinations[0].start
            return gather(c, operands: [0]) { e in
                let o = Shape.index(e, size)
                return (0, Shape.flat((0..<shape.count).map { start[$0] + o[$0] }, shape))
            }
        }
        var rows: [Int32] = []
        var block = SparseBlock(rows: c.resultCount, cols: c.operandRows[0].count)
        for e in 0..<c.resultCount {
            let o = Shape.index(e, size)
            var value: Int32?
            for combination in combinations {
                let element = Shape.flat((0..<shape.count).map { combination.start[$0] + o[$0] }, shape)
                let source = c.operandRows[0][element]
                // Every combination has a pick here: at least one dimension's start is run-time.
                let pick = combination.pick!
                value = value.map { builder.select(pick, onFalse: $0, onTrue: source) } ?? source
                block[e, element] = builder.val(pick)
            }
            rows.append(value!)
        }
        return LoweredEquation(rows: rows, partials: [(0, block)])
    }

    /// dynamic_update_slice: the update written into the operand at start indices clamped so it
    /// fits, as XLA does. Known when compiling, a re-indexing; computed at run time
    /// (`lax.dynamic_update_slice(x, v, (i,))` with a traced i, and x.at[i].set(v), ConstantIndexing),
    /// each result element selects among the update elements every possible start would put there
    /// and the operand's own, with partial 1 at the one the start picks (JAX's rule).
    static func dynamicUpdateSlice(
        _ c: EquationContext, builder: inout TapeBuilder
    ) throws(JacobianError) -> LoweredEquation {
        let shape = c.operandShapes[0]
        try c.requireOperands(2 + shape.count)
        let update = c.operandShapes[1]
        guard shape == c.resultShape, update.count == shape.count, zip(update, shape).allSatisfy({ $0 <= $1 }) else {
            throw c.malformed("cannot place \(update) into \(shape)")
        }
        let combinations = try startCombinations(
            c, firstStart: 2, last: (0..<shape.count).map { shape[$0] - update[$0] }, builder: &builder)
        func covering(_ start: [Int], _ e: Int) -> Int? {
            let o = Shape.index(e, shape)
            let u = (0..<shape.count).map { o[$0] - start[$0] }
            return zip(u, update).allSatisfy({ $0 >= 0 && $0 < $1 }) ? Shape.flat(u, update) : nil
        }
        if combinations.count == 1 {
            let start = combinations[0].start
            return gather(c, operands: [0, 1]) { e in covering(start, e).map { (1, $0) } ?? (0, e) }
        }
        let (x, u) = (c.operandRows[0], c.operandRows[1])
        var rows: [Int32] = []
        var own = SparseBlock(rows: x.count, cols: x.count)
        var written = SparseBlock(rows: x.count, cols: u.count)
        for e in 0..<x.count {
            var value = x[e]
            var covered: Int32?
            for combination in combinations {
                guard let k = covering(combination.start, e) else { continue }
                // Every combination has a pick here: at least one dimension's start is run-time.
                let pick = combination.pick!
                value = builder.select(pick, onFalse: value, onTrue: u[k])
                written[e, k] = builder.val(pick)
                covered = covered.map { builder.binary(.or, $0, pick) } ?? pick
            }
            rows.append(value)
            own[e, e] = covered.map { builder.val(builder.unary(.logicalNot, $0)) } ?? .constant(1)
        }
        return LoweredEquation(rows: rows, partials: [(0, own), (1, written)])
    }

    /// Every start a dynamic_slice or dynamic_update_slice may have: per dimension d, the start
    /// operand `firstStart + d` clamped to [0, last[d]], with the row that is 1 where the start is
    /// that one; a start known when compiling has one option and no row (pick nil). Combined over
    /// the dimensions (picks and-ed), in row-major order of the starts.
    static func startCombinations(
        _ c: EquationContext, firstStart: Int, last: [Int], builder: inout TapeBuilder
    ) throws(JacobianError) -> [(start: [Int], pick: Int32?)] {
        var candidates: [[(start: Int, pick: Int32?)]] = []
        for d in last.indices {
            if let start = try knownStart(c, operand: firstStart + d, last: last[d], builder: builder) {
                candidates.append([(start, nil)])
            } else {
                let clamped = builder.binary(
                    .min, builder.binary(.max, c.operandRows[firstStart + d][0], builder.constantRow(0)),
                    builder.constantRow(Double(last[d])))
                candidates.append(
                    (0...last[d]).map { p in (p, builder.binary(.eq, clamped, builder.constantRow(Double(p)))) })
            }
        }
        var combinations: [(start: [Int], pick: Int32?)] = [([], nil)]
        for options in candidates {
            combinations = combinations.flatMap { combination in
                options.map { option -> (start: [Int], pick: Int32?) in
                    let pick: Int32? =
                        switch (combination.pick, option.pick) {
                        case (nil, let p), (let p, nil): p
                        case (let a?, let b?): builder.binary(.and, a, b)
                        }
                    return (combination.start + [option.start], pick)
                }
            }
        }
        return combinations
    }

    static func concatenate(_ c: EquationContext) throws(JacobianError) -> LoweredEquation {
        try c.requireOperands(1)
        let axis = try c.parameters.int("dimension")
        let shape = c.resultShape
        guard axis >= 0, axis < shape.count else {
            throw c.malformed("dimension \(axis) outside a result of rank \(shape.count)")
        }
        var offsets: [Int] = []
        var total = 0
        for s in c.operandShapes {
            guard s.count == shape.count, (0..<shape.count).allSatisfy({ $0 == axis || s[$0] == shape[$0] }) else {
                throw c.malformed("operand of shape \(s) does not fit a concatenation into \(shape)")
            }
            offsets.append(total)
            total += s[axis]
        }
        guard total == shape[axis] else {
            throw c.malformed("operands add up to \(total) along dimension \(axis), the result has \(shape[axis])")
        }
        return gather(c, operands: Array(0..<c.operandRows.count)) { e in
            var o = Shape.index(e, shape)
            let k = (0..<offsets.count).last {
                offsets[$0] <= o[axis] && o[axis] < offsets[$0] + c.operandShapes[$0][axis]
            }!
            o[axis] -= offsets[k]
            return (k, Shape.flat(o, c.operandShapes[k]))
        }
    }

    /// The longest run `sort` orders: its tape grows with the square of the length.
    static let maxSortLength = 512

    /// sort (jnp.sort) of one operand along `dimension`, stable, NaNs last, as JAX orders floats.
    /// Which element lands where depends on the values, so it is computed per sample: an element's
    /// position is the number of elements of its run that go before it (smaller, or equal and
    /// earlier), each result element a selection of the element at that position, its partial 1
    /// there (JAX's rule: the derivative follows the permutation).
    static func sort(_ c: EquationContext, builder: inout TapeBuilder) throws(JacobianError) -> LoweredEquation {
        try c.requireOperands(1)
        guard c.operandRows.count <= 2 else { throw c.malformed("sorts one operand, or one by keys") }
        let shape = c.operandShapes[0]
        let axis = try c.parameters.int("dimension")
        guard axis >= 0, axis < shape.count, shape == c.resultShape, c.operandShapes.last == shape else {
            throw c.malformed("dimension \(axis) does not sort \(c.operandShapes.last ?? shape) into \(c.resultShape)")
        }
        let n = shape[axis]
        guard n <= maxSortLength else {
            throw c.unsupported(
                "runs of \(n) elements (the interpreter sorts at most \(maxSortLength): its work grows with the square)"
            )
        }
        // The keys order the runs; the last operand (the keys themselves, or what they order) is
        // what the result holds.
        let x = c.operandRows[0]
        let payload = c.operandRows[c.operandRows.count - 1]
        var rows = [Int32](repeating: 0, count: x.count)
        var block = SparseBlock(rows: x.count, cols: x.count)
        // a < b in JAX's order for floats: NaN after every number.
        func less(_ a: Int32, _ b: Int32) -> Int32 {
            let aIsNumber = builder.binary(.eq, a, a)
            let bIsNaN = builder.binary(.ne, b, b)
            return builder.binary(.or, builder.binary(.lt, a, b), builder.binary(.and, bIsNaN, aIsNumber))
        }
        for first in 0..<x.count where Shape.index(first, shape)[axis] == 0 {
            let run = (0..<n).map { k in
                var index = Shape.index(first, shape)
                index[axis] = k
                return Shape.flat(index, shape)
            }
            // position[j]: how many of the run go before element j.
            var position: [Int32] = []
            for j in 0..<n {
                var before: [Summand] = []
                for k in 0..<n where k != j {
                    // An earlier equal element goes first (stable): k < j goes before unless j < k.
                    let goes =
                        k < j
                        ? builder.unary(.logicalNot, less(x[run[j]], x[run[k]])) : less(x[run[k]], x[run[j]])
                    before.append(Summand(.row(goes)))
                }
                position.append(builder.row(for: builder.combine(before) ?? .constant(0)))
            }
            for i in 0..<n {
                var value: Int32?
                for j in 0..<n {
                    let pick = builder.binary(.eq, position[j], builder.constantRow(Double(i)))
                    value = value.map { builder.select(pick, onFalse: $0, onTrue: payload[run[j]]) } ?? payload[run[j]]
                    block[run[i], run[j]] = builder.val(pick)
                }
                rows[run[i]] = value!
            }
        }
        return LoweredEquation(rows: rows, partials: [(c.operandRows.count - 1, block)])
    }

    /// rev (jnp.flip): the operand read backwards along `dimensions`.
    static func reverse(_ c: EquationContext) throws(JacobianError) -> LoweredEquation {
        try c.requireOperands(1)
        let shape = c.operandShapes[0]
        let dims = try c.parameters.requiredInts("dimensions")
        guard shape == c.resultShape, dims.allSatisfy({ $0 >= 0 && $0 < shape.count }) else {
            throw c.malformed("dimensions \(dims) do not reverse \(shape) into \(c.resultShape)")
        }
        return gather(c, operands: [0]) { e in
            var o = Shape.index(e, shape)
            for d in dims { o[d] = shape[d] - 1 - o[d] }
            return (0, Shape.flat(o, shape))
        }
    }

    /// pad(operand, value) with `padding_config` (low, high, interior) per dimension, as lax.pad:
    /// `interior` copies of the value between neighbours, `low`/`high` before and after (negative
    /// ones crop). Every other result element is the value operand's single element.
    static func pad(_ c: EquationContext) throws(JacobianError) -> LoweredEquation {
        try c.requireOperands(2)
        let shape = c.operandShapes[0]
        let config = try c.parameters.requiredInts("padding_config")
        guard config.count == 3 * shape.count, c.operandRows[1].count == 1 else {
            throw c.malformed("padding_config \(config) for an operand of shape \(shape) and a scalar value")
        }
        let (low, high, interior) = (
            (0..<shape.count).map { config[3 * $0] }, (0..<shape.count).map { config[3 * $0 + 1] },
            (0..<shape.count).map { config[3 * $0 + 2] }
        )
        let padded = (0..<shape.count).map { (d: Int) -> Int in
            let gaps: Int = max(shape[d] - 1, 0) * interior[d]
            return low[d] + high[d] + shape[d] + gaps
        }
        guard interior.allSatisfy({ $0 >= 0 }), padded == c.resultShape else {
            throw c.malformed("padding_config \(config) does not take \(shape) to \(c.resultShape)")
        }
        return gather(c, operands: [0, 1]) { e in
            let o = Shape.index(e, c.resultShape)
            var j: [Int] = []
            for d in 0..<shape.count {
                // Position in the operand with its interior padding, then the element, if any.
                let t = o[d] - low[d]
                guard t >= 0, t % (interior[d] + 1) == 0, t / (interior[d] + 1) < shape[d] else { return (1, 0) }
                j.append(t / (interior[d] + 1))
            }
            return (0, Shape.flat(j, shape))
        }
    }

    /// The value passes through; there is no partial (the graph has no in-edge here).
    static func stopGradient(_ c: EquationContext, builder: inout TapeBuilder) throws(JacobianError) -> LoweredEquation
    {
        try c.requireOperands(1)
        guard c.operandRows[0].count == c.resultCount else { throw c.malformed("operand and result sizes differ") }
        if c.options.holdStopGradientAtFirstSample {
            return LoweredEquation(rows: c.operandRows[0].map { builder.holdFirstSample($0) })
        }
        return LoweredEquation(rows: c.operandRows[0])
    }

    static func iota(_ c: EquationContext, builder: inout TapeBuilder) throws(JacobianError) -> LoweredEquation {
        let axis = try c.parameters.int("dimension")
        guard axis >= 0, axis < c.resultShape.count else {
            throw c.malformed("dimension \(axis) outside the result's rank")
        }
        let rows = (0..<c.resultCount).map { builder.constantRow(Double(Shape.index($0, c.resultShape)[axis])) }
        return LoweredEquation(rows: rows)
    }

    /// A start index operand known when compiling (a literal, or computed only from literals),
    /// clamped to [0, last] as XLA does; nil when it is computed at run time.
    static func knownStart(
        _ c: EquationContext, operand k: Int, last: Int, builder: TapeBuilder
    ) throws(JacobianError) -> Int? {
        let row = c.operandRows[k]
        guard row.count == 1 else { throw c.malformed("start index operand \(k + 1) is not a scalar") }
        guard let v = builder.constant(ofRow: row[0]) else { return nil }
        guard v.isFinite else { throw c.malformed("start index operand \(k + 1) is \(v)") }
        return min(max(Int(v), 0), last)
    }
}
