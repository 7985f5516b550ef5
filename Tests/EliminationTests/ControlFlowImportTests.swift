import Foundation
import XCTest
@testable import Elimination

/// Comparisons, select_n, expm1, reduce_prod and scan unrolling in the importer: edges and labels,
/// scan programs against the same program written with a Python loop
/// (Tests/Fixtures/control-flow, made by its make-fixtures.py), and the refusals of while and cond.
final class ControlFlowImportTests: XCTestCase {
    static let directory = Fixtures.root.appendingPathComponent("Tests/Fixtures/control-flow")

    static func graph(_ name: String) throws -> ComputationalGraph {
        let text = try Fixtures.text(directory.appendingPathComponent("\(name).jaxpr"))
        return try ComputationalGraph.fromJaxpr(text, name: name)
    }

    private func edges(into v: Int, of graph: ComputationalGraph) -> [Edge] {
        graph.edges.filter { $0.target == v }
    }

    /// Importing `text` fails at `line` with a message containing every one of `words`.
    private func assertRefused(
        _ text: String, line: Int, _ words: String..., file: StaticString = #filePath, lineNumber: UInt = #line
    ) {
        XCTAssertThrowsError(try ComputationalGraph.fromJaxpr(text, name: "r"), file: file, line: lineNumber) { error in
            let e = error as? ImportError
            XCTAssertEqual(e?.line, line, e?.description ?? "", file: file, line: lineNumber)
            for w in words {
                XCTAssertTrue(e?.message.contains(w) ?? false, e?.description ?? "", file: file, line: lineNumber)
            }
        }
    }

    func testComparisonsHaveNoEdgesAndSelectHasEdgesFromItsCasesOnly() throws {
        for p in ["eq", "ne", "gt", "lt", "ge", "le"] {
            let graph = try ComputationalGraph.fromJaxpr(
                """
                { lambda ; a:f32[3] b:f32[3]. let
                    c:bool[3] = \(p) a b
                    d:f32[3] = mul a b
                    e:f32[3] = select_n c a d
                  in (e,) }
                """, name: p)
            XCTAssertEqual(edges(into: 1, of: graph), [], p)
            let select = edges(into: 3, of: graph)
            XCTAssertEqual(Set(select.map(\.source)), [.input(1), .vertex(2)], p)
            XCTAssertTrue(select.allSatisfy { $0.label.type == 6 }, "\(select)")
        }
        // A scalar select is dense (type 1), like a unary elementwise op on a scalar.
        let scalar = try ComputationalGraph.fromJaxpr(
            "{ lambda ; a:f32[] b:f32[]. let c:bool[] = gt a b; d:f32[] = select_n c a b in (d,) }", name: "s")
        XCTAssertEqual(edges(into: 2, of: scalar).map(\.label.type), [1, 1])
        XCTAssertEqual(edges(into: 1, of: scalar), [])
    }

    func testMasksHaveNoEdgesAndIntegerBitwiseOpsAreRefused() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[3] b:f32[3]. let
                c:bool[3] = gt a b
                d:bool[3] = lt a 0.5
                e:bool[3] = and c d
                f:bool[3] = not e
                g:bool[3] = or f c
                h:f32[3] = select_n g a b
              in (h,) }
            """, name: "m")
        XCTAssertEqual(graph.edges.filter { $0.target < 6 }, [])
        XCTAssertEqual(Set(edges(into: 6, of: graph).map(\.source)), [.input(1), .input(2)])
        XCTAssertThrowsError(
            try ComputationalGraph.fromJaxpr(
                "{ lambda ; a:i32[3] b:i32[3]. let\n    c:i32[3] = and a b\n  in (c,) }", name: "i")
        ) { error in
            let e = error as? ImportError
            XCTAssertEqual(e?.kind, .unsupportedPrimitive)
            XCTAssertEqual(e?.line, 2)
            XCTAssertTrue(e?.message.contains("'and' of i32 values is bitwise") ?? false, e?.description ?? "")
        }
    }

    func testSelectRefusesCasesOfAnotherShape() {
        XCTAssertThrowsError(
            try ComputationalGraph.fromJaxpr(
                "{ lambda ; a:f32[3] b:f32[2]. let c:bool[3] = gt a a; d:f32[3] = select_n c a b in (d,) }", name: "s")
        ) { error in
            XCTAssertEqual((error as? ImportError)?.kind, .shapeMismatch)
            XCTAssertEqual((error as? ImportError)?.line, 1)
        }
    }

    func testExpm1AndReduceProdLabels() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[3] m:f32[2,3]. let
                b:f32[3] = expm1 a
                c:f32[] = reduce_prod[axes=(0,)] b
                d:f32[3] = reduce_prod[axes=(0,)] m
                e:f32[2] = reduce_prod[axes=(1,)] m
                f:f32[] = reduce_prod[axes=(0, 1)] m
              in (c, d, e, f) }
            """, name: "p")
        XCTAssertEqual(edges(into: 1, of: graph).map(\.label.type), [6])
        XCTAssertEqual(edges(into: 2, of: graph).map(\.label.type), [1])
        // Over one axis of a matrix: as reduce_max (diagonal with values), not reduce_sum's −4/−2.
        XCTAssertEqual(edges(into: 3, of: graph).map(\.label.type), [2])
        XCTAssertEqual(edges(into: 4, of: graph).map(\.label.type), [2])
        XCTAssertEqual(edges(into: 5, of: graph).map(\.label.type), [1])
    }

    func testCumsumLabels() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[3] m:f32[2,3]. let
                b:f32[3] = cumsum[axis=0 reverse=False] a
                c:f32[2,3] = cumsum[axis=0 reverse=False] m
                d:f32[2,3] = cumsum[axis=1 reverse=True] m
              in (b, c, d) }
            """, name: "c")
        XCTAssertEqual(edges(into: 1, of: graph).map(\.label.type), [1])
        XCTAssertEqual(edges(into: 2, of: graph).map(\.label.type), [-3])
        XCTAssertEqual(edges(into: 3, of: graph).map(\.label.type), [-2])
    }

    /// sign and is_finite (jnp.sign, logsumexp) have derivative 0: no edge enters them, as the
    /// comparisons; the select_n after is_finite keeps its edge from the case.
    func testSignAndIsFiniteHaveNoEdges() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[3] b:f32[]. let
                c:f32[3] = sign a
                d:bool[] = is_finite b
                e:f32[] = select_n d 0.0 b
                f:f32[3] = mul c e
              in (f,) }
            """, name: "s")
        XCTAssertEqual(edges(into: 1, of: graph), [])
        XCTAssertEqual(edges(into: 2, of: graph), [])
        XCTAssertEqual(edges(into: 3, of: graph).map(\.source), [.input(2)])
        assertRefused(
            "{ lambda ; a:f32[3]. let\n    c:f32[3] = sign a a\n  in (c,) }", line: 2, "'sign' takes 1 operand")
    }

    /// clamp has an edge from each differentiable operand (literal bounds have none); round and
    /// rem: none and two; a bound of another shape is refused naming the line.
    func testClampRoundAndRemEdges() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[3] l:f32[3] h:f32[]. let
                b:f32[3] = clamp -0.25 a 0.5
                c:f32[3] = clamp l a h
                d:f32[3] = round[rounding_method=1] c
                e:f32[3] = rem b l
                f:f32[3] = add d e
              in (f,) }
            """, name: "c")
        XCTAssertEqual(edges(into: 1, of: graph).map(\.source), [.input(1)])
        XCTAssertEqual(Set(edges(into: 2, of: graph).map(\.source)), [.input(1), .input(2), .input(3)])
        XCTAssertEqual(edges(into: 3, of: graph), [])
        XCTAssertEqual(Set(edges(into: 4, of: graph).map(\.source)), [.vertex(1), .input(2)])
        assertRefused(
            "{ lambda ; a:f32[3] l:f32[2]. let\n    c:f32[3] = clamp l a 1.0\n  in (c,) }", line: 2,
            "'clamp' bound of shape [2]")
    }

    /// cummax of 4 elements: 4 slices, JAX's associative-scan tree of 4 max (pairs (0,1), (2,3),
    /// their pair, then position 2 from position 1), one concatenate; of 1 element the slice alone;
    /// an axis outside the operand is refused naming the line.
    func testCumulativeScansFollowJaxTree() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[4] b:f32[1,3]. let
                c:f32[4] = cummax[axis=0 reverse=False] a
                d:f32[1,3] = cumprod[axis=0 reverse=True] b
              in (c, d) }
            """, name: "c")
        let primitives = graph.program.equations.map(\.primitive)
        XCTAssertEqual(
            primitives, ["slice", "slice", "slice", "slice", "max", "max", "max", "max", "concatenate", "slice"])
        // Position 3 is max(max(a0, a1), max(a2, a3)); position 2 is max(max(a0, a1), a2).
        XCTAssertEqual(graph.program.equations[6].operands, [.vertex(5), .vertex(6)])
        XCTAssertEqual(graph.program.equations[7].operands, [.vertex(5), .vertex(3)])
        XCTAssertEqual(graph.program.equations[8].operands, [.vertex(1), .vertex(5), .vertex(8), .vertex(7)])
        assertRefused(
            "{ lambda ; a:f32[3]. let\n    c:f32[3] = cumprod[axis=1 reverse=False] a\n  in (c,) }", line: 2,
            "'cumprod' needs an axis")
    }

    /// Integer values carry no derivative: no edge leaves an index (argmax, its conversion to a
    /// start, iota), while the float operands keep theirs.
    func testIntegerOperandsHaveNoEdges() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[4]. let
                b:i32[] = argmax[axes=(0,) index_dtype=int32] a
                c:i32[] = add b 1
                d:f32[2] = dynamic_slice[slice_sizes=(2,)] a c
                e:f32[] = convert_element_type[new_dtype=float32 weak_type=False] b
                f:f32[2] = mul d e
              in (f,) }
            """, name: "i")
        XCTAssertEqual(edges(into: 1, of: graph), [])
        XCTAssertEqual(edges(into: 2, of: graph), [])
        XCTAssertEqual(edges(into: 3, of: graph).map(\.source), [.input(1)])
        XCTAssertEqual(edges(into: 4, of: graph), [])
        XCTAssertEqual(Set(edges(into: 5, of: graph).map(\.source)), [.vertex(3), .vertex(4)])
    }

    /// A sort of several operands by the first (jnp.argsort) is one sort vertex per used result:
    /// the keys alone, or the keys and the operand they order, whose edge alone reaches the result
    /// (an integer iota has none); several keys are refused.
    func testSortOfSeveralOperandsSplitsByResult() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[3] b:f32[3]. let
                c:i32[3] = iota[dimension=0 dtype=int32 shape=(3,) sharding=None]
                d:f32[3] e:f32[3] f:i32[3] = sort[dimension=0 is_stable=True num_keys=1] b a c
                _:f32[3] g:f32[3] = sort[dimension=0 is_stable=True num_keys=1] b a
                h:f32[3] = mul d e
                i:f32[3] = mul h g
              in (i, f) }
            """, name: "o")
        let equations = graph.program.equations
        XCTAssertEqual(equations.map(\.primitive), ["iota", "sort", "sort", "sort", "sort", "mul", "mul"])
        XCTAssertEqual(equations[1].operands, [.input(2)])
        XCTAssertEqual(equations[2].operands, [.input(2), .input(1)])
        XCTAssertEqual(equations[3].operands, [.input(2), .vertex(1)])
        XCTAssertEqual(equations[4].operands, [.input(2), .input(1)])
        XCTAssertEqual(edges(into: 2, of: graph).map(\.source), [.input(2)])
        XCTAssertEqual(edges(into: 3, of: graph).map(\.source), [.input(1)])
        XCTAssertEqual(edges(into: 4, of: graph), [])
        assertRefused(
            """
            { lambda ; a:f32[3] b:f32[3]. let
                c:f32[3] d:f32[3] = sort[dimension=0 is_stable=True num_keys=2] b a
              in (d,) }
            """, line: 2, "'sort' by 2 keys")
    }

    /// A cond at a run-time index: every branch inlined, each result a select_n on the index with
    /// one case per branch (edges from the cases only); a result every branch passes through
    /// unchanged is that operand, with no selection.
    func testCondInlinesEveryBranchAndSelects() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[3] b:f32[3]. let
                d:f32[] = reduce_sum[axes=(0,)] a
                e:bool[] = gt d 0.5
                f:i32[] = convert_element_type[new_dtype=int32 weak_type=False] e
                g:f32[3] h:f32[3] = cond[
                  branches=(
                    { lambda ; i:f32[3] j:f32[3]. let k:f32[3] = mul i j in (k, j) }, { lambda ; l:f32[3] m:f32[3]. let
                        n:f32[3] = sin l
                      in (n, m) }
                  )
                ] f a b
                o:f32[3] = add g h
              in (o,) }
            """, name: "k")
        let equations = graph.program.equations
        XCTAssertEqual(
            equations.map(\.primitive), ["reduce_sum", "gt", "convert_element_type", "mul", "sin", "select_n", "add"])
        XCTAssertEqual(equations[5].operands, [.vertex(3), .vertex(4), .vertex(5)])
        XCTAssertEqual(Set(edges(into: 6, of: graph).map(\.source)), [.vertex(4), .vertex(5)])
        // h is b in both branches.
        XCTAssertEqual(equations[6].operands, [.vertex(6), .input(2)])
        // Each branch's equations are guarded by the index and their branch; the selection is not.
        XCTAssertEqual(BranchGuard.guards(of: equations[3]), [BranchGuard(index: .vertex(3), branch: 0)])
        XCTAssertEqual(BranchGuard.guards(of: equations[4]), [BranchGuard(index: .vertex(3), branch: 1)])
        XCTAssertEqual(BranchGuard.guards(of: equations[5]), [])
        // In nested conds, the inner guard first; an unreadable guard is nil.
        let nested = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[] i:i32[] j:i32[]. let
                b:f32[] = cond[
                  branches=(
                    { lambda ; c:f32[] k:i32[]. let d:f32[] = sin c in (d,) }
                    { lambda ; e:f32[] l:i32[]. let
                        f:f32[] = cond[
                          branches=(
                            { lambda ; g:f32[]. let h:f32[] = exp g in (h,) }
                            { lambda ; m:f32[]. let n:f32[] = cos m in (n,) }
                          )
                        ] l e
                      in (f,) }
                  )
                ] i a j
              in (b,) }
            """, name: "nested")
        XCTAssertEqual(nested.program.equations.map(\.primitive), ["sin", "exp", "cos", "select_n", "select_n"])
        XCTAssertEqual(
            nested.program.equations[1].param(BranchGuard.parameter), "in3=0,in2=1")
        XCTAssertEqual(BranchGuard.guards(of: nested.program.equations[3]), [BranchGuard(index: .input(2), branch: 1)])
        var bad = equations[3]
        bad.params = [Parameter(key: BranchGuard.parameter, value: "x7=1")]
        XCTAssertNil(BranchGuard.guards(of: bad))
    }

    /// An index known at import (a literal; a value computed from literals; lax.switch's clamped
    /// index out of range) inlines only the branch it picks, with no selection.
    func testCondAtAKnownIndexInlinesOnlyThatBranch() throws {
        for (index, expected) in [("0", "exp"), ("1", "sin"), ("7", "neg"), ("-2", "exp"), ("c", "neg")] {
            let graph = try ComputationalGraph.fromJaxpr(
                """
                { lambda ; a:f32[3]. let
                    b:i32[] = add 1 1
                    c:i32[] = clamp 0 b 2
                    d:f32[3] = cond[
                      branches=(
                        { lambda ; e:f32[3]. let f:f32[3] = exp e in (f,) }
                        { lambda ; g:f32[3]. let h:f32[3] = sin g in (h,) }
                        { lambda ; i:f32[3]. let j:f32[3] = neg i in (j,) }
                      )
                    ] \(index) a
                    k:f32[3] = mul d a
                  in (k,) }
                """, name: "k")
            let primitives = graph.program.equations.map(\.primitive)
            XCTAssertEqual(primitives.suffix(2), [expected, "mul"], "index \(index)")
            XCTAssertFalse(primitives.contains("select_n"), "index \(index)")
        }
    }

    /// Newer JAX may print a body once and name it (`let _f = { lambda … } in`): a branch may be
    /// such a name, separated by white space or a comma.
    func testCondBranchesMayBeSharedJaxprs() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            let _twice = { lambda ; a:f32[3]. let b:f32[3] = mul a 2.0 in (b,) } in
            let _sine = { lambda ; a:f32[3]. let b:f32[3] = sin a in (b,) } in
            { lambda ; a:f32[3] b:f32[]. let
                c:bool[] = gt b 0.0
                d:i32[] = convert_element_type[new_dtype=int32 weak_type=False] c
                e:f32[3] = cond[branches=(_twice, _sine)] d a
                f:f32[3] = cond[branches=(_sine _twice)] d e
              in (f,) }
            """, name: "k")
        XCTAssertEqual(
            graph.program.equations.map(\.primitive),
            ["gt", "convert_element_type", "mul", "sin", "select_n", "sin", "mul", "select_n"])
    }

    /// A branch that returns another shape than the cond binds, a cond without branches and one
    /// whose branches take other operands are refused naming the line.
    func testMalformedCondsAreRefused() {
        assertRefused(
            """
            { lambda ; a:f32[3] b:f32[]. let
                c:i32[] = convert_element_type[new_dtype=int32 weak_type=False] b
                d:f32[3] = cond[
                  branches=(
                    { lambda ; e:f32[3] f:f32[]. let g:f32[3] = exp e in (g,) }
                    { lambda ; h:f32[3] i:f32[]. let  in (i,) }
                  )
                ] c a b
              in (d,) }
            """, line: 3, "'cond' branch 1 returns f32[]", "binds f32[3]")
        assertRefused(
            """
            { lambda ; a:f32[3] b:f32[]. let
                c:i32[] = convert_element_type[new_dtype=int32 weak_type=False] b
                d:f32[3] = cond[linear=()] c a
              in (d,) }
            """, line: 3, "'cond' has no readable 'branches'")
        assertRefused(
            """
            { lambda ; a:f32[3] b:f32[]. let
                c:i32[] = convert_element_type[new_dtype=int32 weak_type=False] b
                d:f32[3] = cond[
                  branches=(
                    { lambda ; e:f32[3]. let g:f32[3] = exp e in (g,) }
                  )
                ] c a b
              in (d,) }
            """, line: 3, "'cond' passes 2 operands to a body that takes 1")
    }

    /// rev and pad re-index (type 11), pad from its padding value too; pad needs its value operand.
    func testRevAndPadAreReindexing() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[3] m:f32[2,3] s:f32[]. let
                b:f32[3] = rev[dimensions=(0,)] a
                c:f32[2,3] = rev[dimensions=(0, 1)] m
                d:f32[6] = pad[padding_config=((1, 2, 0),)] a 0.0
                e:f32[4,3] = pad[padding_config=((1, 0, 1), (-1, 1, 0))] m s
              in (b, c, d, e) }
            """, name: "r")
        XCTAssertEqual(edges(into: 1, of: graph).map(\.label.type), [11])
        XCTAssertEqual(edges(into: 2, of: graph).map(\.label.type), [11])
        XCTAssertEqual(edges(into: 3, of: graph).map(\.source), [.input(1)])
        XCTAssertEqual(Set(edges(into: 4, of: graph).map(\.source)), [.input(2), .input(3)])
        XCTAssertTrue(edges(into: 4, of: graph).allSatisfy { $0.label.type == 11 })
        assertRefused(
            "{ lambda ; a:f32[3]. let\n    d:f32[5] = pad[padding_config=((1, 1, 0),)] a\n  in (d,) }", line: 2,
            "'pad' takes 2 operands")
    }

    /// gather with constant indices becomes slices (and squeeze or concatenate); indices known at
    /// run time only (an input, a closed-over constant) become a dynamic_slice at the index's
    /// elements, except in FILL_OR_DROP mode; other dimension numbers are refused naming the line.
    func testConstantGatherIsReindexingAndOtherGathersAreRefused() throws {
        let numbers =
            "dimension_numbers=GatherDimensionNumbers(offset_dims=(), collapsed_slice_dims=(0,), start_index_map=(0,), operand_batching_dims=(), start_indices_batching_dims=())"
        let gather = "gather[\(numbers) fill_value=None mode=GatherScatterMode.PROMISE_IN_BOUNDS slice_sizes=(1,)]"
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[3]. let
                b:i32[1] = broadcast_in_dim[broadcast_dimensions=() shape=(1,) sharding=None] 2
                c:f32[] = \(gather) a b
                d:i32[2] = iota[dimension=0 dtype=int32 shape=(2,) sharding=None]
                e:i32[2] = add d 1
                f:i32[2,1] = broadcast_in_dim[broadcast_dimensions=(0,) shape=(2, 1) sharding=None] e
                g:f32[2] = \(gather) a f
                h:f32[2] = mul g c
              in (h,) }
            """, name: "g")
        XCTAssertEqual(
            graph.program.equations.map(\.primitive),
            [
                "broadcast_in_dim", "slice", "squeeze", "iota", "add", "broadcast_in_dim", "slice", "slice",
                "concatenate", "mul",
            ])
        let slices = graph.program.equations.filter { $0.primitive == "slice" }
        XCTAssertEqual(slices.map { $0.param("start_indices") }, ["(2,)", "(1,)", "(2,)"])
        for (inputs, indices) in [("a:f32[3] i:i32[1]", "i"), ("a:f32[3]", "b")] {
            let text = """
                { lambda b:i32[1]; \(inputs). let
                    c:f32[] = \(gather) a \(indices)
                  in (c,) }
                """
            let runTime = try ComputationalGraph.fromJaxpr(text, name: "r")
            XCTAssertEqual(
                runTime.program.equations.map(\.primitive), ["slice", "reshape", "dynamic_slice", "squeeze"])
            XCTAssertEqual(edges(into: 3, of: runTime).map(\.source).first, .input(1))
            // FILL_OR_DROP at a run-time index: the window where the index is in range, else the fill
            // value (NaN: fill_value=None), by a select_n on the index's bounds (ge 0, le 2, and).
            let filled = try ComputationalGraph.fromJaxpr(
                text.replacingOccurrences(of: "PROMISE_IN_BOUNDS", with: "FILL_OR_DROP"), name: "f")
            XCTAssertEqual(
                filled.program.equations.map(\.primitive),
                ["slice", "reshape", "dynamic_slice", "ge", "le", "and", "broadcast_in_dim", "select_n", "squeeze"])
            XCTAssertEqual(filled.program.equations[6].operands, [.literal("nan", nil)])
            XCTAssertEqual(filled.program.equations[4].operands.last, .literal("2", nil))
        }
        // Single elements along two axes (jnp.diag's points (0, 0), (1, 1)): a slice per point, reshaped
        // to put the index vector's axis in place, then concatenated along it.
        let twoAxes = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[2,3]. let
                b:i32[2] = iota[dimension=0 dtype=int32 shape=(2,) sharding=None]
                d:i32[2,1] = broadcast_in_dim[broadcast_dimensions=(0,) shape=(2, 1) sharding=None] b
                e:i32[2,2] = concatenate[dimension=1] d d
                c:f32[2] = gather[dimension_numbers=GatherDimensionNumbers(offset_dims=(), collapsed_slice_dims=(0, 1), start_index_map=(0, 1)) slice_sizes=(1, 1)] a e
              in (c,) }
            """, name: "d")
        XCTAssertEqual(
            twoAxes.program.equations.map(\.primitive).suffix(5),
            ["slice", "reshape", "slice", "reshape", "concatenate"])
        XCTAssertEqual(
            twoAxes.program.equations.filter { $0.primitive == "slice" }.map { $0.param("start_indices") },
            ["(0, 0)", "(1, 1)"])
        // An indexed axis kept as a window of one (not collapsed), as jnp.interp's searchsorted
        // gathers: per point a slice reshaped to (1, 1), concatenated into (2, 1).
        let keptAxis = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[3]. let
                b:i32[2] = iota[dimension=0 dtype=int32 shape=(2,) sharding=None]
                d:i32[2,1] = broadcast_in_dim[broadcast_dimensions=(0,) shape=(2, 1) sharding=None] b
                c:f32[2,1] = gather[dimension_numbers=GatherDimensionNumbers(offset_dims=(1,), collapsed_slice_dims=(), start_index_map=(0,)) slice_sizes=(1,)] a d
              in (c,) }
            """, name: "k")
        XCTAssertEqual(
            keptAxis.program.equations.map(\.primitive).suffix(5),
            ["slice", "reshape", "slice", "reshape", "concatenate"])
        XCTAssertEqual(keptAxis.program.equations.last?.type.shape, [2, 1])
        XCTAssertEqual(
            keptAxis.program.equations.filter { $0.primitive == "reshape" }.map { $0.param("new_sizes") },
            ["(1, 1)", "(1, 1)"])
        // m[1:, ::2] (what JAX 0.4.38 prints): a window of rows from 1 along indexed axis 0, single
        // columns 0 and 2 along axis 1: per point a slice of the window, concatenated along 1.
        let strided = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[3,4]. let
                b:i32[2] = iota[dimension=0 dtype=int32 shape=(2,) sharding=None]
                c:i32[2] = mul 2 b
                e:i32[2,1] = broadcast_in_dim[broadcast_dimensions=() shape=(2, 1) sharding=None] 1
                f:i32[2,1] = broadcast_in_dim[broadcast_dimensions=(0,) shape=(2, 1) sharding=None] c
                g:i32[2,2] = concatenate[dimension=1] e f
                h:f64[2,2] = gather[dimension_numbers=GatherDimensionNumbers(offset_dims=(0,), collapsed_slice_dims=(1,), start_index_map=(0, 1), operand_batching_dims=(), start_indices_batching_dims=()) fill_value=None indices_are_sorted=True mode=GatherScatterMode.PROMISE_IN_BOUNDS slice_sizes=(2, 1) unique_indices=True] a g
              in (h,) }
            """, name: "s")
        let windows = strided.program.equations.filter { $0.primitive == "slice" }
        XCTAssertEqual(windows.map { $0.param("start_indices") }, ["(1, 0)", "(1, 2)"])
        XCTAssertEqual(windows.map { $0.param("limit_indices") }, ["(3, 1)", "(3, 3)"])
        XCTAssertEqual(strided.program.equations.last?.primitive, "concatenate")
        XCTAssertEqual(strided.program.equations.last?.type.shape, [2, 2])
        // Indices of shape [2] for one indexed axis (no index-vector axis of length 1): refused.
        let window = """
            { lambda ; a:f32[2,3]. let
                b:i32[2] = iota[dimension=0 dtype=int32 shape=(2,) sharding=None]
                c:f32[2] = gather[dimension_numbers=GatherDimensionNumbers(offset_dims=(0,), collapsed_slice_dims=(), start_index_map=(1,)) slice_sizes=(2, 1)] a b
              in (c,) }
            """
        assertRefused(window, line: 3, "unsupported 'gather'", "only single elements along the indexed axes")
    }

    /// scatter and scatter-add with a constant index become dynamic_update_slice at literal
    /// starts (scatter-add of the slice plus the update; scatter-mul, -min and -max combine the
    /// slice and the update by mul, min, max); an unknown scatter is refused naming the primitive
    /// and the line.
    func testConstantScatterIsReindexingAndOtherScattersAreRefused() throws {
        let numbers =
            "dimension_numbers=ScatterDimensionNumbers(update_window_dims=(0,), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,), operand_batching_dims=(), scatter_indices_batching_dims=())"
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; m:f32[3,4] v:f32[4]. let
                c:i32[1] = broadcast_in_dim[broadcast_dimensions=() shape=(1,) sharding=None] 1
                d:f32[3,4] = scatter-add[\(numbers) mode=GatherScatterMode.FILL_OR_DROP update_jaxpr=None] m c v
              in (d,) }
            """, name: "s")
        XCTAssertEqual(
            graph.program.equations.map(\.primitive),
            ["broadcast_in_dim", "broadcast_in_dim", "slice", "add", "dynamic_update_slice"])
        XCTAssertEqual(graph.program.equations[4].operands.suffix(2), [.literal("1", nil), .literal("0", nil)])
        let text = """
            { lambda ; m:f32[3,4] v:f32[4] i:i32[1]. let
                c:i32[1] = broadcast_in_dim[broadcast_dimensions=() shape=(1,) sharding=None] 1
                d:f32[3,4] = scatter-apply[\(numbers) mode=GatherScatterMode.FILL_OR_DROP] m c v
              in (d,) }
            """
        assertRefused(text, line: 3, "unsupported 'scatter-apply'", "only scatter (x.at[i].set)")
        // The combining scatters read the window's old values and combine them with the update.
        for (primitive, combine) in [("scatter-mul", "mul"), ("scatter-min", "min"), ("scatter-max", "max")] {
            let combined = try ComputationalGraph.fromJaxpr(
                text.replacingOccurrences(of: "scatter-apply", with: primitive), name: primitive)
            XCTAssertEqual(
                combined.program.equations.map(\.primitive),
                ["broadcast_in_dim", "broadcast_in_dim", "slice", combine, "dynamic_update_slice"], primitive)
        }
    }

    /// A scatter at an index known only at run time (an input) writes with a dynamic_update_slice
    /// at the index's element; FILL_OR_DROP keeps the write only where 0 ≤ index < length (a
    /// select_n on ge, lt, and), and scatter-add reads the old row with a dynamic_slice there.
    func testRuntimeScatterIsGuardedDynamicUpdateSlice() throws {
        let numbers =
            "dimension_numbers=ScatterDimensionNumbers(update_window_dims=(0,), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,), operand_batching_dims=(), scatter_indices_batching_dims=())"
        for (primitive, mode) in [
            ("scatter", "FILL_OR_DROP"), ("scatter-add", "FILL_OR_DROP"), ("scatter", "CLIP"),
        ] {
            let graph = try ComputationalGraph.fromJaxpr(
                """
                { lambda ; m:f32[3,4] v:f32[4] i:i32[1]. let
                    d:f32[3,4] = \(primitive)[\(numbers) mode=GatherScatterMode.\(mode) update_jaxpr=None] m i v
                  in (d,) }
                """, name: "s")
            let equations = graph.program.equations
            let reads = primitive == "scatter-add" ? ["dynamic_slice", "add"] : []
            let guarded = mode == "FILL_OR_DROP" ? ["ge", "lt", "and", "select_n"] : []
            XCTAssertEqual(
                equations.map(\.primitive),
                ["slice", "reshape", "broadcast_in_dim"] + reads + ["dynamic_update_slice"] + guarded,
                "\(primitive) \(mode)")
            let write = equations.firstIndex { $0.primitive == "dynamic_update_slice" }!
            XCTAssertEqual(equations[write].operands.suffix(2), [.vertex(2), .literal("0", nil)])
            if mode == "FILL_OR_DROP" {
                XCTAssertEqual(equations.last!.operands, [.vertex(write + 4), .input(1), .vertex(write + 1)])
                XCTAssertEqual(equations[write + 2].operands, [.vertex(2), .literal("3", nil)])
            }
        }
    }

    /// `x.at[i, j].set(v)` and `.add(v)` (indices along two axes, every indexed axis inserted) write
    /// one element per index: at literal starts along both axes when the indices are known, at the
    /// index vector's elements when they are known at run time, where FILL_OR_DROP keeps the write
    /// only where both are inside (ge, lt, and per axis, their `and`). JAX 0.4.38's text of
    /// `R.at[1, 2].set(v * v)` and of `m.at[i, j].add(w)` with i, j inputs.
    func testScatterAtIndicesAlongTwoAxesWritesOneElementEach() throws {
        let numbers =
            "dimension_numbers=ScatterDimensionNumbers(update_window_dims=(), inserted_window_dims=(0, 1), scatter_dims_to_operand_dims=(0, 1), operand_batching_dims=(), scatter_indices_batching_dims=())"
        let known = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[3,3] b:f64[]. let
                c:f64[] = mul b b
                d:i32[1] = broadcast_in_dim[broadcast_dimensions=() shape=(1,) sharding=None] 1
                e:i32[1] = broadcast_in_dim[broadcast_dimensions=() shape=(1,) sharding=None] 2
                f:i32[2] = concatenate[dimension=0] d e
                h:f64[3,3] = scatter[\(numbers) indices_are_sorted=True mode=GatherScatterMode.FILL_OR_DROP unique_indices=True update_consts=() update_jaxpr=None] a f c
              in (h,) }
            """, name: "known")
        let equations = known.program.equations
        XCTAssertEqual(equations.last!.primitive, "dynamic_update_slice")
        XCTAssertEqual(equations.last!.operands.suffix(2), [.literal("1", nil), .literal("2", nil)])
        XCTAssertEqual(equations[equations.count - 2].primitive, "broadcast_in_dim")
        XCTAssertEqual(equations[equations.count - 2].type.shape, [1, 1])
        let runtime = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; m:f64[3,4] w:f64[] i:i32[2]. let
                d:f64[3,4] = scatter-add[\(numbers) indices_are_sorted=True mode=GatherScatterMode.FILL_OR_DROP unique_indices=True update_consts=() update_jaxpr=None] m i w
              in (d,) }
            """, name: "runtime")
        let primitives = runtime.program.equations.map(\.primitive)
        XCTAssertEqual(
            primitives,
            [
                "slice", "reshape", "slice", "reshape", "broadcast_in_dim", "dynamic_slice", "add",
                "dynamic_update_slice",
                "ge", "lt", "and", "ge", "lt", "and", "and", "select_n",
            ])
        // The bounds are the lengths of both axes.
        let lt = runtime.program.equations.enumerated().filter { $0.element.primitive == "lt" }.map { $0.element }
        XCTAssertEqual(lt.map { $0.operands[1] }, [.literal("3", nil), .literal("4", nil)])
    }

    /// JAX 0.4.x prints infinity and NaN bare (`eq x inf`, `select_n c x nan`): literals, unless a
    /// variable of that name is defined (large jaxprs name one `inf`), which then wins.
    func testBareInfAndNanAreLiteralsUnlessDefined() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[]. let
                b:bool[] = eq a inf
                c:f32[] = select_n b a nan
                inf:f32[] = mul c a
                d:f32[] = add inf -inf
              in (d,) }
            """, name: "n")
        let equations = graph.program.equations
        XCTAssertEqual(equations.map(\.primitive), ["eq", "select_n", "mul", "add"])
        XCTAssertEqual(equations[0].operands[1], .literal("inf", nil))
        XCTAssertEqual(equations[1].operands[2], .literal("nan", nil))
        XCTAssertEqual(equations[3].operands, [.vertex(3), .literal("-inf", nil)])
        assertRefused(
            """
            { lambda ; a:f32[3]. let
                b:f32[3] = mul a infinity
              in (b,) }
            """, line: 2, "variable 'infinity' is used before it is defined")
    }

    /// A custom_jvp_call stays one elementwise vertex only when its body is elementwise (relu);
    /// one that reduces, or returns two results, is inlined as a pjit (jnp.linalg.det and slogdet).
    func testCustomJvpCallsThatAreNotElementwiseAreInlined() throws {
        let relu = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[3]. let
                b:f64[3] = custom_jvp_call[call_jaxpr={ lambda ; c:f64[3]. let d:f64[3] = max c 0.0 in (d,) } num_consts=0] a
              in (b,) }
            """, name: "relu")
        XCTAssertEqual(relu.program.equations.map(\.primitive), ["custom_jvp_call"])
        let reducing = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[3]. let
                b:f64[] = custom_jvp_call[call_jaxpr={ lambda ; c:f64[3]. let d:f64[3] = sin c; e:f64[] = reduce_sum[axes=(0,)] d in (e,) } num_consts=0] a
                f:f64[3] g:f64[3] = custom_jvp_call[call_jaxpr={ lambda ; h:f64[3]. let i:f64[3] = cos h; j:f64[3] = neg h in (i, j) } num_consts=0] a
                k:f64[3] = mul f b
              in (k, g) }
            """, name: "reducing")
        XCTAssertEqual(reducing.program.equations.map(\.primitive), ["sin", "reduce_sum", "cos", "neg", "mul"])
        let determinants = try Self.graph("determinants")
        XCTAssertFalse(determinants.program.equations.contains { $0.primitive == "custom_jvp_call" })
        XCTAssertTrue(determinants.program.equations.contains { $0.primitive == "argmax" })
    }

    /// Every fixture with values (values.json's tasks, twins included) imports, with no scan or
    /// while left; every .jaxpr in the folder is such a task or listed as refused (tested below),
    /// so a new fixture cannot be forgotten here.
    func testEveryFixtureImports() throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("values.json"))
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let tasks = try XCTUnwrap(root["tasks"] as? [String: Any]).keys.sorted()
        let refused = try XCTUnwrap(root["refused"] as? [String])
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
            .filter { $0.hasSuffix(".jaxpr") }.map { String($0.dropLast(".jaxpr".count)) }
        XCTAssertEqual(Set(files), Set(tasks).union(refused))
        XCTAssertGreaterThan(tasks.count, 40)
        for name in tasks {
            let graph = try Self.graph(name)
            XCTAssertFalse(graph.program.equations.contains { $0.primitive == "scan" || $0.primitive == "while" }, name)
            print("\(name): \(graph.vertexCount) vertices, \(graph.edges.count) edges")
        }
    }

    /// The unrolled scan is the Python loop's graph: same vertices (primitive by primitive), same
    /// edges and labels, same forward, reverse and Markowitz costs.
    func testUnrolledScanEqualsThePythonLoop() throws {
        for name in ["scan_rnn", "scan_reverse", "fori_integrator", "nested", "while_counter"] {
            let scan = try Self.graph(name)
            let loop = try Self.graph(name + "_loop")
            XCTAssertEqual(scan.vertexCount, loop.vertexCount, name)
            XCTAssertEqual(scan.edges.count, loop.edges.count, name)
            XCTAssertEqual(scan.program.equations.map(\.primitive), loop.program.equations.map(\.primitive), name)
            XCTAssertEqual(Set(scan.edges), Set(loop.edges), name)
            XCTAssertEqual(scan.outputs, loop.outputs, name)
            let (a, b) = (GameSpec(graph: scan), GameSpec(graph: loop))
            for (label, order) in [
                ("forward", Baselines.forwardOrder), ("reverse", Baselines.reverseOrder),
                ("markowitz", Baselines.markowitzOrder),
            ] {
                let costs = (try Baselines.score(order(a), on: a).cost, try Baselines.score(order(b), on: b).cost)
                XCTAssertEqual(costs.0, costs.1, "\(name) \(label)")
                XCTAssertGreaterThan(costs.0, 0, "\(name) \(label)")
            }
        }
    }

    /// A fori_loop's counter is folded: no integer vertex, and the float it is converted to is a
    /// literal operand, as in the Python loop.
    func testForiLoopCounterIsFolded() throws {
        let graph = try Self.graph("fori_integrator")
        XCTAssertFalse(graph.program.equations.contains { $0.type.dtype.hasPrefix("i") })
        XCTAssertFalse(graph.program.equations.contains { $0.primitive == "convert_element_type" })
    }

    func testScanLimitsAreRefusedNamingTheLine() throws {
        let body = "jaxpr={ lambda ; b:f32[] c:f32[]. let d:f32[] = mul b c in (d, d) }"
        for (length, kind, words) in [
            (0, ImportError.Kind.unsupportedShape, "length 0"),
            (ScanUnrolling.maxTripCount + 1, .tooLarge, "\(ScanUnrolling.maxTripCount) iterations"),
        ] {
            let text = """
                { lambda ; a:f32[] x:f32[\(length)]. let
                    e:f32[] f:f32[\(length)] = scan[
                      \(body)
                      length=\(length)
                      num_carry=1
                      num_consts=0
                      reverse=False
                    ] a x
                  in (e, f) }
                """
            XCTAssertThrowsError(try ComputationalGraph.fromJaxpr(text, name: "s")) { error in
                let e = error as? ImportError
                XCTAssertEqual(e?.kind, kind)
                XCTAssertEqual(e?.line, 2)
                XCTAssertTrue(e?.message.contains(words) ?? false, e?.description ?? "")
                XCTAssertTrue(e?.message.contains("scan") ?? false, e?.description ?? "")
            }
        }
    }

    /// A scan whose unrolled equations would not fit a game state is refused while unrolling (the
    /// budget is what GameLimits leaves; here a small one, so the test allocates little).
    func testScanTooLargeToUnrollIsRefused() throws {
        let body = (1...40).map { "e\($0):f32[] = sin e\($0 - 1)" }.joined(separator: "; ")
        let syntax = try JaxprParser.parse(
            """
            { lambda ; a:f32[]. let
                b:f32[] = scan[
                  jaxpr={ lambda ; e0:f32[]. let \(body) in (e40,) }
                  length=1000
                  num_carry=1
                  num_consts=0
                  reverse=False
                ] a
              in (b,) }
            """)
        XCTAssertEqual(try ScanUnrolling(syntax.equations[0], tag: "s1", maxEquations: 40_000).equations.count, 40_000)
        XCTAssertThrowsError(try ScanUnrolling(syntax.equations[0], tag: "s1", maxEquations: 39_999)) { error in
            let e = error as? ImportError
            XCTAssertEqual(e?.kind, .tooLarge)
            XCTAssertEqual(e?.line, 2)
            XCTAssertTrue(
                e?.message.contains("'scan' of length 1000 unrolls into more than") ?? false, e?.description ?? "")
        }
    }

    /// An integer `div` by a literal 0 in a scan body has no Int result: it is not folded (no
    /// crash), and stays an equation of the unrolled program.
    func testIntegerDivisionByLiteralZeroIsNotFolded() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[]. let
                b:f32[] = scan[
                  jaxpr={ lambda ; c:f32[]. let g:i32[] = div 1 0; h:f32[] = mul c 2.0 in (h,) }
                  length=2
                  num_carry=1
                  num_consts=0
                  reverse=False
                ] a
              in (b,) }
            """, name: "z")
        XCTAssertEqual(graph.program.equations.map(\.primitive), ["div", "mul", "div", "mul"])
        XCTAssertNil(
            ScanUnrolling.fold(try JaxprParser.parse("{ lambda ; . let a:i32[] = div 1 0 in (a,) }").equations[0]))
    }

    /// Unused stacked outputs (`_`) are not stacked: no broadcast or concatenate for them.
    func testUnusedYsAreNotStacked() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[] x:f32[3]. let
                b:f32[] _:f32[3] = scan[
                  jaxpr={ lambda ; c:f32[] d:f32[]. let e:f32[] = mul c d; f:f32[] = sin e in (e, f) }
                  length=3
                  num_carry=1
                  num_consts=0
                  reverse=False
                ] a x
              in (b,) }
            """, name: "u")
        // The final carry is also read by the last `sin`: the copy vertex of COST_MODEL.md §6.
        XCTAssertEqual(
            graph.program.equations.map(\.primitive),
            Array(repeating: ["slice", "squeeze", "mul", "sin"], count: 3).flatMap { $0 } + ["copy"])
    }

    /// A while_loop whose condition depends on values (a tolerance) is refused naming the line; one
    /// bounded by a counter unrolls (testUnrolledScanEqualsThePythonLoop's while_counter), also when
    /// its condition reads a const, and one that never stops is refused at the iteration limit.
    func testWhileIsUnrolledOnlyWhenItsConditionFolds() throws {
        XCTAssertThrowsError(try Self.graph("while_tolerance")) { error in
            let e = error as? ImportError
            XCTAssertEqual(e?.kind, .unsupportedPrimitive)
            XCTAssertEqual(e?.line, 2, e?.description ?? "")
            XCTAssertTrue(
                e?.message.contains("unsupported 'while': its condition depends on values") ?? false,
                e?.description ?? "")
        }
        func loop(limit: String) -> String {
            """
            { lambda ; a:f32[3]. let
                _:i32[] _:i32[] b:f32[3] = while[
                  body_jaxpr={ lambda ; c:i32[] d:i32[] e:f32[3]. let f:i32[] = add d 1; g:f32[3] = sin e in (c, f, g) }
                  body_nconsts=0
                  cond_jaxpr={ lambda ; h:i32[] i:i32[] j:i32[] k:f32[3]. let l:bool[] = lt j h in (l,) }
                  cond_nconsts=1
                ] \(limit) 0 0 a
                m:f32[3] = mul b 2.0
              in (m,) }
            """
        }
        let three = try ComputationalGraph.fromJaxpr(loop(limit: "3"), name: "w")
        XCTAssertEqual(three.program.equations.map(\.primitive), ["sin", "sin", "sin", "mul"])
        let never = try ComputationalGraph.fromJaxpr(loop(limit: "0"), name: "w")
        XCTAssertEqual(never.program.equations.map(\.primitive), ["mul"])
        XCTAssertEqual(never.program.equations[0].operands, [.input(1), .literal("2.0", nil)])
        assertRefused(loop(limit: "5000"), line: 2, "more than the 1000 iterations")
    }
}
