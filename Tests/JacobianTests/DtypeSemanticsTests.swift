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
    /// Conversions to float32, bfloat16 and float16 round, and bfloat16 arithmetic rounds each
    /// result, as XLA does (audit25 class B: the conversions were the identity, 4.6e-4 off for
    /// bfloat16). JAX 0.4.38's text and values (jax_enable_x64, CPU): ties to even
    /// (1 + 2⁻⁸ → 1 in bfloat16), overflow to ±inf (−70000 in float16, 3e38·3), float32 and
    /// bfloat16 flush a subnormal to 0 (1e-41), float16 keeps its own (1e-6). A bfloat16 product's
    /// partials are the other rounded factor, so e's Jacobian is JAX's exactly; exp's derivative is
    /// computed from the unrounded value, within bfloat16's precision of JAX's.
    func testConversionsToNarrowerFloatsRoundAsXLA() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[8] b:f64[8]. let
                c:f32[8] = convert_element_type[new_dtype=float32 weak_type=False] a
                d:f64[8] = convert_element_type[new_dtype=float64 weak_type=False] c
                e:f64[8] = mul d 3.0
                f:bf16[8] = convert_element_type[new_dtype=bfloat16 weak_type=False] a
                g:f64[8] = convert_element_type[new_dtype=float64 weak_type=False] f
                h:f64[8] = mul g 3.0
                i:f16[8] = convert_element_type[new_dtype=float16 weak_type=False] a
                j:f64[8] = convert_element_type[new_dtype=float64 weak_type=False] i
                k:f64[8] = mul j 3.0
                l:bf16[8] = convert_element_type[new_dtype=bfloat16 weak_type=False] a
                m:bf16[8] = exp l
                n:bf16[8] = mul m 2.0
                o:f64[8] = convert_element_type[new_dtype=float64 weak_type=False] n
                p:bf16[8] = convert_element_type[new_dtype=bfloat16 weak_type=False] a
                q:bf16[8] = convert_element_type[new_dtype=bfloat16 weak_type=False] b
                r:bf16[8] = mul p q
                s:bf16[8] = add r 1.0
                t:f64[8] = convert_element_type[new_dtype=float64 weak_type=False] s
              in (e, h, k, o, t) }
            """, name: "narrow floats")
        let x = [0.1, 1 + 0x1p-8, 1 + 3 * 0x1p-9, -70000, 1e-6, 3.0e38, 1e-41, 2.5]
        let y = [0.3, 1.1, -2.7, 0.01, 5.5, 1e-3, 7.0, 0.123]
        let jax: [[Double]] = [
            [
                0.30000000447034836, 3.01171875, 3.017578125, -210000.0, 2.999999992425728e-06, 9.000000016493267e+38,
                0, 7.5,
            ],
            [0.30029296875, 3.0, 3.0234375, -210432.0, 2.995133399963379e-06, 9.01216581142173e+38, 0, 7.5],
            [0.2999267578125, 3.01171875, 3.017578125, -.infinity, 3.039836883544922e-06, .infinity, 0, 7.5],
            [2.203125, 5.4375, 5.46875, 0.0, 2.0, .infinity, 2.0, 24.375],
            [1.03125, 2.09375, -1.71875, -704.0, 1.0, 2.998551435803863e+35, 1.0, 1.3125],
        ]
        for precision in [Precision.float64, .float32] {
            let r = try CompiledJacobian(graph: graph, order: graph.eliminable).evaluate(
                inputs: [x, y], precision: precision)
            for (o, expected) in jax.enumerated() {
                // Under --precision float32, float32's own rounding is the run's (the float32
                // output is 1 ulp of float32 from JAX's), and 3e38 · 3 overflows float32.
                if precision == .float32 && o == 0 { continue }
                let got = Array(r.output(o, sample: 0))
                for e in 0..<8 where precision == .float64 || e != 5 {
                    XCTAssertEqual(got[e], expected[e], "output \(o)[\(e)], \(precision)")
                }
            }
            let dedx = Array(r.block(4, 0, sample: 0)), dedy = Array(r.block(4, 1, sample: 0))
            let jaxDedx = [0.30078125, 1.1015625, -2.703125, 0.010009765625, 5.5, .nan, 7.0, 0.123046875]
            let jaxDedy = [0.10009765625, 1.0, 1.0078125, -70144.0, 9.98377799987793e-07, 3.00405527047391e+38, 0, 2.5]
            // JAX's NaN at 3e38 (its cotangent of an infinite bfloat16 product) is not compared.
            for e in 0..<8 where e != 5 { XCTAssertEqual(dedx[e * 8 + e], jaxDedx[e], "de/dx[\(e)]") }
            for e in 0..<8 { XCTAssertEqual(dedy[e * 8 + e], jaxDedy[e], "de/dy[\(e)]") }
            let dddx = Array(r.block(3, 0, sample: 0))
            for (e, jaxValue) in [2.203125, 5.4375, 5.46875, 0.0, 2.0].enumerated() {
                XCTAssertEqual(dddx[e * 8 + e], jaxValue, accuracy: jaxValue * 0x1p-7, "dd/dx[\(e)]")
            }
            for e in 0..<8 { XCTAssertEqual(Array(r.block(1, 0, sample: 0))[e * 8 + e], 3, "db/dx[\(e)]") }
        }
    }
    /// Integer types keep their width as XLA's do (audit25 class C): int64 → int8 wraps (300 →
    /// 44), a float → uint8 saturates (−3 → 0, 290 → 255), int32 addition overflows to negative,
    /// uint32 negation wraps, an int8 product wraps (47 · 100 → 92). JAX 0.4.38's text and values
    /// (jax_enable_x64); each integer reaches the outputs as a factor of x, so the Jacobian's
    /// diagonal is the wrapped integer.
    func testIntegerTypesWrapAndSaturateAsXLA() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[4] b:i64[4] c:i32[4]. let
                d:i8[4] = convert_element_type[new_dtype=int8 weak_type=False] b
                e:f64[4] = convert_element_type[new_dtype=float64 weak_type=False] d
                f:f64[4] = mul e a
                g:f64[4] = mul a 100.0
                h:u8[4] = convert_element_type[new_dtype=uint8 weak_type=False] g
                i:f64[4] = convert_element_type[new_dtype=float64 weak_type=False] h
                j:f64[4] = mul i a
                k:i32[4] = add c 2147483600
                l:f64[4] = convert_element_type[new_dtype=float64 weak_type=False] k
                m:f64[4] = mul l a
                n:u32[4] = convert_element_type[new_dtype=uint32 weak_type=False] c
                o:u32[4] = neg n
                p:f64[4] = convert_element_type[new_dtype=float64 weak_type=False] o
                q:f64[4] = mul p a
                r:i8[4] = convert_element_type[new_dtype=int8 weak_type=False] c
                s:i8[4] = mul r 100
                t:f64[4] = convert_element_type[new_dtype=float64 weak_type=False] s
                u:f64[4] = mul t a
              in (f, j, m, q, u) }
            """, name: "integer widths")
        let x = [0.5, -0.03, 2.9, 1.7]
        let inputs = [x, [300, -200, 127, 128], [3, 47, -5, 100]]
        let r = try CompiledJacobian(graph: graph, order: graph.eliminable).evaluate(inputs: inputs)
        let jaxDiagonals: [[Double]] = [
            [44, 56, 127, -128], [50, 0, 255, 170], [2147483603, 2147483647, 2147483595, -2147483596],
            [4294967293, 4294967249, 5, 4294967196], [44, 92, 12, 16],
        ]
        for (o, diagonal) in jaxDiagonals.enumerated() {
            let block = Array(r.block(o, 0, sample: 0))
            XCTAssertEqual((0..<4).map { block[$0 * 4 + $0] }, diagonal, "output \(o)")
            XCTAssertEqual(Array(r.output(o, sample: 0)), zip(diagonal, x).map { $0 * $1 }, "output \(o)")
        }
        // The same values from the generated formulas' semantics: wrap and saturate at the
        // boundaries of every width.
        XCTAssertEqual(IntegerFormat(dtype: "i8")!.wrap(-129.0), 127)
        XCTAssertEqual(IntegerFormat(dtype: "int16")!.wrap(32768.0), -32768)
        XCTAssertEqual(IntegerFormat(dtype: "u16")!.wrap(-1.0), 65535)
        XCTAssertEqual(IntegerFormat(dtype: "uint32")!.wrap(4294967296.0 * 3 + 7), 7)
        XCTAssertEqual(IntegerFormat(dtype: "i32")!.saturate(Double.nan), 0)
        XCTAssertEqual(IntegerFormat(dtype: "i32")!.saturate(-3e9), -2147483648)
        XCTAssertEqual(IntegerFormat(dtype: "u8")!.saturate(255.9), 255)
        XCTAssertNil(IntegerFormat(dtype: "i64"))
        XCTAssertNil(IntegerFormat(dtype: "bool"))
    }
    /// `lax.reduce_precision` rounds to the format its bits name, ties to even, and flushes
    /// subnormals even for (5, 10), where a float16 conversion keeps them (1e-6 → 0 here, 1.0133e-6
    /// there). JAX 0.4.38's values of `reduce_precision(x, 8, 7)` and `(x, 5, 10)`; the derivative
    /// of `3 · reduce_precision(x)` is 3.
    func testReducePrecisionRoundsToItsBitsAndFlushes() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[9]. let
                b:f64[9] = reduce_precision[exponent_bits=8 mantissa_bits=7] a
                c:f64[9] = mul b 3.0
                d:f64[9] = reduce_precision[exponent_bits=5 mantissa_bits=10] a
              in (c, d) }
            """, name: "reduce_precision")
        let x = [0.1, 1 + 0x1p-8, 1 + 3 * 0x1p-9, -70000, 1e-6, 3e38, 1e-41, 1e-39, 2.5]
        let r = try CompiledJacobian(graph: graph, order: graph.eliminable).evaluate(inputs: [x])
        let bf16: [Double] = [
            0.10009765625, 1.0, 1.0078125, -70144.0, 9.98377799987793e-07, 3.00405527047391e+38, 0, 0, 2.5,
        ]
        XCTAssertEqual(Array(r.output(0, sample: 0)), bf16.map { $0 * 3 })
        XCTAssertEqual(
            Array(r.output(1, sample: 0)),
            [0.0999755859375, 1.00390625, 1.005859375, -.infinity, 0, .infinity, 0, 0, 2.5])
        let d = Array(r.block(0, 0, sample: 0))
        XCTAssertEqual((0..<9).map { d[$0 * 9 + $0] }, Array(repeating: 3, count: 9))
        XCTAssertThrowsError(
            try CompiledJacobian(
                graph: try ComputationalGraph.fromJaxpr(
                    "{ lambda ; a:f64[2]. let b:f64[2] = reduce_precision[exponent_bits=1 mantissa_bits=3] a in (b,) }",
                    name: "bad"), order: []
            ).evaluate(inputs: [[1, 2]]))
    }
}
