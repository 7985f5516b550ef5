import XCTest
@testable import Elimination

/// Jaxpr text as current JAX (0.5 … 0.12) prints it: typed literals, numpy-typed axes,
/// broadcast_in_dim without `shape=`, `pjit`/`jit` with nested jaxprs, one-line jaxprs.
final class NewerJaxTests: XCTestCase {
    func testTypedLiteralsGiveTheSameGraph() throws {
        let old = try Fixtures.jaxpr("RoeFlux_1d")
        // Turn every bare literal operand into the typed form newer JAX prints.
        var new = ""
        for line in old.split(separator: "\n", omittingEmptySubsequences: false) {
            let words = line.split(separator: " ", omittingEmptySubsequences: false).map { w -> String in
                if let d = Double(w), w.contains(".") || w.hasPrefix("-") { _ = d; return "\(w):f32[]" }
                return String(w)
            }
            new += words.joined(separator: " ") + "\n"
        }
        XCTAssertTrue(new.contains("0.5:f32[]"))
        let a = try ComputationalGraph.fromJaxpr(old, name: "r")
        let b = try ComputationalGraph.fromJaxpr(new, name: "r")
        XCTAssertEqual(a.edges, b.edges)
        XCTAssertEqual(BaselineSummary(spec: GameSpec(graph: b)).reverse, 364)
    }

    func testNumpyAxesAndBroadcastWithoutShape() throws {
        let g = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[3,4]. let
                b:f32[3] = reduce_sum[axes=(np.int64(1),) out_sharding=None] a
                c:f32[3,1] = broadcast_in_dim[broadcast_dimensions=(0,) sharding=None] b
                d:f32[3,4] = mul a c
                e:f32[3,4] = mul d 2.0:f32[]
              in (e,) }
            """, name: "n")
        // a→b −2; b→c −6; a→d −8 (matrix with a column); c→d 2 (column with a matrix); d→e −8 (matrix with a scalar literal)
        XCTAssertEqual(g.edges.map(\.label.type), [-2, -6, -8, 2, -8])
    }

    func testPjitIsInlined() throws {
        let g = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[] b:f32[]. let
                c:f32[] = mul a b
                d:f32[] = pjit[
                  name=inner
                  jaxpr={ lambda ; e:f32[] f:f32[]. let
                      g:f32[] = sin e
                      h:f32[] = mul g f
                    in (h,) }
                ] c a
                i:f32[] = jit[name=k jaxpr={ lambda ; j:f32[]. let l:f32[] = cos j in (l,) }] d
              in (i,) }
            """, name: "p")
        XCTAssertEqual(g.program.equations.map(\.primitive), ["mul", "sin", "mul", "cos"])
        XCTAssertEqual(g.outputs, [4])
        let spec = GameSpec(graph: g)
        // a→c, b→c, c→sin, sin→mul2, a→mul2, mul2→cos
        XCTAssertEqual(g.edges.count, 6)
        XCTAssertEqual(BaselineSummary(spec: spec).forward, try Baselines.score([1, 2, 3], on: spec).cost)
    }

    func testOneLineJaxprWithSemicolons() throws {
        let g = try ComputationalGraph.fromJaxpr(
            "{ lambda ; a:f32[4]. let b:f32[4] = sin a; c:f32[4] = mul b a in (c,) }", name: "o")
        XCTAssertEqual(g.vertexCount, 2)
        // sin: elementwise 6; mul of two columns: 2 for each operand (as the reference's micro case).
        XCTAssertEqual(g.edges.map(\.label.type), [6, 2, 2])
    }

    func testCustomJvpCallIsOneElementwiseVertex() throws {
        let g = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[5]. let
                b:f32[5] = custom_jvp_call[
                  call_jaxpr={ lambda ; c:f32[5]. let d:f32[5] = max c 0.0:f32[] in (d,) }
                  jvp_jaxpr_fun=<function _memoize.<locals>.memoized at 0x7f>
                  num_consts=0
                  symbolic_zeros=False
                ] a
                e:f32[5] = sin b
              in (e,) }
            """, name: "relu")
        XCTAssertEqual(g.program.equations.map(\.primitive), ["custom_jvp_call", "sin"])
        XCTAssertEqual(g.edges.map(\.label.type), [6, 6])
    }

    /// An elementwise custom_jvp_call keeps its body as text, read again for its Jacobian. When the
    /// body names shared jaxprs (jax.scipy.special.xlogy's `_where`; here `_where` names `_fill`),
    /// directly or in a nested call, the text carries their definitions, in the order printed, and
    /// reads on its own into the program of the body written out; a body that names none is kept
    /// as printed.
    func testKeptBodyTextCarriesTheSharedJaxprsItNames() throws {
        let fill =
            "{ lambda ; a:bool[] b:f64[3] c:f64[]. let d:f64[3] = broadcast_in_dim[broadcast_dimensions=() shape=(3,) sharding=None] c; e:f64[3] = select_n a d b in (e,) }"
        let whereBody =
            "{ lambda ; a:bool[] b:f64[3] c:f64[]. let d:f64[3] = pjit[name=_fill jaxpr=_fill] a b c in (d,) }"
        let shared = "let _fill = \(fill) in let _where = \(whereBody) in "
        let direct =
            "{ lambda ; i:f64[] j:f64[3]. let k:bool[] = ne i 0.0; l:f64[3] = log j; m:f64[3] = mul i l; n:f64[3] = pjit[name=_where jaxpr=_where] k m 0.0 in (n,) }"
        let nested =
            "{ lambda ; i:f64[] j:f64[3]. let k:bool[] = ne i 0.0; n:f64[3] = pjit[name=inner jaxpr={ lambda ; a:bool[] b:f64[3]. let c:f64[3] = pjit[name=_where jaxpr=_where] a b 1.0 in (c,) }] k j in (n,) }"
        let none = "{ lambda ; i:f64[] j:f64[3]. let k:f64[3] = mul i j in (k,) }"
        let g = try ComputationalGraph.fromJaxpr(
            shared + """
                { lambda ; f:f64[] g:f64[3]. let
                    h:f64[3] = custom_jvp_call[call_jaxpr=\(direct) num_consts=0 symbolic_zeros=False] f g
                    o:f64[3] = custom_jvp_call[call_jaxpr=\(nested) num_consts=0 symbolic_zeros=False] f h
                    p:f64[3] = custom_jvp_call[call_jaxpr=\(none) num_consts=0 symbolic_zeros=False] f o
                  in (p,) }
                """, name: "xlogy")
        XCTAssertEqual(g.program.equations.map(\.primitive), ["custom_jvp_call", "custom_jvp_call", "custom_jvp_call"])
        let kept = g.program.equations.map { $0.param("call_jaxpr") ?? "" }
        XCTAssertEqual(kept, [shared + direct, shared + nested, none])
        // The same bodies with each shared name replaced by its body.
        let whereWrittenOut = whereBody.replacingOccurrences(of: "jaxpr=_fill", with: "jaxpr=\(fill)")
        for (text, body) in zip(kept, [direct, nested, none]) {
            let writtenOut = body.replacingOccurrences(of: "jaxpr=_where", with: "jaxpr=\(whereWrittenOut)")
            XCTAssertEqual(
                try ComputationalGraph.fromJaxpr(text, name: "body").program,
                try ComputationalGraph.fromJaxpr(writtenOut, name: "body").program, text)
        }
    }

    func testConstantsCreateNoEdges() throws {
        let g = try ComputationalGraph.fromJaxpr(
            """
            { lambda a:f32[3]; b:f32[3]. let
                c:f32[3] = mul a b
              in (c,) }
            """, name: "k")
        XCTAssertEqual(g.inputCount, 1)
        XCTAssertEqual(g.program.constants.count, 1)
        XCTAssertEqual(g.edges.count, 1)
        XCTAssertEqual(g.edges[0].source, .input(1))
    }

    func testEquationsWithoutResultsAreReadAndDropped() throws {
        // jnp.cov prints `pjit[name=atleast_2d …] c` with neither binders nor '=', one-line and
        // on its own line after an equation whose operands it must not be read as.
        let g = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[3,3]. let
                b:f32[3,3] = pjit[
                  name=cov
                  jaxpr={ lambda ; c:f32[3,3]. let
                      pjit[name=atleast_2d jaxpr={ lambda ; d:f32[3,3]. let  in () }] c
                      e:f32[3] = reduce_sum[axes=(1,)] c
                      pjit[name=again jaxpr={ lambda ; d:f32[3]. let  in () }] e
                      f:f32[3,3] = sin c
                    in (f,) }
                ] a
              in (b,) }
            """, name: "cov")
        XCTAssertEqual(g.program.equations.map(\.primitive), ["reduce_sum", "sin"])
        XCTAssertEqual(g.program.equations[0].operands, [.input(1)])
    }

    func testDevicePutAndOptimizationBarrierPassTheirOperandsThrough() throws {
        let g = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[3]. let
                b:f32[3] = mul 2.0:f32[] a
                c:f32[3] d:f32[3] = optimization_barrier a b
                e:f32[3] = device_put[copy_semantics=[<CopySemantics.ALIAS: 1>] devices=[None] srcs=[None]] d
                f:f32[3] = mul e c
              in (f,) }
            """, name: "barrier")
        XCTAssertEqual(g.program.equations.map(\.primitive), ["mul", "mul"])
        XCTAssertEqual(g.program.equations[1].operands, [.vertex(1), .input(1)])
    }

    func testCustomVjpCallIsItsPrimalFunctionInlined() throws {
        let g = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[3]. let
                b:f32[3] = custom_vjp_call_jaxpr[
                  bwd=<bound method WrappedFun.call_wrapped of Wrapped function:
            0   : _flatten_bwd   (PyTreeDef((*,)), [ShapedArray(float32[3])], <function <lambda> at 0x7f8>)
            Core: <lambda>
            >
                  fun_jaxpr={ lambda ; c:f32[3] d:f32[3]. let e:f32[3] = sin d; f:f32[3] = mul e c in (f,) }
                  fwd_jaxpr_thunk=<function _memoize.<locals>.memoized at 0x7f88e4f5d760>
                  num_consts=1
                  out_trees=<function transformation_with_aux2.<locals>.<lambda> at 0x7f88e4f5c720>
                  symbolic_zeros=False
                ] a a
                g:f32[3] = cos b
              in (g,) }
            """, name: "vjp")
        XCTAssertEqual(g.program.equations.map(\.primitive), ["sin", "mul", "cos"])
        XCTAssertEqual(g.program.equations[1].operands, [.vertex(1), .input(1)])
    }

    func testComplexValuesAreRefusedByName() {
        for text in [
            "{ lambda ; a:f64[3]. let b:c128[3] = convert_element_type[new_dtype=complex128 weak_type=False] a; c:f64[3] = abs b in (c,) }",
            "{ lambda ; a:f64[3]. let b:f64[3] = mul 1j a in (b,) }",
        ] {
            XCTAssertThrowsError(try ComputationalGraph.fromJaxpr(text, name: "complex")) { error in
                let message = (error as? ImportError)?.message ?? ""
                XCTAssertTrue(message.contains("complex") && message.contains("real-valued"), message)
            }
        }
    }
}
