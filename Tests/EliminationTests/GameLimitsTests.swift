import Console
import Foundation
import XCTest
@testable import Elimination

/// A graph the game state cannot hold (even sparse) is refused with its size, the limit and why —
/// before anything of that size is allocated, and (for jaxpr text) before all of a huge text is read.
final class GameLimitsTests: XCTestCase {
    /// `{ lambda ; a:f32[]. let v1 = sin a; v2 = sin v1; … in (vN,) }`, one equation per line.
    static func chain(_ n: Int, wrap: (String) -> String = { $0 }) -> String {
        var lines = ["{ lambda ; a:f32[]. let"]
        lines.reserveCapacity(n + 2)
        var previous = "a"
        for i in 1...n {
            lines.append("    v\(i):f32[] = sin \(previous)")
            previous = "v\(i)"
        }
        lines.append("  in (\(previous),) }")
        return wrap(lines.joined(separator: "\n"))
    }

    private func importError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> ImportError? {
        do {
            let g = try ComputationalGraph.fromJaxpr(text, name: "t")
            XCTFail("accepted a graph of \(g.vertexCount) vertices", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    /// The formula is what GameSpec really allocates (labels and bitsets), for every Dataset task.
    func testStateBytesIsWhatASpecAllocates() throws {
        for name in Fixtures.taskNames {
            let g = try Fixtures.dataset(name)
            let spec = GameSpec(graph: g)
            let allocated = spec.initialLabels.count * 4 + spec.initialBits.count * 8
            XCTAssertEqual(GameLimits.stateBytes(inputs: g.inputCount, vertices: g.vertexCount), allocated, name)
        }
        // N = 300,002 sources, n = 300,001 targets, 4,688 words per bitset row.
        XCTAssertEqual(
            GameLimits.stateBytes(inputs: 1, vertices: 300_001),
            4 * 300_002 * 300_001 + 8 * 4688 * (300_001 + 300_002 + 1))
        XCTAssertEqual(GameLimits.stateBytes(inputs: 1 << 40, vertices: 1 << 40), .max, "overflow saturates")
    }

    func testMaxVerticesIsTheBoundary() {
        for inputs in [0, 1, 16, 10_000] {
            let n = GameLimits.maxVertices(inputs: inputs)
            XCTAssertLessThanOrEqual(
                GameLimits.sparseStateBytes(inputs: inputs, vertices: n, edges: n), GameLimits.maxStateBytes)
            XCTAssertGreaterThan(
                GameLimits.sparseStateBytes(inputs: inputs, vertices: n + 1, edges: n + 1), GameLimits.maxStateBytes)
        }
        XCTAssertEqual(GameLimits.maxVertices(inputs: 1), 8_380_423)
        XCTAssertEqual(
            GameLimits.sparseStateBytes(inputs: 1 << 62, vertices: 1 << 62, edges: 1), .max, "overflow saturates")
    }

    /// The sparse estimate is what a sparse spec holds: 16 bytes per edge (two 8-byte entries)
    /// plus the list overheads, for a large generated program.
    func testSparseStateBytesCountsTheEdges() {
        let g = RandomGraphs.scalar(seed: 2, inputs: 20, equations: 5_000, outputs: 10)
        let spec = GameSpec(graph: g)
        XCTAssertEqual(spec.layout, .sparse)
        XCTAssertEqual(spec.initialSparse.entryCount, g.edges.count)
        let held =
            spec.initialSparse.inEdges.reduce(0) { $0 + $1.count }
            + spec.initialSparse.outEdges.reduce(0) { $0 + $1.count }
        XCTAssertEqual(held, 2 * g.edges.count, "every edge in two lists")
        let estimate = GameLimits.sparseStateBytes(inputs: 20, vertices: g.vertexCount, edges: g.edges.count)
        XCTAssertEqual(estimate, 56 * (20 + 2 * g.vertexCount) + 16 * g.edges.count + 8 * ((g.vertexCount + 63) / 64))
    }

    /// Issue 12 finding 6 refused a 300,000-equation chain (the dense state needed 360 GB); the
    /// sparse state holds it in about 37 MiB. 100,000 equations import in linear time and play.
    func testAHundredThousandEquationChainImportsAndPlays() throws {
        let text = Self.chain(100_000)
        let start = Date()
        let g = try ComputationalGraph.fromJaxpr(text, name: "chain")
        let imported = Date().timeIntervalSince(start)
        let spec = GameSpec(graph: g)
        XCTAssertEqual(spec.layout, .sparse)
        let markowitz = Baselines.markowitzOrder(spec)
        let seconds = Date().timeIntervalSince(start)
        print(
            String(
                format: "100,000-equation chain: import %.2f s, spec and Markowitz %.2f s", imported,
                seconds - imported))
        XCTAssertEqual(g.vertexCount, 100_000)
        XCTAssertEqual(markowitz.count, 99_999)
        // A chain of dense scalars: every elimination costs one multiplication.
        XCTAssertEqual(try Baselines.score(markowitz, on: spec).cost, 99_999)
        XCTAssertLessThan(seconds, 60, "linear: a few seconds in a debug build on a loaded machine")
    }

    /// Typed literal operands look like the start of the next equation's results; each look-ahead
    /// used to rescan every following one (a 200 KB line took over 2 minutes). Now it is linear.
    func testLongOperandListsParseInLinearTime() {
        var seconds: [Double] = []
        for k in [10_000, 40_000] {
            let text =
                "{ lambda ; a:f32[]. let\n  b:f32[] = add a "
                + Array(repeating: "inf:f32[]", count: k).joined(separator: " ") + "\n  in (b,) }"
            let start = Date()
            let e = importError(text)
            seconds.append(Date().timeIntervalSince(start))
            XCTAssertTrue(e?.message.contains("'add' takes 2 operands, found \(k + 1)") ?? false, e?.description ?? "")
        }
        print("operand lists of 10,000 and 40,000 typed literals: \(seconds.map { String(format: "%.3f", $0) }) s")
        XCTAssertLessThan(seconds[1], 20, "quadratic would be 16 × the first and minutes in all")
    }

    /// Deeply nested text is refused at a fixed depth instead of recursing off the stack.
    func testNestingIsBounded() {
        let text = String(repeating: "{ lambda ; a:f32[]. let b:f32[] = pjit[jaxpr=", count: 20_000)
        let e = importError(text)
        XCTAssertEqual(e?.kind, .syntax)
        XCTAssertTrue(
            e?.message.contains("nested more than \(GameLimits.maxNesting) deep") ?? false, e?.description ?? "")
    }

    /// A packed label indexes 8,191 shapes; more used to stop the process in GameSpec's precondition.
    func testTooManyDistinctShapesAreRefused() {
        let n = GameLimits.maxDistinctDims + 1
        var lines = ["{ lambda ; a:f32[]. let"]
        for k in 2...n {
            lines.append("    b\(k):f32[\(k)] = broadcast_in_dim[broadcast_dimensions=() shape=(\(k),)] a")
        }
        lines.append("  in (b\(n),) }")
        let e = importError(lines.joined(separator: "\n"))
        XCTAssertEqual(e?.kind, .tooLarge)
        XCTAssertTrue(e?.message.contains("more than 8191 distinct shapes") ?? false, e?.description ?? "")
    }

    /// A size beyond Int32 used to trap converting to Dims; now it is an error naming the line.
    func testHugeDimensionsAreRefusedNotCrashed() {
        let e = importError("{ lambda ; a:f32[99999999999]. let\n  b:f32[99999999999] = sin a\n  in (b,) }")
        XCTAssertEqual(e?.kind, .unsupportedShape)
        XCTAssertEqual(e?.line, 1)
        // The first edge of a shipped graph, with a size beyond Int32 in its label.
        var lines = GraphFile.write(try! Fixtures.dataset("f")).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        let first = lines.firstIndex { $0.hasPrefix("edges ") }! + 1
        let fields = lines[first].split(separator: " ")
        lines[first] = "\(fields[0]) \(fields[1]) \(fields[2]) 99999999999 1 1 1"
        XCTAssertThrowsError(try GraphFile.read(lines.joined(separator: "\n"))) { error in
            XCTAssertTrue("\(error)".contains("within ±2147483647"), "\(error)")
        }
    }

    /// A graph file states its vertex count up front: a too-large one is refused at that line,
    /// before any vertex is read; exactly at the limit the header passes (and reading goes on).
    func testGraphFileIsRefusedAtItsVertexCount() {
        func header(_ n: Int) -> String {
            "ccelim-graph 1\nname big\ninputs 1\nin1 a f32[]\nconstants 0\nvertices \(n)\n"
        }
        XCTAssertThrowsError(try GraphFile.read(header(9_000_000), path: "big.graph")) { error in
            guard let e = error as? ImportError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.kind, .tooLarge)
            XCTAssertEqual(e.line, 6)
            XCTAssertTrue(
                e.description.hasPrefix(
                    "big.graph:6: the program has 1 input, 9,000,000 vertices: its game state needs 1.1 GiB"),
                e.description)
            for part in ["above the limit of 1 GiB (at most 8,380,423 vertices with 1 input)", "sparse"] {
                XCTAssertTrue(e.description.contains(part), e.description)
            }
        }
        let n = GameLimits.maxVertices(inputs: 1)
        XCTAssertThrowsError(try GraphFile.read(header(n + 1))) {
            XCTAssertEqual(($0 as? ImportError)?.kind, .tooLarge)
        }
        XCTAssertThrowsError(try GraphFile.read(header(n))) {
            XCTAssertNotEqual(($0 as? ImportError)?.kind, .tooLarge, "\($0)")
        }
    }

    /// Issue 12 finding 7: the error for a file of NUL bytes printed raw NULs.
    func testErrorsQuotingInputArePrintable() {
        let e = importError(String(repeating: "\0", count: 64))
        let text = e?.description ?? ""
        XCTAssertTrue(PrintableText.isPrintable(text), text.debugDescription)
        XCTAssertTrue(text.contains("'\\0\\0\\0"), text)
        let escape = importError("{ lambda ; a:f32[]. let\n  b:f32[] = \u{1B}[31mred a\n  in (b,) }")
        XCTAssertTrue(
            PrintableText.isPrintable(escape?.description ?? "\u{1B}"), escape?.description.debugDescription ?? "")
        XCTAssertTrue(escape?.description.contains("\\u{1B}[31mred") ?? false, escape?.description ?? "")
    }

    func testPrintableTextEscapesOnlyWhatDoesNotPrint() {
        XCTAssertEqual(
            PrintableText.escaped("a\0b\nc\td\r\u{1B}[0m\u{202E}é→✓"), "a\\0b\\nc\\td\\r\\u{1B}[0m\\u{202E}é→✓")
        XCTAssertEqual(PrintableText.escaped("abcdef", maxCharacters: 3), "abc…")
        XCTAssertEqual(PrintableText.escaped("abc", maxCharacters: 3), "abc")
        XCTAssertTrue(PrintableText.isPrintable("tab-free text, ünïcödé ✓"))
        XCTAssertFalse(PrintableText.isPrintable("bell\u{7}"))
    }
}
