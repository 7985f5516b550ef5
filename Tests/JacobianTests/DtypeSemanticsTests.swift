import Elimination
import XCTest

@testable import Jacobian

/// Values of integer, boolean and float32 dtypes computed as XLA computes them, where computing in
/// Double as real numbers gave other values silently (audit25): integer division truncates, a
/// float converted to bool is True when nonzero, and float32 loop arithmetic folded at import
/// rounds to float32 (so a loop runs JAX's number of times). JAX 0.4.38's text.
final class DtypeSemanticsTests: XCTestCase {
    private func evaluate(_ text: String, _ inputs: [[Double]]) throws -> (ComputationalGraph, JacobianResult) {
        let graph = try ComputationalGraph.fromJaxpr(text, name: "dtypes")
        let result = try CompiledJacobian(graph: graph, order: graph.eliminable).evaluate(inputs: inputs)
        try assertMatchesFiniteDifferences(graph, result, at: inputs)
        return (graph, result)
    }

    /// `x * lax.div(n, d)` of int32 n = [7, −7, 5, −5], d = [2, 2, 3, 3]: the quotients truncate
    /// toward zero, [3, −3, 1, −1] (real division gave [3.5, −3.5, 1.67, −1.67]).
    func testIntegerDivisionTruncatesTowardZero() throws {
        let (_, r) = try evaluate(
            """
            { lambda ; b:f64[4] c:i32[4] d:i32[4]. let
                e:i32[4] = div c d
                f:f64[4] = convert_element_type[new_dtype=float64 weak_type=False] e
                g:f64[4] = mul b f
              in (g,) }
            """, [[1, 1, 1, 1], [7, -7, 5, -5], [2, 2, 3, 3]])
        XCTAssertEqual(Array(r.output(0, sample: 0)), [3, -3, 1, -1])
        let dx = Array(r.block(0, 0, sample: 0))
        XCTAssertEqual((0..<4).map { dx[$0 * 4 + $0] }, [3, -3, 1, -1])
    }

    /// `x.reshape(3, 2)[jnp.argmax(x) // 2] * 2.0`: argmax 3, 3 // 2 = 1 (jnp.floor_divide's body
    /// divides, then corrects the sign), row 1 = [0.3, 0.9]. Real division gave 1.5, which no
    /// start equals, so the slice read row 0 with a zero Jacobian.
    func testAnIndexComputedByFloorDivisionPicksItsRow() throws {
        let (_, r) = try evaluate(
            """
            { lambda ; a:f64[6]. let
                b:f64[3,2] = reshape[dimensions=None new_sizes=(3, 2) sharding=None] a
                c:i64[] = argmax[axes=(0,) index_dtype=int64] a
                d:i64[] = pjit[
                  name=floor_divide
                  jaxpr={ lambda ; e:i64[] f:i64[]. let
                      g:i64[] = convert_element_type[new_dtype=int64 weak_type=False] f
                      h:i64[] = div e g
                      i:i64[] = sign e
                      j:i64[] = sign g
                      k:bool[] = ne i j
                      l:i64[] = rem e g
                      m:bool[] = ne l 0
                      n:bool[] = and k m
                      o:i64[] = sub h 1
                      p:i64[] = pjit[
                        name=_where
                        jaxpr={ lambda ; q:bool[] r:i64[] s:i64[]. let
                            t:i64[] = select_n q s r
                          in (t,) }
                      ] n o h
                    in (p,) }
                ] c 2
                u:bool[] = lt d 0
                v:i64[] = add d 3
                w:i64[] = select_n u d v
                x:bool[] = lt 0 0
                y:i64[] = add 0 2
                z:i64[] = select_n x 0 y
                ba:f64[1,2] = dynamic_slice[slice_sizes=(1, 2)] b w z
                bb:f64[2] = squeeze[dimensions=(0,)] ba
                bc:f64[2] = mul bb 2.0
              in (bc,) }
            """, [[0.1, 0.2, 0.3, 0.9, 0.4, 0.5]])
        XCTAssertEqual(Array(r.output(0, sample: 0)), [0.6, 1.8])
        let dx = Array(r.block(0, 0, sample: 0))
        XCTAssertEqual(dx[0 * 6 + 2], 2)
        XCTAssertEqual(dx[1 * 6 + 3], 2)
    }

    /// A scan whose cond branch is `bool(i * 0.3)`: False at i = 0, True at 1 and 2 (nonzero), so
    /// the result is 1.5 · 1.5 · sin(a). The import's fold truncated 0.3 to False before.
    func testAFloatConvertedToBoolIsTrueWhenNonzero() throws {
        let (_, r) = try evaluate(
            """
            { lambda ; a:f64[2]. let
                _:i64[] b:f64[2] = scan[
                  _split_transpose=False
                  jaxpr={ lambda ; c:i64[] d:f64[2]. let
                      e:i64[] = add c 1
                      f:f64[] = convert_element_type[new_dtype=float64 weak_type=True] c
                      g:f64[] = mul f 0.3
                      h:bool[] = convert_element_type[new_dtype=bool weak_type=False] g
                      i:i32[] = convert_element_type[new_dtype=int32 weak_type=False] h
                      j:f64[2] = cond[
                        branches=(
                          { lambda ; k:f64[2]. let l:f64[2] = sin k in (l,) }
                          { lambda ; m:f64[2]. let n:f64[2] = mul m 1.5 in (n,) }
                        )
                      ] i d
                    in (e, j) }
                  length=3
                  linear=(False, False)
                  num_carry=2
                  num_consts=0
                  reverse=False
                  unroll=1
                ] 0 a
              in (b,) }
            """, [[0.4, 1.2]])
        for (got, x) in zip(r.output(0, sample: 0), [0.4, 1.2]) { XCTAssertEqual(got, 2.25 * sin(x), accuracy: 1e-15) }
    }

    /// `while t < 1: t += 0.04` in float32 runs 25 times in JAX (float32's 0.04 sums past 1.0 at
    /// the 25th step); folded in float64 it ran 26.
    func testAFloat32LoopCounterFoldsInFloat32() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[2]. let
                _:f32[] b:f32[2] = while[
                  body_jaxpr={ lambda ; c:f32[] d:f32[2]. let
                      e:f32[] = add c 0.03999999910593033
                      f:f32[2] = sin d
                      g:f32[2] = mul 0.03999999910593033 f
                      h:f32[2] = add d g
                    in (e, h) }
                  body_nconsts=0
                  cond_jaxpr={ lambda ; i:f32[] j:f32[2]. let k:bool[] = lt i 1.0 in (k,) }
                  cond_nconsts=0
                ] 0.0 a
              in (b,) }
            """, name: "f32 loop")
        XCTAssertEqual(graph.program.equations.filter { $0.primitive == "sin" }.count, 25)
    }
}
