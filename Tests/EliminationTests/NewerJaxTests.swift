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
}
