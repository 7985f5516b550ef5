/// `gather` with indices the importer can see (literals, `broadcast_in_dim` of a literal, `iota`,
/// concatenations of those, and the scalar arithmetic `jnp.take` prints on them, folded by
/// `ScanUnrolling.fold`) is rewritten into the re-indexing JAX prints for the same Python
/// indexing: per index a `slice` of width 1 along the gathered axes, then `squeeze` (a scalar
/// index) or a `concatenate` along the index vector's axis (a vector of indices; `jnp.diag`'s
/// points along two axes are reshaped to put it in place first). Indices it cannot see (computed
/// at run time, an input, a closed-over constant) give a `dynamic_slice` per point at the index
/// vector's elements instead of the slice, except in FILL_OR_DROP mode, refused naming the line.
/// `scatter` (x.at[i].set) and the combining scatters (`.add`, `.mul`, `.min`, `.max`: the window's
/// old values combined with the update first) write each index's window with a
/// `dynamic_update_slice`, at literal starts or, for indices known only at run time, at the index
/// vector's elements, where FILL_OR_DROP (x.at[i]'s mode: an index out of range writes nothing) keeps
/// the write only where 0 ≤ index < length, by a `select_n` (Docs/COST_MODEL.md §6).
enum ConstantIndexing {
    /// Arrays of known constants larger than this are not tracked (indices are small).
    static let maxTrackedCount = 1024

    /// The values an equation computes when all its operands are known constants (row-major),
    /// for the primitives that build index arrays; nil otherwise.
    static func value(of eqn: JaxprEquation, operands: [[Double]?]) -> [Double]? {
        guard eqn.outputs.count == 1 else { return nil }
        let type = eqn.outputs[0].type
        let count = type.shape.reduce(1, *)
        guard count <= maxTrackedCount else { return nil }
        if eqn.primitive == "iota" {
            guard let axis = integers(eqn, "dimension").first, axis >= 0, axis < type.shape.count else { return nil }
            let inner = type.shape[(axis + 1)...].reduce(1, *)
            return (0..<count).map { Double(($0 / inner) % type.shape[axis]) }
        }
        guard !operands.isEmpty else { return nil }
        var values: [[Double]] = []
        for operand in operands {
            guard let v = operand else { return nil }
            values.append(v)
        }
        switch eqn.primitive {
        case "broadcast_in_dim", "reshape", "squeeze":
            // A scalar repeated, or the same elements in the same order (a length-n vector
            // broadcast to (n, 1), as fancy indexing prints it).
            if values[0].count == 1 { return Array(repeating: values[0][0], count: count) }
            return values[0].count == count ? values[0] : nil
        case "concatenate":
            // Along the leading dimension, row-major concatenation is the concatenation of the parts;
            // along the columns of a matrix (index pairs, as jnp.diagonal prints), row by row.
            let dimension = integers(eqn, "dimension")
            guard values.map(\.count).reduce(0, +) == count, dimension == [0] || dimension == [1] else { return nil }
            if dimension == [0] { return values.flatMap { $0 } }
            guard type.shape.count == 2, type.shape[0] > 0 else { return nil }
            let rows = type.shape[0]
            guard values.allSatisfy({ $0.count % rows == 0 }) else { return nil }
            return (0..<rows).flatMap { r in
                values.flatMap { v in v[(r * v.count / rows)..<((r + 1) * v.count / rows)] }
            }
        default:
            // Elementwise, one element at a time through the scan folder.
            guard values.allSatisfy({ $0.count == 1 || $0.count == count }) else { return nil }
            var out: [Double] = []
            for e in 0..<count {
                var scalar = eqn
                scalar.outputs[0].type = ArrayType(dtype: type.dtype, shape: [])
                scalar.operands = values.map { v in
                    .literal(text: "\(v[v.count == 1 ? 0 : e])", type: nil, line: eqn.line)
                }
                guard case .literal(let text, _, _)? = ScanUnrolling.fold(scalar),
                    let x = Operand.literalValue(text)
                else { return nil }
                out.append(x)
            }
            return out
        }
    }

    /// The equations that compute `gather(operand, indices)` by re-indexing, and the atom of its
    /// result. `indices` are the index operand's values, or nil when the importer cannot see them
    /// (`source` then says what they are).
    static func gather(
        _ eqn: JaxprEquation, operandShape: [Int], indicesType: ArrayType, indices: [Double]?, source: String,
        tag: String
    ) throws(ImportError) -> (equations: [JaxprEquation], result: JaxprAtom) {
        let line = eqn.line
        let indicesShape = indicesType.shape
        let dimensionNumbers = eqn.param("dimension_numbers")?.text ?? ""
        if !field(dimensionNumbers, "operand_batching_dims").isEmpty {
            return try unbatched(
                eqn, operandShape: operandShape, indicesType: indicesType, indices: indices, source: source, tag: tag)
        }
        if indicesShape.count > 2 {
            return try overBatchAxes(
                eqn, operandShape: operandShape, indicesType: indicesType, indices: indices, source: source, tag: tag)
        }
        let axes = try indexedAxes(
            eqn, operandShape: operandShape, indicesShape: indicesShape, map: "start_index_map",
            removed: "collapsed_slice_dims", severalAxes: true, form: "x[i], x[[i, j]], jnp.take, jnp.diag")
        // Known indices give static slices; indices known only at run time (an input, a closed-over
        // constant, a computed index such as jnp.argmax's) give a dynamic_slice per point at the
        // index's elements, which clamps as this gather does.
        let numbers = eqn.param("dimension_numbers")?.text ?? ""
        let sizes = integers(eqn, "slice_sizes")
        let rank = operandShape.count
        let collapsed = field(numbers, "collapsed_slice_dims")
        // The window: single elements along collapsed axes; along an indexed axis that is kept, the
        // slice size from the index on (x[1:, ::2]: a window of the rows from 1, single columns).
        var window = operandShape
        for axis in axes { window[axis] = collapsed.contains(axis) || sizes.count != rank ? 1 : sizes[axis] }
        let points: [[Int]]?
        if let indices {
            points = try positions(
                eqn, axes: axes, operandShape: operandShape, window: window, indices: indices)
        } else {
            points = nil
        }
        // FILL_OR_DROP at run time: a point whose window does not fit gives the fill value (NaN
        // unless printed), written as a select_n on the bounds of its start indices.
        let fills = points == nil && (eqn.param("mode")?.text.contains("FILL_OR_DROP") ?? false)
        let fill: String
        switch eqn.param("fill_value")?.text {
        case nil, "None": fill = "nan"
        case let text?: fill = text
        }
        let pointCount = points?.count ?? (indicesShape.count == 2 ? indicesShape[0] : 1)
        let offsetDims = field(numbers, "offset_dims")
        let resultShape = eqn.outputs[0].type.shape
        let batched = indicesShape.count == 2
        // The kept operand dimensions fill the offset positions; a vector of indices stands at the one
        // position they leave (for one indexed axis, where that axis stood: x[[i, j]], jnp.take; for
        // several, where JAX puts it: jnp.diag's points (i, i) make a vector), so the parts
        // concatenate along it.
        // An indexed axis that is not collapsed stays as a dimension of length 1 (jnp.interp's
        // searchsorted gathers so).
        let kept = (0..<rank).filter { !collapsed.contains($0) }.map { window[$0] }
        let batchPosition: Int? = batched ? (0...kept.count).first { !offsetDims.contains($0) } : nil
        var expected = kept
        var part = kept
        if let b = batchPosition {
            expected.insert(indicesShape[0], at: b)
            part.insert(1, at: b)
        }
        let expectedOffsets = (0..<expected.count).filter { $0 != batchPosition }
        guard sizes == window, offsetDims == expectedOffsets, resultShape == expected else {
            throw refusal(
                eqn,
                "slice_sizes \(sizes) and offset_dims \(offsetDims) for an operand of shape \(operandShape) are not an indexing of single elements or windows along axes \(axes) and whole other axes"
            )
        }
        let dtype = eqn.outputs[0].type.dtype
        let name = eqn.outputs[0].name
        var writer = EquationWriter(prefix: "\(name)@\(tag)", line: line)
        var parts: [JaxprAtom] = []
        // A single batched part is the result itself (after a reshape when the indexed axes do not
        // already leave the batch axis in place).
        let isResult = batched && pointCount == 1
        let reshapes = batched && window != part
        for k in 0..<pointCount {
            let sliceName = isResult && !reshapes ? name : writer.name("\(k)")
            var windowAtom: JaxprAtom
            if let point = points?[k] {
                var start = [Int](repeating: 0, count: rank)
                var limit = operandShape
                for (axis, i) in zip(axes, point) {
                    start[axis] = i
                    limit[axis] = i + window[axis]
                }
                windowAtom = writer.slice(eqn.operands[0], start: start, limit: limit, dtype: dtype, name: sliceName)
            } else {
                // Each component of point k's index vector as a scalar, then the window at it.
                let starts = runtimeStarts(
                    eqn, indicesType: indicesType, axes: axes, rank: rank, point: k, batched: batched,
                    name: writer.name("\(k)"), writer: &writer)
                windowAtom = writer.dynamicSlice(
                    eqn.operands[0], starts: starts, sizes: window, dtype: dtype,
                    name: fills ? writer.name("\(k)w") : sliceName)
                if fills {
                    let inRange = boundsCheck(
                        starts: axes.map { starts[$0] }, limits: axes.map { operandShape[$0] - window[$0] },
                        name: writer.name("\(k)"), writer: &writer)
                    let filler = writer.broadcast(
                        writer.literal(fill), dimensions: [], shape: window, dtype: dtype, name: writer.name("\(k)f"))
                    windowAtom = writer.bind(
                        "select_n", [], [inRange, filler, windowAtom], shape: window, dtype: dtype, name: sliceName)
                }
            }
            if reshapes {
                // Only axes of length 1 move, so the elements keep their order.
                windowAtom = writer.reshape(
                    windowAtom, to: part, dtype: dtype, sharding: false, name: isResult ? name : writer.name("\(k)r"))
            }
            parts.append(windowAtom)
        }
        let result = eqn.outputs[0]
        if !batched {
            writer.squeeze(
                parts[0], dimensions: collapsed.sorted(), shape: result.type.shape, dtype: dtype, into: result)
        } else if parts.count > 1 {
            writer.concatenate(parts, dimension: batchPosition!, shape: result.type.shape, dtype: dtype, into: result)
        }
        return (writer.equations, .variable(name: name, line: line))
    }

    /// Whether every start is within [0, limit]: a boolean scalar (`ge`, `le`, `and`), named `name` + `b`….
    private static func boundsCheck(
        starts: [JaxprAtom], limits: [Int], name: String, writer: inout EquationWriter<Never>
    ) -> JaxprAtom {
        var result: JaxprAtom? = nil
        for (c, (start, limit)) in zip(starts, limits).enumerated() {
            func compare(_ primitive: String, _ bound: Int, _ suffix: String) -> JaxprAtom {
                writer.bind(
                    primitive, [], [start, writer.literal("\(bound)")], shape: [], dtype: "bool",
                    name: "\(name)b\(c)\(suffix)")
            }
            for check in [compare("ge", 0, "l"), compare("le", limit, "h")] {
                guard let sofar = result else {
                    result = check
                    continue
                }
                result = writer.bind(
                    "and", [], [sofar, check], shape: [], dtype: "bool", name: "\(name)b\(c)a\(writer.equations.count)")
            }
        }
        return result!
    }

    /// A gather whose indices have several batch axes (`x[idx, ::2]`, `x[1:3, idx, ::3]`, an index
    /// array of rank 2: a point per batch position) as the same gather of the points listed in
    /// row-major order (the indices reshaped to (points, index vector)), whose result (points,
    /// window…) is reshaped to (batch…, window…) and transposed to where JAX puts the batch axes
    /// among the window's (the positions offset_dims leaves).
    private static func overBatchAxes(
        _ eqn: JaxprEquation, operandShape: [Int], indicesType: ArrayType, indices: [Double]?, source: String,
        tag: String
    ) throws(ImportError) -> (equations: [JaxprEquation], result: JaxprAtom) {
        let line = eqn.line
        let numbers = eqn.param("dimension_numbers")?.text ?? ""
        let offsetDims = field(numbers, "offset_dims")
        let result = eqn.outputs[0]
        let (shape, resultShape) = (indicesType.shape, result.type.shape)
        let batch = Array(shape.dropLast())
        let batchPositions = (0..<resultShape.count).filter { !offsetDims.contains($0) }
        guard offsetDims == offsetDims.sorted(), offsetDims.allSatisfy({ $0 >= 0 && $0 < resultShape.count }),
            batchPositions.map({ resultShape[$0] }) == batch, !shape.isEmpty
        else {
            throw refusal(
                eqn,
                "offset_dims \(offsetDims) of a result of shape \(resultShape) do not leave the batch axes of indices of shape \(shape)"
            )
        }
        let points = batch.reduce(1, *)
        let window = offsetDims.map { resultShape[$0] }
        var writer = EquationWriter(prefix: "\(result.name)@\(tag)", line: line)
        let listed = listPoints(eqn, indicesType: indicesType, points: points, writer: &writer)
        var flat = eqn
        flat.outputs = [
            JaxprBinder(
                name: writer.name("v"), type: ArrayType(dtype: result.type.dtype, shape: [points] + window), line: line)
        ]
        flat.operands = [eqn.operands[0], .variable(name: listed.name, line: line)]
        let tuple = EquationWriter.tuple
        let listedNumbers =
            "GatherDimensionNumbers(offset_dims=\(tuple(window.indices.map { $0 + 1 })), collapsed_slice_dims=\(tuple(field(numbers, "collapsed_slice_dims"))), start_index_map=\(tuple(field(numbers, "start_index_map"))), operand_batching_dims=(), start_indices_batching_dims=())"
        flat.params = replacingDimensionNumbers(of: eqn, with: listedNumbers)
        // Known indices keep their row-major order: the points are listed as they were.
        let gathered = try gather(
            flat, operandShape: operandShape, indicesType: listed.type, indices: indices, source: source, tag: tag + "b"
        )
        writer.emit(contentsOf: gathered.equations)
        // Result axis q reads batch axis b or window axis j of the (batch…, window…) array.
        var permutation: [Int] = []
        var (b, j) = (0, 0)
        for q in 0..<resultShape.count {
            if offsetDims.contains(q) {
                permutation.append(batch.count + j)
                j += 1
            } else {
                permutation.append(b)
                b += 1
            }
        }
        let dtype = result.type.dtype
        if permutation == Array(0..<resultShape.count) {
            let out = writer.reshape(gathered.result, to: resultShape, dtype: dtype, sharding: false, into: result)
            return (writer.equations, out)
        }
        let shaped = writer.reshape(
            gathered.result, to: batch + window, dtype: dtype, sharding: false, name: writer.name("s"))
        writer.bind(
            "transpose", [("permutation", EquationWriter.tuple(permutation))], [shaped], shape: resultShape,
            dtype: dtype, into: result)
        return (writer.equations, .variable(name: result.name, line: line))
    }

    /// A gather with batching dimensions (`jnp.take_along_axis`: operand_batching_dims and
    /// start_indices_batching_dims) as one without: each batching axis becomes an indexed,
    /// collapsed axis whose index is the position along the paired indices axis (an `iota`
    /// concatenated to the index vectors), the index vectors listed as points (a reshape), and the
    /// points' values reshaped to the result. Only gathers of single elements (no offset_dims).
    private static func unbatched(
        _ eqn: JaxprEquation, operandShape: [Int], indicesType: ArrayType, indices: [Double]?, source: String,
        tag: String
    ) throws(ImportError) -> (equations: [JaxprEquation], result: JaxprAtom) {
        let line = eqn.line
        let numbers = eqn.param("dimension_numbers")?.text ?? ""
        let (operandBatching, indicesBatching) = (
            field(numbers, "operand_batching_dims"), field(numbers, "start_indices_batching_dims")
        )
        let (map, collapsed) = (field(numbers, "start_index_map"), field(numbers, "collapsed_slice_dims"))
        let shape = indicesType.shape
        let batchShape = Array(shape.dropLast())
        guard operandBatching.count == indicesBatching.count, field(numbers, "offset_dims").isEmpty,
            !shape.isEmpty, shape.last == map.count, indicesBatching.allSatisfy({ $0 >= 0 && $0 < batchShape.count }),
            operandBatching.allSatisfy({ $0 >= 0 && $0 < operandShape.count }),
            zip(operandBatching, indicesBatching).allSatisfy({ operandShape[$0] == batchShape[$1] }),
            eqn.outputs[0].type.shape == batchShape
        else {
            throw refusal(
                eqn,
                "batching dimensions are supported for gathers of single elements (jnp.take_along_axis) only, found \(numbers) with indices of shape \(shape)"
            )
        }
        let points = batchShape.reduce(1, *)
        let width = map.count + operandBatching.count
        let dtype = indicesType.dtype
        var writer = EquationWriter(prefix: "\(eqn.outputs[0].name)@\(tag)", line: line)
        var augmented: [Double]? = nil
        if let indices {
            // Known indices: the positions appended here.
            var values: [Double] = []
            for p in 0..<points {
                var position: [Int] = []
                var rest = p
                for size in batchShape.reversed() {
                    position.insert(rest % size, at: 0)
                    rest /= size
                }
                values +=
                    indices[(p * map.count)..<((p + 1) * map.count)] + indicesBatching.map { Double(position[$0]) }
            }
            augmented = values
        }
        let listed = JaxprBinder(
            name: writer.name("i"), type: ArrayType(dtype: dtype, shape: [points, width]), line: line)
        if augmented == nil {
            var parts: [JaxprAtom] = [eqn.operands[1]]
            for (k, axis) in indicesBatching.enumerated() {
                parts.append(
                    writer.iota(dimension: axis, shape: batchShape + [1], dtype: dtype, name: writer.name("b\(k)")))
            }
            let joined = writer.concatenate(
                parts, dimension: batchShape.count, shape: batchShape + [width], dtype: dtype, name: writer.name("j"))
            writer.reshape(joined, to: [points, width], dtype: dtype, sharding: false, into: listed)
        }
        var flat = eqn
        flat.outputs = [
            JaxprBinder(
                name: writer.name("v"), type: ArrayType(dtype: eqn.outputs[0].type.dtype, shape: [points]),
                line: line)
        ]
        flat.operands = [eqn.operands[0], .variable(name: listed.name, line: line)]
        let tuple = EquationWriter.tuple
        let unbatchedNumbers =
            "GatherDimensionNumbers(offset_dims=(), collapsed_slice_dims=\(tuple((collapsed + operandBatching).sorted())), start_index_map=\(tuple(map + operandBatching)), operand_batching_dims=(), start_indices_batching_dims=())"
        flat.params = replacingDimensionNumbers(of: eqn, with: unbatchedNumbers)
        let gathered = try gather(
            flat, operandShape: operandShape, indicesType: listed.type, indices: augmented, source: source,
            tag: tag + "u")
        writer.emit(contentsOf: gathered.equations)
        let result = writer.reshape(
            gathered.result, to: batchShape, dtype: eqn.outputs[0].type.dtype, sharding: false, into: eqn.outputs[0])
        return (writer.equations, result)
    }

    /// Point k's start indices as scalar atoms: along each indexed axis the component of its
    /// index vector (a `slice` of the indices and a `reshape` to a scalar, named `name` + `i` + the
    /// component), literal 0 along the others.
    private static func runtimeStarts(
        _ eqn: JaxprEquation, indicesType: ArrayType, axes: [Int], rank: Int, point k: Int, batched: Bool,
        name: String, writer: inout EquationWriter<Never>
    ) -> [JaxprAtom] {
        var starts = [JaxprAtom](repeating: writer.literal("0"), count: rank)
        for (c, axis) in axes.enumerated() {
            let at = batched ? [k, c] : [c]
            let element = "\(name)i\(c)"
            let one = writer.slice(
                eqn.operands[1], start: at, limit: at.map { $0 + 1 }, dtype: indicesType.dtype, name: element)
            starts[axis] = writer.reshape(one, to: [], dtype: indicesType.dtype, sharding: false, name: element + "s")
        }
        return starts
    }

    /// The primitive a combining scatter applies to the window's old values and the update
    /// (`x.at[i].add(v)`, `.mul`, `.min`, `.max`).
    static let combining: [String: String] = [
        "scatter-add": "add", "scatter-mul": "mul", "scatter-min": "min", "scatter-max": "max",
    ]

    /// The equations that compute `scatter` (`x.at[i].set(v)`) and the combining scatters
    /// (`x.at[i].add(v)`, `.mul`, `.min`, `.max`): per index the update as a window
    /// (`broadcast_in_dim`, or a `slice` of a vector of updates), for a combining scatter
    /// combined with the `slice` (or `dynamic_slice`) of the window's old values, written with
    /// `dynamic_update_slice` at the window's starts, one index after the other (repeated indices
    /// combine in turn, as XLA's do).
    static func scatter(
        _ eqn: JaxprEquation, operandShape: [Int], indicesType: ArrayType, updatesShape: [Int], indices: [Double]?,
        tag: String
    ) throws(ImportError) -> (equations: [JaxprEquation], result: JaxprAtom) {
        let line = eqn.line
        let p = eqn.primitive
        let indicesShape = indicesType.shape
        guard p == "scatter" || combining[p] != nil else {
            throw refusal(
                eqn,
                "only scatter (x.at[i].set) and scatter-add, -mul, -min, -max (x.at[i].add, .mul, .min, .max) are supported"
            )
        }
        // JAX prints x.at[i].apply(f) as a `scatter` whose update_jaxpr computes f of the old
        // value (the update operand is an unused 0.0); a set's update_jaxpr is None.
        if p == "scatter", let body = eqn.param("update_jaxpr")?.text, !writesTheUpdate(body) {
            throw refusal(
                eqn,
                "its update_jaxpr computes the written value from the old one (x.at[i].apply(f)), which is not supported; only a set (update_jaxpr=None) is"
            )
        }
        if indicesShape.count > 2, field(eqn.param("dimension_numbers")?.text ?? "", "operand_batching_dims").isEmpty {
            return try scatterOverBatchAxes(
                eqn, operandShape: operandShape, indicesType: indicesType, updatesShape: updatesShape, indices: indices,
                tag: tag)
        }
        // x.at[i] indexes one axis, x.at[i, j] several, x.at[1:3] a slice along one: an inserted
        // indexed axis is a window of one element; every other axis a window of the update's size
        // along it (the whole axis where it is not indexed), from the index or from 0.
        let axes = try indexedAxes(
            eqn, operandShape: operandShape, indicesShape: indicesShape, map: "scatter_dims_to_operand_dims",
            removed: "inserted_window_dims", severalAxes: true, form: "x.at[i], x.at[i, j] or x.at[i:j]")
        let numbers = eqn.param("dimension_numbers")?.text ?? ""
        let inserted = field(numbers, "inserted_window_dims")
        let windowDims = field(numbers, "update_window_dims")
        let rank = operandShape.count
        let kept = (0..<rank).filter { !inserted.contains($0) }
        let batched = indicesShape.count == 2
        // With several points the updates have one scatter axis (the point), anywhere among the
        // window axes (`x.at[:, 1:3, ::2]` puts it last); the window axes are the rest, in order.
        let scatterAxes = (0..<updatesShape.count).filter { !windowDims.contains($0) }
        let scatterAxis = scatterAxes.first ?? 0
        var window = [Int](repeating: 1, count: rank)
        for (k, axis) in kept.enumerated() where windowDims.count == kept.count && windowDims[k] < updatesShape.count {
            window[axis] = updatesShape[windowDims[k]]
        }
        guard windowDims == windowDims.sorted(), windowDims.count == kept.count,
            scatterAxes.count == (batched ? 1 : 0), updatesShape.count == kept.count + scatterAxes.count,
            !batched || updatesShape[scatterAxis] == indicesShape[0],
            (0..<rank).allSatisfy({ window[$0] >= 1 && window[$0] <= operandShape[$0] })
        else {
            throw refusal(
                eqn,
                "updates of shape \(updatesShape) with update_window_dims \(windowDims) are not one window per index along axes \(axes) of \(operandShape)"
            )
        }
        // Out of range, XLA's scatter drops a window (FILL_OR_DROP, and PROMISE_IN_BOUNDS, which
        // promises what it does not check); only CLIP clamps it.
        let dropsOutOfRange = !(eqn.param("mode")?.text.contains("CLIP") ?? false)
        // Known indices: their positions along the indexed axes; known only at run time: nil per point.
        let positions: [[Int]?] =
            if let indices {
                try positions(
                    eqn, axes: axes, operandShape: operandShape, window: window, indices: indices,
                    keepsOutOfRange: dropsOutOfRange)
            } else {
                [[Int]?](repeating: nil, count: batched ? indicesShape[0] : 1)
            }
        // A known point whose window is not wholly inside writes nothing.
        func inside(_ point: [Int]) -> Bool {
            axes.enumerated().allSatisfy { c, axis in point[c] >= 0 && point[c] <= operandShape[axis] - window[axis] }
        }
        let writes = positions.map { $0.map(inside) ?? true }
        let lastWrite = writes.lastIndex(of: true)
        let (type, dtype) = (eqn.outputs[0].type, eqn.outputs[0].type.dtype)
        let name = eqn.outputs[0].name
        var writer = EquationWriter(prefix: "\(name)@\(tag)", line: line)
        var current = eqn.operands[0]
        for (k, position) in positions.enumerated() where writes[k] {
            let starts =
                position.map { point in
                    (0..<rank).map { a in writer.literal(axes.firstIndex(of: a).map { "\(point[$0])" } ?? "0") }
                }
                ?? runtimeStarts(
                    eqn, indicesType: indicesType, axes: axes, rank: rank, point: k, batched: batched,
                    name: writer.name("\(k)"), writer: &writer)
            var update: JaxprAtom
            if batched {
                // Point k's updates (1 along the scatter axis), placed in the window (1 along every
                // inserted axis): the same elements in the same order.
                var (start, limit) = (updatesShape.map { _ in 0 }, updatesShape)
                (start[scatterAxis], limit[scatterAxis]) = (k, k + 1)
                update = writer.slice(
                    eqn.operands[2], start: start, limit: limit, dtype: dtype, name: writer.name("u\(k)"))
                var sliced = updatesShape
                sliced[scatterAxis] = 1
                if sliced != window {
                    update = writer.reshape(
                        update, to: window, dtype: dtype, sharding: false, name: writer.name("v\(k)"))
                }
            } else {
                update = writer.broadcast(
                    eqn.operands[2], dimensions: kept, shape: window, dtype: dtype, name: writer.name("u\(k)"))
            }
            if let combine = combining[p] {
                let old: JaxprAtom
                if let point = position {
                    var start = [Int](repeating: 0, count: rank)
                    for (c, axis) in axes.enumerated() { start[axis] = point[c] }
                    let limit = (0..<rank).map { start[$0] + window[$0] }
                    old = writer.slice(current, start: start, limit: limit, dtype: dtype, name: writer.name("s\(k)"))
                } else {
                    old = writer.dynamicSlice(
                        current, starts: starts, sizes: window, dtype: dtype, name: writer.name("s\(k)"))
                }
                update = writer.bind(
                    combine, [], [old, update], shape: window, dtype: dtype, name: writer.name("a\(k)"))
            }
            // The last write is the result.
            let next = k == lastWrite ? name : writer.name("r\(k)")
            if position == nil && dropsOutOfRange {
                // FILL_OR_DROP: a window not wholly inside the axis writes nothing, where
                // dynamic_update_slice would clamp it; so the write is kept only where
                // 0 ≤ index ≤ length − window (index < length for one element).
                let written = writer.bind(
                    "dynamic_update_slice", [], [current, update] + starts, shape: type.shape, dtype: dtype,
                    name: writer.name("w\(k)"))
                func compare(_ primitive: String, _ axis: Int, _ bound: Int, _ suffix: String) -> JaxprAtom {
                    writer.bind(
                        primitive, [], [starts[axis], writer.literal("\(bound)")], shape: [], dtype: "bool",
                        name: writer.name(suffix))
                }
                // Inside along every indexed axis (one axis: the names x.at[i] always had).
                let within = axes.enumerated().map { c, axis in
                    let tag = c == 0 ? "\(k)" : "\(k)_\(c)"
                    return writer.bind(
                        "and", [],
                        [
                            compare("ge", axis, 0, "ge\(tag)"),
                            compare("lt", axis, operandShape[axis] - window[axis] + 1, "lt\(tag)"),
                        ],
                        shape: [], dtype: "bool", name: writer.name("in\(tag)"))
                }
                let inside = writer.combine(within, by: "and", shape: [], dtype: "bool", into: nil)
                current = writer.bind(
                    "select_n", [], [inside, current, written], shape: type.shape, dtype: dtype, name: next)
            } else {
                current = writer.bind(
                    "dynamic_update_slice", [], [current, update] + starts, shape: type.shape, dtype: dtype, name: next)
            }
        }
        return (writer.equations, current)
    }

    /// A scatter whose indices have several batch axes (`x.at[idx2d].add(v)`: a point per batch
    /// position) as the same scatter of the points listed in row-major order: the indices reshaped
    /// to (points, index vector), the updates transposed to (batch…, window…) and reshaped to
    /// (points, window…).
    private static func scatterOverBatchAxes(
        _ eqn: JaxprEquation, operandShape: [Int], indicesType: ArrayType, updatesShape: [Int], indices: [Double]?,
        tag: String
    ) throws(ImportError) -> (equations: [JaxprEquation], result: JaxprAtom) {
        let line = eqn.line
        let numbers = eqn.param("dimension_numbers")?.text ?? ""
        let windowDims = field(numbers, "update_window_dims")
        let shape = indicesType.shape
        let batch = Array(shape.dropLast())
        let scatterAxes = (0..<updatesShape.count).filter { !windowDims.contains($0) }
        guard scatterAxes.map({ updatesShape[$0] }) == batch, windowDims.allSatisfy({ $0 < updatesShape.count }),
            !shape.isEmpty
        else {
            throw refusal(
                eqn,
                "updates of shape \(updatesShape) with update_window_dims \(windowDims) do not hold a window per point of indices of shape \(shape)"
            )
        }
        let points = batch.reduce(1, *)
        let window = windowDims.map { updatesShape[$0] }
        let dtype = eqn.outputs[0].type.dtype
        var writer = EquationWriter(prefix: "\(eqn.outputs[0].name)@\(tag)", line: line)
        let listed = listPoints(eqn, indicesType: indicesType, points: points, writer: &writer)
        var updates = eqn.operands[2]
        let permutation = scatterAxes + windowDims
        if permutation != Array(0..<updatesShape.count) {
            updates = writer.bind(
                "transpose", [("permutation", EquationWriter.tuple(permutation))], [updates], shape: batch + window,
                dtype: dtype, name: writer.name("t"))
        }
        updates = writer.reshape(updates, to: [points] + window, dtype: dtype, sharding: false, name: writer.name("u"))
        var flat = eqn
        flat.operands = [eqn.operands[0], .variable(name: listed.name, line: line), updates]
        let tuple = EquationWriter.tuple
        let listedNumbers =
            "ScatterDimensionNumbers(update_window_dims=\(tuple(window.indices.map { $0 + 1 })), inserted_window_dims=\(tuple(field(numbers, "inserted_window_dims"))), scatter_dims_to_operand_dims=\(tuple(field(numbers, "scatter_dims_to_operand_dims"))), operand_batching_dims=(), scatter_indices_batching_dims=())"
        flat.params = replacingDimensionNumbers(of: eqn, with: listedNumbers)
        // Known indices keep their row-major order: the points are listed as they were.
        let scattered = try scatter(
            flat, operandShape: operandShape, indicesType: listed.type, updatesShape: [points] + window,
            indices: indices, tag: tag + "b")
        writer.emit(contentsOf: scattered.equations)
        return (writer.equations, scattered.result)
    }

    /// The indices of `eqn` (batch axes…, index vector) reshaped to (points, index vector), the
    /// points in row-major order, bound to `writer`'s name `i`.
    private static func listPoints(
        _ eqn: JaxprEquation, indicesType: ArrayType, points: Int, writer: inout EquationWriter<Never>
    ) -> JaxprBinder {
        let shape = [points, indicesType.shape.last ?? 1]
        let listed = JaxprBinder(
            name: writer.name("i"), type: ArrayType(dtype: indicesType.dtype, shape: shape), line: eqn.line)
        writer.reshape(eqn.operands[1], to: shape, dtype: indicesType.dtype, sharding: false, into: listed)
        return listed
    }

    /// `eqn`'s parameters with its dimension_numbers replaced by `numbers`.
    private static func replacingDimensionNumbers(of eqn: JaxprEquation, with numbers: String) -> [JaxprParam] {
        eqn.params.map { $0.key == "dimension_numbers" ? EquationWriter.param($0.key, numbers) : $0 }
    }

    /// The operand axes a gather or scatter indexes, after checking that it indexes single
    /// elements along them (the collapsed or inserted dims are the indexed axes, no batching
    /// dims, indices of rank ≤ 2 whose last axis is the index vector).
    private static func indexedAxes(
        _ eqn: JaxprEquation, operandShape: [Int], indicesShape: [Int], map: String, removed: String,
        severalAxes: Bool, form: String
    ) throws(ImportError) -> [Int] {
        let numbers = eqn.param("dimension_numbers")?.text ?? ""
        let axes = field(numbers, map)
        let m = axes.count
        // A gather may keep an indexed axis (a window of one, not collapsed); a scatter inserts them all.
        let removedAxes = field(numbers, removed)
        guard m >= 1, severalAxes || m == 1, Set(axes).count == m,
            severalAxes ? Set(removedAxes).isSubset(of: axes) : removedAxes == axes.sorted(),
            field(numbers, "operand_batching_dims").isEmpty, indicesShape.last == m, indicesShape.count <= 2,
            axes.allSatisfy({ $0 >= 0 && $0 < operandShape.count })
        else {
            throw refusal(
                eqn,
                "only single elements along \(severalAxes ? "the indexed axes" : "one axis") (\(form)) are supported, found \(numbers) with indices of shape \(indicesShape)"
            )
        }
        return axes
    }

    /// Per index, its position along each indexed axis (in `axes`' order), clamped as XLA does so
    /// that the window fits, except in FILL_OR_DROP mode, where one out of range is refused; with
    /// `keepsOutOfRange` (a scatter, which drops such a point) given as it is, unclamped.
    private static func positions(
        _ eqn: JaxprEquation, axes: [Int], operandShape: [Int], window: [Int], indices: [Double],
        keepsOutOfRange: Bool = false
    ) throws(ImportError) -> [[Int]] {
        let m = axes.count
        guard indices.count % m == 0 else {
            throw refusal(eqn, "\(indices.count) index values do not make index vectors of length \(m)")
        }
        let clamps = !(eqn.param("mode")?.text.contains("FILL_OR_DROP") ?? false)
        var points: [[Int]] = []
        for row in stride(from: 0, to: indices.count, by: m) {
            var point: [Int] = []
            for (c, axis) in axes.enumerated() {
                let value = indices[row + c], length = operandShape[axis] - window[axis] + 1
                guard value.isFinite, let i = Int(exactly: value.rounded(.towardZero)) else {
                    throw refusal(eqn, "index \(value) is not an integer")
                }
                if keepsOutOfRange {
                    point.append(i)
                    continue
                }
                guard clamps || (i >= 0 && i < length) else {
                    throw refusal(
                        eqn,
                        "index \(i)\(window[axis] > 1 ? " with a window of \(window[axis])" : "") is outside an axis of length \(operandShape[axis]) (JAX fills or drops it)"
                    )
                }
                point.append(min(max(i, 0), length - 1))
            }
            points.append(point)
        }
        return points
    }

    /// Whether a `scatter`'s printed update_jaxpr writes the update as it is: `None`, or a body
    /// of two scalars with no equations returning the second (`{ lambda ; a:f64[] b:f64[]. let  in
    /// (b,) }`).
    static func writesTheUpdate(_ body: String) -> Bool {
        let tokens = body.split(whereSeparator: \.isWhitespace).map(String.init)
        if tokens == ["None"] { return true }
        // { lambda ; a:T b:T. let in (b,) }: the binders between ";" and "let", nothing between
        // "let" and "in", then the one result.
        guard tokens.count == 9, tokens[0] == "{", tokens[1] == "lambda", tokens[2] == ";", tokens[5] == "let",
            tokens[6] == "in", tokens[8] == "}", tokens[4].hasSuffix(".")
        else { return false }
        let second = tokens[4].prefix { $0 != ":" }
        return tokens[7] == "(\(second),)" || tokens[7] == "(\(second))"
    }

    private static func refusal(_ eqn: JaxprEquation, _ why: String) -> ImportError {
        ImportError(.unsupportedPrimitive, line: eqn.line, "unsupported '\(eqn.primitive)': \(why)")
    }

    /// The integers of `key=(…)` inside a printed GatherDimensionNumbers(…).
    private static func field(_ text: String, _ key: String) -> [Int] {
        guard let start = text.range(of: key + "=(") else { return [] }
        let rest = text[start.upperBound...]
        guard let end = rest.firstIndex(of: ")") else { return [] }
        return ParameterText.integers(in: String(rest[..<end]))
    }

    private static func integers(_ eqn: JaxprEquation, _ key: String) -> [Int] {
        ParameterText.integers(in: eqn.param(key)?.text ?? "")
    }
}
