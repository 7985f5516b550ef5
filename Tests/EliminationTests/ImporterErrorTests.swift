import Randomness
import XCTest
@testable import Elimination

/// Bad input gets an error naming the line and what is wrong — never a crash, never a skip.
final class ImporterErrorTests: XCTestCase {
    private func importError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> ImportError? {
        do {
            _ = try ComputationalGraph.fromJaxpr(text, name: "t")
            XCTFail("accepted bad input", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    func testTruncatedText() throws {
        let full = try Fixtures.jaxpr("RoeFlux_1d")
        let cut = String(full.prefix(full.count / 2))
        let e = importError(cut)
        XCTAssertEqual(e?.kind, .syntax)
        XCTAssertTrue(e?.message.contains("truncated") ?? false, e?.description ?? "")
        print("truncated:", e?.description ?? "")
    }

    func testUnknownPrimitiveNamesItAndTheLine() {
        let e = importError(
            """
            { lambda ; a:f32[] b:f32[]. let
                c:f32[] = mul a b
                d:f32[] = frobnicate[k=1] c
              in (d,) }
            """)
        XCTAssertEqual(e?.kind, .unsupportedPrimitive)
        XCTAssertEqual(e?.line, 3)
        XCTAssertTrue(e?.message.contains("frobnicate") ?? false)
        // And says where the supported ones are listed.
        XCTAssertTrue(e?.message.contains("Docs/COST_MODEL.md") ?? false, e?.message ?? "")
    }

    /// JAX prints `x.at[i].mul(v)` as `scatter-mul`: the hyphenated name is read whole, not as
    /// `scatter` followed by a parameter list where an operand belongs — imported as the combining
    /// scatter it is, and an unknown hyphenated name is refused by its whole name, on its line.
    func testHyphenatedPrimitiveIsReadByItsWholeName() throws {
        let text = """
            { lambda ; a:f64[3] b:f64[]. let
                c:i32[1] = broadcast_in_dim[broadcast_dimensions=() shape=(1,) sharding=None] 1
                d:f64[3] = scatter-mul[
                  dimension_numbers=ScatterDimensionNumbers(update_window_dims=(), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,), operand_batching_dims=(), scatter_indices_batching_dims=())
                  indices_are_sorted=True
                  mode=GatherScatterMode.FILL_OR_DROP
                  unique_indices=True
                  update_jaxpr={ lambda ; g:f64[] h:f64[]. let i:f64[] = mul g h in (i,) }
                ] a c b
              in (d,) }
            """
        let graph = try ComputationalGraph.fromJaxpr(text, name: "mul")
        XCTAssertEqual(graph.program.equations.suffix(2).map(\.primitive), ["mul", "dynamic_update_slice"])
        let e = importError(text.replacingOccurrences(of: "scatter-mul", with: "scatter-frob"))
        XCTAssertEqual(e?.kind, .unsupportedPrimitive, e?.description ?? "")
        XCTAssertEqual(e?.line, 3)
        XCTAssertTrue(e?.message.contains("'scatter-frob'") ?? false, e?.description ?? "")
    }

    /// JAX prints `x.at[i].apply(f)` as a `scatter` whose update_jaxpr computes f of the old
    /// value, with an unused update of 0.0; read as a set it would write 0.0 silently, so it is
    /// refused naming its form. A set's update_jaxpr, None or the body returning the update, imports.
    func testScatterThatAppliesAFunctionIsRefused() throws {
        func text(_ body: String) -> String {
            """
            { lambda ; a:f64[3]. let
                b:i32[1] = broadcast_in_dim[broadcast_dimensions=() shape=(1,) sharding=None] 1
                c:f64[3] = scatter[
                  dimension_numbers=ScatterDimensionNumbers(update_window_dims=(), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,), operand_batching_dims=(), scatter_indices_batching_dims=())
                  indices_are_sorted=True
                  mode=GatherScatterMode.FILL_OR_DROP
                  unique_indices=True
                  update_consts=()
                  update_jaxpr=\(body)
                ] a b 0.0
              in (c,) }
            """
        }
        let e = importError(text("{ lambda ; d:f64[] e:f64[]. let f:f64[] = sin d in (f,) }"))
        XCTAssertEqual(e?.kind, .unsupportedPrimitive, e?.description ?? "")
        XCTAssertEqual(e?.line, 3)
        XCTAssertTrue(e?.message.contains("x.at[i].apply(f)") ?? false, e?.description ?? "")
        for body in ["None", "{ lambda ; d:f64[] e:f64[]. let  in (e,) }"] {
            XCTAssertNoThrow(try ComputationalGraph.fromJaxpr(text(body), name: "set"), body)
        }
        XCTAssertNotNil(importError(text("{ lambda ; d:f64[] e:f64[]. let  in (d,) }")), "returns the old value")
    }

    func testShapeMismatch() {
        let e = importError(
            """
            { lambda ; a:f32[3] b:f32[4]. let
                c:f32[3] = add a b
              in (c,) }
            """)
        XCTAssertEqual(e?.kind, .shapeMismatch)
        XCTAssertEqual(e?.line, 2)
        let d = importError(
            """
            { lambda ; a:f32[3,4] b:f32[5,6]. let
                c:f32[3,6] = dot_general[dimension_numbers=(([1], [0]), ([], []))] a b
              in (c,) }
            """)
        XCTAssertEqual(d?.kind, .shapeMismatch)
    }

    /// An input of rank 3 imports (stored as a matrix: BoundaryShapesTests); what its values cannot
    /// go through is refused naming the equation's line.
    func testRankAboveTwo() throws {
        _ = try ComputationalGraph.fromJaxpr(
            "{ lambda ; a:f32[2,3,4]. let\n    b:f32[2,3,4] = sin a\n  in (b,) }", name: "t")
        let e = importError(
            """
            { lambda ; a:f32[2,3,4] b:bool[]. let
                c:f32[2,3,4] = sin a
                d:i32[] = convert_element_type[new_dtype=int32 weak_type=False] b
                e:f32[2,3,4] = cond[
                  branches=(
                    { lambda ; f:f32[2,3,4]. let g:f32[2,3,4] = neg f in (g,) }
                    { lambda ; h:f32[2,3,4]. let  in (h,) }
                  )
                ] d c
              in (e,) }
            """)
        XCTAssertEqual(e?.kind, .unsupportedShape)
        XCTAssertEqual(e?.line, 4)
        XCTAssertTrue(e?.message.contains("rank 3") ?? false, e?.message ?? "")
    }

    func testGarbageBytesAndEmptyText() {
        XCTAssertEqual(importError("")?.kind, .syntax)
        XCTAssertEqual(importError("\u{0}\u{1}\u{7f}garbage\u{fffd}")?.kind, .syntax)
        XCTAssertEqual(importError("{ lambda ; a:f32[]. let b:f32[] = sin a in (b,) } trailing")?.kind, .syntax)
        let bytes: [UInt8] = [0xff, 0xfe, 0x7b, 0x20, 0x6c, 0x61, 0x6d, 0x62, 0x64, 0x61, 0x80]
        XCTAssertNotNil(importError(String(decoding: bytes, as: UTF8.self)))
    }

    func testUndefinedVariable() {
        let e = importError(
            """
            { lambda ; a:f32[]. let
                b:f32[] = sin a
                c:f32[] = mul b zz
              in (c,) }
            """)
        XCTAssertEqual(e?.kind, .undefinedVariable)
        XCTAssertEqual(e?.line, 3)
    }

    /// An output that is an input is no longer refused (session 26): it is a `copy` vertex with
    /// an identity edge (type −6) from the input, so its Jacobian block is I
    /// (JacobianTests' OutputOperandsTests has the values).
    func testOutputThatIsAnInputIsACopyOfIt() throws {
        let graph = try ComputationalGraph.fromJaxpr("{ lambda ; a:f32[]. let b:f32[] = sin a in (b, a) }", name: "o")
        let copy = graph.program.outputs[1]
        XCTAssertEqual(graph.program.equations[copy - 1].primitive, "copy")
        XCTAssertEqual(graph.program.equations[copy - 1].operands, [.input(1)])
        XCTAssertEqual(graph.edges.filter { $0.target == copy }.map { $0.source }, [.input(1)])
        XCTAssertEqual(graph.edges.first { $0.target == copy }?.label.type, -6)
    }

    /// Mutated versions of every task's jaxpr (deleted, duplicated, swapped and replaced bytes)
    /// either import or throw an ImportError: the loop finishing is the assertion that none crashes.
    func testMutatedInputsNeverCrash() throws {
        var rng = SplitMix64(seed: 2024)
        let alphabet = Array("{}[]()=:;.,_ -0123456789abcdefxyzf32[] lambda let in\n\t".utf8)
        var imported = 0, refused = 0
        for name in Fixtures.taskNames {
            let original = Array(try Fixtures.jaxpr(name).utf8)
            for _ in 0..<150 {
                var bytes = original
                for _ in 0..<(1 + Int(rng.next() % 4)) where !bytes.isEmpty {
                    let i = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 5 {
                    case 0: bytes.remove(at: i)
                    case 1: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: i)
                    case 2: bytes[i] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                    case 3: bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                    default: bytes = Array(bytes[..<i])
                    }
                }
                do {
                    let g = try ComputationalGraph.fromJaxpr(String(decoding: bytes, as: UTF8.self), name: name)
                    // Whatever imports must also be playable.
                    _ = BaselineSummary(spec: GameSpec(graph: g))
                    imported += 1
                } catch {
                    XCTAssertFalse(error.message.isEmpty)
                    XCTAssertGreaterThanOrEqual(error.line, 1)
                    refused += 1
                }
            }
        }
        print("mutated jaxprs: \(imported) imported, \(refused) refused with an error")
        XCTAssertEqual(imported + refused, 1500)
        XCTAssertGreaterThan(refused, 500)
    }
}
