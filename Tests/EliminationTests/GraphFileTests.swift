import XCTest
@testable import Elimination

final class GraphFileTests: XCTestCase {
    func testRoundTripOfEveryTaskAndMicroCase() throws {
        for name in Fixtures.taskNames {
            let g = try Fixtures.dataset(name)
            XCTAssertEqual(try GraphFile.read(GraphFile.write(g)), g, name)
        }
        for c in try Fixtures.microCases() {
            let g = try ComputationalGraph.fromJaxpr(c["jaxpr"] as! String, name: "m")
            XCTAssertEqual(try GraphFile.read(GraphFile.write(g, notes: ["a note"])), g, c["name"] as! String)
        }
    }

    func testDamagedFilesAreRefusedWithTheLine() throws {
        let good = GraphFile.write(try Fixtures.dataset("RoeFlux_1d"))
        var lines = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

        let half = lines.prefix(lines.count / 2).joined(separator: "\n")
        XCTAssertTrue(Fixtures.graphFileRefusal(half)?.message.contains("truncated") ?? false)
        XCTAssertNotNil(Fixtures.graphFileRefusal(String(good.prefix(good.count / 2 + 3))))
        XCTAssertTrue(Fixtures.graphFileRefusal("")?.message.contains("truncated") ?? false)
        XCTAssertTrue(Fixtures.graphFileRefusal("hello\nworld\n")?.message.contains("not a ccelim graph file") ?? false)
        XCTAssertTrue(
            Fixtures.graphFileRefusal(good.replacing("ccelim-graph 1", with: "ccelim-graph 9"))?.message.contains(
                "newer") ?? false)

        // A changed label no longer follows from the program.
        let edgeLine = lines.firstIndex { $0.hasPrefix("in4 v1 ") }!
        lines[edgeLine] = "in4 v1 6 1 1 1 1"
        let e = Fixtures.graphFileRefusal(lines.joined(separator: "\n"))
        XCTAssertEqual(e?.kind, .invalidGraphFile)
        XCTAssertEqual(e?.line, edgeLine + 1)
        XCTAssertEqual(e?.file, "x.graph")
        print("bad label:", e?.description ?? "")

        // A vertex that reads a later vertex.
        var forward = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let v2 = forward.firstIndex { $0.hasPrefix("v2 ") }!
        forward[v2] = "v2 h f32[] mul in1 v50"
        XCTAssertTrue(
            Fixtures.graphFileRefusal(forward.joined(separator: "\n"))?.message.contains("earlier vertex") ?? false)
    }

    /// A name is one field of the `name` line: a name with a space (from a file called
    /// "my chain.jaxpr") used to be written and then refused on reading.
    func testNamesAreSingleFieldsThatReadBack() throws {
        XCTAssertEqual(GraphFile.name(from: "my chain\t\u{1B}x"), "my_chain__x")
        XCTAssertEqual(GraphFile.name(from: ""), "graph")
        XCTAssertEqual(GraphFile.name(from: String(repeating: "é", count: 200)).utf8.count, 256)
        XCTAssertFalse(GraphFile.isValidName("a b"))
        XCTAssertFalse(GraphFile.isValidName(""))
        XCTAssertTrue(GraphFile.isValidName("RoeFlux_1d"))
        var g = try Fixtures.dataset("f")
        g.name = GraphFile.name(from: "my chain")
        XCTAssertEqual(try GraphFile.read(GraphFile.write(g)).name, "my_chain")
    }
}
