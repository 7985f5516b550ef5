import Foundation
import TestFixtures
import XCTest
import Elimination
@testable import Jacobian

/// The interpreter's values and Jacobians of the control-flow fixtures (comparisons, jnp.where,
/// jnp.clip, select_n, scan, fori_loop, expm1, reduce_prod, cumsum, cholesky, triangular_solve, lu, custom_linear_solve, det, qr, tridiagonal_solve,
/// values of rank 3 (broadcasting, attention heads, batched einsum, transposes, reductions), jnp.convolve;
/// Tests/Fixtures/control-flow) against
/// the `jax.jacrev` values stored with them (float64), for the forward, reverse and Markowitz
/// orders.
final class ControlFlowValuesTests: XCTestCase {
    /// Float64 against float64: relative to 1 + |value|, as the other value tests.
    let tolerance = 1e-12

    static let directory = Fixtures.root.appendingPathComponent("Tests/Fixtures/control-flow")

    func testEveryProgramMatchesJacrev() throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("values.json"))
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(root["dtype"] as? String, "float64")
        let tasks = try XCTUnwrap(root["tasks"] as? [String: [String: Any]])
        XCTAssertEqual(tasks.count, 57)
        for name in tasks.keys.sorted() {
            let point = try XCTUnwrap(try Fixtures.points(name, in: root).first, name)
            let text = try String(
                contentsOf: Self.directory.appendingPathComponent("\(name).jaxpr"), encoding: .utf8)
            let graph = try ComputationalGraph.fromJaxpr(text, name: name)
            for (label, r) in try Fixtures.baselineResults(graph, at: point.inputs) {
                XCTAssertEqual(point.outputs.count, graph.outputs.count, name)
                let worst = point.worstDifference(to: r)
                print("control-flow \(name) \(label): max rel diff vs jacrev \(worst)")
                XCTAssertLessThan(worst, tolerance, "\(name) \(label) against jacrev")
            }
        }
    }

    /// The new primitives one by one against finite differences, away from ties; select_n with
    /// a scalar predicate and with literal cases; reduce_prod with a zero member (the partial is
    /// the product of the others, no division).
    func testNewPrimitivesAgainstFiniteDifferences() throws {
        let cases: [(String, [[Double]])] = [
            ("{ lambda ; a:f64[3]. let b:f64[3] = expm1 a in (b,) }", [[0.3, -0.45, 1e-9]]),
            (
                "{ lambda ; a:f64[2,3]. let b:f64[3] = reduce_prod[axes=(0,)] a; c:f64[] = reduce_prod[axes=(0, 1)] a in (b, c) }",
                [[0.5, 1.5, -0.7, 1.2, 0.0, 2.0]]
            ),
            (
                "{ lambda ; a:f64[] b:f64[3]. let c:bool[] = gt a 0.0; d:f64[3] = mul b 2.0; e:f64[3] = select_n c b d in (e,) }",
                [[0.4], [0.1, 0.2, 0.3]]
            ),
            (
                "{ lambda ; a:f64[3] b:f64[3]. let c:bool[3] = le a b; d:f64[] = select_n True 1.0 2.0; e:f64[3] = select_n c a b; f:f64[3] = mul e d in (f,) }",
                [[0.4, -0.2, 0.9], [0.1, 0.5, 0.3]]
            ),
        ]
        for (text, inputs) in cases {
            let graph = try ComputationalGraph.fromJaxpr(text, name: "case")
            let fd = try FiniteDifferences.jacobian(of: graph, at: inputs)
            for order in [graph.eliminable, graph.eliminable.reversed()] {
                let r = try CompiledJacobian(graph: graph, order: order).evaluate(inputs: inputs)
                var worst = 0.0
                for o in fd.indices {
                    for k in fd[o].indices {
                        worst = max(worst, maxRelativeDifference(r.block(o, k, sample: 0), fd[o][k]))
                    }
                }
                XCTAssertLessThan(worst, 1e-6, text)
            }
        }
        // Values: select picks by the predicate, comparisons give 1 or 0, reduce_prod multiplies.
        let graph = try ComputationalGraph.fromJaxpr(
            "{ lambda ; a:f64[3] b:f64[3]. let c:bool[3] = lt a b; d:f64[3] = select_n c a b; e:f64[] = reduce_prod[axes=(0,)] d in (d, e) }",
            name: "v")
        let r = try CompiledJacobian(graph: graph, order: graph.eliminable).evaluate(inputs: [[1, 5, 3], [2, 4, 3]])
        XCTAssertEqual(Array(r.output(0, sample: 0)), [2, 5, 3])
        XCTAssertEqual(Array(r.output(1, sample: 0)), [30])
        XCTAssertEqual(Array(r.block(0, 0, sample: 0)), [0, 0, 0, 0, 1, 0, 0, 0, 1])
        XCTAssertEqual(Array(r.block(0, 1, sample: 0)), [1, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    /// sign (x itself at 0, as XLA) and is_finite, with derivative 0 everywhere.
    func testSignAndIsFiniteValues() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[5]. let
                b:f64[5] = sign a
                c:bool[5] = is_finite a
                d:f64[5] = convert_element_type[new_dtype=float64 weak_type=False] c
              in (b, d) }
            """, name: "s")
        let r = try CompiledJacobian(graph: graph, order: graph.eliminable)
            .evaluate(inputs: [[2.5, -0.5, 0, .infinity, -.infinity]])
        XCTAssertEqual(Array(r.output(0, sample: 0)), [1, -1, 0, 1, -1])
        XCTAssertEqual(Array(r.output(1, sample: 0)), [1, 1, 1, 0, 0])
        XCTAssertEqual(Array(r.block(0, 0, sample: 0)), Array(repeating: 0, count: 25))
        XCTAssertEqual(Array(r.block(1, 0, sample: 0)), Array(repeating: 0, count: 25))
    }
}
