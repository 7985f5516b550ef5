import Elimination
import XCTest

@testable import Jacobian

/// Outputs that are not vertices of their own, as JAX prints them (probe26: refused before): an
/// input returned unchanged, the same value returned twice, a literal, a value of rank 3. Each is
/// imported as a `copy` vertex: an identity edge from an input or a vertex (its Jacobian block is
/// I, as jax.jacrev's), none from a literal (0).
final class OutputOperandsTests: XCTestCase {
    /// `lambda x, y: (x, y * 2.0, x, jnp.zeros(2), 1.5, 3)` (JAX 0.4.38's text, jax_enable_x64).
    func testInputsLiteralsAndRepeatsAreCopies() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; b:f64[2] c:f64[2]. let
                d:f64[2] = mul c 2.0
                e:f64[2] = broadcast_in_dim[
                  broadcast_dimensions=()
                  shape=(2,)
                  sharding=None
                ] 0.0
              in (b, d, b, e, 1.5, 3) }
            """, name: "aliases")
        XCTAssertEqual(graph.program.outputs.count, 6)
        XCTAssertEqual(Set(graph.program.outputs).count, 6, "every output its own vertex")
        XCTAssertEqual(
            graph.program.outputs.map { graph.program.equations[$0 - 1].type.dtype },
            [
                "f64", "f64", "f64", "f64", "f64", "i32",
            ])
        let x = [0.1, 0.2], y = [0.3, 0.4]
        for order in [graph.eliminable, graph.eliminable.reversed()] {
            let r = try CompiledJacobian(graph: graph, order: order).evaluate(inputs: [x, y])
            XCTAssertEqual(Array(r.output(0, sample: 0)), x)
            XCTAssertEqual(Array(r.output(1, sample: 0)), [0.6, 0.8])
            XCTAssertEqual(Array(r.output(2, sample: 0)), x)
            XCTAssertEqual(Array(r.output(3, sample: 0)), [0, 0])
            XCTAssertEqual(Array(r.output(4, sample: 0)), [1.5])
            XCTAssertEqual(Array(r.output(5, sample: 0)), [3])
            XCTAssertEqual(Array(r.block(0, 0, sample: 0)), [1, 0, 0, 1])
            XCTAssertEqual(Array(r.block(0, 1, sample: 0)), [0, 0, 0, 0])
            XCTAssertEqual(Array(r.block(1, 1, sample: 0)), [2, 0, 0, 2])
            XCTAssertEqual(Array(r.block(2, 0, sample: 0)), [1, 0, 0, 1])
            XCTAssertEqual(Array(r.block(3, 0, sample: 0)), [0, 0, 0, 0])
            XCTAssertEqual(Array(r.block(4, 0, sample: 0)), [0, 0])
            XCTAssertEqual(Array(r.block(4, 1, sample: 0)), [0, 0])
        }
    }

    /// `lambda x: (x, x)` prints an empty body; a rank-3 input returned keeps its JAX shape.
    func testAnEmptyBodyAndARank3InputReturnedUnchanged() throws {
        let twice = try ComputationalGraph.fromJaxpr("{ lambda ; a:f64[2]. let  in (a, a) }", name: "twice")
        let r = try CompiledJacobian(graph: twice, order: twice.eliminable).evaluate(inputs: [[0.5, -1]])
        for o in 0..<2 {
            XCTAssertEqual(Array(r.output(o, sample: 0)), [0.5, -1])
            XCTAssertEqual(Array(r.block(o, 0, sample: 0)), [1, 0, 0, 1])
        }
        let rank3 = try ComputationalGraph.fromJaxpr(
            "{ lambda ; a:f64[2,1,2]. let b:f64[2,1,2] = sin a in (a, b) }", name: "rank3")
        XCTAssertEqual(rank3.program.jaxType(of: .output(1)).shape, [2, 1, 2])
        let values = [0.1, 0.2, 0.3, 0.4]
        let s = try CompiledJacobian(graph: rank3, order: rank3.eliminable).evaluate(inputs: [values])
        XCTAssertEqual(Array(s.output(0, sample: 0)), values)
        let identity = Array(s.block(0, 0, sample: 0))
        XCTAssertEqual(identity.count, 16)
        for i in 0..<4 { for j in 0..<4 { XCTAssertEqual(identity[i * 4 + j], i == j ? 1 : 0) } }
    }
}
