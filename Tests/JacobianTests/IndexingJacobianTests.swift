import Elimination
import Foundation
import XCTest

@testable import Jacobian

/// Reads and writes at indices: writes known only at run time into values of rank 3
/// (`x.at[i, 2, :].set(v)`, a cache updated by `lax.dynamic_update_slice` at a computed position),
/// the combining scatters (`x.at[i].max(v)`, `.min(v)` with repeated indices), slices, and reads and
/// writes at index arrays of rank 2 (`E[tokens]`): JAX 0.4.38's text, outputs against JAX's
/// values, Jacobians against jax.jacrev's or finite differences in forward and reverse order.
final class IndexingJacobianTests: XCTestCase {
    /// 0.3 + 0.9·sin(seed + 0.7·k) for k = 0..<count: distinct values away from ties and zeros.
    private static func values(_ count: Int, seed: Double) -> [Double] {
        (0..<count).map { 0.3 + 0.9 * sin(seed + 0.7 * Double($0)) }
    }

    /// The graph's forward-order result at `inputs`, after checking that forward and reverse order
    /// agree with each other and with finite differences.
    private func evaluate(
        _ graph: ComputationalGraph, _ inputs: [[Double]], file: StaticString = #filePath, line: UInt = #line
    ) throws -> JacobianResult {
        let forward = try CompiledJacobian(graph: graph, order: graph.eliminable).evaluate(inputs: inputs)
        let reverse = try CompiledJacobian(graph: graph, order: graph.eliminable.reversed()).evaluate(inputs: inputs)
        try assertMatchesFiniteDifferences(graph, forward, at: inputs, file: file, line: line)
        XCTAssertLessThan(forward.maxJacobianDifference(to: reverse), 1e-12, file: file, line: line)
        return forward
    }

    private func assertClose(
        _ got: ArraySlice<Double>, _ want: [Double], _ what: String, file: StaticString = #filePath,
        line: UInt = #line
    ) {
        XCTAssertEqual(got.count, want.count, what, file: file, line: line)
        for (k, (x, y)) in zip(got, want).enumerated() {
            XCTAssertEqual(x, y, accuracy: 1e-14, "\(what)[\(k)]", file: file, line: line)
        }
    }

    /// `f(x, i, v) = x.at[i, 2, :].set(v) ** 2` with x of shape (2, 3, 4): i = 1 writes row (1, 2),
    /// i = −1 wraps to it, i = 5 is out of range and writes nothing (FILL_OR_DROP). The index is
    /// an integer input: its finite-difference block is 0 (a step would truncate it to the index
    /// below), as is ccelim's.
    func testRank3ScatterAtARuntimeIndex() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[2,3,4] b:i64[] c:f64[4]. let
                d:bool[] = lt b 0
                e:i64[] = add b 2
                f:i64[] = select_n d b e
                g:i32[] = convert_element_type[new_dtype=int32 weak_type=False] f
                h:i32[1] = broadcast_in_dim[broadcast_dimensions=() shape=(1,) sharding=None] g
                i:i32[1] = broadcast_in_dim[broadcast_dimensions=() shape=(1,) sharding=None] 2
                j:i32[2] = concatenate[dimension=0] h i
                k:f64[2,3,4] = scatter[
                  dimension_numbers=ScatterDimensionNumbers(update_window_dims=(0,), inserted_window_dims=(0, 1), scatter_dims_to_operand_dims=(0, 1), operand_batching_dims=(), scatter_indices_batching_dims=())
                  indices_are_sorted=True
                  mode=GatherScatterMode.FILL_OR_DROP
                  unique_indices=True
                  update_consts=()
                  update_jaxpr=None
                ] a j c
                l:f64[2,3,4] = integer_pow[y=2] k
              in (l,) }
            """, name: "scatter3")
        XCTAssertTrue(graph.program.equations.contains { $0.primitive == "dynamic_update_slice" })
        let x = Self.values(24, seed: 0.1), v = [0.25, -0.5, 0.75, 1.5]
        let kept = [
            0.15198308096358432, 0.894198095617764, 1.4345942538893701, 1.0560578704038392, 0.26555923341431636,
            0.009656678235216582, 0.27515201331989914, 0.3170048609578686, 0.03826600612638015, 0.16393938151180462,
            0.9140739294522263, 1.4368553447017316, 1.0376241927275835, 0.25060128379830243, 0.01249528357647969,
            0.28142800010256586, 0.31205331569170563, 0.03345812630828185, 0.1763234316241182, 0.9338097118968531,
        ]
        // JAX's outputs: the last row is v² when i is 1 or −1, x's own row squared when i = 5.
        let rowWritten = [0.0625, 0.25, 0.5625, 2.25]
        let rowKept = [1.4385086660200623, 1.0189425869770554, 0.23602178533557647, 0.015669979263293034]
        for (i, last) in [(1.0, rowWritten), (-1.0, rowWritten), (5.0, rowKept)] {
            let inputs = [x, [i], v]
            let r = try evaluate(graph, inputs)
            assertClose(r.output(0, sample: 0), kept + last, "outputs at i = \(i)")
            XCTAssertTrue(r.block(0, 1, sample: 0).allSatisfy { $0 == 0 }, "the index has no derivative")
            let fd = try FiniteDifferences.jacobian(of: graph, at: inputs)
            XCTAssertTrue(fd[0][1].allSatisfy { $0 == 0 }, "finite differences do not move an integer input")
            // d out / d v: 2·v along the written row, nothing when the write is dropped.
            let dv = r.block(0, 2, sample: 0)
            for e in 0..<4 {
                XCTAssertEqual(dv[dv.startIndex + (20 + e) * 4 + e], i == 5 ? 0 : 2 * v[e], accuracy: 1e-14)
            }
        }
    }

    /// A rank-3 cache updated at a computed position, `tanh(lax.dynamic_update_slice(c, kv, (t, t,
    /// 1)))` with c of shape (2, 3, 4) and kv (1, 2, 2): t = 7 is clamped to (1, 1, 1) along the
    /// leading axes as XLA clamps it; JAX's outputs.
    func testRank3DynamicUpdateSliceAtAClampedRuntimeStart() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[2,3,4] b:f64[1,2,2] c:i64[]. let
                d:bool[] = lt c 0
                e:i64[] = convert_element_type[new_dtype=int64 weak_type=False] c
                f:i64[] = add e 2
                g:i64[] = select_n d c f
                h:bool[] = lt c 0
                i:i64[] = convert_element_type[new_dtype=int64 weak_type=False] c
                j:i64[] = add i 3
                k:i64[] = select_n h c j
                l:f64[2,3,4] = dynamic_update_slice a b g k 1
                m:f64[2,3,4] = tanh l
              in (m,) }
            """, name: "cache")
        let inputs = [Self.values(24, seed: 0.1), Self.values(4, seed: 0.4), [7]]
        let r = try evaluate(graph, inputs)
        assertClose(
            r.output(0, sample: 0),
            [
                0.3712309715852819, 0.7377939193992561, 0.8329656420216474, 0.7729628167282229, 0.47408331694694117,
                -0.09795330059435593, -0.48120356925410385, -0.5102234729623006, -0.19315943746640424,
                0.38412889550004775, 0.7425197081619188, 0.8332542918226761, 0.7693113676599037, 0.4625896202891361,
                -0.11131903586467384, -0.48576158026448546, -0.5069508243697104, 0.57199066081866, 0.801247288920684,
                0.7470907667164289, 0.8334649235332038, 0.8263329996344146, 0.6850800473085921, -0.12453000539261411,
            ], "outputs")
        // Four elements of c are overwritten, so their derivatives are 0: (1, 1, 1), (1, 1, 2), (1, 2, 1), (1, 2, 2).
        let dc = r.block(0, 0, sample: 0)
        for e in [17, 18, 21, 22] { XCTAssertEqual(dc[dc.startIndex + e * 24 + e], 0) }
        XCTAssertNotEqual(dc[dc.startIndex + 16 * 24 + 16], 0)
    }

    /// Windows of more than one element along an indexed axis: `x.at[1:3, 2].set(y ** 2) * x` (a
    /// slice along axis 0 at a known index, one element along axis 1), and `lax.scatter_add` of a
    /// window of 2 at a run-time index in FILL_OR_DROP mode, where index 3 writes and index 4 (the
    /// window past the end) writes nothing; JAX's outputs and jax.jacrev's d/dy.
    func testScattersOfWindowsAlongAnIndexedAxis() throws {
        let known = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[4,5] b:f64[2]. let
                c:f64[2] = integer_pow[y=2] b
                d:i32[1] = broadcast_in_dim[broadcast_dimensions=() shape=(1,) sharding=None] 1
                e:i32[1] = broadcast_in_dim[broadcast_dimensions=() shape=(1,) sharding=None] 2
                f:i32[2] = concatenate[dimension=0] d e
                g:f64[4,5] = scatter[
                  dimension_numbers=ScatterDimensionNumbers(update_window_dims=(0,), inserted_window_dims=(1,), scatter_dims_to_operand_dims=(0, 1), operand_batching_dims=(), scatter_indices_batching_dims=())
                  indices_are_sorted=True
                  mode=GatherScatterMode.FILL_OR_DROP
                  unique_indices=True
                  update_consts=()
                  update_jaxpr=None
                ] a f c
                h:f64[4,5] = mul g a
              in (h,) }
            """, name: "slice")
        let m = (0..<20).map { Double($0) / 8 }
        let written = try evaluate(known, [m, [0.5, 0.7]])
        assertClose(
            written.output(0, sample: 0),
            [
                0.0, 0.015625, 0.0625, 0.140625, 0.25, 0.390625, 0.5625, 0.21875, 1.0, 1.265625, 1.5625, 1.890625,
                0.7349999999999999, 2.640625, 3.0625, 3.515625, 4.0, 4.515625, 5.0625, 5.640625,
            ], "x.at[1:3, 2].set")
        let runtime = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[5] b:f64[2] c:i64[]. let
                d:i64[1] = reshape[dimensions=None new_sizes=(1,) sharding=None] c
                e:f64[5] = scatter-add[
                  dimension_numbers=ScatterDimensionNumbers(update_window_dims=(0,), inserted_window_dims=(), scatter_dims_to_operand_dims=(0,), operand_batching_dims=(), scatter_indices_batching_dims=())
                  indices_are_sorted=False
                  mode=GatherScatterMode.FILL_OR_DROP
                  unique_indices=False
                  update_consts=()
                  update_jaxpr={ lambda ; f:f64[] g:f64[]. let h:f64[] = add f g in (h,) }
                ] a d b
                i:f64[5] = sin e
                j:f64[5] = mul i a
              in (j,) }
            """, name: "window")
        let x = [0.1, 0.3, 0.5, 0.7, 0.9], y = [0.3, -0.2]
        let inside = try evaluate(runtime, [x, y, [3]])
        assertClose(
            inside.output(0, sample: 0),
            [0.009983341664682815, 0.08865606199840186, 0.2397127693021015, 0.5890296893655275, 0.579795918513922],
            "window at 3")
        assertClose(
            inside.block(0, 1, sample: 0), [0, 0, 0, 0, 0, 0, 0.3782116141076978, 0, 0, 0.6883579685560397],
            "d/dy at 3")
        let past = try evaluate(runtime, [x, y, [4]])
        assertClose(
            past.output(0, sample: 0),
            [0.009983341664682815, 0.08865606199840186, 0.2397127693021015, 0.4509523810663837, 0.7049942186647351],
            "window at 4")
        XCTAssertTrue(past.block(0, 1, sample: 0).allSatisfy { $0 == 0 }, "a dropped window has no derivative")
    }

    /// `x.at[1:3, ::2].add(y) * x` (x (3, 5), y (2, 3)): the strided axis' three points are the
    /// scatter axis of the updates, and JAX puts it last (update_window_dims=(0,)), after the
    /// window of 2 rows; y[r, k] lands at x[1 + r, 2k]. JAX's outputs and jax.jacrev's d/dy.
    func testTheScatterAxisMayFollowTheWindowAxes() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[3,5] b:f64[2,3]. let
                c:i32[3] = iota[dimension=0 dtype=int32 shape=(3,) sharding=None] 
                d:i32[3] = mul 2 c
                e:i32[3] = add 0 d
                f:i32[3,1] = broadcast_in_dim[broadcast_dimensions=() shape=(3, 1) sharding=None] 1
                g:i32[3,1] = broadcast_in_dim[broadcast_dimensions=(0,) shape=(3, 1) sharding=None] e
                h:i32[3,2] = concatenate[dimension=1] f g
                i:f64[3,5] = scatter-add[
                  dimension_numbers=ScatterDimensionNumbers(update_window_dims=(0,), inserted_window_dims=(1,), scatter_dims_to_operand_dims=(0, 1), operand_batching_dims=(), scatter_indices_batching_dims=())
                  indices_are_sorted=True
                  mode=GatherScatterMode.FILL_OR_DROP
                  unique_indices=True
                  update_consts=()
                  update_jaxpr={ lambda ; j:f64[] k:f64[]. let l:f64[] = add j k in (l,) }
                ] a h b
                m:f64[3,5] = mul i a
              in (m,) }
            """, name: "strided")
        let r = try evaluate(graph, [(0..<15).map { Double($0) / 10 }, (1...6).map { Double($0) / 7 }])
        assertClose(
            r.output(0, sample: 0),
            [
                0.0, 0.010000000000000002, 0.04000000000000001, 0.09, 0.16000000000000003, 0.3214285714285714, 0.36,
                0.69, 0.6400000000000001, 1.1957142857142857, 1.5714285714285714, 1.2100000000000002,
                2.2971428571428567, 1.6900000000000002, 3.1599999999999997,
            ], "outputs")
        var dy = [Double](repeating: 0, count: 90)
        for (row, column, value) in [(5, 0, 0.5), (7, 1, 0.7), (9, 2, 0.9), (10, 3, 1.0), (12, 4, 1.2), (14, 5, 1.4)] {
            dy[row * 6 + column] = value
        }
        assertClose(r.block(0, 1, sample: 0), dy, "d/dy")
    }

    /// Index arrays of rank 2 (a point per batch position): an embedding lookup `sin(E[t])` with
    /// t of shape (2, 2) (the result (2, 2, 3): the batch axes first, the row after them), and
    /// `x[i, ::2]` (points along two axes, the strided one JAX's iota); JAX's outputs.
    func testGathersAtIndexArraysOfRankTwo() throws {
        let lookup = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[4,3] b:i64[2,2]. let
                c:bool[2,2] = lt b 0
                d:i64[2,2] = add b 4
                e:i64[2,2] = select_n c b d
                f:i32[2,2] = convert_element_type[new_dtype=int32 weak_type=False] e
                g:i32[2,2,1] = broadcast_in_dim[broadcast_dimensions=(0, 1) shape=(2, 2, 1) sharding=None] f
                h:f64[2,2,3] = gather[
                  dimension_numbers=GatherDimensionNumbers(offset_dims=(2,), collapsed_slice_dims=(0,), start_index_map=(0,), operand_batching_dims=(), start_indices_batching_dims=())
                  fill_value=None
                  indices_are_sorted=False
                  mode=GatherScatterMode.PROMISE_IN_BOUNDS
                  slice_sizes=(1, 3)
                  unique_indices=False
                ] a g
                i:f64[2,2,3] = sin h
              in (i,) }
            """, name: "lookup")
        let embedded = try evaluate(lookup, [(0..<12).map { Double($0) / 10 }, [3, 0, 1, 3]])
        assertClose(
            embedded.output(0, sample: 0),
            [
                0.7833269096274834, 0.8414709848078965, 0.8912073600614354, 0.0, 0.09983341664682815,
                0.19866933079506122, 0.29552020666133955, 0.3894183423086505, 0.479425538604203, 0.7833269096274834,
                0.8414709848078965, 0.8912073600614354,
            ], "sin(E[t])")
        let strided = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[3,5] b:i64[2]. let
                c:bool[2] = lt b 0
                d:i64[2] = add b 3
                e:i64[2] = select_n c b d
                f:i32[2] = convert_element_type[new_dtype=int32 weak_type=False] e
                g:i32[3] = iota[dimension=0 dtype=int32 shape=(3,) sharding=None] 
                h:i32[3] = mul 2 g
                i:i32[3] = add 0 h
                j:i32[2,3,1] = broadcast_in_dim[broadcast_dimensions=(0,) shape=(2, 3, 1) sharding=None] f
                k:i32[2,3,1] = broadcast_in_dim[broadcast_dimensions=(1,) shape=(2, 3, 1) sharding=None] i
                l:i32[2,3,2] = concatenate[dimension=2] j k
                m:f64[2,3] = gather[
                  dimension_numbers=GatherDimensionNumbers(offset_dims=(), collapsed_slice_dims=(0, 1), start_index_map=(0, 1), operand_batching_dims=(), start_indices_batching_dims=())
                  fill_value=None
                  indices_are_sorted=False
                  mode=GatherScatterMode.PROMISE_IN_BOUNDS
                  slice_sizes=(1, 1)
                  unique_indices=False
                ] a l
                n:f64[1,1] = slice[limit_indices=(1, 1) start_indices=(0, 0) strides=None] a
                o:f64[] = squeeze[dimensions=(0, 1)] n
                p:f64[2,3] = mul m o
              in (p,) }
            """, name: "strided")
        let picked = try evaluate(strided, [(0..<15).map { Double($0) / 10 + 0.1 }, [2, 0]])
        assertClose(
            picked.output(0, sample: 0),
            [0.11000000000000001, 0.13, 0.15000000000000002, 0.010000000000000002, 0.030000000000000006, 0.05],
            "x[i, ::2] * x[0, 0]")
    }

    /// `x.at[i].add(v) * x` with i of shape (2, 2) at run time (rows of x (4, 3); index 5 is out of
    /// range and dropped): JAX's outputs and jax.jacrev's d/dv.
    func testScattersAtIndexArraysOfRankTwo() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[4,3] b:f64[2,2,3] c:i64[2,2]. let
                d:bool[2,2] = lt c 0
                e:i64[2,2] = add c 4
                f:i64[2,2] = select_n d c e
                g:i32[2,2] = convert_element_type[new_dtype=int32 weak_type=False] f
                h:i32[2,2,1] = broadcast_in_dim[broadcast_dimensions=(0, 1) shape=(2, 2, 1) sharding=None] g
                i:f64[4,3] = scatter-add[
                  dimension_numbers=ScatterDimensionNumbers(update_window_dims=(2,), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,), operand_batching_dims=(), scatter_indices_batching_dims=())
                  indices_are_sorted=False
                  mode=GatherScatterMode.FILL_OR_DROP
                  unique_indices=False
                  update_consts=()
                  update_jaxpr={ lambda ; j:f64[] k:f64[]. let l:f64[] = add j k in (l,) }
                ] a h b
                m:f64[4,3] = mul i a
              in (m,) }
            """, name: "rows")
        let r = try evaluate(graph, [(0..<12).map { Double($0) / 10 }, (0..<12).map { Double($0) / 7 }, [0, 3, 3, 5]])
        assertClose(
            r.output(0, sample: 0),
            [
                0.0, 0.024285714285714285, 0.09714285714285714, 0.09, 0.16000000000000003, 0.25, 0.36,
                0.48999999999999994, 0.6400000000000001, 1.967142857142857, 2.571428571428571, 3.252857142857143,
            ], "outputs")
        var dv = [Double](repeating: 0, count: 144)
        for (row, column, value) in [
            (1, 1, 0.1), (2, 2, 0.2), (9, 3, 0.9), (9, 6, 0.9), (10, 4, 1.0), (10, 7, 1.0), (11, 5, 1.1), (11, 8, 1.1),
        ] {
            dv[row * 12 + column] = value
        }
        assertClose(r.block(0, 1, sample: 0), dv, "d/dv")
    }

    /// A scatter in PROMISE_IN_BOUNDS mode drops what falls outside, as XLA's scatter does (it was
    /// clamped, as CLIP: audit25): `x.at[i].set(v, mode="promise_in_bounds")` at the run-time
    /// indices [−9, 8, 2] writes only v[2] (−9 wraps to −3, still outside), and at known indices
    /// [7, 2] only the second; CLIP clamps 7 to 5.
    func testAPromisedScatterDropsWhatFallsOutside() throws {
        let runtime = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[6] b:i32[3] c:f64[3]. let
                d:bool[3] = lt b 0
                e:i32[3] = add b 6
                f:i32[3] = select_n d b e
                g:i32[3,1] = broadcast_in_dim[broadcast_dimensions=(0,) shape=(3, 1) sharding=None] f
                h:f64[6] = scatter[
                  dimension_numbers=ScatterDimensionNumbers(update_window_dims=(), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,), operand_batching_dims=(), scatter_indices_batching_dims=())
                  indices_are_sorted=False
                  mode=GatherScatterMode.PROMISE_IN_BOUNDS
                  unique_indices=False
                  update_consts=()
                  update_jaxpr=None
                ] a g c
                i:f64[6] = mul h 1.0
              in (i,) }
            """, name: "promised")
        let x = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
        let r = try evaluate(runtime, [x, [-9, 8, 2], [10, 20, 30]])
        assertClose(r.output(0, sample: 0), [0.1, 0.2, 30, 0.4, 0.5, 0.6], "outputs")
        for (mode, want) in [
            ("PROMISE_IN_BOUNDS", [0.1, 0.2, 20.3, 0.4, 0.5, 0.6]), ("CLIP", [0.1, 0.2, 20.3, 0.4, 0.5, 10.6]),
        ] {
            let known = try ComputationalGraph.fromJaxpr(
                """
                { lambda ; a:f64[6] b:f64[2]. let
                    c:i32[2,1] = iota[dimension=0 dtype=int32 shape=(2, 1) sharding=None]
                    d:i32[2,1] = mul c -5
                    e:i32[2,1] = add d 7
                    i:f64[6] = scatter-add[
                      dimension_numbers=ScatterDimensionNumbers(update_window_dims=(), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,), operand_batching_dims=(), scatter_indices_batching_dims=())
                      indices_are_sorted=False
                      mode=GatherScatterMode.\(mode)
                      unique_indices=False
                      update_consts=()
                      update_jaxpr=None
                    ] a e b
                    m:f64[6] = mul i 1.0
                  in (m,) }
                """, name: mode)
            assertClose(try evaluate(known, [x, [10, 20]]).output(0, sample: 0), want, mode)
        }
    }

    /// `cos(x.at[i].max(v)) + x.at[i].min(v)` with the run-time indices [0, 2, 0, 1, 2]: the
    /// repeated indices combine in turn; against jax.jacrev's Jacobian.
    func testCombiningScattersWithRepeatedRuntimeIndices() throws {
        let numbers =
            "dimension_numbers=ScatterDimensionNumbers(update_window_dims=(), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,), operand_batching_dims=(), scatter_indices_batching_dims=()) indices_are_sorted=False mode=GatherScatterMode.FILL_OR_DROP unique_indices=False update_consts=()"
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[3] b:f64[5] c:i64[5]. let
                d:bool[5] = lt c 0
                e:i64[5] = add c 3
                f:i64[5] = select_n d c e
                g:i32[5] = convert_element_type[new_dtype=int32 weak_type=False] f
                h:i32[5,1] = broadcast_in_dim[broadcast_dimensions=(0,) shape=(5, 1) sharding=None] g
                i:f64[3] = scatter-max[\(numbers) update_jaxpr={ lambda ; j:f64[] k:f64[]. let l:f64[] = max j k in (l,) }] a h b
                m:f64[3] = cos i
                bc:f64[3] = scatter-min[\(numbers) update_jaxpr={ lambda ; bd:f64[] be:f64[]. let
                    bf:f64[] = min bd be
                  in (bf,) }] a h b
                bg:f64[3] = add m bc
              in (bg,) }
            """, name: "combining")
        let inputs = [[0.5, 0.1, 0.2], [0.3, 1.2, 0.9, -0.4, 0.1], [0, 2, 0, 1, 2]]
        let r = try evaluate(graph, inputs)
        assertClose(r.output(0, sample: 0), [0.9216099682706644, 0.5950041652780258, 0.4623577544766736], "outputs")
        assertClose(r.block(0, 0, sample: 0), [0, 0, 0, 0, -0.09983341664682815, 0, 0, 0, 0], "d/dx")
        assertClose(
            r.block(0, 1, sample: 0),
            [1, 0, -0.7833269096274834, 0, 0, 0, 0, 0, 1, 0, 0, -0.9320390859672263, 0, 0, 1], "d/dv")
    }
}
