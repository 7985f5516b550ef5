import Elimination
import TestFixtures
import XCTest

@testable import Jacobian

/// `cholesky`, `triangular_solve`, `lu`, `qr` and `tridiagonal_solve` unrolled into element
/// arithmetic (LinearAlgebraUnrolling)
/// and `custom_linear_solve` as a refinement step (ProgramBuilder): the values solve what they
/// claim to, only the triangle read has partials, lu pivots as getrf, the shapes the fixtures do
/// not reach (a 1×1 factor, one right-hand row) work, and bad equations are refused. (The fixtures
/// cholesky_solve, triangular_solves, gaussian_logpdf, linear_solve and lu_factor_solve are checked
/// against jax.jacrev by ControlFlowValuesTests.)
final class LinearAlgebraUnrollingTests: XCTestCase {
    private func evaluate(_ text: String, _ inputs: [[Double]]) throws -> (ComputationalGraph, JacobianResult) {
        let graph = try ComputationalGraph.fromJaxpr(text, name: "linalg")
        return (graph, try CompiledJacobian(graph: graph, order: graph.eliminable).evaluate(inputs: inputs))
    }

    /// L·Lᵀ equals the symmetric matrix of A's lower triangle, L's upper triangle is exactly 0, and
    /// no output depends on A's upper triangle (it is never read, as LAPACK's potrf).
    func testCholeskyFactorsTheLowerTriangle() throws {
        let a: [Double] = [4.0, 9.9, 9.9, 1.2, 3.0, 9.9, -0.8, 0.5, 2.5]  // 9.9: upper, never read
        let (graph, result) = try evaluate(
            "{ lambda ; a:f64[3,3]. let b:f64[3,3] = cholesky a in (b,) }", [a])
        XCTAssertFalse(graph.program.equations.contains { $0.primitive == "cholesky" })
        let l = Array(result.output(0, sample: 0))
        for i in 0..<3 {
            for j in 0..<3 {
                if j > i { XCTAssertEqual(l[3 * i + j], 0) }
                guard j <= i else { continue }
                let product = (0..<3).reduce(0.0) { $0 + l[3 * i + $1] * l[3 * j + $1] }
                XCTAssertEqual(product, a[3 * i + j], accuracy: 1e-14, "(\(i), \(j))")
            }
        }
        let jacobian = Array(result.block(0, 0, sample: 0))  // (3, 3, 3, 3)
        for out in 0..<9 {
            for upper in [1, 2, 5] { XCTAssertEqual(jacobian[9 * out + upper], 0, "∂L[\(out)]/∂A[\(upper)]") }
        }
        try assertMatchesFiniteDifferences(graph, result, at: [a])
    }

    /// A 1×1 factor is √a (its result a copy of the one element), d/da = 1/(2√a).
    func testCholeskyOfOneElement() throws {
        let (graph, result) = try evaluate("{ lambda ; a:f64[1,1]. let b:f64[1,1] = cholesky a in (b,) }", [[2.25]])
        XCTAssertEqual(graph.program.equations.last?.primitive, "copy")
        XCTAssertEqual(Array(result.output(0, sample: 0)), [1.5])
        XCTAssertEqual(Array(result.block(0, 0, sample: 0))[0], 1 / 3.0, accuracy: 1e-15)
    }

    /// X·Aᵀ = B from the right with one row of B, A upper triangular with a unit diagonal: the
    /// diagonal (9.9) and the lower triangle are never read; X·op(A) gives B back.
    func testTriangularSolveFromTheRightWithOneRow() throws {
        let a: [Double] = [9.9, 0.5, -1.5, 7.0, 9.9, 2.0, 7.0, 7.0, 9.9]
        let b: [Double] = [0.3, -1.1, 0.8]
        let text = """
            { lambda ; a:f64[3,3] b:f64[1,3]. let
                c:f64[1,3] = triangular_solve[conjugate_a=False left_side=False lower=False transpose_a=True unit_diagonal=True] a b
              in (c,) }
            """
        let (graph, result) = try evaluate(text, [a, b])
        let x = Array(result.output(0, sample: 0))
        // op(A) = Aᵀ with ones on the diagonal: (X·Aᵀ)[j] = Σ_k X[k]·A[j][k] over k ≥ j (A upper).
        for j in 0..<3 {
            let unit = x[j] + (j + 1..<3).reduce(0.0) { $0 + x[$1] * a[3 * j + $1] }
            XCTAssertEqual(unit, b[j], accuracy: 1e-14, "column \(j)")
        }
        let partials = Array(result.block(0, 0, sample: 0))  // (1, 3, 3, 3)
        for out in 0..<3 {
            for unread in [0, 3, 4, 6, 7, 8] { XCTAssertEqual(partials[9 * out + unread], 0) }
        }
        try assertMatchesFiniteDifferences(graph, result, at: [a, b])
    }

    /// `lu` pivots as LAPACK's getrf (and jax.lax.linalg.lu): column 0 has a tie of |−3| and |3|,
    /// the first wins. Values printed by jax 0.4.38 for this matrix.
    func testLuPivotsAsGetrf() throws {
        let a: [Double] = [1, 2, 0, -3, 1, 1, 3, 0, 2]
        let (graph, result) = try evaluate(
            "{ lambda ; a:f64[3,3]. let b:f64[3,3] c:i32[3] d:i32[3] = lu a in (b, c, d) }", [a])
        XCTAssertFalse(graph.program.equations.contains { $0.primitive == "lu" })
        let expected: [Double] = [-3, 1, 1, -1 / 3.0, 7 / 3.0, 1 / 3.0, -1, 3 / 7.0, 20 / 7.0]
        for (x, y) in zip(result.output(0, sample: 0), expected) { XCTAssertEqual(x, y, accuracy: 1e-15) }
        XCTAssertEqual(Array(result.output(1, sample: 0)), [1, 1, 2])  // pivots
        XCTAssertEqual(Array(result.output(2, sample: 0)), [1, 0, 2])  // permutation
        // Finite differences away from the tie (at it a step changes the pivot).
        let apart: [Double] = [1, 2, 0, -3, 1, 1, 2.5, 0, 2]
        let moved = try CompiledJacobian(graph: graph, order: graph.eliminable.reversed()).evaluate(inputs: [apart])
        try assertMatchesFiniteDifferences(graph, moved, at: [apart])
    }

    /// `lu_pivots_to_permutation`: pivots (2, 2, 3) exchange rows 0↔2, 1↔2, 2↔3 of (0, 1, 2, 3),
    /// giving (2, 0, 3, 1), as jax.lax.linalg.lu_pivots_to_permutation(…, 4) prints.
    func testPivotsToPermutation() throws {
        let text = """
            { lambda ; a:f64[3]. let
                b:i32[3] = convert_element_type[new_dtype=int32 weak_type=False] a
                c:i32[4] = lu_pivots_to_permutation[permutation_size=4] b
              in (c,) }
            """
        let (_, result) = try evaluate(text, [[2, 2, 3]])
        XCTAssertEqual(Array(result.output(0, sample: 0)), [2, 0, 3, 1])
    }

    /// `lax.custom_linear_solve` without a transpose_solve (printed `transpose_solve=None`), which
    /// jax.jacrev refuses to differentiate: x = b / d, ∂x/∂b = 1/d, ∂x/∂d = −b/d² (implicit).
    func testCustomLinearSolveIsDifferentiatedImplicitly() throws {
        let text = """
            { lambda ; a:f64[2] b:f64[2]. let
                c:f64[2] = custom_linear_solve[
                  const_lengths=_LinearSolveTuple(matvec=1, vecmat=0, solve=1, transpose_solve=0)
                  jaxprs=_LinearSolveTuple(matvec={ lambda ; a:f64[2] b:f64[2]. let c:f64[2] = mul a b in (c,) }, vecmat=None, solve={ lambda ; a:f64[2] b:f64[2]. let c:f64[2] = div b a in (c,) }, transpose_solve=None)
                ] a a b
              in (c,) }
            """
        let (graph, result) = try evaluate(text, [[2, 4], [1, 3]])
        XCTAssertEqual(Array(result.output(0, sample: 0)), [0.5, 0.75])
        XCTAssertEqual(Array(result.block(0, 0, sample: 0)), [-0.25, 0, 0, -0.1875])
        XCTAssertEqual(Array(result.block(0, 1, sample: 0)), [0.5, 0, 0, 0.25])
        try assertMatchesFiniteDifferences(graph, result, at: [[2, 4], [1, 3]])
        // A matrix right-hand side whose solve consts are not an lu's factors: the same inlined path.
        let matrix = text.replacingOccurrences(of: "f64[2]", with: "f64[2,2]")
        let (matrixGraph, matrixResult) = try evaluate(matrix, [[2, 4, 5, 8], [1, 3, 2, 4]])
        XCTAssertEqual(Array(matrixResult.output(0, sample: 0)), [0.5, 0.75, 0.4, 0.5])
        try assertMatchesFiniteDifferences(matrixGraph, matrixResult, at: [[2, 4, 5, 8], [1, 3, 2, 4]])
        XCTAssertThrowsError(
            try ComputationalGraph.fromJaxpr(
                text.replacingOccurrences(of: "const_lengths=_LinearSolveTuple(matvec=1,", with: "const_lengths=(1,"),
                name: "bad")
        ) { error in
            XCTAssertTrue(
                (error as? ImportError)?.message.contains("const_lengths=(…matvec=N…)") ?? false, "\(error)")
        }
    }

    /// A solve that is not matvec's inverse (one Jacobi sweep, `y / diag(A)`, for matvec x ↦ A·x):
    /// JAX's value is solve(b) = b / d, and its derivative the implicit one, dx = solve(db − dA·x),
    /// the solve's consts d not differentiated; jax.jacfwd's values. One refinement step (before
    /// session 25) gave x₀ + solve(b − A·x₀) instead (audit25: 0.34 where JAX has 0.25).
    func testAnInexactSolveKeepsJaxsValueAndImplicitDerivative() throws {
        let text = """
            { lambda ; a:f64[3,3] b:f64[3] d:f64[3]. let
                u:f64[3] = custom_linear_solve[
                  const_lengths=_LinearSolveTuple(matvec=1, vecmat=0, solve=1, transpose_solve=0)
                  jaxprs=_LinearSolveTuple(matvec={ lambda ; a:f64[3,3] b:f64[3]. let c:f64[3] = dot_general[dimension_numbers=(([1], [0]), ([], [])) preferred_element_type=float64] a b in (c,) }, vecmat=None, solve={ lambda ; a:f64[3] b:f64[3]. let c:f64[3] = div b a in (c,) }, transpose_solve=None)
                ] a d b
              in (u,) }
            """
        let graph = try ComputationalGraph.fromJaxpr(text, name: "jacobi")
        let inputs: [[Double]] = [[4, 1, 0.5, 1, 5, 1, 0.5, 1, 6], [1, -2, 0.5], [4, 5, 6]]
        let r = try CompiledJacobian(graph: graph, order: graph.eliminable).evaluate(inputs: inputs)
        let x = Array(r.output(0, sample: 0))
        for (got, want) in zip(x, [0.25, -0.4, 0.08333333333333333]) { XCTAssertEqual(got, want, accuracy: 1e-15) }
        let dA = Array(r.block(0, 0, sample: 0))
        let jacfwd: [Double] = [
            -0.0625, 0.1, -0.020833333333333332, 0, 0, 0, 0, 0, 0,
            0, 0, 0, -0.05, 0.08, -0.016666666666666666, 0, 0, 0,
            0, 0, 0, 0, 0, 0, -0.041666666666666664, 0.06666666666666667, -0.013888888888888888,
        ]
        for (got, want) in zip(dA, jacfwd) { XCTAssertEqual(got, want, accuracy: 1e-15) }
        XCTAssertEqual(Array(r.block(0, 1, sample: 0)), [0.25, 0, 0, 0, 0.2, 0, 0, 0, 1.0 / 6])
        XCTAssertTrue(r.block(0, 2, sample: 0).allSatisfy { $0 == 0 }, "the solve's consts are not differentiated")
    }

    /// `qr` with full_matrices of a tall matrix and of a wide one (jax.jacrev: "Unimplemented case
    /// of QR decomposition derivative"): Q is orthogonal, Q·R = A, R is zero below its diagonal,
    /// and the algorithm's derivative agrees with finite differences.
    func testQrOfEveryShape() throws {
        for (m, n, full) in [(4, 3, true), (2, 3, false), (3, 3, false)] {
            let a = (0..<(m * n)).map { sin(Double($0 * $0) * 0.37 + 0.3) }  // full rank
            let (rows, qColumns) = (full ? m : min(m, n), full ? m : min(m, n))
            let text = """
                { lambda ; a:f64[\(m),\(n)]. let
                    b:f64[\(m),\(qColumns)] c:f64[\(rows),\(n)] = qr[full_matrices=\(full ? "True" : "False")] a
                  in (b, c) }
                """
            let (graph, result) = try evaluate(text, [a])
            let (q, r) = (Array(result.output(0, sample: 0)), Array(result.output(1, sample: 0)))
            for i in 0..<qColumns {
                for j in 0..<qColumns {
                    let dot = (0..<m).reduce(0.0) { $0 + q[$1 * qColumns + i] * q[$1 * qColumns + j] }
                    XCTAssertEqual(dot, i == j ? 1 : 0, accuracy: 1e-14, "QᵀQ (\(i), \(j)) of \(m)×\(n)")
                }
            }
            for i in 0..<m {
                for j in 0..<n {
                    let product = (0..<rows).reduce(0.0) { $0 + q[i * qColumns + $1] * r[$1 * n + j] }
                    XCTAssertEqual(product, a[i * n + j], accuracy: 1e-14, "QR (\(i), \(j)) of \(m)×\(n)")
                    if i < rows && j < i { XCTAssertEqual(r[i * n + j], 0) }
                }
            }
            try assertMatchesFiniteDifferences(graph, result, at: [a])
        }
    }

    /// `tridiagonal_solve`, which jax.jacrev cannot differentiate at all: T·X = B holds (dl[0] and
    /// du[n−1], outside T, set to 9.9 and never read), and the Jacobian with respect to all three
    /// diagonals and B agrees with finite differences.
    func testTridiagonalSolve() throws {
        let (dl, d, du): ([Double], [Double], [Double]) = ([9.9, 0.3, -0.2], [2, -3, 2.5], [0.4, 0.1, 9.9])
        let b: [Double] = [1, 0.5, -0.3, 2, 0.7, 0.1]
        let text = """
            { lambda ; a:f64[3] b:f64[3] c:f64[3] d:f64[3,2]. let
                e:f64[3,2] = tridiagonal_solve[ldb=3 m=3 n=2 t=float64] a b c d
              in (e,) }
            """
        let (graph, result) = try evaluate(text, [dl, d, du, b])
        let x = Array(result.output(0, sample: 0))
        for column in 0..<2 {
            for i in 0..<3 {
                var row = d[i] * x[2 * i + column]
                if i > 0 { row += dl[i] * x[2 * (i - 1) + column] }
                if i < 2 { row += du[i] * x[2 * (i + 1) + column] }
                XCTAssertEqual(row, b[2 * i + column], accuracy: 1e-14, "row \(i), column \(column)")
            }
        }
        let (byLower, byUpper) = (Array(result.block(0, 0, sample: 0)), Array(result.block(0, 2, sample: 0)))
        for out in 0..<6 {  // blocks (3, 2, 3): ∂x/∂dl[0] and ∂x/∂du[2] are 0
            XCTAssertEqual(byLower[3 * out], 0)
            XCTAssertEqual(byUpper[3 * out + 2], 0)
        }
        try assertMatchesFiniteDifferences(graph, result, at: [dl, d, du, b])
    }

    func testBadEquationsAreRefused() {
        let cases: [(String, String)] = [
            ("{ lambda ; a:f64[2,3]. let b:f64[2,3] = cholesky a in (b,) }", "square matrix"),
            ("{ lambda ; a:f64[3]. let b:f64[3] = cholesky a in (b,) }", "ranks 2 only"),
            // 400³/3 products: refused at once, before unrolling (no game state holds them).
            ("{ lambda ; a:f64[400,400]. let b:f64[400,400] = cholesky a in (b,) }", "more than a game state holds"),
            (
                "{ lambda ; a:f64[300,300]. let b:f64[300,300] c:i32[300] d:i32[300] = lu a in (b, c, d) }",
                "more than a game state holds"
            ),
            (
                "{ lambda ; a:f64[3,3] b:f64[3,1]. let c:f64[3,1] = triangular_solve[left_side=True lower=True transpose_a=False] a b in (c,) }",
                "unit_diagonal=True or False"
            ),
            (
                "{ lambda ; a:f64[2,2] b:f64[3,1]. let c:f64[3,1] = triangular_solve[left_side=True lower=True transpose_a=False unit_diagonal=False] a b in (c,) }",
                "must be 3×3"
            ),
        ]
        for (text, words) in cases {
            XCTAssertThrowsError(try ComputationalGraph.fromJaxpr(text, name: "bad"), text) { error in
                let message = (error as? ImportError)?.message ?? "\(error)"
                XCTAssertTrue(message.contains(words), message)
                XCTAssertEqual((error as? ImportError)?.line, 1, message)
            }
        }
    }
}
