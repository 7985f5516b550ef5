import XCTest
@testable import Elimination

final class RandomGraphsTests: XCTestCase {
    func testGeneratedGraphsAreReproducibleValidAndRoundTrip() throws {
        let a = RandomGraphs.scalar(seed: 5, inputs: 6, equations: 80, outputs: 3)
        XCTAssertEqual(a, RandomGraphs.scalar(seed: 5, inputs: 6, equations: 80, outputs: 3))
        XCTAssertNotEqual(a, RandomGraphs.scalar(seed: 6, inputs: 6, equations: 80, outputs: 3))
        XCTAssertEqual(a.inputCount, 6)
        XCTAssertGreaterThanOrEqual(a.vertexCount, 80)
        XCTAssertEqual(a.outputs.count, 3)
        XCTAssertEqual(try GraphFile.read(GraphFile.write(a)), a)
        let spec = GameSpec(graph: a)
        let b = BaselineSummary(spec: spec)
        // Scalar graphs: every edge dense, except the identity edge into the copy vertex appended
        // for an output that a later equation reads; the baselines are real orders of this graph.
        for e in a.edges {
            let copy = a.program.equations[e.target - 1].primitive == "copy"
            XCTAssertEqual(e.label.type, copy ? -6 : 1, "edge \(e.source)→v\(e.target)")
        }
        XCTAssertEqual(try Baselines.score(b.markowitzOrder, on: spec).cost, b.markowitz)
        XCTAssertGreaterThan(b.forward, 0)
    }
}
