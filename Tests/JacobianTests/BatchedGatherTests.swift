import Elimination
import TestFixtures
import XCTest

@testable import Jacobian

/// Gathers with batching dimensions (`jnp.take_along_axis`) written without them
/// (ConstantIndexing.unbatched): each row's element at its own index, at run-time and at known
/// indices; in FILL_OR_DROP mode an index out of range gives the fill value and no partial, as
/// JAX's gather does.
final class BatchedGatherTests: XCTestCase {
    private static func takeAlongRows(_ indices: String, inputs: String) -> String {
        """
        { lambda ; \(inputs). let
            \(indices)
            e:f64[3,1] = gather[dimension_numbers=GatherDimensionNumbers(offset_dims=(), collapsed_slice_dims=(1,), start_index_map=(1,), operand_batching_dims=(0,), start_indices_batching_dims=(0,)) fill_value=nan indices_are_sorted=False mode=GatherScatterMode.FILL_OR_DROP slice_sizes=(1, 1) unique_indices=False] a d
          in (e,) }
        """
    }

    /// Run-time indices (an integer input): row i's element at b[i]; 4 and −1 are out of range,
    /// so those rows are NaN with a zero row in the Jacobian. (Downstream of the fill, a partial
    /// such as 2·NaN meets that zero and gives NaN, where JAX's transposed gather drops the
    /// update: as for a jnp.where the user writes, Docs/COST_MODEL.md §6.)
    func testRunTimeIndicesPickEachRowsElementAndFillOutOfRange() throws {
        let text = Self.takeAlongRows(
            """
            c:i32[3,1] = broadcast_in_dim[broadcast_dimensions=(0,) shape=(3, 1) sharding=None] b
                d:i32[3,1,1] = reshape[dimensions=None new_sizes=(3, 1, 1)] c
            """, inputs: "a:f64[3,4] b:i32[3]")
        let graph = try ComputationalGraph.fromJaxpr(text, name: "take")
        XCTAssertFalse(graph.program.equations.contains { $0.primitive == "gather" })
        let a = (0..<12).map { Double($0) * 0.5 + 1 }
        for (indices, picked) in [([1.0, 3, 0], [1, 7, 8]), ([1.0, 4, -1], [1, nil, nil])] {
            let result = try CompiledJacobian(graph: graph, order: graph.eliminable).evaluate(inputs: [a, indices])
            let out = Array(result.output(0, sample: 0))
            let jacobian = Array(result.block(0, 0, sample: 0))  // (3, 12)
            for row in 0..<3 {
                guard let p = picked[row] else {
                    XCTAssertTrue(out[row].isNaN, "row \(row) at \(indices[row])")
                    for k in 0..<12 { XCTAssertEqual(jacobian[12 * row + k], 0, "row \(row)") }
                    continue
                }
                XCTAssertEqual(out[row], a[p])
                for k in 0..<12 { XCTAssertEqual(jacobian[12 * row + k], k == p ? 1 : 0, "row \(row), \(k)") }
            }
        }
    }

    /// Indices known at import (a literal broadcast): static slices, no dynamic_slice and no
    /// bounds check.
    func testKnownIndicesAreStaticSlices() throws {
        let text = Self.takeAlongRows(
            "d:i32[3,1,1] = broadcast_in_dim[broadcast_dimensions=() shape=(3, 1, 1) sharding=None] 2",
            inputs: "a:f64[3,4]")
        let graph = try ComputationalGraph.fromJaxpr(text, name: "take")
        XCTAssertFalse(
            graph.program.equations.contains { $0.primitive == "dynamic_slice" || $0.primitive == "select_n" })
        XCTAssertEqual(
            graph.program.equations.filter { $0.primitive == "slice" }.map { $0.param("start_indices") },
            ["(0, 2)", "(1, 2)", "(2, 2)"])
        let a = (0..<12).map { Double($0) - 4 }
        let result = try CompiledJacobian(graph: graph, order: graph.eliminable).evaluate(inputs: [a])
        XCTAssertEqual(Array(result.output(0, sample: 0)), [2, 6, 10].map { a[$0] })
    }

    /// Batching dimensions with offset dimensions (a window per batch element) are refused by name.
    func testBatchedWindowsAreRefused() {
        let text = """
            { lambda ; a:f64[3,4] b:i32[3,1]. let
                e:f64[3,2] = gather[dimension_numbers=GatherDimensionNumbers(offset_dims=(1,), collapsed_slice_dims=(), start_index_map=(1,), operand_batching_dims=(0,), start_indices_batching_dims=(0,)) fill_value=None indices_are_sorted=False mode=GatherScatterMode.PROMISE_IN_BOUNDS slice_sizes=(1, 2) unique_indices=False] a b
              in (e,) }
            """
        XCTAssertThrowsError(try ComputationalGraph.fromJaxpr(text, name: "w")) { error in
            let e = error as? ImportError
            XCTAssertEqual(e?.line, 2)
            XCTAssertTrue(e?.message.contains("batching dimensions") ?? false, e?.message ?? "")
        }
    }
}
