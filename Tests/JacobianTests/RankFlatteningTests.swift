import Elimination
import TestFixtures
import XCTest

@testable import Jacobian

/// Values of rank 3 and more stored as matrices (RankFlattening): every transpose, reduction,
/// batched product, slice, concatenation, broadcast and convolution gives the elements an index
/// loop computes, the graph holds only rank ≤ 2 vertices, and what is not written is refused by
/// name. (The fixtures pairwise_energy, attention_heads, rank3_reindexing and convolutions are
/// checked against jax.jacrev by ControlFlowValuesTests.)
final class RankFlatteningTests: XCTestCase {
    private func evaluate(_ text: String, _ inputs: [[Double]]) throws -> (ComputationalGraph, JacobianResult) {
        let graph = try ComputationalGraph.fromJaxpr(text, name: "rank3")
        for eq in graph.program.equations {
            XCTAssertLessThanOrEqual(eq.type.rank, 2, "\(eq.name) = \(eq.primitive)")
        }
        return (graph, try CompiledJacobian(graph: graph, order: graph.eliminable).evaluate(inputs: inputs))
    }

    private static func shapeText(_ shape: [Int]) -> String { shape.map(String.init).joined(separator: ",") }
    private static func tuple(_ xs: [Int]) -> String {
        xs.count == 1 ? "(\(xs[0]),)" : "(" + xs.map(String.init).joined(separator: ", ") + ")"
    }

    /// Row-major strides of `shape`.
    private static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        for a in stride(from: shape.count - 2, through: 0, by: -1) { s[a] = s[a + 1] * shape[a + 1] }
        return s
    }

    private static func indices(_ shape: [Int]) -> [[Int]] {
        shape.reduce([[]]) { prefixes, size in prefixes.flatMap { p in (0..<size).map { p + [$0] } } }
    }

    private static func permutations(_ n: Int) -> [[Int]] {
        n == 0
            ? [[]] : permutations(n - 1).flatMap { p in (0...p.count).map { i in Array(p[..<i]) + [n - 1] + p[i...] } }
    }

    /// Every permutation of a rank-3 and of a rank-4 array: the result holds the input's elements
    /// where the permutation puts them, and the Jacobian is that permutation's 0/1 matrix.
    func testEveryTransposeMovesEachElementWhereJaxPutsIt() throws {
        for shape in [[2, 3, 4], [2, 3, 1, 2]] {
            let n = shape.reduce(1, *)
            let x = (0..<n).map { Double($0) * 0.5 - 3 }
            for perm in Self.permutations(shape.count) {
                let target = perm.map { shape[$0] }
                let text = """
                    { lambda ; a:f64[\(n)]. let
                        b:f64[\(Self.shapeText(shape))] = reshape[dimensions=None new_sizes=\(Self.tuple(shape))] a
                        c:f64[\(Self.shapeText(target))] = transpose[permutation=\(Self.tuple(perm))] b
                        d:f64[\(n)] = reshape[dimensions=None new_sizes=(\(n),)] c
                      in (d,) }
                    """
                let (_, result) = try evaluate(text, [x])
                let out = Array(result.output(0, sample: 0))
                let jacobian = Array(result.block(0, 0, sample: 0))
                let (sourceStrides, targetStrides) = (Self.strides(shape), Self.strides(target))
                for index in Self.indices(target) {
                    var source = [Int](repeating: 0, count: shape.count)
                    for (a, v) in index.enumerated() { source[perm[a]] = v }
                    let (i, j) = (
                        zip(index, targetStrides).reduce(0) { $0 + $1.0 * $1.1 },
                        zip(source, sourceStrides).reduce(0) { $0 + $1.0 * $1.1 }
                    )
                    XCTAssertEqual(out[i], x[j], "\(shape) by \(perm) at \(index)")
                    for k in 0..<n { XCTAssertEqual(jacobian[i * n + k], k == j ? 1 : 0, "\(shape) by \(perm)") }
                }
            }
        }
    }

    /// reduce_sum, max, min and prod over every set of axes of a (2, 3, 4) array, against loops;
    /// the sums' and products' Jacobians against finite differences.
    func testReductionsOverEveryAxisSet() throws {
        let shape = [2, 3, 4]
        let x = (0..<24).map { sin(Double($0) * 0.9) + 0.1 }
        for mask in 1..<8 {
            let axes = (0..<3).filter { mask & (1 << $0) != 0 }
            let kept = (0..<3).filter { !axes.contains($0) }
            let resultShape = kept.map { shape[$0] }
            for (primitive, combine, start) in [
                ("reduce_sum", { (a: Double, b: Double) in a + b }, 0.0),
                ("reduce_max", { max($0, $1) }, -Double.infinity),
                ("reduce_min", { min($0, $1) }, Double.infinity), ("reduce_prod", { $0 * $1 }, 1.0),
            ] {
                let count = resultShape.reduce(1, *)
                let text = """
                    { lambda ; a:f64[24]. let
                        b:f64[2,3,4] = reshape[dimensions=None new_sizes=(2, 3, 4)] a
                        c:f64[\(Self.shapeText(resultShape))] = \(primitive)[axes=\(Self.tuple(axes))] b
                        d:f64[\(count)] = reshape[dimensions=None new_sizes=(\(count),)] c
                      in (d,) }
                    """
                let (graph, result) = try evaluate(text, [x])
                var expected = [Double](repeating: start, count: count)
                for index in Self.indices(shape) {
                    let r = kept.reduce(0) { $0 * shape[$1] + index[$1] }
                    expected[r] = combine(expected[r], x[(index[0] * 3 + index[1]) * 4 + index[2]])
                }
                let out = Array(result.output(0, sample: 0))
                for r in 0..<count {
                    XCTAssertEqual(out[r], expected[r], accuracy: 1e-13, "\(primitive) over \(axes)")
                }
                if primitive == "reduce_sum" || primitive == "reduce_prod" {
                    try assertMatchesFiniteDifferences(graph, result, at: [x])
                }
            }
        }
    }

    /// Batched dot_general: the batch axis leading, the batch axis in the middle of the left
    /// operand, and two contracted axes; every element against a loop, the Jacobian against
    /// finite differences.
    func testBatchedProductsMatchLoops() throws {
        let a = (0..<24).map { cos(Double($0) * 0.4) }
        let b = (0..<40).map { sin(Double($0) * 0.3) }
        // (2,3,4)·(2,4,5), batch (0)(0), contract (2)(1) → (2,3,5).
        var text = """
            { lambda ; a:f64[24] b:f64[40]. let
                c:f64[2,3,4] = reshape[dimensions=None new_sizes=(2, 3, 4)] a
                d:f64[2,4,5] = reshape[dimensions=None new_sizes=(2, 4, 5)] b
                e:f64[2,3,5] = dot_general[dimension_numbers=(([2], [1]), ([0], [0])) precision=None preferred_element_type=float64] c d
                f:f64[30] = reshape[dimensions=None new_sizes=(30,)] e
              in (f,) }
            """
        var (graph, result) = try evaluate(text, [a, b])
        var out = Array(result.output(0, sample: 0))
        for n in 0..<2 {
            for i in 0..<3 {
                for j in 0..<5 {
                    let sum = (0..<4).reduce(0.0) { $0 + a[(n * 3 + i) * 4 + $1] * b[(n * 4 + $1) * 5 + j] }
                    XCTAssertEqual(out[(n * 3 + i) * 5 + j], sum, accuracy: 1e-14)
                }
            }
        }
        try assertMatchesFiniteDifferences(graph, result, at: [a, b])
        // (3,2,4)·(2,4,5): batch (1)(0), contract (2)(1) → (2,3,5); and contracting (0,2)(… ) two axes.
        text = """
            { lambda ; a:f64[24] b:f64[40]. let
                c:f64[3,2,4] = reshape[dimensions=None new_sizes=(3, 2, 4)] a
                d:f64[2,4,5] = reshape[dimensions=None new_sizes=(2, 4, 5)] b
                e:f64[2,3,5] = dot_general[dimension_numbers=(([2], [1]), ([1], [0])) precision=None preferred_element_type=float64] c d
                f:f64[30] = reshape[dimensions=None new_sizes=(30,)] e
                g:f64[3,5] = dot_general[dimension_numbers=(([1, 2], [0, 1]), ([], [])) precision=None preferred_element_type=float64] c d
              in (f, g) }
            """
        (graph, result) = try evaluate(text, [a, b])
        out = Array(result.output(0, sample: 0))
        let both = Array(result.output(1, sample: 0))
        for i in 0..<3 {
            for j in 0..<5 {
                var total = 0.0
                for n in 0..<2 {
                    let sum = (0..<4).reduce(0.0) { $0 + a[(i * 2 + n) * 4 + $1] * b[(n * 4 + $1) * 5 + j] }
                    XCTAssertEqual(out[(n * 3 + i) * 5 + j], sum, accuracy: 1e-14)
                    total += sum
                }
                XCTAssertEqual(both[i * 5 + j], total, accuracy: 1e-14)
            }
        }
        try assertMatchesFiniteDifferences(graph, result, at: [a, b])
    }

    /// Pairwise differences x[i] − x[j] by size-1 broadcasting of (4,1,3) and (1,4,3): stored as a
    /// (16, 3) matrix, each element the difference, ∂/∂x ±1 where it should be.
    func testSizeOneAxesBroadcast() throws {
        let x = (0..<12).map { Double($0 * $0) * 0.1 }
        let text = """
            { lambda ; a:f64[4,3]. let
                b:f64[4,1,3] = broadcast_in_dim[broadcast_dimensions=(0, 2) shape=(4, 1, 3) sharding=None] a
                c:f64[1,4,3] = broadcast_in_dim[broadcast_dimensions=(1, 2) shape=(1, 4, 3) sharding=None] a
                d:f64[4,4,3] = sub b c
                e:f64[4,4] = reduce_sum[axes=(2,)] d
                f:f64[4,4,1] = broadcast_in_dim[broadcast_dimensions=(0, 1) shape=(4, 4, 1) sharding=None] e
                g:f64[4,4,3] = mul d f
                h:f64[48] = reshape[dimensions=None new_sizes=(48,)] g
              in (h,) }
            """
        let (graph, result) = try evaluate(text, [x])
        XCTAssertTrue(graph.program.equations.contains { $0.name == "d" && $0.type.shape == [16, 3] })
        let out = Array(result.output(0, sample: 0))
        for i in 0..<4 {
            for j in 0..<4 {
                let row = (0..<3).reduce(0.0) { $0 + x[i * 3 + $1] - x[j * 3 + $1] }
                for k in 0..<3 {
                    XCTAssertEqual(out[(i * 4 + j) * 3 + k], (x[i * 3 + k] - x[j * 3 + k]) * row, accuracy: 1e-12)
                }
            }
        }
        try assertMatchesFiniteDifferences(graph, result, at: [x])
    }

    /// Slices with strides along leading and last axes, and concatenations along each axis.
    func testSlicesAndConcatenations() throws {
        let x = (0..<60).map { Double($0) }
        let good = """
            { lambda ; a:f64[60]. let
                b:f64[3,4,5] = reshape[dimensions=None new_sizes=(3, 4, 5)] a
                c:f64[2,2,2] = slice[limit_indices=(3, 4, 5) start_indices=(1, 0, 1) strides=(1, 2, 3)] b
                d:f64[8] = reshape[dimensions=None new_sizes=(8,)] c
                e:f64[3,2,2] = slice[limit_indices=(3, 2, 2) start_indices=(0, 0, 0) strides=None] b
                f:f64[5,2,2] = concatenate[dimension=0] c e
                g:f64[2,4,2] = concatenate[dimension=1] c c
                h:f64[3,2,4] = concatenate[dimension=2] e e
                i:f64[20] = reshape[dimensions=None new_sizes=(20,)] f
                j:f64[16] = reshape[dimensions=None new_sizes=(16,)] g
                k:f64[24] = reshape[dimensions=None new_sizes=(24,)] h
              in (d, i, j, k) }
            """
        let (_, result) = try evaluate(good, [x])
        func at(_ i: Int, _ j: Int, _ k: Int) -> Double { x[(i * 4 + j) * 5 + k] }
        let c = Self.indices([2, 2, 2]).map { at(1 + $0[0], 2 * $0[1], 1 + 3 * $0[2]) }
        let e = Self.indices([3, 2, 2]).map { at($0[0], $0[1], $0[2]) }
        XCTAssertEqual(Array(result.output(0, sample: 0)), c)
        XCTAssertEqual(Array(result.output(1, sample: 0)), c + e)
        let g = Self.indices([2, 4, 2]).map { i in c[(i[0] * 2 + i[1] % 2) * 2 + i[2]] }
        XCTAssertEqual(Array(result.output(2, sample: 0)), g)
        let h = Self.indices([3, 2, 4]).map { i in e[(i[0] * 2 + i[1]) * 2 + i[2] % 2] }
        XCTAssertEqual(Array(result.output(3, sample: 0)), h)
    }

    /// rev over every set of axes and cumsum along each axis, forward and reversed, against loops.
    func testReversalsAndRunningSums() throws {
        let shape = [2, 3, 4]
        let x = (0..<24).map { Double($0 * 7 % 11) - 4 }
        let st = Self.strides(shape)
        func at(_ i: [Int]) -> Double { x[zip(i, st).reduce(0) { $0 + $1.0 * $1.1 }] }
        for mask in 1..<8 {
            let dims = (0..<3).filter { mask & (1 << $0) != 0 }
            let text = """
                { lambda ; a:f64[24]. let
                    b:f64[2,3,4] = reshape[dimensions=None new_sizes=(2, 3, 4)] a
                    c:f64[2,3,4] = rev[dimensions=\(Self.tuple(dims))] b
                    d:f64[24] = reshape[dimensions=None new_sizes=(24,)] c
                  in (d,) }
                """
            let (_, result) = try evaluate(text, [x])
            let expected = Self.indices(shape).map { i in
                at(i.enumerated().map { dims.contains($0) ? shape[$0] - 1 - $1 : $1 })
            }
            XCTAssertEqual(Array(result.output(0, sample: 0)), expected, "rev \(dims)")
        }
        for axis in 0..<3 {
            for reverse in [false, true] {
                let text = """
                    { lambda ; a:f64[24]. let
                        b:f64[2,3,4] = reshape[dimensions=None new_sizes=(2, 3, 4)] a
                        c:f64[2,3,4] = cumsum[axis=\(axis) reverse=\(reverse ? "True" : "False")] b
                        d:f64[24] = reshape[dimensions=None new_sizes=(24,)] c
                      in (d,) }
                    """
                let (graph, result) = try evaluate(text, [x])
                let expected = Self.indices(shape).map { i in
                    let range = reverse ? Array(i[axis]..<shape[axis]) : Array(0...i[axis])
                    return range.reduce(0.0) { total, k in
                        var j = i
                        j[axis] = k
                        return total + at(j)
                    }
                }
                XCTAssertEqual(Array(result.output(0, sample: 0)), expected, "cumsum along \(axis), reverse \(reverse)")
                try assertMatchesFiniteDifferences(graph, result, at: [x])
            }
        }
    }

    /// pad with low, high, negative (cropping) and interior padding on every axis, the padding
    /// value computed: each element against the rule, ∂/∂value 1 exactly where it pads.
    func testPaddingOfEveryAxis() throws {
        let x = (0..<24).map { Double($0) + 1 }
        let config = [(1, 0, 1), (-1, 2, 0), (0, -1, 2)]
        let shape = [2, 3, 4]
        let padded = (0..<3).map { config[$0].0 + config[$0].1 + shape[$0] + (shape[$0] - 1) * config[$0].2 }
        let count = padded.reduce(1, *)
        let text = """
            { lambda ; a:f64[24] v:f64[]. let
                b:f64[2,3,4] = reshape[dimensions=None new_sizes=(2, 3, 4)] a
                w:f64[] = mul v 2.0
                c:f64[\(Self.shapeText(padded))] = pad[padding_config=(\(config.map { "(\($0.0), \($0.1), \($0.2))" }.joined(separator: ", ")))] b w
                d:f64[\(count)] = reshape[dimensions=None new_sizes=(\(count),)] c
              in (d,) }
            """
        let (graph, result) = try evaluate(text, [x, [0.25]])
        let out = Array(result.output(0, sample: 0))
        let dv = Array(result.block(0, 1, sample: 0))
        for (e, index) in Self.indices(padded).enumerated() {
            var source: [Int]? = []
            for a in 0..<3 {
                let t = index[a] - config[a].0
                if t >= 0, t % (config[a].2 + 1) == 0, t / (config[a].2 + 1) < shape[a] {
                    source?.append(t / (config[a].2 + 1))
                } else {
                    source = nil
                }
            }
            let expected = source.map { x[($0[0] * 3 + $0[1]) * 4 + $0[2]] } ?? 0.5
            XCTAssertEqual(out[e], expected, "\(index)")
            XCTAssertEqual(dv[e], source == nil ? 2 : 0, "\(index)")
        }
        try assertMatchesFiniteDifferences(graph, result, at: [x, [0.25]])
    }

    /// dynamic_slice of a (2, 3, 4) array at run-time starts (integer inputs), in range and out
    /// of it: the window at the starts clamped as XLA clamps them, its Jacobian 1 where it reads.
    func testDynamicSliceClampsEachStart() throws {
        let text = """
            { lambda ; a:f64[24] i:i32[] j:i32[] k:i32[]. let
                b:f64[2,3,4] = reshape[dimensions=None new_sizes=(2, 3, 4)] a
                c:f64[1,2,3] = dynamic_slice[slice_sizes=(1, 2, 3)] b i j k
                d:f64[6] = reshape[dimensions=None new_sizes=(6,)] c
              in (d,) }
            """
        let graph = try ComputationalGraph.fromJaxpr(text, name: "rank3")
        XCTAssertTrue(graph.program.equations.allSatisfy { $0.type.rank <= 2 })
        let x = (0..<24).map { Double($0) * 1.5 - 7 }
        for (i, j, k) in [(0, 0, 0), (1, 1, 1), (-3, 2, 5), (4, -1, -2), (1, 9, 1)] {
            let result = try CompiledJacobian(graph: graph, order: graph.eliminable).evaluate(
                inputs: [x, [Double(i)], [Double(j)], [Double(k)]])
            let (ci, cj, ck) = (min(max(i, 0), 1), min(max(j, 0), 1), min(max(k, 0), 1))
            let read = Self.indices([1, 2, 3]).map { o in ((ci + o[0]) * 3 + cj + o[1]) * 4 + ck + o[2] }
            XCTAssertEqual(Array(result.output(0, sample: 0)), read.map { x[$0] }, "starts \((i, j, k))")
            let jacobian = Array(result.block(0, 0, sample: 0))
            for (e, r) in read.enumerated() {
                for col in 0..<24 { XCTAssertEqual(jacobian[24 * e + col], col == r ? 1 : 0, "starts \((i, j, k))") }
            }
        }
    }

    /// Starts of different integer dtypes: the row terms are converted to one dtype before they
    /// are added (lax.add takes one dtype), and the window is the same as with one dtype.
    func testDynamicSliceAddsRowTermsOfOneDtype() throws {
        func graph(_ t: (String, String, String)) throws -> ComputationalGraph {
            try ComputationalGraph.fromJaxpr(
                """
                { lambda ; a:f64[24] i:\(t.0)[] j:\(t.1)[] k:\(t.2)[]. let
                    b:f64[2,3,4] = reshape[dimensions=None new_sizes=(2, 3, 4)] a
                    c:f64[1,2,3] = dynamic_slice[slice_sizes=(1, 2, 3)] b i j k
                    d:f64[6] = reshape[dimensions=None new_sizes=(6,)] c
                  in (d,) }
                """, name: "mixed")
        }
        let mixed = try graph(("i64", "i32", "i32")), same = try graph(("i32", "i32", "i32"))
        let types = { (e: Equation) in
            Set(
                e.operands.compactMap { o -> String? in
                    if case .literal = o { return nil }
                    return mixed.program.type(of: o).dtype
                })
        }
        let adds = mixed.program.equations.filter { $0.primitive == "add" && $0.type.dtype.hasPrefix("i") }
        XCTAssertFalse(adds.isEmpty)
        for add in adds { XCTAssertEqual(types(add).count, 1, "\(add)") }
        let x = (0..<24).map { Double($0) * 1.5 - 7 }
        for (i, j) in [(1, 1), (-3, 2), (4, 9)] {
            let inputs = [x, [Double(i)], [Double(j)], [1.0]]
            let a = try CompiledJacobian(graph: mixed, order: mixed.eliminable).evaluate(inputs: inputs)
            let b = try CompiledJacobian(graph: same, order: same.eliminable).evaluate(inputs: inputs)
            XCTAssertEqual(Array(a.output(0, sample: 0)), Array(b.output(0, sample: 0)))
        }
    }

    /// A padded, strided, dilated one-channel convolution: out[i] = Σ_k xp[2i + 2k]·w[k] with x
    /// padded by 1 and 2 zeros; ∂out[i]/∂w[k] is exactly that element of xp.
    func testConvolutionIsASumOfSlices() throws {
        let x: [Double] = [0.5, -1.2, 0.7, 2.0, 0.1, -0.4, 0.9, 1.3, -0.8]
        let w: [Double] = [0.3, -0.5, 0.8]
        let text = """
            { lambda ; a:f64[9] b:f64[3]. let
                c:f64[1,1,9] = broadcast_in_dim[broadcast_dimensions=(2,) shape=(1, 1, 9) sharding=None] a
                d:f64[1,1,3] = broadcast_in_dim[broadcast_dimensions=(2,) shape=(1, 1, 3) sharding=None] b
                e:f64[1,1,4] = conv_general_dilated[batch_group_count=1 dimension_numbers=ConvDimensionNumbers(lhs_spec=(0, 1, 2), rhs_spec=(0, 1, 2), out_spec=(0, 1, 2)) feature_group_count=1 lhs_dilation=(1,) padding=((1, 2),) precision=None preferred_element_type=None rhs_dilation=(2,) window_strides=(2,)] c d
                f:f64[4] = reshape[dimensions=None new_sizes=(4,)] e
              in (f,) }
            """
        let (graph, result) = try evaluate(text, [x, w])
        let padded = [0] + x + [0, 0]
        let out = Array(result.output(0, sample: 0))
        let dw = Array(result.block(0, 1, sample: 0))
        XCTAssertEqual(out.count, 4)
        for i in 0..<4 {
            let sum = (0..<3).reduce(0.0) { $0 + padded[2 * i + 2 * $1] * w[$1] }
            XCTAssertEqual(out[i], sum, accuracy: 1e-15)
            for k in 0..<3 { XCTAssertEqual(dw[i * 3 + k], padded[2 * i + 2 * k]) }
        }
        try assertMatchesFiniteDifferences(graph, result, at: [x, w])
    }

    /// Feature groups (`feature_group_count`, a depthwise convolution when every group is one
    /// channel): x (N=2, C=4, W=5) and w (O=6, C/G=2, K=2) in G = 2 groups, stride 1 and padding
    /// (1, 0): filter o reads only the channels of its group, g = o / 3; against the loop over the
    /// definition and finite differences; a depthwise one (G = C = 2, O = 4) too.
    func testGroupedConvolutionsReadTheirGroupsChannels() throws {
        for (c, o, g) in [(4, 6, 2), (2, 4, 2)] {
            let ci = c / g
            let x = (0..<(2 * c * 5)).map { sin(Double($0) * 0.7) },
                w = (0..<(o * ci * 2)).map { cos(Double($0) * 0.9) }
            let text = """
                { lambda ; a:f64[\(2 * c * 5)] b:f64[\(o * ci * 2)]. let
                    c:f64[2,\(c),5] = reshape[dimensions=None new_sizes=(2, \(c), 5)] a
                    d:f64[\(o),\(ci),2] = reshape[dimensions=None new_sizes=(\(o), \(ci), 2)] b
                    e:f64[2,\(o),5] = conv_general_dilated[batch_group_count=1 dimension_numbers=ConvDimensionNumbers(lhs_spec=(0, 1, 2), rhs_spec=(0, 1, 2), out_spec=(0, 1, 2)) feature_group_count=\(g) lhs_dilation=(1,) padding=((1, 0),) precision=None preferred_element_type=None rhs_dilation=(1,) window_strides=(1,)] c d
                    f:f64[\(2 * o * 5)] = reshape[dimensions=None new_sizes=(\(2 * o * 5),)] e
                  in (f,) }
                """
            let (graph, result) = try evaluate(text, [x, w])
            let out = Array(result.output(0, sample: 0))
            for n in 0..<2 {
                for f in 0..<o {
                    let group = f / (o / g)
                    for s in 0..<5 {
                        var sum = 0.0
                        for j in 0..<ci {
                            for k in 0..<2 where s + k - 1 >= 0 {
                                sum += x[(n * c + group * ci + j) * 5 + s + k - 1] * w[(f * ci + j) * 2 + k]
                            }
                        }
                        XCTAssertEqual(out[(n * o + f) * 5 + s], sum, accuracy: 1e-14, "C \(c) n \(n) o \(f) s \(s)")
                    }
                }
            }
            try assertMatchesFiniteDifferences(graph, result, at: [x, w])
        }
    }

    /// Convolutions of several batch elements, channels and filters (ConvolutionExpansion): a 1-D
    /// one padded, strided and dilated in the kernel and the input, and a 2-D one in NHWC with an
    /// HWIO kernel, against index loops over the definition, and their Jacobians against finite
    /// differences.
    func testConvolutionsOfSeveralChannelsMatchLoops() throws {
        // 1-D: x (N=2, C=2, W=5), w (O=3, C=2, K=2), stride 2, kernel dilation 2, input dilation 2,
        // padding (1, 2): the input dilated to 9, padded to 12; out width (12 − 3) / 2 + 1 = 5.
        let x = (0..<20).map { sin(Double($0) * 0.7) }, w = (0..<12).map { cos(Double($0) * 0.9) }
        let oneD = """
            { lambda ; a:f64[20] b:f64[12]. let
                c:f64[2,2,5] = reshape[dimensions=None new_sizes=(2, 2, 5)] a
                d:f64[3,2,2] = reshape[dimensions=None new_sizes=(3, 2, 2)] b
                e:f64[2,3,5] = conv_general_dilated[batch_group_count=1 dimension_numbers=ConvDimensionNumbers(lhs_spec=(0, 1, 2), rhs_spec=(0, 1, 2), out_spec=(0, 1, 2)) feature_group_count=1 lhs_dilation=(2,) padding=((1, 2),) precision=None preferred_element_type=None rhs_dilation=(2,) window_strides=(2,)] c d
                f:f64[30] = reshape[dimensions=None new_sizes=(30,)] e
              in (f,) }
            """
        var (graph, result) = try evaluate(oneD, [x, w])
        var out = Array(result.output(0, sample: 0))
        for n in 0..<2 {
            var padded = [[Double]](repeating: [Double](repeating: 0, count: 12), count: 2)
            for c in 0..<2 { for i in 0..<5 { padded[c][1 + 2 * i] = x[(n * 2 + c) * 5 + i] } }
            for o in 0..<3 {
                for s in 0..<5 {
                    var sum = 0.0
                    for c in 0..<2 { for k in 0..<2 { sum += padded[c][2 * s + 2 * k] * w[(o * 2 + c) * 2 + k] } }
                    XCTAssertEqual(out[(n * 3 + o) * 5 + s], sum, accuracy: 1e-14, "n \(n) o \(o) s \(s)")
                }
            }
        }
        try assertMatchesFiniteDifferences(graph, result, at: [x, w])

        // 2-D, NHWC with an HWIO kernel: x (N=1, H=3, W=4, C=2), w (KH=2, KW=2, I=2, O=3), stride 1,
        // padding ((1, 0), (0, 1)): padded 4×5, out 3×4, result (1, 3, 4, 3).
        let x2 = (0..<24).map { cos(Double($0) * 0.4) }, w2 = (0..<24).map { sin(Double($0) * 1.1) }
        let twoD = """
            { lambda ; a:f64[24] b:f64[24]. let
                c:f64[1,3,4,2] = reshape[dimensions=None new_sizes=(1, 3, 4, 2)] a
                d:f64[2,2,2,3] = reshape[dimensions=None new_sizes=(2, 2, 2, 3)] b
                e:f64[1,3,4,3] = conv_general_dilated[batch_group_count=1 dimension_numbers=ConvDimensionNumbers(lhs_spec=(0, 3, 1, 2), rhs_spec=(3, 2, 0, 1), out_spec=(0, 3, 1, 2)) feature_group_count=1 lhs_dilation=(1, 1) padding=((1, 0), (0, 1)) precision=None preferred_element_type=None rhs_dilation=(1, 1) window_strides=(1, 1)] c d
                f:f64[12,3] = reshape[dimensions=None new_sizes=(12, 3)] e
              in (f,) }
            """
        (graph, result) = try evaluate(twoD, [x2, w2])
        out = Array(result.output(0, sample: 0))
        func input(_ h: Int, _ v: Int, _ c: Int) -> Double {
            let (i, j) = (h - 1, v)  // padded row h is input row h − 1; columns are not shifted
            return i >= 0 && i < 3 && j < 4 ? x2[(i * 4 + j) * 2 + c] : 0
        }
        for h in 0..<3 {
            for v in 0..<4 {
                for o in 0..<3 {
                    var sum = 0.0
                    for kh in 0..<2 {
                        for kw in 0..<2 {
                            for c in 0..<2 { sum += input(h + kh, v + kw, c) * w2[((kh * 2 + kw) * 2 + c) * 3 + o] }
                        }
                    }
                    XCTAssertEqual(out[(h * 4 + v) * 3 + o], sum, accuracy: 1e-14, "h \(h) w \(v) o \(o)")
                }
            }
        }
        try assertMatchesFiniteDifferences(graph, result, at: [x2, w2])
    }

    /// Integer convolutions are written in their own dtype: the input padded with the literal 0
    /// (not 0.0), each kernel position's product a dot_general whose preferred_element_type is
    /// int32 as JAX names it (i8 operands into int32 with lax.conv_general_dilated's
    /// preferred_element_type=int32), and the one-channel convolution RankFlattening writes padded
    /// with 0 too. The jaxprs are as JAX 0.4.38 prints them, the values as it computes them. A
    /// convolution of booleans (which JAX combines by and and or) is refused by name.
    func testIntegerConvolutionsAreWrittenInTheirDtype() throws {
        func convolution(_ lhs: String, _ rhs: String, _ result: String, preferred: String) -> String {
            """
            { lambda ; a:\(lhs) b:\(rhs). let
                c:\(result) = conv_general_dilated[
                  batch_group_count=1
                  dimension_numbers=ConvDimensionNumbers(lhs_spec=(0, 1, 2, 3), rhs_spec=(0, 1, 2, 3), out_spec=(0, 1, 2, 3))
                  feature_group_count=1
                  lhs_dilation=(1, 1)
                  padding=((1, 0), (0, 1))
                  precision=None
                  preferred_element_type=\(preferred)
                  rhs_dilation=(1, 1)
                  window_strides=(1, 1)
                ] a b
              in (c,) }
            """
        }
        let x = (0..<18).map { Double($0 - 4) }, w = (0..<16).map { Double($0 - 3) }
        // lax.conv_general_dilated(x, w, (1, 1), ((1, 0), (0, 1))) of x = arange(18) − 4 as
        // (1, 2, 3, 3) and w = arange(16) − 3 as (2, 2, 2, 2), in i32 and in i8 into int32.
        let expected: [Double] = [43, 49, 23, 96, 100, 42, 108, 112, 42, 75, 113, 63, 256, 324, 170, 460, 528, 266]
        for text in [
            convolution("i32[1,2,3,3]", "i32[2,2,2,2]", "i32[1,2,3,3]", preferred: "None"),
            convolution("i8[1,2,3,3]", "i8[2,2,2,2]", "i32[1,2,3,3]", preferred: "int32"),
        ] {
            let (graph, result) = try evaluate(text, [x, w])
            XCTAssertEqual(Array(result.output(0, sample: 0)), expected, text)
            XCTAssertEqual(
                graph.program.equations.filter { $0.primitive == "pad" }.map { $0.operands.last }, [.literal("0", nil)])
            XCTAssertEqual(graph.program.equations.filter { $0.primitive == "dot_general" }.count, 4)
            assertDtypesAgree(graph)
        }
        // One channel in one dimension (RankFlattening's own): lax.conv_general_dilated(x, k, (1,),
        // ((1, 1),)) of x = [3, −1, 4, 1, −5] and k = [2, −1].
        let oneChannel = """
            { lambda ; a:i32[1,1,5] b:i32[1,1,2]. let
                c:i32[1,1,6] = conv_general_dilated[
                  batch_group_count=1
                  dimension_numbers=ConvDimensionNumbers(lhs_spec=(0, 1, 2), rhs_spec=(0, 1, 2), out_spec=(0, 1, 2))
                  feature_group_count=1
                  lhs_dilation=(1,)
                  padding=((1, 1),)
                  precision=None
                  preferred_element_type=None
                  rhs_dilation=(1,)
                  window_strides=(1,)
                ] a b
              in (c,) }
            """
        let (graph, result) = try evaluate(oneChannel, [[3, -1, 4, 1, -5], [2, -1]])
        XCTAssertEqual(Array(result.output(0, sample: 0)), [-3, 7, -6, 7, 7, -10])
        assertDtypesAgree(graph)
        let booleans = convolution("bool[1,2,3,3]", "bool[2,2,2,2]", "bool[1,2,3,3]", preferred: "None")
        XCTAssertThrowsError(try ComputationalGraph.fromJaxpr(booleans, name: "bool")) { error in
            XCTAssertEqual((error as? ImportError)?.line, 2)
            XCTAssertTrue("\(error)".contains("booleans combine by and and or"), "\(error)")
        }
    }

    /// What is not written is refused by name and line: `sort` of a rank-3 value, a convolution
    /// with batch groups, results declared with the wrong shape. (Inputs, constants and
    /// results of rank 3 are stored as matrices too: BoundaryShapesTests.)
    func testRefusalsNameTheLine() {
        func refusal(_ text: String) -> ImportError? {
            do {
                _ = try ComputationalGraph.fromJaxpr(text, name: "rank3")
                return nil
            } catch { return error }
        }
        // A nested body's closed-over constant of rank 3 (it crashed before session 21's check,
        // was refused at import until inputs of rank 3 were) is stored as a matrix.
        XCTAssertNil(
            refusal(
                """
                { lambda ; a:f64[8]. let
                    b:f64[8] = pjit[name=f jaxpr={ lambda c:f64[2,2,2]; d:f64[8]. let
                        e:f64[2,2,2] = reshape[dimensions=None new_sizes=(2, 2, 2)] d
                        f:f64[2,2,2] = mul e c
                        g:f64[8] = reshape[dimensions=None new_sizes=(8,)] f
                      in (g,) }] a
                  in (b,) }
                """))
        let sorted = refusal(
            """
            { lambda ; a:f64[8]. let
                b:f64[2,2,2] = reshape[dimensions=None new_sizes=(2, 2, 2)] a
                c:f64[2,2,2] = sort[dimension=2 is_stable=True num_keys=1] b
                d:f64[8] = reshape[dimensions=None new_sizes=(8,)] c
              in (d,) }
            """)
        XCTAssertEqual(sorted?.line, 3)
        XCTAssertTrue(sorted?.message.contains("'sort' of a rank-3 value") ?? false, sorted?.message ?? "")
        // A result the jaxpr declares with the wrong shape is an error, not a crash.
        for (primitive, declared) in [
            ("rev[dimensions=(0,)]", "2,2"), ("cumsum[axis=1 reverse=False]", "2,4"),
            ("transpose[permutation=(1, 0, 2)]", "4,2"),
            ("reduce_sum[axes=(1,)]", "2,2,1"),
        ] {
            let wrong = refusal(
                """
                { lambda ; a:f64[8]. let
                    b:f64[2,2,2] = reshape[dimensions=None new_sizes=(2, 2, 2)] a
                    c:f64[\(declared)] = \(primitive) b
                    d:f64[4] = reshape[dimensions=None new_sizes=(4,)] c
                  in (d,) }
                """)
            XCTAssertEqual(wrong?.kind, .shapeMismatch, primitive)
            XCTAssertEqual(wrong?.line, 3, primitive)
        }
        // Feature groups (a depthwise convolution) import; batch groups are refused by name.
        func convolution(_ groups: String) -> String {
            """
            { lambda ; a:f64[10] b:f64[6]. let
                c:f64[1,2,5] = reshape[dimensions=None new_sizes=(1, 2, 5)] a
                d:f64[2,1,3] = reshape[dimensions=None new_sizes=(2, 1, 3)] b
                e:f64[1,2,3] = conv_general_dilated[\(groups) dimension_numbers=ConvDimensionNumbers(lhs_spec=(0, 1, 2), rhs_spec=(0, 1, 2), out_spec=(0, 1, 2)) lhs_dilation=(1,) padding=((0, 0),) precision=None preferred_element_type=None rhs_dilation=(1,) window_strides=(1,)] c d
                f:f64[6] = reshape[dimensions=None new_sizes=(6,)] e
              in (f,) }
            """
        }
        XCTAssertNil(refusal(convolution("batch_group_count=1 feature_group_count=2")))
        let batched = refusal(convolution("batch_group_count=2 feature_group_count=1"))
        XCTAssertEqual(batched?.line, 4)
        XCTAssertTrue(batched?.message.contains("batch groups") ?? false, batched?.message ?? "")
    }
}
