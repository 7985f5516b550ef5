import Console
import Elimination
import Foundation
import TestFixtures
import XCTest

@testable import Jacobian

/// Programs whose inputs and results have rank 3 or 4: inputs are given and results and Jacobian
/// blocks come back in their JAX shapes (a block is output shape + input shape, as jax.jacrev),
/// while the tape computes on the stored matrices. Against finite differences, both orders, and
/// index loops in the JAX shapes. (boundary_shapes in Tests/Fixtures/control-flow is checked
/// against jax.jacrev by ControlFlowValuesTests and the code generators' tests.)
final class BoundaryShapesJacobianTests: XCTestCase {
    /// `check` of PrimitiveTests with inputs as nested arrays of their JAX shapes: the graph, its
    /// forward-order Jacobian, and the inputs flattened row-major.
    private func check(
        _ text: String, _ inputs: [Any], file: StaticString = #filePath, line: UInt = #line
    ) throws -> (ComputationalGraph, CompiledJacobian, JacobianResult, [[Double]]) {
        let graph = try ComputationalGraph.fromJaxpr(text, name: "boundary")
        let forward = try CompiledJacobian(graph: graph, order: graph.eliminable)
        let flat = try zip(inputs, forward.inputShapes).map { try NestedArray.values($0, shape: $1, what: "input") }
        let fd = try FiniteDifferences.jacobian(of: graph, at: flat)
        var results: [JacobianResult] = []
        for order in [graph.eliminable, graph.eliminable.reversed()] {
            let r = try CompiledJacobian(graph: graph, order: order).evaluate(inputs: flat)
            var worst = 0.0
            for o in fd.indices {
                for k in fd[o].indices { worst = max(worst, maxRelativeDifference(r.block(o, k, sample: 0), fd[o][k])) }
            }
            print(
                "boundary shapes \(forward.inputShapes) → \(forward.outputShapes): max rel diff vs finite differences \(worst)"
            )
            XCTAssertLessThan(worst, 1e-6, text, file: file, line: line)
            results.append(r)
        }
        XCTAssertLessThan(
            results[0].maxJacobianDifference(to: results[1]), 1e-12, "forward and reverse differ", file: file,
            line: line)
        return (graph, forward, results[0], flat)
    }

    /// t[i][j][k] for a shape's multi-indices: distinct values away from ties and zeros.
    private static func tensor(_ shape: [Int], seed: Double) -> Any {
        func build(_ prefix: Int, _ dims: ArraySlice<Int>) -> Any {
            guard let n = dims.first else { return 0.3 + 0.9 * sin(seed + 0.7 * Double(prefix)) }
            return (0..<n).map { build(prefix * n + $0, dims.dropFirst()) }
        }
        return build(0, shape[...])
    }

    /// The shape of a nested JSON array (down its first entries).
    private static func shape(_ json: JSON) -> [Int] {
        guard case .array(let entries) = json else { return [] }
        return [entries.count] + (entries.first.map(shape) ?? [])
    }

    func testRank3InputAndResultInTheirJaxShapes() throws {
        let t = Self.tensor([2, 3, 4], seed: 0.1)
        let (_, compiled, r, flat) = try check(
            """
            { lambda ; a:f64[2,3,4]. let
                b:f64[2,3,4] = tanh a
                c:f64[3,4] = reduce_sum[axes=(0,)] a
                d:f64[1,3,4] = broadcast_in_dim[broadcast_dimensions=(1, 2) shape=(1, 3, 4) sharding=None] c
                e:f64[2,3,4] = mul b d
              in (e,) }
            """, [t])
        XCTAssertEqual(compiled.inputShapes, [[2, 3, 4]])
        XCTAssertEqual(compiled.outputShapes, [[2, 3, 4]])
        // e[i,j,k] = tanh(t[i,j,k]) · Σₐ t[a,j,k]; ∂e[i,j,k]/∂t[a,j',k'] is 0 unless (j', k') = (j, k).
        let x = flat[0], e = Array(r.output(0, sample: 0)), block = Array(r.block(0, 0, sample: 0))
        for i in 0..<2 {
            for j in 0..<3 {
                for k in 0..<4 {
                    let at = 12 * i + 4 * j + k
                    let sum = x[4 * j + k] + x[12 + 4 * j + k]
                    XCTAssertEqual(e[at], tanh(x[at]) * sum, accuracy: 1e-14)
                    for a in 0..<2 {
                        for j2 in 0..<3 {
                            for k2 in 0..<4 where (j2, k2) != (j, k) {
                                XCTAssertEqual(block[at * 24 + 12 * a + 4 * j2 + k2], 0)
                            }
                        }
                        let d = (a == i ? (1 - tanh(x[at]) * tanh(x[at])) * sum : 0) + tanh(x[at])
                        XCTAssertEqual(block[at * 24 + 12 * a + 4 * j + k], d, accuracy: 1e-13)
                    }
                }
            }
        }
        XCTAssertEqual(Self.shape(JacobianReport.outputs(r, sample: 0)), [1, 2, 3, 4])
        XCTAssertEqual(Self.shape(JacobianReport.jacobian(r, sample: 0)), [1, 1, 2, 3, 4, 2, 3, 4])
    }

    /// A reshape with `dimensions` reshapes the operand transposed by them: JAX 0.4.38's text of
    /// `jnp.ravel(x, order="F")` for x of shape (2, 3, 4) and of `jnp.reshape(m, (3, 2),
    /// order="F") * m.T`; outputs as JAX computes them (read as plain reshapes, ccelim gave
    /// x in row-major order and Jacobians to match: wrong, silently).
    func testReshapeWithDimensionsTransposesFirst() throws {
        let x = (0..<24).map { Double($0) / 10 }
        let (_, _, raveled, _) = try check(
            """
            { lambda ; a:f64[2,3,4]. let
                b:f64[24] = reshape[dimensions=(2, 1, 0) new_sizes=(24,) sharding=None] a
                c:f64[24] = sin b
              in (c,) }
            """, [Self.nest(x, [2, 3, 4])])
        let fortran = [
            0.0, 1.2, 0.4, 1.6, 0.8, 2.0, 0.1, 1.3, 0.5, 1.7, 0.9, 2.1, 0.2, 1.4, 0.6, 1.8, 1.0, 2.2, 0.3, 1.5, 0.7,
            1.9, 1.1, 2.3,
        ]
        for (got, want) in zip(raveled.output(0, sample: 0), fortran) {
            XCTAssertEqual(got, sin(want), accuracy: 1e-15)
        }
        // Output 1 is x[0, 1, 0] = 0.4 (index 4): its only partial is cos there.
        XCTAssertEqual(raveled.block(0, 0, sample: 0)[24 * 2 + 4], cos(0.4), accuracy: 1e-15)
        let (_, _, matrix, _) = try check(
            """
            { lambda ; a:f64[2,3]. let
                b:f64[2,3] = reshape[dimensions=(1, 0) new_sizes=(2, 3) sharding=None] a
                c:f64[3,2] = transpose[permutation=(1, 0)] b
                d:f64[3,2] = transpose[permutation=(1, 0)] a
                e:f64[3,2] = mul c d
              in (e,) }
            """, [Self.nest(Array(x[0..<6]), [2, 3])])
        let products = [0.0, 0.12, 0.03, 0.08000000000000002, 0.020000000000000004, 0.25]
        for (got, want) in zip(matrix.output(0, sample: 0), products) { XCTAssertEqual(got, want, accuracy: 1e-15) }
    }

    /// `values` (row-major) as nested arrays of `shape`.
    private static func nest(_ values: [Double], _ shape: [Int]) -> Any {
        guard shape.count > 1 else { return values }
        let inner = shape.dropFirst().reduce(1, *)
        return (0..<shape[0]).map { nest(Array(values[($0 * inner)..<(($0 + 1) * inner)]), Array(shape.dropFirst())) }
    }

    /// A reduction over the middle axis of a rank-3 input: out[i,k] = Σⱼ sin(t[i,j,k]) · t[i,j,k].
    func testReductionOverTheMiddleAxisOfARank3Input() throws {
        let t = Self.tensor([3, 2, 4], seed: 0.4)
        let (_, compiled, r, flat) = try check(
            """
            { lambda ; a:f64[3,2,4]. let
                b:f64[3,2,4] = sin a
                c:f64[3,2,4] = mul b a
                d:f64[3,4] = reduce_sum[axes=(1,)] c
              in (d,) }
            """, [t])
        XCTAssertEqual(compiled.outputShapes, [[3, 4]])
        let x = flat[0], out = Array(r.output(0, sample: 0))
        for i in 0..<3 {
            for k in 0..<4 {
                let want = (0..<2).reduce(0.0) { s, j in s + sin(x[8 * i + 4 * j + k]) * x[8 * i + 4 * j + k] }
                XCTAssertEqual(out[4 * i + k], want, accuracy: 1e-14)
            }
        }
        XCTAssertEqual(Self.shape(JacobianReport.jacobian(r, sample: 0)), [1, 1, 3, 4, 3, 2, 4])
    }

    /// A rank-4 input and result next to a rank-2 input and result; a transpose to a rank-3 result.
    func testRank4AndRank2InputsAndResults() throws {
        let (_, compiled, r, _) = try check(
            """
            { lambda ; a:f64[2,1,3,2] b:f64[3,2]. let
                c:f64[2,1,3,2] = sin a
                d:f64[1,1,3,2] = broadcast_in_dim[broadcast_dimensions=(2, 3) shape=(1, 1, 3, 2) sharding=None] b
                e:f64[2,1,3,2] = mul c d
                f:f64[3,2] = reduce_sum[axes=(0, 1)] a
                g:f64[2,3,2] = reshape[dimensions=None new_sizes=(2, 3, 2) sharding=None] e
                h:f64[2,2,3] = transpose[permutation=(0, 2, 1)] g
              in (e, f, h) }
            """, [Self.tensor([2, 1, 3, 2], seed: 0.2), Self.tensor([3, 2], seed: 1.3)])
        XCTAssertEqual(compiled.inputShapes, [[2, 1, 3, 2], [3, 2]])
        XCTAssertEqual(compiled.outputShapes, [[2, 1, 3, 2], [3, 2], [2, 2, 3]])
        let blocks = JacobianReport.jacobian(r, sample: 0)
        guard case .array(let rows) = blocks else { return XCTFail("not an array") }
        XCTAssertEqual(rows.count, 3)
        let expected = [
            [[2, 1, 3, 2, 2, 1, 3, 2], [2, 1, 3, 2, 3, 2]], [[3, 2, 2, 1, 3, 2], [3, 2, 3, 2]],
            [[2, 2, 3, 2, 1, 3, 2], [2, 2, 3, 3, 2]],
        ]
        for (o, row) in rows.enumerated() {
            guard case .array(let row) = row else { return XCTFail("not an array") }
            XCTAssertEqual(row.map(Self.shape), expected[o], "output \(o + 1)")
        }
        // h[i,k,j] = e[i,0,j,k].
        let e = Array(r.output(0, sample: 0)), h = Array(r.output(2, sample: 0))
        for i in 0..<2 {
            for j in 0..<3 {
                for k in 0..<2 { XCTAssertEqual(h[6 * i + 3 * k + j], e[6 * i + 2 * j + k]) }
            }
        }
    }

    /// The control-flow fixture: two inputs of rank 3 and 4, a batched product with a rank-2
    /// weight, five results (rank 3 read again, rank 2, rank 3, rank 4, a scalar), from the point
    /// make-fixtures.py stored in JAX shapes.
    func testBoundaryShapesFixtureAgainstFiniteDifferences() throws {
        let directory = Fixtures.root.appendingPathComponent("Tests/Fixtures/control-flow")
        let values = try JSONSerialization.jsonObject(
            with: Data(contentsOf: directory.appendingPathComponent("values.json")))
        let entry = try XCTUnwrap(
            ((values as? [String: Any])?["tasks"] as? [String: Any])?["boundary_shapes"] as? [String: Any])
        let point = try XCTUnwrap((entry["points"] as? [[String: Any]])?.first)
        let text = try String(contentsOf: directory.appendingPathComponent("boundary_shapes.jaxpr"), encoding: .utf8)
        let (_, compiled, _, _) = try check(text, try XCTUnwrap(point["inputs"] as? [Any]))
        XCTAssertEqual(compiled.inputShapes, (entry["input_shapes"] as? [[Int]]) ?? [])
        XCTAssertEqual(compiled.outputShapes, (entry["output_shapes"] as? [[Int]]) ?? [])
    }
}
