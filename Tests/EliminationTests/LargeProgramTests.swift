import Foundation
import XCTest
@testable import Elimination

/// A real JAX program of about 10,000 equations (Tests/Fixtures/large/rk4_lorenz.py: RK4 on the
/// Lorenz system, 150 steps unrolled, printed by JAX 0.4.38) imported, put in a sparse game state
/// and scored by the three baselines, within seconds (issue 17).
final class LargeProgramTests: XCTestCase {
    static let path = Fixtures.root.appendingPathComponent("Tests/Fixtures/large/rk4_lorenz.jaxpr")

    func testTenThousandEquationJaxprImportsAndScores() throws {
        let text = try Fixtures.text(Self.path)
        // Counted from the text, independently of the parser: one `name:f32[] = prim …` per equation.
        let equationLines = text.split(separator: "\n").filter { $0.contains(":f32[] = ") }.count
        XCTAssertGreaterThan(equationLines, 10_000)
        let start = Date()
        let graph = try ComputationalGraph.fromJaxpr(text, name: "rk4_lorenz")
        let spec = GameSpec(graph: graph)
        let imported = Date().timeIntervalSince(start)
        let baselines = BaselineSummary(spec: spec)
        let seconds = Date().timeIntervalSince(start)
        print(
            String(
                format:
                    "rk4_lorenz: %d equations, %d edges, import %.2f s, baselines %.2f s; forward %d reverse %d markowitz %d",
                graph.vertexCount, graph.edges.count, imported, seconds - imported, baselines.forward,
                baselines.reverse, baselines.markowitz))
        XCTAssertEqual(graph.vertexCount, equationLines)
        XCTAssertEqual(graph.inputCount, 6, "x, y, z, sigma, rho, beta")
        XCTAssertEqual(graph.outputs.count, 3)
        XCTAssertEqual(spec.layout, .sparse)
        // Every operand that is not a literal is an edge.
        let operands = graph.program.equations.reduce(0) { $0 + $1.operands.filter(\.isDifferentiable).count }
        XCTAssertEqual(graph.edges.count, operands)
        // The cross-country orders beat the pure modes on this three-output program.
        XCTAssertLessThan(baselines.markowitz, baselines.forward)
        XCTAssertLessThanOrEqual(baselines.reverse, baselines.forward)
        XCTAssertLessThan(seconds, 60, "a few seconds in a debug build on a loaded machine")
    }
}
