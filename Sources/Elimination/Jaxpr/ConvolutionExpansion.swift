/// `conv_general_dilated` of several batch elements, channels or filters, in any number of
/// spatial dimensions and any layout (`lax.conv`, `lax.conv_general_dilated` with NCHW or NHWC,
/// flax's `nn.Conv`), written in the array's own shapes as what it computes, before RankFlattening
/// stores the values of rank 3 and more as matrices:
///
///     out[n, o, s] = Σ_k Σ_c x_padded[n, c, s·stride + k·rhs_dilation] · w[o, c, k]
///
/// The operands are transposed to (N, C, spatial…) and (O, I, spatial…), the input padded with
/// zeros of its dtype (`padding`, and `lhs_dilation − 1` between its elements; 0 for integers),
/// and for each kernel position k the strided slice of the input that position sees is contracted
/// over the channels with the kernel's (O, I) matrix at k (a `dot_general` whose
/// `preferred_element_type` is the result's dtype, as JAX's own products of i8 into i32 are,
/// giving (N, spatial…, O)); the K products are added and the sum transposed into the result's
/// layout. So the cost model sees K slices, K
/// products and K − 1 sums, as a convolution written by hand with slices would.
///
/// A convolution of one batch element, one channel and one filter in one spatial dimension
/// (`jnp.convolve`, `jnp.correlate`) is RankFlattening's own, as before (slices times scalar
/// weights on the stored row). Feature groups (`feature_group_count`: a depthwise or grouped
/// convolution) are one such convolution per group on its channels and filters, the results side
/// by side; batch groups and boolean operands (which JAX combines by and and or) are refused.
enum ConvolutionExpansion {
    /// Whether `eqn` is a convolution written out here (not the one-channel case RankFlattening
    /// writes on the stored matrices).
    static func applies(_ eqn: JaxprEquation, shapes: [[Int]]) -> Bool {
        guard eqn.primitive == "conv_general_dilated", shapes.count == 2 else { return false }
        let (lhs, rhs) = (shapes[0], shapes[1])
        let numbers = ParameterText.integers(in: eqn.param("dimension_numbers")?.text ?? "")
        let oneChannel =
            lhs.count == 3 && rhs.count == 3 && lhs[0] == 1 && lhs[1] == 1 && rhs[0] == 1 && rhs[1] == 1
            && numbers == [0, 1, 2, 0, 1, 2, 0, 1, 2]
            && ParameterText.integers(in: eqn.param("lhs_dilation")?.text ?? "") == [1]
            && ParameterText.integers(in: eqn.param("padding")?.text ?? "").allSatisfy { $0 >= 0 }
            && eqn.param("feature_group_count")?.text ?? "1" == "1"
            && eqn.param("batch_group_count")?.text ?? "1" == "1"
        return !oneChannel
    }

    /// The equations computing `eqn` from operands of `shapes` and `dtypes`, and their result.
    static func equations(
        _ eqn: JaxprEquation, shapes: [[Int]], dtypes: [String], tag: String
    ) throws(ImportError) -> (equations: [JaxprEquation], result: JaxprAtom) {
        let (lhs, rhs) = (shapes[0], shapes[1])
        let result = eqn.outputs[0]
        let rank = lhs.count, spatial = rank - 2
        func ints(_ key: String) -> [Int] { ParameterText.integers(in: eqn.param(key)?.text ?? "") }
        let numbers = ints("dimension_numbers")
        let (strides, padding) = (ints("window_strides"), ints("padding"))
        let (lhsDilation, rhsDilation) = (ints("lhs_dilation"), ints("rhs_dilation"))
        let groups = [eqn.param("feature_group_count")?.text ?? "1", eqn.param("batch_group_count")?.text ?? "1"]
        func refuse(_ why: String) -> ImportError {
            ImportError(
                .unsupportedShape, line: eqn.line,
                "'conv_general_dilated' of shapes \(lhs) and \(rhs) giving \(result.type.shape): \(why)")
        }
        // Padding and products in the operands' dtype; JAX combines booleans by and and or, which
        // products and sums of Doubles do not (a sum of two True is 2).
        guard let zero = ElementType.identity(of: "add", dtypes[0]), !(dtypes + [result.type.dtype]).contains("bool")
        else {
            throw refuse(
                "a convolution of \(dtypes[0]) and \(dtypes[1]) values is not supported (booleans combine by and and or); convert the operands to a number type first"
            )
        }
        guard groups[1] == "1", let featureGroups = Int(groups[0]), featureGroups >= 1 else {
            throw refuse(
                "batch groups (batch_group_count \(groups[1]), what JAX writes for a kernel's gradient) are not supported; feature groups are"
            )
        }
        guard spatial >= 1, rhs.count == rank, result.type.rank == rank, numbers.count == 3 * rank,
            strides.count == spatial, padding.count == 2 * spatial, lhsDilation.count == spatial,
            rhsDilation.count == spatial, (strides + lhsDilation + rhsDilation).allSatisfy({ $0 >= 1 })
        else { throw refuse("its parameters do not fit operands of rank \(rank)") }
        let (lhsSpec, rhsSpec, outSpec) = (
            Array(numbers[0..<rank]), Array(numbers[rank..<(2 * rank)]), Array(numbers[(2 * rank)...])
        )
        for spec in [lhsSpec, rhsSpec, outSpec] where Set(spec) != Set(0..<rank) {
            throw refuse("its dimension_numbers are not permutations of the \(rank) axes")
        }
        // Canonical layouts: x (N, C, S…), w (O, I, K…).
        let x = lhsSpec.map { lhs[$0] }, w = rhsSpec.map { rhs[$0] }
        let (n, c, o) = (x[0], x[1], w[0])
        // Feature groups (a depthwise convolution: one group per channel): group g convolves input
        // channels g·C/G ..< (g + 1)·C/G with filters g·O/G ..< (g + 1)·O/G.
        let g = featureGroups
        guard c % g == 0, o % g == 0, w[1] == c / g else {
            throw refuse(
                "the input has \(c) channels and the kernel \(o) filters of \(w[1]) channels, which \(g) feature group\(g == 1 ? "" : "s") do not split"
            )
        }
        let (groupChannels, groupFilters) = (c / g, o / g)
        let kernel = Array(w[2...])
        var padded: [Int] = [], out: [Int] = []
        for a in 0..<spatial {
            let size = x[2 + a] == 0 ? 0 : (x[2 + a] - 1) * lhsDilation[a] + 1
            padded.append(size + padding[2 * a] + padding[2 * a + 1])
            let span = (kernel[a] - 1) * rhsDilation[a] + 1
            out.append(padded[a] >= span ? (padded[a] - span) / strides[a] + 1 : 0)
        }
        // The result's axes: batch at outSpec[0], feature at outSpec[1], spatial a at outSpec[2 + a].
        var expected = Array(repeating: 0, count: rank)
        expected[outSpec[0]] = n
        expected[outSpec[1]] = o
        for a in 0..<spatial { expected[outSpec[2 + a]] = out[a] }
        guard expected == result.type.shape, out.allSatisfy({ $0 > 0 }) else {
            throw refuse("its window over the padded input \(padded) gives \(expected)")
        }

        let dtype = result.type.dtype
        var writer = EquationWriter<Never>(prefix: "\(result.name)@\(tag)", line: eqn.line)
        func transposed(_ atom: JaxprAtom, _ shape: [Int], to permutation: [Int], dtype: String) -> JaxprAtom {
            permutation == Array(0..<permutation.count)
                ? atom
                : writer.bind(
                    "transpose", [("permutation", EquationWriter.tuple(permutation))], [atom],
                    shape: permutation.map { shape[$0] }, dtype: dtype)
        }
        var input = transposed(eqn.operands[0], lhs, to: lhsSpec, dtype: dtypes[0])
        let weights = transposed(eqn.operands[1], rhs, to: rhsSpec, dtype: dtypes[1])
        if padded != Array(x[2...]) {
            var config: [(low: Int, high: Int, interior: Int)] = [(0, 0, 0), (0, 0, 0)]
            for a in 0..<spatial {
                config.append((low: padding[2 * a], high: padding[2 * a + 1], interior: lhsDilation[a] - 1))
            }
            input = writer.pad(
                input, with: writer.literal(zero), config: config, shape: [n, c] + padded, dtype: dtypes[0])
        }
        // Per group, one product per kernel position, (N, S…, O/G), added pairwise; the groups'
        // sums side by side along the filters.
        var groupSums: [JaxprAtom] = []
        for group in 0..<g {
            let zeros = [Int](repeating: 0, count: spatial)
            let inputs =
                g == 1
                ? input
                : writer.slice(
                    input, start: [0, group * groupChannels] + zeros, limit: [n, (group + 1) * groupChannels] + padded,
                    dtype: dtypes[0])
            let filters =
                g == 1
                ? weights
                : writer.slice(
                    weights, start: [group * groupFilters, 0] + zeros,
                    limit: [(group + 1) * groupFilters, groupChannels] + kernel, dtype: dtypes[1])
            let terms = EquationWriter.positions(kernel).map { position in
                let start = (0..<spatial).map { position[$0] * rhsDilation[$0] }
                let window = writer.slice(
                    inputs, start: [0, 0] + start,
                    limit: [n, groupChannels] + (0..<spatial).map { start[$0] + (out[$0] - 1) * strides[$0] + 1 },
                    strides: strides.allSatisfy { $0 == 1 } ? nil : [1, 1] + strides, dtype: dtypes[0])
                let tap = writer.slice(
                    filters, start: [0, 0] + position, limit: [groupFilters, groupChannels] + position.map { $0 + 1 },
                    dtype: dtypes[1])
                let matrix = writer.reshape(tap, to: [groupFilters, groupChannels], dtype: dtypes[1], sharding: true)
                return writer.bind(
                    "dot_general",
                    [
                        ("dimension_numbers", "(([1], [1]), ([], []))"),
                        ("preferred_element_type", ElementType.name(dtype)),
                    ],
                    [window, matrix], shape: [n] + out + [groupFilters], dtype: dtype)
            }
            groupSums.append(writer.combine(terms, by: "add", shape: [n] + out + [groupFilters], dtype: dtype))
        }
        let total =
            g == 1
            ? groupSums[0]
            : writer.concatenate(groupSums, dimension: spatial + 1, shape: [n] + out + [o], dtype: dtype)
        // (N, S…, O) into the result's layout.
        var permutation = Array(repeating: 0, count: rank)
        permutation[outSpec[0]] = 0
        permutation[outSpec[1]] = rank - 1
        for a in 0..<spatial { permutation[outSpec[2 + a]] = 1 + a }
        let sum = [n] + out + [o]
        if permutation == Array(0..<rank) { return (writer.equations, total) }
        writer.bind(
            "transpose", [("permutation", EquationWriter.tuple(permutation))], [total],
            shape: permutation.map { sum[$0] }, dtype: dtype, into: result)
        return (writer.equations, .variable(name: result.name, line: eqn.line))
    }
}
