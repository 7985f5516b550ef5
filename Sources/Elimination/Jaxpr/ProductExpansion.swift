/// A `dot_general` the matrix rules cannot label, written as the products it sums: an outer
/// product (`jnp.outer` by `einsum("i,j->ij")`, `einsum("i,j,k->")`, a product of scalars: no
/// contracted dimension) or a contraction of several dimensions of rank-2 operands
/// (`einsum("ij,ij->")`, `jnp.tensordot(a, b, 2)`). Each operand is transposed to (batch, free,
/// contracted) order where it is not in it, broadcast into the product's shape (batch, the left
/// free, the right free, the contracted axes), the two multiplied and the contracted axes summed:
/// the same value JAX computes, its derivatives the elementwise ones. A product of rank 3 or more
/// is stored as matrices by the next emit (RankFlattening). With a `preferred_element_type` other
/// than an operand's dtype (f32 operands into float64, i8 into int32) that operand is first
/// converted (`convert_element_type`), so every equation written is in the result's dtype.
///
/// Batch dimensions are kept (`einsum("bi,bj->bij")`); a dot_general with exactly one contracted
/// dimension per operand is the matrix rules' (EdgeRules) or RankFlattening's, not this.
enum ProductExpansion {
    /// Whether `eqn` (a dot_general of operands of `ranks`) is written out here: none of its
    /// dimensions contracted, or more than one at rank ≤ 2 (RankFlattening contracts several in
    /// values of rank 3 and more itself).
    static func applies(_ eqn: JaxprEquation, operandRanks ranks: [Int]) -> Bool {
        guard eqn.primitive == "dot_general", ranks.count == 2,
            let text = eqn.param("dimension_numbers")?.text
        else { return false }
        let lists = EdgeRules.integerLists(in: text)
        guard lists.count == 4, lists[0].count == lists[1].count else { return false }
        let highRank = ranks.contains { $0 > 2 } || eqn.outputs.contains { $0.type.rank > 2 }
        return lists[0].isEmpty || (lists[0].count > 1 && !highRank)
    }

    /// The equations computing `eqn`'s result from operands of `shapes`, and that result.
    static func equations(
        _ eqn: JaxprEquation, shapes: [[Int]], dtypes: [String], tag: String
    ) throws(ImportError) -> (equations: [JaxprEquation], result: JaxprAtom) {
        let lists = EdgeRules.integerLists(in: eqn.param("dimension_numbers")?.text ?? "")
        let (contracted, batch) = ((lists[0], lists[1]), (lists[2], lists[3]))
        for (side, shape) in shapes.enumerated() {
            let axes = side == 0 ? contracted.0 + batch.0 : contracted.1 + batch.1
            guard axes.allSatisfy({ 0 <= $0 && $0 < shape.count }), Set(axes).count == axes.count else {
                throw ImportError(
                    .shapeMismatch, line: eqn.line,
                    "dot_general's dimension_numbers \(eqn.param("dimension_numbers")?.text ?? "") do not fit an operand of shape \(shape)"
                )
            }
        }
        guard batch.0.count == batch.1.count,
            zip(batch.0, batch.1).allSatisfy({ shapes[0][$0] == shapes[1][$1] }),
            zip(contracted.0, contracted.1).allSatisfy({ shapes[0][$0] == shapes[1][$1] })
        else {
            throw ImportError(
                .shapeMismatch, line: eqn.line,
                "dot_general pairs dimensions of different sizes: \(shapes[0]) and \(shapes[1]) by \(eqn.param("dimension_numbers")?.text ?? "")"
            )
        }
        let free = (
            (0..<shapes[0].count).filter { !contracted.0.contains($0) && !batch.0.contains($0) },
            (0..<shapes[1].count).filter { !contracted.1.contains($0) && !batch.1.contains($0) }
        )
        let batchSizes = batch.0.map { shapes[0][$0] }
        let (leftFree, rightFree) = (free.0.map { shapes[0][$0] }, free.1.map { shapes[1][$0] })
        let contractedSizes = contracted.0.map { shapes[0][$0] }
        let product = batchSizes + leftFree + rightFree + contractedSizes
        let (nb, nl, nr) = (batchSizes.count, leftFree.count, rightFree.count)
        // Where each operand's axes go in the product, in (batch, free, contracted) order.
        let placed: ([Int], [Int]) = (
            Array(0..<(nb + nl)) + Array((nb + nl + nr)..<product.count),
            Array(0..<nb) + Array((nb + nl)..<product.count)
        )
        let order = (batch.0 + free.0 + contracted.0, batch.1 + free.1 + contracted.1)

        let result = eqn.outputs[0], dtype = result.type.dtype
        var writer = EquationWriter<Never>(prefix: "\(result.name)@\(tag)", line: eqn.line)
        var factors: [JaxprAtom] = []
        for (side, (atom, axes)) in zip(eqn.operands, [(order.0, placed.0), (order.1, placed.1)]).enumerated() {
            let shape = shapes[side]
            var x = atom
            // A preferred_element_type other than the operands' (f32 into float64, i8 into int32):
            // the operand converted first, as JAX multiplies and sums in that type.
            if dtypes[side] != dtype {
                x = writer.bind(
                    "convert_element_type", [("new_dtype", ElementType.name(dtype)), ("weak_type", "False")], [x],
                    shape: shape, dtype: dtype)
            }
            if axes.0 != Array(0..<shape.count) {
                x = writer.bind(
                    "transpose", [("permutation", EquationWriter.tuple(axes.0))], [x], shape: axes.0.map { shape[$0] },
                    dtype: dtype)
            }
            if axes.1.count != product.count {
                x = writer.broadcast(x, dimensions: axes.1, shape: product, dtype: dtype)
            }
            factors.append(x)
        }
        let summed = Array((nb + nl + nr)..<product.count)
        if summed.isEmpty {
            writer.bind("mul", [], factors, shape: product, dtype: dtype, into: result)
        } else {
            let terms = writer.bind("mul", [], factors, shape: product, dtype: dtype)
            writer.bind(
                "reduce_sum", [("axes", EquationWriter.tuple(summed))], [terms], shape: result.type.shape,
                dtype: dtype, into: result)
        }
        return (writer.equations, .variable(name: result.name, line: eqn.line))
    }
}
