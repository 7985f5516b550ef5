/// Primitives that sum or pick over an index: dot_general, reduce_sum, reduce_max/min. Their
/// partials are the Kronecker structure itself: ∂(A·B)/∂A holds one entry per (result element,
/// contracted index) whose value is B's element row (no copy), a reduction holds constant ones.
enum ContractionLowering {
    static func dotGeneral(_ c: EquationContext, builder: inout TapeBuilder) throws(JacobianError) -> LoweredEquation {
        try c.requireOperands(2)
        let lists = try c.parameters.lists("dimension_numbers")
        guard lists.count == 4 else {
            throw c.malformed("cannot read dimension_numbers '\(c.equation.param("dimension_numbers") ?? "")'")
        }
        let (lc, rc, lb, rb) = (lists[0], lists[1], lists[2], lists[3])
        let ls = c.operandShapes[0], rs = c.operandShapes[1]
        guard lc.count == rc.count, lb.count == rb.count,
            (lc + lb).allSatisfy({ $0 >= 0 && $0 < ls.count }), (rc + rb).allSatisfy({ $0 >= 0 && $0 < rs.count }),
            zip(lc, rc).allSatisfy({ ls[$0] == rs[$1] }), zip(lb, rb).allSatisfy({ ls[$0] == rs[$1] })
        else {
            throw c.malformed("dimension_numbers \(lists) do not fit operand shapes \(ls) and \(rs)")
        }
        let lFree = (0..<ls.count).filter { !lc.contains($0) && !lb.contains($0) }
        let rFree = (0..<rs.count).filter { !rc.contains($0) && !rb.contains($0) }
        // JAX's result layout: batch dimensions, then the lhs's free ones, then the rhs's.
        let expected = lb.map { ls[$0] } + lFree.map { ls[$0] } + rFree.map { rs[$0] }
        guard Shape.count(expected) == c.resultCount else {
            throw c.malformed("the product has shape \(expected), the result type says \(c.resultShape)")
        }
        let contracted = lc.map { ls[$0] }
        let kCount = Shape.count(contracted)
        let l = c.operandRows[0], r = c.operandRows[1]
        var rows: [Int32] = []
        var dl = SparseBlock(rows: c.resultCount, cols: l.count)
        var dr = SparseBlock(rows: c.resultCount, cols: r.count)
        for e in 0..<c.resultCount {
            let o = Shape.index(e, expected)
            var li = [Int](repeating: 0, count: ls.count), ri = [Int](repeating: 0, count: rs.count)
            for (i, (a, b)) in zip(lb, rb).enumerated() { li[a] = o[i]; ri[b] = o[i] }
            for (i, d) in lFree.enumerated() { li[d] = o[lb.count + i] }
            for (i, d) in rFree.enumerated() { ri[d] = o[lb.count + lFree.count + i] }
            var summands: [Summand] = []
            for k in 0..<kCount {
                let kk = Shape.index(k, contracted)
                for (i, (a, b)) in zip(lc, rc).enumerated() { li[a] = kk[i]; ri[b] = kk[i] }
                let lf = Shape.flat(li, ls), rf = Shape.flat(ri, rs)
                summands.append(Summand.product(builder.val(l[lf]), builder.val(r[rf])))
                dl[e, lf] = builder.val(r[rf])
                dr[e, rf] = builder.val(l[lf])
            }
            rows.append(builder.row(for: builder.combine(summands) ?? .constant(0)))
        }
        return LoweredEquation(rows: rows, partials: [(0, dl), (1, dr)])
    }

    static func reduceSum(_ c: EquationContext, builder: inout TapeBuilder) throws(JacobianError) -> LoweredEquation {
        let members = try reductionMembers(c)
        var rows: [Int32] = []
        var partial = SparseBlock(rows: c.resultCount, cols: c.operandRows[0].count)
        for (o, group) in members.enumerated() {
            rows.append(
                builder.row(for: builder.combine(group.map { Summand(.row(c.operandRows[0][$0])) }) ?? .constant(0)))
            for j in group { partial[o, j] = .constant(1) }
        }
        return LoweredEquation(rows: rows, partials: [(0, partial)])
    }

    static func reduceExtremum(
        max: Bool, _ c: EquationContext, builder: inout TapeBuilder
    ) throws(JacobianError) -> LoweredEquation {
        let members = try reductionMembers(c)
        let x = c.operandRows[0]
        var rows: [Int32] = []
        var partial = SparseBlock(rows: c.resultCount, cols: x.count)
        for (o, group) in members.enumerated() {
            guard !group.isEmpty else { throw c.malformed("reduces an empty axis") }
            let groupRows = group.map { x[$0] }
            let y = builder.extremum(max: max, groupRows)
            rows.append(y)
            for j in group { partial[o, j] = builder.tieShare(x[j], result: y, among: groupRows) }
        }
        return LoweredEquation(rows: rows, partials: [(0, partial)])
    }

    /// reduce_or / reduce_and of booleans (jnp.any, jnp.all): 1 where any (every) member is
    /// nonzero; no partial.
    static func reduceBoolean(
        any: Bool, _ c: EquationContext, builder: inout TapeBuilder
    ) throws(JacobianError)
        -> LoweredEquation
    {
        let members = try reductionMembers(c)
        let x = c.operandRows[0]
        var rows: [Int32] = []
        for group in members {
            guard !group.isEmpty else { throw c.malformed("reduces an empty axis") }
            rows.append(builder.extremum(max: any, group.map { builder.unary(.toBool, x[$0]) }))
        }
        return LoweredEquation(rows: rows)
    }

    /// argmax / argmin over one axis (jnp.argmax, jnp.argmin): the index of the first maximum
    /// (minimum) along it, or of the first NaN when there is one, as JAX's comparator picks; an
    /// integer result with no partial (JAX's derivative is zero).
    static func argExtremum(
        max: Bool, _ c: EquationContext, builder: inout TapeBuilder
    ) throws(JacobianError)
        -> LoweredEquation
    {
        let axes = try c.parameters.requiredInts("axes")
        guard axes.count == 1 else { throw c.unsupported("over the axes \(axes) (ccelim takes one axis)") }
        let members = try reductionMembers(c)
        let x = c.operandRows[0]
        var rows: [Int32] = []
        for group in members {
            guard !group.isEmpty else { throw c.malformed("reduces an empty axis") }
            var best = x[group[0]], index = builder.constantRow(0)
            for (k, j) in group.enumerated().dropFirst() {
                let beats = builder.binary(max ? .gt : .lt, x[j], best)
                let firstNaN = builder.binary(.and, builder.binary(.ne, x[j], x[j]), builder.binary(.eq, best, best))
                let take = builder.binary(.or, beats, firstNaN)
                best = builder.select(take, onFalse: best, onTrue: x[j])
                index = builder.select(take, onFalse: index, onTrue: builder.constantRow(Double(k)))
            }
            rows.append(index)
        }
        return LoweredEquation(rows: rows)
    }

    /// reduce_prod: the product of each group in order; the partial of a member is the product of
    /// the others (prefix times suffix products, so a zero member needs no division).
    static func reduceProduct(_ c: EquationContext, builder: inout TapeBuilder) throws(JacobianError) -> LoweredEquation
    {
        let members = try reductionMembers(c)
        let x = c.operandRows[0]
        var rows: [Int32] = []
        var partial = SparseBlock(rows: c.resultCount, cols: x.count)
        for (o, group) in members.enumerated() {
            var prefix: [Int32] = [builder.constantRow(1)]
            for j in group { prefix.append(builder.binary(.mul, prefix.last!, x[j])) }
            rows.append(prefix.last!)
            var suffix = builder.constantRow(1)
            for (i, j) in group.enumerated().reversed() {
                partial[o, j] = builder.val(builder.binary(.mul, prefix[i], suffix))
                suffix = builder.binary(.mul, x[j], suffix)
            }
        }
        return LoweredEquation(rows: rows, partials: [(0, partial)])
    }

    /// cumsum along `axis` (from the end when `reverse=True`): each element is the sum of the
    /// elements up to it, a 0/1 partial with a constant 1 for each of them.
    static func cumulativeSum(_ c: EquationContext, builder: inout TapeBuilder) throws(JacobianError) -> LoweredEquation
    {
        try c.requireOperands(1)
        let shape = c.operandShapes[0]
        let axis = try c.parameters.int("axis")
        guard axis >= 0 && axis < shape.count, shape == c.resultShape else {
            throw c.malformed("cumsum along axis \(axis) of \(shape) into \(c.resultShape)")
        }
        let reverse = c.equation.param("reverse") == "True"
        let x = c.operandRows[0]
        var rows = [Int32](repeating: 0, count: x.count)
        var partial = SparseBlock(rows: x.count, cols: x.count)
        for e in 0..<x.count {
            var index = Shape.index(e, shape)
            let range = reverse ? Array(index[axis]..<shape[axis]) : Array(0...index[axis])
            let members = range.map { k in
                index[axis] = k
                return Shape.flat(index, shape)
            }
            rows[e] = builder.row(for: builder.combine(members.map { Summand(.row(x[$0])) }) ?? .constant(0))
            for j in members { partial[e, j] = .constant(1) }
        }
        return LoweredEquation(rows: rows, partials: [(0, partial)])
    }

    /// For every result element of a reduction over `axes`, the operand elements it combines.
    static func reductionMembers(_ c: EquationContext) throws(JacobianError) -> [[Int]] {
        try c.requireOperands(1)
        let shape = c.operandShapes[0]
        let axes = try c.parameters.requiredInts("axes")
        guard axes.allSatisfy({ $0 >= 0 && $0 < shape.count }) else {
            throw c.malformed("axes \(axes) outside an operand of rank \(shape.count)")
        }
        let kept = (0..<shape.count).filter { !axes.contains($0) }
        let outShape = kept.map { shape[$0] }
        guard Shape.count(outShape) == c.resultCount else {
            throw c.malformed("reducing \(shape) over \(axes) gives \(outShape), the result type says \(c.resultShape)")
        }
        var members = [[Int]](repeating: [], count: c.resultCount)
        for j in 0..<Shape.count(shape) {
            let index = Shape.index(j, shape)
            members[Shape.flat(kept.map { index[$0] }, outShape)].append(j)
        }
        return members
    }
}
