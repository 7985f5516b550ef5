import XCTest

@testable import Elimination

/// Inputs, constants and results of rank 3 and more: stored as matrices like every value of rank 3
/// and more inside a program (RankFlattening), their JAX shapes kept in `Program.jaxShapes`, and
/// written to (and read back from) graph files of version 2; programs without any stay version 1.
final class BoundaryShapesTests: XCTestCase {
    /// `tanh(t) * t.sum(0)` of t: f64[2,3,4] (the example of the refusal this replaces).
    static let rank3 = """
        { lambda ; a:f64[2,3,4]. let
            b:f64[2,3,4] = tanh a
            c:f64[3,4] = reduce_sum[axes=(0,)] a
            d:f64[1,3,4] = broadcast_in_dim[broadcast_dimensions=(1, 2) shape=(1, 3, 4) sharding=None] c
            e:f64[2,3,4] = mul b d
          in (e,) }
        """

    /// A rank-4 input and result next to a rank-2 input and a rank-2 result.
    static let rank4 = """
        { lambda ; a:f64[2,1,3,2] b:f64[3,2]. let
            c:f64[2,1,3,2] = sin a
            d:f64[1,1,3,2] = broadcast_in_dim[broadcast_dimensions=(2, 3) shape=(1, 1, 3, 2) sharding=None] b
            e:f64[2,1,3,2] = mul c d
            f:f64[3,2] = reduce_sum[axes=(0, 1)] a
          in (e, f) }
        """

    func testRank3InputAndResultAreStoredAsMatricesWithTheirJaxShapes() throws {
        let g = try ComputationalGraph.fromJaxpr(Self.rank3, name: "r3")
        let p = g.program
        XCTAssertEqual(p.inputs[0].type, ArrayType(dtype: "f64", shape: [6, 4]))
        XCTAssertEqual(p.jaxShapes, [.input(1): [2, 3, 4], .output(1): [2, 3, 4]])
        XCTAssertEqual(p.jaxType(of: .input(1)), ArrayType(dtype: "f64", shape: [2, 3, 4]))
        XCTAssertEqual(p.jaxType(of: .output(1)), ArrayType(dtype: "f64", shape: [2, 3, 4]))
        XCTAssertEqual(p.equations[p.outputs[0] - 1].type.shape, [6, 4])
        // The game sees the matrices only.
        for eq in p.equations { XCTAssertLessThanOrEqual(eq.type.rank, 2, eq.name) }
        let fromInput = g.edges.filter { $0.source == .input(1) }
        XCTAssertFalse(fromInput.isEmpty)
        for e in fromInput { XCTAssertEqual(e.label.primal, Dims(6, 4)) }
    }

    func testRank4InputAndResultNextToRank2Values() throws {
        let p = try ComputationalGraph.fromJaxpr(Self.rank4, name: "r4").program
        XCTAssertEqual(p.inputs.map(\.type.shape), [[6, 2], [3, 2]])
        XCTAssertEqual(p.jaxShapes, [.input(1): [2, 1, 3, 2], .output(1): [2, 1, 3, 2]])
        XCTAssertEqual(p.jaxType(of: .input(2)).shape, [3, 2])
        XCTAssertEqual(p.jaxType(of: .output(2)).shape, [3, 2])
    }

    /// Closed-over constants of rank 3, of the jaxpr and of an inlined body, and a rank-3 input
    /// that leaves reshaped to rank 2 (no output shape).
    func testRank3ConstantsAndARank2ResultOfARank3Input() throws {
        let p = try ComputationalGraph.fromJaxpr(
            """
            { lambda k:f64[2,2,2]; a:f64[2,2,2]. let
                b:f64[2,2,2] = pjit[name=f jaxpr={ lambda c:f64[2,1,2]; d:f64[2,2,2]. let
                    e:f64[2,2,2] = mul d c
                  in (e,) }] a
                f:f64[2,2,2] = add b k
                g:f64[4,2] = reshape[dimensions=None new_sizes=(4, 2)] f
              in (g,) }
            """, name: "c3"
        ).program
        XCTAssertEqual(p.constants.map(\.type.shape), [[4, 2], [2, 2]])
        XCTAssertEqual(p.jaxShapes, [.constant(1): [2, 2, 2], .input(1): [2, 2, 2], .constant(2): [2, 1, 2]])
        XCTAssertEqual(p.jaxType(of: .output(1)).shape, [4, 2])
    }

    /// A rank-3 result that a later equation also reads becomes a copy vertex: the JAX shape is the
    /// output's (by position), so it follows the copy.
    func testARank3ResultReadAgainKeepsItsShapeThroughTheCopyVertex() throws {
        let g = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[2,3,2]. let
                b:f64[2,3,2] = sin a
                c:f64[] = reduce_sum[axes=(0, 1, 2)] b
              in (b, c) }
            """, name: "copy")
        let p = g.program
        XCTAssertEqual(p.equations[p.outputs[0] - 1].primitive, "copy")
        XCTAssertEqual(p.jaxType(of: .output(1)), ArrayType(dtype: "f64", shape: [2, 3, 2]))
        XCTAssertEqual(p.jaxType(of: .output(2)).shape, [])
        XCTAssertEqual(try GraphFile.read(GraphFile.write(g)), g)
    }

    func testGraphFilesRoundTripTheShapesAsVersion2() throws {
        for (name, text) in [("r3", Self.rank3), ("r4", Self.rank4)] {
            let g = try ComputationalGraph.fromJaxpr(text, name: name)
            let file = GraphFile.write(g, notes: ["made by a test"])
            XCTAssertTrue(file.hasPrefix("ccelim-graph 2\n"), name)
            XCTAssertEqual(try GraphFile.read(file), g, name)
        }
        let file = GraphFile.write(try ComputationalGraph.fromJaxpr(Self.rank3, name: "r3"))
        let lines = file.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("in1 a f64[6,4] jax=[2,3,4]"), file)
        XCTAssertTrue(lines.contains { $0.hasPrefix("outputs v") && $0.hasSuffix(" jax=[2,3,4]") }, file)
        let rank4 = GraphFile.write(try ComputationalGraph.fromJaxpr(Self.rank4, name: "r4"))
        let outputs = try XCTUnwrap(rank4.split(separator: "\n").first { $0.hasPrefix("outputs ") })
        XCTAssertEqual(outputs.split(separator: " ").count, 4, "outputs vA jax=[2,1,3,2] vB")
    }

    /// Without a boundary value of rank 3 or more the file is version 1, byte for byte as before
    /// (the whole corpus is compared against the previous binary when this changes).
    func testFilesWithoutRank3BoundaryValuesStayVersion1() throws {
        let inside = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f64[24]. let
                b:f64[2,3,4] = reshape[dimensions=None new_sizes=(2, 3, 4)] a
                c:f64[2,4] = reduce_sum[axes=(1,)] b
              in (c,) }
            """, name: "inside")
        XCTAssertTrue(inside.program.jaxShapes.isEmpty)
        for g in [inside, try Fixtures.dataset("RoeFlux_1d")] {
            let file = GraphFile.write(g)
            XCTAssertTrue(file.hasPrefix("ccelim-graph 1\n"))
            XCTAssertFalse(file.contains("jax="))
            XCTAssertEqual(try GraphFile.read(file), g)
        }
    }

    /// A version 1 reader refuses a version 2 file as newer (its header check); this reader refuses
    /// newer versions the same way, `jax=` fields in a version 1 file, and shapes that do not fit
    /// the stored matrix.
    func testVersionsAndDamagedShapesAreRefused() throws {
        XCTAssertEqual(GraphFile.version, 2)
        let good = GraphFile.write(try ComputationalGraph.fromJaxpr(Self.rank3, name: "r3"))
        let newer = Fixtures.graphFileRefusal(good.replacing("ccelim-graph 2", with: "ccelim-graph 3"))
        XCTAssertTrue(newer?.message.contains("newer than this ccelim reads (2)") ?? false, newer?.message ?? "")
        let asVersion1 = Fixtures.graphFileRefusal(good.replacing("ccelim-graph 2", with: "ccelim-graph 1"))
        XCTAssertEqual(asVersion1?.line, 4, asVersion1?.message ?? "")
        for (bad, expected) in [
            ("jax=[2,4,3]", "stored as a matrix of shape [8,3]"),
            ("jax=[6,4]", "rank 2"),
            ("jax=[2,3,x]", "unreadable JAX shape"),
            ("jax=[99999,99999,4]", "more rows"),
        ] {
            let e = Fixtures.graphFileRefusal(
                good.replacing("in1 a f64[6,4] jax=[2,3,4]", with: "in1 a f64[6,4] \(bad)"))
            XCTAssertEqual(e?.line, 4, bad)
            XCTAssertTrue(e?.message.contains(expected) ?? false, "\(bad): \(e?.message ?? "")")
        }
        let twice = Fixtures.graphFileRefusal(
            good.replacing(" jax=[2,3,4]\nedges", with: " jax=[2,3,4] jax=[2,3,4]\nedges"))
        XCTAssertTrue(twice?.message.contains("two 'jax=' fields") ?? false, twice?.message ?? "")
        let wrongOutput = Fixtures.graphFileRefusal(good.replacing(" jax=[2,3,4]\nedges", with: " jax=[4,3,2]\nedges"))
        XCTAssertTrue(wrongOutput?.message.contains("stored as a matrix of shape [12,2]") ?? false)
    }

    /// What a rank-3 input still cannot do is refused naming the line, as for an intermediate.
    func testARank3InputOfAnUnsupportedPrimitiveIsRefusedByLine() {
        do {
            _ = try ComputationalGraph.fromJaxpr(
                """
                { lambda ; a:f64[2,2,2]. let
                    b:f64[2,2,2] = sort[dimension=2 is_stable=True num_keys=1] a
                  in (b,) }
                """, name: "sort3")
            XCTFail("sorted a rank-3 input")
        } catch {
            XCTAssertEqual(error.kind, .unsupportedShape)
            XCTAssertEqual(error.line, 2)
        }
    }
}
