import Foundation
import TestFixtures
import XCTest
import Elimination
@testable import Jacobian

/// Every primitive the importer accepts, in a small program, against central finite differences
/// (Float64), in forward and reverse order; a few also against hand-computed values.
final class PrimitiveTests: XCTestCase {
    /// Evaluates `text` at `inputs` and compares the Jacobian with finite differences; returns the
    /// forward-order result for further checks.
    @discardableResult
    func check(
        _ text: String, _ inputs: [[Double]], tolerance: Double = 1e-6, file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> JacobianResult {
        let graph = try ComputationalGraph.fromJaxpr(text, name: "case")
        let fd = try FiniteDifferences.jacobian(of: graph, at: inputs)
        var results: [JacobianResult] = []
        for order in [graph.eliminable, graph.eliminable.reversed()] {
            let r = try CompiledJacobian(graph: graph, order: order).evaluate(inputs: inputs)
            var worst = 0.0
            for o in fd.indices {
                for k in fd[o].indices { worst = max(worst, maxRelativeDifference(r.block(o, k, sample: 0), fd[o][k])) }
            }
            print(
                "\(graph.program.equations.map(\.primitive).joined(separator: ",")): max rel diff vs finite differences \(worst)"
            )
            XCTAssertLessThan(worst, tolerance, text, file: file, line: line)
            results.append(r)
        }
        XCTAssertLessThan(
            results[0].maxJacobianDifference(to: results[1]), 1e-12, "forward and reverse differ", file: file,
            line: line)
        return results[0]
    }

    func testUnaryElementwise() throws {
        for f in [
            "neg", "abs", "exp", "log", "log1p", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
            "asinh", "atanh", "square", "sqrt", "rsqrt", "logistic", "erf", "erfc", "exp2", "cbrt", "lgamma",
            "digamma", "erf_inv", "bessel_i0e", "bessel_i1e",
        ] {
            try check(
                "{ lambda ; a:f32[3]. let b:f32[3] = \(f) a; c:f32[3] = mul b a in (c,) }",
                [[0.3, -0.45, 0.7].map { f == "log" || f == "sqrt" || f == "rsqrt" ? abs($0) : $0 }])
        }
        try check("{ lambda ; a:f32[2]. let b:f32[2] = acosh a in (b,) }", [[1.5, 2.5]])
        // jax.scipy.special's functions across their domains: gammaln and digamma at large x, near
        // digamma's root 1.4616 and at negative non-integers (reflection); erfinv near ±1; i0e and
        // i1e near 0, both sides of the switch to the asymptotic series at 20, and < 0.
        for (f, points) in [
            ("lgamma", [2.5, 1.4616, 30.0, -2.7, -0.2]), ("digamma", [2.5, 1.4616, 30.0, -2.7, -0.2]),
            ("erf_inv", [0.05, -0.6, 0.99, -0.995, 0.5]), ("bessel_i0e", [0.01, 19.0, 21.0, -7.5, 0.4]),
            ("bessel_i1e", [0.01, 19.0, 21.0, -7.5, -0.4]),
        ] {
            try check("{ lambda ; a:f64[5]. let b:f64[5] = \(f) a in (b,) }", [points])
        }
        // At 0, where the second derivatives jump (finite differences are off by h/2), JAX's values:
        // i0e′(0) = i1e(0) = 0 and i1e′(0) = 1/2.
        let bessel = try ComputationalGraph.fromJaxpr(
            "{ lambda ; a:f64[]. let b:f64[] = bessel_i0e a; c:f64[] = bessel_i1e a in (b, c) }", name: "bessel")
        let atZero = try CompiledJacobian(graph: bessel, order: bessel.eliminable).evaluate(inputs: [[0]])
        XCTAssertEqual(Array(atZero.output(0, sample: 0)) + Array(atZero.output(1, sample: 0)), [1, 0])
        XCTAssertEqual(Array(atZero.block(0, 0, sample: 0)) + Array(atZero.block(1, 0, sample: 0)), [0, 0.5])
        for y in [-2, 0, 1, 3] {
            try check(
                "{ lambda ; a:f32[2,2]. let b:f32[2,2] = integer_pow[y=\(y)] a in (b,) }", [[0.5, 1.5, -0.7, 2.0]])
        }
    }

    func testBinaryWithBroadcasting() throws {
        // rem's operands are chosen so that no quotient is near an integer (where rem jumps).
        for f in ["add", "sub", "mul", "div", "atan2", "max", "min", "pow", "add_any", "rem"] {
            // Matrix with matrix, with a scalar, with a row and with a column.
            try check(
                "{ lambda ; a:f32[2,3] b:f32[2,3]. let c:f32[2,3] = \(f) a b in (c,) }",
                [[0.5, 0.7, 0.9, 1.1, 1.3, 1.6], [0.4, 0.8, 1.0, 0.2, 1.2, 1.5]])
            try check(
                "{ lambda ; a:f32[2,3] b:f32[]. let c:f32[2,3] = \(f) a b in (c,) }",
                [[0.5, 0.7, 0.9, 1.1, 1.3, 1.6], [0.6]])
            try check(
                "{ lambda ; a:f32[1,3] b:f32[2,3]. let c:f32[2,3] = \(f) a b in (c,) }",
                [[0.5, 0.7, 0.9], [0.4, 0.8, 1.0, 0.2, 1.2, 1.5]])
            try check(
                "{ lambda ; a:f32[2,3] b:f32[2,1]. let c:f32[2,3] = \(f) a b in (c,) }",
                [[0.5, 0.7, 0.9, 1.1, 1.3, 1.6], [0.65, 1.25]])
        }
        // The same operand twice: one edge whose partial sums both positions, d(a·a)/da = 2a.
        let r = try check("{ lambda ; a:f32[2]. let b:f32[2] = mul a a in (b,) }", [[0.5, -2.0]])
        XCTAssertEqual(Array(r.block(0, 0, sample: 0)), [1.0, 0, 0, -4.0])
        // Literals on either side.
        try check("{ lambda ; a:f32[]. let b:f32[] = div 2.0 a; c:f32[] = pow b 1.5:f32[] in (c,) }", [[0.7]])
    }

    func testTiesAndComparisonsFollowJax() throws {
        // max/min at a tie share the derivative (0.5 each); eq has derivative zero.
        let g = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[] b:f32[]. let c:f32[] = max a b; d:f32[] = min a b; e:f32[] = eq a b; f:f32[] = add c e in (f, d) }
            """, name: "ties")
        let r = try CompiledJacobian(graph: g, order: g.eliminable).evaluate(inputs: [[1.0], [1.0]])
        XCTAssertEqual(Array(r.output(0, sample: 0)), [2.0])
        XCTAssertEqual(Array(r.block(0, 0, sample: 0)), [0.5])
        XCTAssertEqual(Array(r.block(1, 1, sample: 0)), [0.5])
        // reduce_max with a tied maximum: JAX splits the derivative among the ties.
        let m = try ComputationalGraph.fromJaxpr(
            "{ lambda ; a:f32[4]. let b:f32[] = reduce_max[axes=(0,)] a in (b,) }", name: "rmax")
        let rm = try CompiledJacobian(graph: m, order: []).evaluate(inputs: [[3, 1, 3, 2]])
        XCTAssertEqual(Array(rm.block(0, 0, sample: 0)), [0.5, 0, 0.5, 0])
        // abs at 0 has derivative +1 in JAX.
        let a = try ComputationalGraph.fromJaxpr("{ lambda ; a:f32[]. let b:f32[] = abs a in (b,) }", name: "abs")
        XCTAssertEqual(
            Array(try CompiledJacobian(graph: a, order: []).evaluate(inputs: [[0]]).block(0, 0, sample: 0)), [1])
    }

    /// logaddexp (cumlogsumexp's combination, BinaryFunction.logaddexp): against finite
    /// differences, then values and partials where JAX's custom rule decides them (printed by
    /// jax 0.4.38's `jax.grad` of `jax._src.lax.other.logaddexp`): 1/2 each at a tie, +inf read as
    /// 0, NaN from −inf − (−inf).
    func testLogAddExpFollowsJaxRule() throws {
        try check(
            "{ lambda ; a:f64[3] b:f64[3]. let c:f64[3] = logaddexp a b in (c,) }",
            [[0.3, 1.0, -4.0], [-0.2, -2.0, 5.0]])
        let f = BinaryFunction.logaddexp
        let inf = Double.infinity
        for (x, y, z, dx, dy) in [
            (0.3, 0.3, 0.9931471805599452, 0.5000000000000001, 0.5000000000000001),
            (1.0, -2.0, 1.048587351573742, 0.9525741268224333, 0.04742587317756678),
            (-inf, 1.0, 1.0, 0.0, 1.0), (inf, 1.0, inf, 1.0, 2.718281828459045), (inf, inf, inf, 1.0, 1.0),
            (1e300, 1e300, 1e300, 1.0, 1.0),
        ] {
            let value = f.value(x, y)
            XCTAssertEqual(value, z, accuracy: 1e-15 * max(1, abs(z)), "\(x), \(y)")
            XCTAssertEqual(f.partial(0, x, y, value), dx, accuracy: 1e-15, "\(x), \(y)")
            XCTAssertEqual(f.partial(1, x, y, value), dy, accuracy: 1e-15, "\(x), \(y)")
        }
        XCTAssertEqual(f.value(-inf, -inf), -inf)
        XCTAssertTrue(f.partial(0, -inf, -inf, -inf).isNaN)
        XCTAssertTrue(f.value(.nan, 1.0).isNaN)
        XCTAssertTrue(f.partial(1, .nan, 1.0, .nan).isNaN)
    }

    /// clamp(lo, x, hi): between finite-difference checks away from the bounds, JAX's partials at
    /// the bounds themselves: 0 for every operand at a tie, lo's 1 only where x < lo < hi.
    func testClampFollowsJax() throws {
        try check(
            "{ lambda ; a:f32[4]. let b:f32[4] = clamp -0.25:f32[] a 0.5:f32[]; c:f32[4] = mul b a in (c,) }",
            [[0.3, -0.6, 0.7, 0.1]])
        try check(
            "{ lambda ; l:f32[4] a:f32[4] h:f32[]. let b:f32[4] = clamp l a h in (b,) }",
            [[0.1, 0.4, -0.5, 0.2], [0.3, -0.6, 0.7, 1.7], [0.9]])
        let g = try ComputationalGraph.fromJaxpr(
            "{ lambda ; l:f32[4] a:f32[4] h:f32[4]. let b:f32[4] = clamp l a h in (b,) }", name: "clamp")
        // x at lo, x at hi, x below lo, and x below lo where lo ≥ hi (lo's partial 0, value hi).
        let r = try CompiledJacobian(graph: g, order: []).evaluate(
            inputs: [[1, 0, 1, 3], [1, 2, 0.5, 1], [2, 2, 2, 2]])
        XCTAssertEqual(Array(r.output(0, sample: 0)), [1, 2, 1, 2])
        let diagonal = { (k: Int) in (0..<4).map { r.block(0, k, sample: 0)[$0 * 4 + $0] } }
        XCTAssertEqual(diagonal(0), [0, 0, 1, 0])
        XCTAssertEqual(diagonal(1), [0, 0, 0, 0])
        XCTAssertEqual(diagonal(2), [0, 0, 0, 0])
    }

    /// round: rounding_method 0 rounds halves away from zero, 1 to even; derivative 0; another
    /// method is refused by name.
    func testRoundingMethods() throws {
        for (method, expected) in [(0, [1.0, 2, -3, -1, 0]), (1, [0.0, 2, -2, -1, 0])] {
            let g = try ComputationalGraph.fromJaxpr(
                "{ lambda ; a:f32[5]. let b:f32[5] = round[rounding_method=\(method)] a in (b,) }", name: "round")
            let r = try CompiledJacobian(graph: g, order: []).evaluate(inputs: [[0.5, 1.5, -2.5, -0.7, 0.2]])
            XCTAssertEqual(Array(r.output(0, sample: 0)), expected, "rounding_method \(method)")
            XCTAssertEqual(Array(r.block(0, 0, sample: 0)), [Double](repeating: 0, count: 25))
        }
        let g = try ComputationalGraph.fromJaxpr(
            "{ lambda ; a:f32[2]. let b:f32[2] = round[rounding_method=2] a; c:f32[2] = mul b a in (c,) }",
            name: "round")
        XCTAssertThrowsError(try CompiledJacobian(graph: g, order: g.eliminable).evaluate(inputs: [[0.5, 1.5]])) {
            error in
            XCTAssertTrue("\(error)".contains("rounding_method 2"), "\(error)")
        }
    }

    /// argmax/argmin: the first extremum along the axis, the first NaN when there is one; no partial.
    func testArgExtremaPickTheFirst() throws {
        let g = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[4] m:f32[2,3]. let b:i32[] = argmax[axes=(0,) index_dtype=int32] a; c:i32[3] = argmin[axes=(0,) index_dtype=int32] m; d:f32[] = convert_element_type[new_dtype=float32 weak_type=False] b; e:f32[4] = mul a d in (e, c) }
            """, name: "arg")
        let m = [0.5, -1.0, 2.0, 0.5, -3.0, 2.0]
        for (a, index) in [([1.0, 3, 3, 2], 1.0), ([1.0, .nan, 5, .nan], 1), ([-2.0, -2, -2, -1], 3)] {
            let r = try CompiledJacobian(graph: g, order: g.eliminable).evaluate(inputs: [a, m])
            XCTAssertEqual(
                Array(r.output(0, sample: 0)).map { $0.isNaN ? -1 : $0 }, a.map { $0.isNaN ? -1 : $0 * index })
            XCTAssertEqual(Array(r.block(0, 0, sample: 0)), (0..<16).map { $0 % 5 == 0 ? index : 0 })
            XCTAssertEqual(Array(r.output(1, sample: 0)), [0, 1, 0])
        }
    }

    /// lt_to, le_to, eq_to: the total order, −0 before +0, NaN after every number and equal to NaN.
    func testTotalOrderComparisons() throws {
        let g = try ComputationalGraph.fromJaxpr(
            "{ lambda ; a:f32[5] b:f32[5]. let c:bool[5] = lt_to a b; d:bool[5] = le_to a b; e:bool[5] = eq_to a b in (c, d, e) }",
            name: "to")
        let r = try CompiledJacobian(graph: g, order: []).evaluate(inputs: [
            [-0.0, 0, 1, .nan, .nan], [0, -0.0, .nan, 1, .nan],
        ])
        XCTAssertEqual(Array(r.output(0, sample: 0)), [1, 0, 1, 0, 0])
        XCTAssertEqual(Array(r.output(1, sample: 0)), [1, 0, 1, 0, 1])
        XCTAssertEqual(Array(r.output(2, sample: 0)), [0, 0, 0, 0, 1])
    }

    /// sort: ascending along the dimension, NaN last, equal elements in their order (the partial
    /// follows the permutation: the tied element's derivative goes to the earlier one first).
    func testSortIsStableWithNaNLast() throws {
        try check(
            "{ lambda ; a:f32[2,3]. let b:f32[2,3] = sort[dimension=1 is_stable=True num_keys=1] a; c:f32[2,3] = sin b in (c,) }",
            [[0.5, -0.7, 0.9, 1.1, 1.3, -1.6]])
        let g = try ComputationalGraph.fromJaxpr(
            "{ lambda ; a:f32[5]. let b:f32[5] = sort[dimension=0 is_stable=True num_keys=1] a in (b,) }", name: "s")
        let r = try CompiledJacobian(graph: g, order: []).evaluate(inputs: [[2, .nan, -1, 2, 0]])
        XCTAssertEqual(Array(r.output(0, sample: 0)).map { $0.isNaN ? 99 : $0 }, [-1, 0, 2, 2, 99])
        // Row i of the partial is 1 in the column of the element sorted to position i.
        let columns = (0..<5).map { i in (0..<5).first { r.block(0, 0, sample: 0)[i * 5 + $0] == 1 } }
        XCTAssertEqual(columns, [2, 4, 0, 3, 1])
    }

    func testDotGeneral() throws {
        let m23 = [0.5, -0.7, 0.9, 1.1, 1.3, -1.6], m34 = (0..<12).map { 0.1 * Double($0) - 0.5 }
        try check(
            "{ lambda ; a:f32[2,3] b:f32[3]. let c:f32[2] = dot_general[dimension_numbers=(([1], [0]), ([], []))] a b in (c,) }",
            [m23, [0.2, 0.4, -0.3]])
        try check(
            "{ lambda ; a:f32[2,3] b:f32[3,4]. let c:f32[2,4] = dot_general[dimension_numbers=(([1], [0]), ([], [])) preferred_element_type=float32] a b; d:f32[2,4] = tanh c in (d,) }",
            [m23, m34])
        try check(
            "{ lambda ; a:f32[3,2] b:f32[3,4]. let c:f32[2,4] = dot_general[dimension_numbers=(([0], [0]), ([], []))] a b in (c,) }",
            [m23, m34])
        try check(
            "{ lambda ; a:f32[2,3] b:f32[4,3]. let c:f32[2,4] = dot_general[dimension_numbers=(([1], [1]), ([], []))] a b in (c,) }",
            [m23, m34])
        try check(
            "{ lambda ; a:f32[3] b:f32[3]. let c:f32[] = dot_general[dimension_numbers=(([0], [0]), ([], []))] a b in (c,) }",
            [[1, 2, 3], [0.5, -1, 2]])
        // A batch dimension (vmapped products on rank ≤ 2).
        try check(
            "{ lambda ; a:f32[2,3] b:f32[2,3]. let c:f32[2] = dot_general[dimension_numbers=(([1], [1]), ([0], [0]))] a b in (c,) }",
            [m23, m23.map { $0 * 0.3 + 0.1 }])
        // x·x: one operand on both sides.
        try check(
            "{ lambda ; a:f32[3]. let c:f32[] = dot_general[dimension_numbers=(([0], [0]), ([], []))] a a in (c,) }",
            [[1, -2, 3]])
    }

    /// dot_generals the matrix rules cannot label, written out as products and sums
    /// (ProductExpansion): values by hand, Jacobians against finite differences.
    func testDotGeneralWithoutOneContractedDimension() throws {
        let m23 = [0.5, -0.7, 0.9, 1.1, 1.3, -1.6], m32 = [0.2, 0.4, -0.3, 0.8, -1.2, 0.6]
        // Outer product of two vectors: c[i][j] = a[i]·b[j].
        var r = try check(
            "{ lambda ; a:f32[2] b:f32[3]. let c:f32[2,3] = dot_general[dimension_numbers=(([], []), ([], []))] a b in (c,) }",
            [[2, -1], [0.5, 1.5, -3]])
        XCTAssertEqual(r.outputs[0], [1, 3, -6, -0.5, -1.5, 3])
        // Scalars (einsum("i,j,k->") after its sums) and a matrix times a vector without contraction.
        r = try check(
            "{ lambda ; a:f32[] b:f32[]. let c:f32[] = dot_general[dimension_numbers=(([], []), ([], []))] a b in (c,) }",
            [[2], [-1.5]])
        XCTAssertEqual(r.outputs[0], [-3])
        try check(
            "{ lambda ; a:f32[2,3] b:f32[2]. let c:f32[2,3,2] = dot_general[dimension_numbers=(([], []), ([], []))] a b; d:f32[2,2] = reduce_sum[axes=(1,)] c in (d,) }",
            [m23, [0.3, -0.8]])
        // Two contracted dimensions, in the same and in transposed order: Σ a∘b and Σ a∘bᵀ.
        r = try check(
            "{ lambda ; a:f32[2,3] b:f32[2,3]. let c:f32[] = dot_general[dimension_numbers=(([0, 1], [0, 1]), ([], []))] a b in (c,) }",
            [m23, m23])
        XCTAssertEqual(r.outputs[0][0], m23.map { $0 * $0 }.reduce(0, +), accuracy: 1e-12)
        r = try check(
            "{ lambda ; a:f32[2,3] b:f32[3,2]. let c:f32[] = dot_general[dimension_numbers=(([0, 1], [1, 0]), ([], []))] a b in (c,) }",
            [m23, m32])
        var transposedSum = 0.0
        for i in 0..<2 {
            for j in 0..<3 { transposedSum += m23[i * 3 + j] * m32[j * 2 + i] }
        }
        XCTAssertEqual(r.outputs[0][0], transposedSum, accuracy: 1e-12)
        // A batched outer product, bi,bj->bij, and a batched elementwise product, bi,bi->bi.
        try check(
            "{ lambda ; a:f32[2,3] b:f32[2,2]. let c:f32[2,3,2] = dot_general[dimension_numbers=(([], []), ([0], [0]))] a b; d:f32[3,2] = reduce_sum[axes=(0,)] c in (d,) }",
            [m23, [0.3, -0.8, 1.1, 0.4]])
        r = try check(
            "{ lambda ; a:f32[2,3] b:f32[2,3]. let c:f32[2,3] = dot_general[dimension_numbers=(([], []), ([0, 1], [0, 1]))] a b in (c,) }",
            [m23, m32])
        XCTAssertEqual(r.outputs[0], zip(m23, m32).map { $0 * $1 })
    }

    /// A dot_general written out (ProductExpansion) whose preferred_element_type is not its
    /// operands' dtype converts each operand first, so the broadcasts, the mul and the sum are all
    /// in the result's dtype. The jaxprs are as JAX 0.4.38 prints lax.dot_general(a, b, dims,
    /// preferred_element_type=…); the values are JAX's, the Jacobians against finite differences.
    func testDotGeneralIntoAPreferredElementTypeConvertsItsOperands() throws {
        /// lax.dot_general(a, b, `dimensions`, preferred_element_type=`preferred`) as JAX prints it.
        func product(_ a: String, _ b: String, _ c: String, _ dimensions: String, _ preferred: String) -> String {
            """
            { lambda ; a:\(a) b:\(b). let
                c:\(c) = dot_general[
                  dimension_numbers=\(dimensions)
                  preferred_element_type=\(preferred)
                ] a b
              in (c,) }
            """
        }
        let outer = product("f32[2]", "f32[3]", "f64[2,3]", "(([], []), ([], []))", "float64")
        var r = try check(outer, [[1.5, -2], [0.5, 1.5, -3]])
        XCTAssertEqual(r.outputs[0], [0.75, 2.25, -4.5, -1.0, -3.0, 6.0])
        var graph = try ComputationalGraph.fromJaxpr(outer, name: "outer")
        XCTAssertEqual(graph.program.equations.filter { $0.primitive == "convert_element_type" }.count, 2)
        assertDtypesAgree(graph)
        let contracted = product("f32[2,3]", "f32[2,3]", "f64[]", "(([0, 1], [0, 1]), ([], []))", "float64")
        r = try check(contracted, [[1, -2, 3, 4, -5, 6], [0.5, 1.5, -3, 2, 0.25, -1]])
        XCTAssertEqual(r.outputs[0], [-10.75])
        assertDtypesAgree(try ComputationalGraph.fromJaxpr(contracted, name: "contracted"))
        graph = try ComputationalGraph.fromJaxpr(
            product("i8[2]", "i8[3]", "i32[2,3]", "(([], []), ([], []))", "int32"), name: "integers")
        assertDtypesAgree(graph)
        r = try CompiledJacobian(graph: graph, order: graph.eliminable).evaluate(inputs: [[1, -2], [0, 1, -3]])
        XCTAssertEqual(Array(r.output(0, sample: 0)), [0, 1, -3, 0, -2, 6])
    }

    /// Pooling and moving sums (WindowReduction): values by hand, Jacobians against finite
    /// differences.
    func testWindowReductions() throws {
        let m34 = [0.5, -0.7, 0.9, 1.1, 1.3, -1.6, 0.2, 0.4, -0.3, 0.8, -1.2, 0.6]
        func params(
            _ window: String, _ strides: String, _ padding: String, base: String = "(1, 1)", dilation: String = "(1, 1)"
        ) -> String {
            "base_dilation=\(base) padding=\(padding) window_dilation=\(dilation) window_dimensions=\(window) window_strides=\(strides)"
        }
        // Max pool 2×2, stride 1: the largest of each 2×2 block.
        var r = try check(
            "{ lambda ; a:f32[3,4]. let b:f32[2,3] = reduce_window_max[\(params("(2, 2)", "(1, 1)", "((0, 0), (0, 0))"))] a in (b,) }",
            [m34])
        XCTAssertEqual(r.outputs[0], [1.3, 0.9, 1.1, 1.3, 0.8, 0.6])
        // Sum pool 2×2, stride 2, padded below and right (SAME): the last row of windows sees one row.
        r = try check(
            "{ lambda ; a:f32[3,4]. let b:f32[2,2] = reduce_window_sum[\(params("(2, 2)", "(2, 2)", "((0, 1), (0, 0))"))] a in (b,) }",
            [m34])
        XCTAssertEqual(r.outputs[0][0], 0.5 - 0.7 + 1.3 - 1.6, accuracy: 1e-12)
        XCTAssertEqual(r.outputs[0][3], -1.2 + 0.6, accuracy: 1e-12)
        try check(
            "{ lambda ; a:f32[3,4]. let b:f32[1,4] = reduce_window_min[\(params("(3, 1)", "(1, 1)", "((0, 0), (0, 0))"))] a in (b,) }",
            [m34])
        // Window and base dilation.
        try check(
            "{ lambda ; a:f32[3,4]. let b:f32[4,2] = reduce_window_sum[\(params("(2, 2)", "(1, 1)", "((0, 0), (0, 0))", base: "(2, 1)", dilation: "(1, 2)"))] a in (b,) }",
            [m34])
        // The generic form: a product with the identity, a sum whose initial value 0.5 counts once
        // per window and whose padding counts not at all (as lax.reduce_window computes it).
        try check(
            "{ lambda ; a:f32[3,4]. let b:f32[1,2] = reduce_window[base_dilation=(1, 1) consts=() jaxpr={ lambda ; c:f32[] d:f32[]. let e:f32[] = mul c d in (e,) } padding=((0, 0), (0, 0)) window_dilation=(1, 1) window_dimensions=(2, 2) window_strides=(2, 2)] a 1.0 in (b,) }",
            [m34])
        r = try check(
            "{ lambda ; a:f32[3,4]. let b:f32[3,4] = reduce_window[base_dilation=(1, 1) consts=() jaxpr={ lambda ; c:f32[] d:f32[]. let e:f32[] = add c d in (e,) } padding=((1, 0), (0, 1)) window_dilation=(1, 1) window_dimensions=(2, 2) window_strides=(1, 1)] a 0.5 in (b,) }",
            [m34])
        XCTAssertEqual(r.outputs[0][0], 0.5 + 0.5 - 0.7, accuracy: 1e-12)
        // lax.reduce_window prints [0.3, 0.7, 2.5, 1.6, 0.0, -0.7, 3.1, 2.0, 0.7, -1.3, 0.5, 1.5].
        XCTAssertEqual(r.outputs[0][11], 0.5 + 0.4 + 0.6, accuracy: 1e-12)
        XCTAssertEqual(r.outputs[0][6], 0.5 + 0.9 + 1.1 + 0.2 + 0.4, accuracy: 1e-12)
        XCTAssertThrowsError(
            try ComputationalGraph.fromJaxpr(
                "{ lambda ; a:f32[3,4] z:f32[]. let b:f32[2,3] = reduce_window[base_dilation=(1, 1) consts=() jaxpr={ lambda ; c:f32[] d:f32[]. let e:f32[] = add c d in (e,) } padding=((0, 0), (0, 0)) window_dilation=(1, 1) window_dimensions=(2, 2) window_strides=(1, 1)] a z in (b,) }",
                name: "w")
        ) { XCTAssertTrue("\($0)".contains("initial value"), "\($0)") }
    }

    /// Window reductions of integers and booleans (an integer max pool, a moving count) pad with
    /// their dtype's identity, as JAX pads them (lax._get_max_identity): i32's least value for a
    /// max, its greatest for a min, 0 for a sum, False and True for a boolean max and min, where a
    /// float literal (-inf) is no i32. The jaxprs are as JAX 0.4.38 prints lax.reduce_window(x,
    /// init, op, (2, 2), (1, 1), ((1, 0), (0, 1))) with init the identity (the named forms) or 0 (the
    /// generic one), the values as it computes them.
    func testIntegerAndBooleanWindowReductionsPadWithTheirDtypesIdentity() throws {
        let x: [Double] = [-5, -2, -2, 5, -1, -3, 4, 0, -4, 3, -1, -5]
        /// A named window reduction of a 3×4 `dtype` operand, as JAX prints it.
        func named(_ reduction: String, _ dtype: String) -> String {
            """
            { lambda ; a:\(dtype)[3,4]. let
                b:\(dtype)[3,4] = \(reduction)[
                  base_dilation=(1, 1)
                  padding=((1, 0), (0, 1))
                  window_dilation=(1, 1)
                  window_dimensions=(2, 2)
                  window_strides=(1, 1)
                ] a
              in (b,) }
            """
        }
        // The generic form: a max starting at 0 (not the identity), so 0 is combined once more.
        let generic = """
            { lambda ; a:i32[3,4]. let
                b:i32[3,4] = reduce_window[
                  base_dilation=(1, 1)
                  consts=()
                  jaxpr={ lambda ; c:i32[] d:i32[]. let e:i32[] = max c d in (e,) }
                  padding=((1, 0), (0, 1))
                  window_dilation=(1, 1)
                  window_dimensions=(2, 2)
                  window_strides=(1, 1)
                ] a 0
              in (b,) }
            """
        for (text, padding, expected) in [
            (named("reduce_window_max", "i32"), "-2147483648", [-2.0, -2, 5, 5, -1, 4, 5, 5, 3, 4, 4, 0]),
            (named("reduce_window_min", "i32"), "2147483647", [-5.0, -2, -2, 5, -5, -3, -2, 0, -4, -3, -5, -5]),
            (named("reduce_window_sum", "i32"), "0", [-7.0, -4, 3, 5, -11, -3, 7, 5, -5, 3, -2, -5]),
            (named("reduce_window_max", "bool"), "False", [0.0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0]),
            (named("reduce_window_min", "bool"), "True", [0.0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
            (generic, "-2147483648", [0.0, 0, 5, 5, 0, 4, 5, 5, 3, 4, 4, 0]),
        ] {
            let graph = try ComputationalGraph.fromJaxpr(text, name: "pool")
            let pad = graph.program.equations.first { $0.primitive == "pad" }
            XCTAssertEqual(pad?.operands.last, .literal(padding, nil), text)
            assertDtypesAgree(graph)
            let input = text.contains("bool") ? x.map { $0 > 0 ? 1 : 0 } : x
            let r = try CompiledJacobian(graph: graph, order: graph.eliminable).evaluate(inputs: [input])
            XCTAssertEqual(Array(r.output(0, sample: 0)), expected, text)
        }
        // A float type without infinities has no identity of a max to pad with: refused by name.
        XCTAssertThrowsError(
            try ComputationalGraph.fromJaxpr(named("reduce_window_max", "f8_e4m3fn"), name: "f8")
        ) { error in
            XCTAssertEqual((error as? ImportError)?.line, 2)
            XCTAssertTrue("\(error)".contains("pads its f8_e4m3fn operand"), "\(error)")
        }
    }

    /// jnp.signbit's body on the number's bits (bitcast, shift, bool) is written without bits
    /// (SignBit): true for negative numbers, −0.0 and −inf; jnp.copysign through it.
    func testSignBitAndCopysign() throws {
        let signbit = """
            { lambda ; a:f64[6] h:f64[6]. let
                b:bool[6] = pjit[
                  name=signbit
                  jaxpr={ lambda ; c:f64[6]. let
                      d:i64[6] = bitcast_convert_type[new_dtype=int64] c
                      e:i64[6] = shift_right_arithmetic d 63
                      f:bool[6] = convert_element_type[new_dtype=bool weak_type=False] e
                    in (f,) }
                ] a
                g:f64[6] = select_n b a h
              in (g,) }
            """
        let graph = try ComputationalGraph.fromJaxpr(signbit, name: "signbit")
        XCTAssertFalse(graph.program.equations.contains { $0.primitive.contains("bitcast") })
        let x = [1.5, -2.0, 0.0, -0.0, -Double.infinity, Double.infinity]
        let r = try CompiledJacobian(graph: graph, order: graph.eliminable).evaluate(inputs: [
            x, [10, 20, 30, 40, 50, 60],
        ])
        // select_n picks its second case where the sign bit is set.
        XCTAssertEqual(Array(r.output(0, sample: 0)), [1.5, 20, 0.0, 40, 50, Double.infinity])
        // copysign(a, b) = select_n(signbit(b), |a|, −|a|), as jnp.copysign prints it.
        try check(
            """
            { lambda ; a:f64[4] b:f64[4]. let
                c:bool[4] = pjit[name=signbit jaxpr={ lambda ; d:f64[4]. let e:i64[4] = bitcast_convert_type[new_dtype=int64] d; f:i64[4] = shift_right_arithmetic e 63; g:bool[4] = convert_element_type[new_dtype=bool weak_type=False] f in (g,) }] b
                h:f64[4] = abs a
                i:f64[4] = neg h
                j:f64[4] = select_n c h i
              in (j,) }
            """, [[0.5, -1.5, 2.0, -0.7], [1.0, 3.0, -2.0, -0.1]])
        // A body that shifts by less than the width is not signbit: refused by its primitive.
        XCTAssertThrowsError(
            try ComputationalGraph.fromJaxpr(signbit.replacingOccurrences(of: "d 63", with: "d 62"), name: "s")
        ) { XCTAssertTrue("\($0)".contains("bitcast_convert_type"), "\($0)") }
    }

    /// signbit's three equations are found in any equation list, not only as the body of a call
    /// named signbit: inlined into the program (as a JAX that inlines the call prints it) and with
    /// another equation between them. The jaxprs are as JAX 0.4.38 prints the body written with
    /// lax.bitcast_convert_type, lax.shift_right_arithmetic and lax.convert_element_type; the
    /// values are JAX's. A bitcast read by anything else is not signbit: refused by its primitive.
    func testSignBitInlinedIsWrittenWithoutBits() throws {
        let interleaved = """
            { lambda ; a:f64[6] b:f64[6]. let
                c:i64[6] = bitcast_convert_type[new_dtype=int64] a
                d:f64[6] = sin b
                e:i64[6] = shift_right_arithmetic c 63
                f:bool[6] = convert_element_type[new_dtype=bool weak_type=False] e
                g:f64[6] = select_n f a d
              in (g,) }
            """
        let x = [1.5, -2.0, 0.0, -0.0, -Double.infinity, Double.infinity], h = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
        let graph = try ComputationalGraph.fromJaxpr(interleaved, name: "signbit")
        XCTAssertEqual(graph.program.equations.map(\.primitive), ["sin", "div", "lt", "lt", "or", "select_n"])
        let r = try CompiledJacobian(graph: graph, order: graph.eliminable).evaluate(inputs: [x, h])
        XCTAssertEqual(
            Array(r.output(0, sample: 0)),
            [1.5, 0.19866933079506122, 0.0, 0.3894183423086505, 0.479425538604203, Double.infinity])
        let adjacent = """
            { lambda ; a:f64[4] b:f64[4]. let
                c:i64[4] = bitcast_convert_type[new_dtype=int64] b
                d:i64[4] = shift_right_arithmetic c 63
                e:bool[4] = convert_element_type[new_dtype=bool weak_type=False] d
                f:f64[4] = abs a
                g:f64[4] = neg f
                h:f64[4] = select_n e f g
              in (h,) }
            """
        // copysign(a, b), JAX's values [0.5, 1.5, -2.0, -0.7].
        let copysign = try check(adjacent, [[0.5, -1.5, 2.0, -0.7], [1.0, 3.0, -2.0, -0.1]])
        XCTAssertEqual(copysign.outputs[0], [0.5, 1.5, -2.0, -0.7])
        XCTAssertThrowsError(
            try ComputationalGraph.fromJaxpr(
                adjacent.replacingOccurrences(of: "in (h,)", with: "in (h, c)"), name: "s")
        ) { XCTAssertTrue("\($0)".contains("bitcast_convert_type"), "\($0)") }
    }

    /// jnp.split: a slice per part.
    func testSplitIsASlicePerPart() throws {
        let r = try check(
            "{ lambda ; a:f32[2,5]. let b:f32[2,2] c:f32[2,3] = split[axis=1 sizes=(np.int64(2), np.int64(3))] a; d:f32[2,3] = sin c; e:f32[2,2] = mul b b in (e, d) }",
            [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]])
        XCTAssertEqual(r.outputs[0], [0.1, 0.2, 0.6, 0.7].map { $0 * $0 })
        XCTAssertEqual(r.outputs[1], [0.3, 0.4, 0.5, 0.8, 0.9, 1.0].map { Foundation.sin($0) })
        XCTAssertThrowsError(
            try ComputationalGraph.fromJaxpr(
                "{ lambda ; a:f32[4]. let b:f32[2] c:f32[3] = split[axis=0 sizes=(2, 3)] a in (b, c) }", name: "s")
        ) { XCTAssertTrue("\($0)".contains("split"), "\($0)") }
    }

    func testReductionsAndReindexing() throws {
        let m = [0.5, -0.7, 0.9, 1.1, 1.3, -1.6]
        for p in ["reduce_sum", "reduce_max", "reduce_min"] {
            try check(
                "{ lambda ; a:f32[2,3]. let b:f32[3] = \(p)[axes=(np.int64(0),)] a; c:f32[3] = sin b in (c,) }", [m])
            try check("{ lambda ; a:f32[2,3]. let b:f32[2] = \(p)[axes=(1,)] a in (b,) }", [m])
            try check("{ lambda ; a:f32[2,3]. let b:f32[] = \(p)[axes=(0, 1)] a in (b,) }", [m])
        }
        try check(
            "{ lambda ; a:f32[2,3]. let b:f32[3,2] = transpose[permutation=(1, 0)] a; c:f32[3,2] = mul b b in (c,) }",
            [m])
        // broadcast_in_dim as newer JAX prints it (no shape=), from a scalar, a vector and a column.
        try check(
            "{ lambda ; a:f32[3]. let b:f32[2,3] = broadcast_in_dim[broadcast_dimensions=(1,) sharding=None] a; c:f32[2,3] = sin b in (c,) }",
            [[0.1, 0.2, 0.3]])
        try check(
            "{ lambda ; a:f32[]. let b:f32[4] = broadcast_in_dim[broadcast_dimensions=() shape=(4,)] a; c:f32[4] = exp b in (c,) }",
            [[0.3]])
        try check(
            "{ lambda ; a:f32[2,1]. let b:f32[2,3] = broadcast_in_dim[broadcast_dimensions=(0, 1) shape=(2, 3)] a in (b,) }",
            [[0.3, 0.4]])
        try check(
            "{ lambda ; a:f32[1,3]. let b:f32[3] = squeeze[dimensions=(0,)] a; c:f32[3,1] = reshape[dimensions=None new_sizes=(3, 1)] b; d:f32[3,1] = sin c in (d,) }",
            [[0.1, 0.2, 0.3]])
        try check(
            "{ lambda ; a:f32[3,4]. let b:f32[2,2] = slice[limit_indices=(3, 4) start_indices=(0, 1) strides=(2, 2)] a; c:f32[2,2] = cos b in (c,) }",
            [(0..<12).map { Double($0) / 7 }])
        try check(
            "{ lambda ; a:f32[3] b:f32[2]. let c:f32[3] = sin a; d:f32[5] = concatenate[dimension=0] c b; e:f32[5] = mul d 2.0 in (e,) }",
            [[0.1, 0.2, 0.3], [0.4, 0.5]])
        // Literal start indices; 3 is clamped to 2 so that the slice fits, as XLA does.
        let ds = try check(
            "{ lambda ; a:f32[4]. let b:f32[2] = dynamic_slice[slice_sizes=(2,)] a 3:i32[] in (b,) }", [[1, 2, 3, 4]])
        XCTAssertEqual(Array(ds.output(0, sample: 0)), [3, 4])
        // A start computed at run time (2.4 → 2, 7.5 → 7 clamped to 2, −3 → 0; a row of a matrix):
        // the elements it picks, partial 1 there and 0 for the index.
        for (i, expected) in [(2.4, [3.0, 4]), (7.5, [3, 4]), (-3, [1, 2])] {
            let r = try check(
                """
                { lambda ; a:f32[4] i:f32[]. let j:i32[] = convert_element_type[new_dtype=int32 weak_type=False] i; b:f32[2] = dynamic_slice[slice_sizes=(2,)] a j; c:f32[2] = mul b b in (c,) }
                """, [[1, 2, 3, 4], [i]])
            XCTAssertEqual(Array(r.output(0, sample: 0)), expected.map { $0 * $0 }, "start \(i)")
        }
        // dynamic_update_slice at a start computed at run time (1.6 → 1, 9 → 2 clamped, −1 → 0):
        // the update where the start puts it, the operand elsewhere, partials 1 at each.
        for (i, expected) in [(1.6, [1.0, 10, 20, 4]), (9, [1, 2, 10, 20]), (-1, [10, 20, 3, 4])] {
            let r = try check(
                """
                { lambda ; a:f32[4] u:f32[2] i:f32[]. let j:i32[] = convert_element_type[new_dtype=int32 weak_type=False] i; b:f32[4] = dynamic_update_slice a u j; c:f32[4] = mul b 3.0 in (c,) }
                """, [[1, 2, 3, 4], [10, 20], [i]])
            XCTAssertEqual(Array(r.output(0, sample: 0)), expected.map { $0 * 3 }, "start \(i)")
            let own = Array(r.block(0, 0, sample: 0)), written = Array(r.block(0, 1, sample: 0))
            for e in 0..<4 {
                let fromUpdate = expected[e] >= 10
                XCTAssertEqual(own[e * 4 + e], fromUpdate ? 0 : 3, "start \(i), element \(e)")
                XCTAssertEqual(written[e * 2..<e * 2 + 2].reduce(0, +), fromUpdate ? 3 : 0, "start \(i), element \(e)")
            }
        }
        // A gather at run-time indices that keeps the indexed axis as a window of one (as
        // jnp.interp's searchsorted): a dynamic_slice per index, values at the clamped positions.
        let kept = try check(
            """
            { lambda ; a:f32[3] i:f32[2]. let j:i32[2] = convert_element_type[new_dtype=int32 weak_type=False] i; k:i32[2,1] = broadcast_in_dim[broadcast_dimensions=(0,) shape=(2, 1) sharding=None] j; c:f32[2,1] = gather[dimension_numbers=GatherDimensionNumbers(offset_dims=(1,), collapsed_slice_dims=(), start_index_map=(0,)) mode=GatherScatterMode.PROMISE_IN_BOUNDS slice_sizes=(1,)] a k; d:f32[2,1] = exp c in (d,) }
            """, [[0.1, 0.2, 0.3], [2.5, 7.2]])
        XCTAssertEqual(Array(kept.output(0, sample: 0)), [exp(0.3), exp(0.3)])
        let row = try check(
            """
            { lambda ; m:f32[3,2] i:f32[]. let j:i32[] = convert_element_type[new_dtype=int32 weak_type=False] i; b:f32[1,2] = dynamic_slice[slice_sizes=(1, 2)] m j 0:i32[]; c:f32[1,2] = sin b in (c,) }
            """, [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [1.2]])
        XCTAssertEqual(Array(row.output(0, sample: 0)), [sin(0.3), sin(0.4)])
        let dus = try check(
            "{ lambda ; a:f32[4] u:f32[2]. let b:f32[4] = dynamic_update_slice a u 1 in (b,) }",
            [[1, 2, 3, 4], [9, 8]])
        XCTAssertEqual(Array(dus.output(0, sample: 0)), [1, 9, 8, 4])
        try check(
            "{ lambda ; a:f32[3]. let b:f32[3] = iota[dimension=0 dtype=float32 shape=(3,) sharding=None] ; c:f32[3] = mul a b in (c,) }",
            [[0.1, 0.2, 0.3]])
    }

    func testConversionsCopiesAndStopGradient() throws {
        try check(
            "{ lambda ; a:f32[2]. let b:f32[2] = convert_element_type[new_dtype=float32 weak_type=False] a; c:f32[2] = sin b in (c,) }",
            [[0.1, 0.2]])
        // Conversion to an integer truncates and has derivative zero.
        let g = try ComputationalGraph.fromJaxpr(
            "{ lambda ; a:f32[]. let b:i32[] = convert_element_type[new_dtype=int32 weak_type=False] a; c:f32[] = convert_element_type[new_dtype=float32 weak_type=False] b; d:f32[] = add c a in (d,) }",
            name: "int")
        let r = try CompiledJacobian(graph: g, order: g.eliminable).evaluate(inputs: [[2.7]])
        XCTAssertEqual(Array(r.output(0, sample: 0)), [4.7])
        XCTAssertEqual(Array(r.block(0, 0, sample: 0)), [1])
        // stop_gradient: the value passes, the derivative does not (JAX treats it as a constant;
        // finite differences hold it at the unperturbed point).
        let s = try check(
            "{ lambda ; a:f32[2]. let b:f32[2] = sin a; c:f32[2] = cos a; d:f32[2] = stop_gradient c; e:f32[2] = mul b d in (e,) }",
            [[0.4, 0.9]])
        XCTAssertEqual(s.block(0, 0, sample: 0)[1], 0)
        XCTAssertEqual(s.block(0, 0, sample: 0)[0], cos(0.4) * cos(0.4), accuracy: 1e-15)
        // An output also read later gets a copy vertex (the graph's), which is an identity.
        try check("{ lambda ; a:f32[]. let b:f32[] = sin a; c:f32[] = mul b a in (b, c) }", [[0.6]])
    }

    func testCustomJvpCallEvaluatesItsBody() throws {
        let relu = try check(
            """
            { lambda ; a:f32[3]. let
                b:f32[3] = custom_jvp_call[
                  call_jaxpr={ lambda ; c:f32[3]. let d:f32[3] = max c 0.0:f32[] in (d,) }
                  jvp_jaxpr_fun=<function _memoize.<locals>.memoized at 0x7f>
                  num_consts=0
                  symbolic_zeros=False
                ] a
                e:f32[3] = sin b
              in (e,) }
            """, [[0.5, -0.3, 0.8]])
        XCTAssertEqual(relu.block(0, 0, sample: 0)[4], 0)
        // softplus-like body with two equations, and the body's Jacobian counts as a local partial.
        let g = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[]. let
                b:f32[] = custom_jvp_call[call_jaxpr={ lambda ; c:f32[]. let d:f32[] = exp c; e:f32[] = log1p d in (e,) } num_consts=0 symbolic_zeros=False] a
              in (b,) }
            """, name: "softplus")
        let compiled = try CompiledJacobian(graph: g, order: [])
        XCTAssertEqual(compiled.multiplications, 0)
        let r = try compiled.evaluate(inputs: [[0.3]])
        XCTAssertEqual(r.output(0, sample: 0).first!, log1p(exp(0.3)), accuracy: 1e-15)
        XCTAssertEqual(r.block(0, 0, sample: 0).first!, 1 / (1 + exp(-0.3)), accuracy: 1e-15)
    }

    /// `(jax.scipy.special.xlogy(a, x) + jax.scipy.special.xlog1py(a, -x)).sum()` (the core of
    /// jax.scipy.stats.beta.logpdf) as jax 0.4.38 prints it: two elementwise custom_jvp_calls whose
    /// bodies name the shared `_where`. Output and Jacobian against jax.jacrev at a = 2.5,
    /// x = [0.2, 0.35, 0.6], read from the jaxpr and from its graph file.
    func testCustomJvpBodiesNamingASharedJaxpr() throws {
        let text = """
            let _where = { lambda ; a:bool[] b:f64[3] c:f64[]. let
                d:f64[3] = broadcast_in_dim[
                  broadcast_dimensions=()
                  shape=(3,)
                  sharding=None
                ] c
                e:f64[3] = select_n a d b
              in (e,) } in
            { lambda ; f:f64[] g:f64[3]. let
                h:f64[3] = custom_jvp_call[
                  call_jaxpr={ lambda ; i:f64[] j:f64[3]. let
                      k:bool[] = ne i 0.0
                      l:f64[3] = log j
                      m:f64[3] = mul i l
                      n:f64[3] = pjit[name=_where jaxpr=_where] k m 0.0
                    in (n,) }
                  jvp_jaxpr_thunk=<function _memoize.<locals>.memoized at 0x7f46a2f9a5c0>
                  num_consts=0
                  symbolic_zeros=False
                ] f g
                o:f64[3] = neg g
                p:f64[3] = custom_jvp_call[
                  call_jaxpr={ lambda ; q:f64[] r:f64[3]. let
                      s:bool[] = ne q 0.0
                      t:f64[3] = log1p r
                      u:f64[3] = mul q t
                      v:f64[3] = pjit[name=_where jaxpr=_where] s u 0.0
                    in (v,) }
                  jvp_jaxpr_thunk=<function _memoize.<locals>.memoized at 0x7f46a2f9ae80>
                  num_consts=0
                  symbolic_zeros=False
                ] f o
                w:f64[3] = add h p
                x:f64[] = reduce_sum[axes=(0,)] w
              in (x,) }
            """
        let inputs: [[Double]] = [[2.5], [0.2, 0.35, 0.6]]
        // jax.jacrev(f, argnums=(0, 1))(a, x) and f(a, x), jax 0.4.38, float64.
        let jaxOutput = -11.85075714994897
        let jaxJacobian: [[Double]] = [[-4.740302859979588], [9.375, 3.2967032967032974, -2.083333333333333]]
        let graph = try ComputationalGraph.fromJaxpr(text, name: "xlogy_xlog1py")
        XCTAssertEqual(
            graph.program.equations.map(\.primitive),
            ["custom_jvp_call", "neg", "custom_jvp_call", "add", "reduce_sum"])
        let stored = GraphFile.write(graph)
        let reread = try GraphFile.read(stored)
        XCTAssertEqual(reread.program, graph.program)
        XCTAssertEqual(GraphFile.write(reread), stored)
        for (source, g) in [("jaxpr", graph), ("graph file", reread)] {
            for order in [g.eliminable, g.eliminable.reversed()] {
                let r = try CompiledJacobian(graph: g, order: order).evaluate(inputs: inputs)
                let worst = (0..<2).map { k in maxRelativeDifference(r.block(0, k, sample: 0), jaxJacobian[k]) }.max()!
                print("xlogy + xlog1py from the \(source): max rel diff vs jax.jacrev \(worst)")
                XCTAssertLessThan(worst, 1e-13, source)
                XCTAssertEqual(r.output(0, sample: 0).first!, jaxOutput, accuracy: 1e-13, source)
            }
        }
    }

    /// jax.nn.relu, relu6 and jnp.logaddexp (softplus) bodies take JAX's custom rules at ties
    /// (jax 0.4.38's `jax.jacrev`: relu and relu6 0 at 0, relu6 0 at 6, logaddexp 1/2 and 1/2 at a
    /// tie, softplus 1/2 at 0); a body that is none of them (max with 1.0) is differentiated as it
    /// stands (1/2 at its tie).
    func testCustomJvpRulesOfJaxLibraryFunctions() throws {
        func diagonal(_ body: String, inputs: String, operands: String, at x: [[Double]]) throws -> [[Double]] {
            let g = try ComputationalGraph.fromJaxpr(
                """
                { lambda ; \(inputs). let
                    z:f64[3] = custom_jvp_call[
                      call_jaxpr=\(body)
                      jvp_jaxpr_thunk=<function _memoize.<locals>.memoized at 0x7f>
                      num_consts=0
                      symbolic_zeros=False
                    ] \(operands)
                  in (z,) }
                """, name: "rule")
            let r = try CompiledJacobian(graph: g, order: []).evaluate(inputs: x)
            return (0..<g.inputCount).map { k in
                let block = Array(r.block(0, k, sample: 0))
                return (0..<3).map { block[$0 * 4] }
            }
        }
        let relu =
            "{ lambda ; c:f64[3]. let d:f64[3] = pjit[name=relu jaxpr={ lambda ; e:f64[3]. let f:f64[3] = max e 0.0 in (f,) }] c in (d,) }"
        XCTAssertEqual(try diagonal(relu, inputs: "a:f64[3]", operands: "a", at: [[0, 0.5, -0.5]]), [[0, 1, 0]])
        let relu6 = """
            { lambda ; c:f64[3]. let d:f64[3] = pjit[name=relu6 jaxpr={ lambda ; e:f64[3]. let
                f:f64[3] = max e 0.0; g:f64[3] = min f 6.0 in (g,) }] c in (d,) }
            """
        XCTAssertEqual(try diagonal(relu6, inputs: "a:f64[3]", operands: "a", at: [[0, 6, 3]]), [[0, 0, 1]])
        let logaddexp = """
            { lambda ; e:f64[3] f:f64[3]. let
                g:f64[3] = max e f; h:f64[3] = sub e f; i:bool[3] = ne h h; j:f64[3] = add e f
                k:f64[3] = abs h; l:f64[3] = neg k; m:f64[3] = exp l; n:f64[3] = log1p m
                o:f64[3] = add g n; p:f64[3] = select_n i o j
              in (p,) }
            """
        let tie = try diagonal(
            logaddexp, inputs: "a:f64[3] b:f64[3]", operands: "a b", at: [[0.3, 1.0, 2.0], [0.3, -2.0, 2.0]])
        XCTAssertEqual(tie[0][0], 0.5, accuracy: 1e-15)
        XCTAssertEqual(tie[1][0], 0.5, accuracy: 1e-15)
        XCTAssertEqual(tie[0][1], 0.9525741268224333, accuracy: 1e-15)
        XCTAssertEqual(tie[1][1], 0.04742587317756678, accuracy: 1e-15)
        // softplus: logaddexp(x, 0.0), the scalar literal broadcast.
        let softplus = logaddexp.replacingOccurrences(of: "f:f64[3]. let", with: "f:f64[]. let")
        let sp = try diagonal(softplus, inputs: "a:f64[3]", operands: "a 0.0", at: [[0, 1, -1]])
        XCTAssertEqual(sp[0][0], 0.5, accuracy: 1e-15)
        XCTAssertEqual(sp[0][1], 1 / (1 + exp(-1.0)), accuracy: 1e-15)
        let other = "{ lambda ; c:f64[3]. let d:f64[3] = max c 1.0 in (d,) }"
        XCTAssertEqual(try diagonal(other, inputs: "a:f64[3]", operands: "a", at: [[1, 2, 0]]), [[0.5, 1, 0]])
    }
}
