import Console
import Foundation
import XCTest
@testable import Elimination

/// A graph the dense game state cannot hold is refused with its size, the limit and why — before
/// anything of that size is allocated, and (for jaxpr text) before all of a huge text is read.
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
            XCTAssertLessThanOrEqual(GameLimits.stateBytes(inputs: inputs, vertices: n), GameLimits.maxStateBytes)
            XCTAssertGreaterThan(GameLimits.stateBytes(inputs: inputs, vertices: n + 1), GameLimits.maxStateBytes)
        }
        XCTAssertEqual(GameLimits.maxVertices(inputs: 1), 15_893)
    }

    /// Issue 12 finding 6: a 300,000-equation chain (9 MB) died allocating 360 GB; now it is refused
    /// after reading the first 15,894 equations, with the line, the size, the limit and why.
    func testThreeHundredThousandEquationChainIsRefusedQuickly() {
        let text = Self.chain(300_000)
        let start = Date()
        let e = importError(text)
        let seconds = Date().timeIntervalSince(start)
        print(
            "300,000-equation chain (\(text.utf8.count) bytes) refused in \(String(format: "%.3f", seconds)) s: \(e?.description ?? "-")"
        )
        XCTAssertEqual(e?.kind, .tooLarge)
        XCTAssertEqual(e?.line, 15_895, "equation 15,894 is on line 15,895")
        let message = e?.message ?? ""
        for part in ["more than 15,893 equations", "1 GiB", "1 input", "dense", "issue 17"] {
            XCTAssertTrue(message.contains(part), "'\(part)' missing from: \(message)")
        }
        XCTAssertLessThan(
            seconds, 20, "reading stops at the limit (about a second in a debug build on a loaded machine)")
    }

    /// Just past the limit: the old importer accepted it (and allocated 1 GiB per state).
    func testOneVertexPastTheLimitIsRefusedAndTheLimitItselfIsNot() throws {
        let n = GameLimits.maxVertices(inputs: 1)
        XCTAssertEqual(importError(Self.chain(n + 1))?.kind, .tooLarge)
        // Exactly at the limit the text imports (the graph only; no state is built here).
        let g = try ComputationalGraph.fromJaxpr(Self.chain(n), name: "t")
        XCTAssertEqual(g.vertexCount, n)
    }

    /// Equations inside an inlined call's body are vertices too.
    func testInlinedBodiesCountTowardsTheLimit() {
        let n = GameLimits.maxVertices(inputs: 1)
        let body = Self.chain(n + 1).replacingOccurrences(of: "v", with: "w")
        let text = "{ lambda ; a:f32[]. let\n  b:f32[] = pjit[name=f jaxpr=\(body)] a\n  in (b,) }"
        let e = importError(text)
        XCTAssertEqual(e?.kind, .tooLarge, e?.description ?? "")
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
    /// before any vertex is read (the old reader read on and failed at the end of the text).
    func testGraphFileIsRefusedAtItsVertexCount() {
        let text = "ccelim-graph 1\nname big\ninputs 1\nin1 a f32[]\nconstants 0\nvertices 300000\n"
        XCTAssertThrowsError(try GraphFile.read(text, path: "big.graph")) { error in
            guard let e = error as? ImportError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.kind, .tooLarge)
            XCTAssertEqual(e.line, 6)
            XCTAssertTrue(
                e.description.hasPrefix(
                    "big.graph:6: the program has 1 input and 300,000 vertices: its game state needs "), e.description)
            XCTAssertTrue(
                e.description.contains(" GiB, above the limit of 1 GiB (at most 15,893 vertices with 1 input)"),
                e.description)
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
