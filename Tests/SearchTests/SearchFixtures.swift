import Foundation
import XCTest
@testable import Elimination
@testable import Search

/// The project's Datasets and reference micro cases, plus small helpers shared by the tests.
enum SearchFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let taskNames = [
        "RoeFlux_1d", "RoeFlux_3d", "RobotArm_6DOF", "HumanHeartDipole", "PropaneCombustion",
        "BlackScholes_Jacobian", "Perceptron", "Encoder", "f", "g",
    ]

    static func spec(_ task: String) throws -> GameSpec {
        GameSpec(graph: try graph(task))
    }

    static func graph(_ task: String) throws -> ComputationalGraph {
        let url = root.appendingPathComponent("Datasets/\(task).graph")
        return try GraphFile.read(try String(contentsOf: url, encoding: .utf8), path: url.path)
    }

    /// The reference's small programs (Tests/Fixtures/reference/micro_cases.json), as specs.
    static func microCases() throws -> [GameSpec] {
        let data = try Data(contentsOf: root.appendingPathComponent("Tests/Fixtures/reference/micro_cases.json"))
        let cases = (try JSONSerialization.jsonObject(with: data) as! [String: Any])["cases"] as! [[String: Any]]
        return try cases.map {
            GameSpec(graph: try ComputationalGraph.fromJaxpr($0["jaxpr"] as! String, name: $0["name"] as! String))
        }
    }

    /// Cost of every permutation of the eliminable vertices, the slow truth for tiny graphs.
    static func bruteForceOptimum(_ spec: GameSpec) -> Int {
        var best = Int.max
        func extend(_ state: EliminationState) {
            if state.isTerminal { best = min(best, state.cost); return }
            for v in spec.eliminable where !state.isEliminated(v) {
                var child = state
                child.eliminateUnchecked(v)
                extend(child)
            }
        }
        extend(EliminationState(spec: spec))
        return best
    }

    /// True when two states hold the same edges with the same labels (costs so far may differ).
    static func sameGraph(_ a: EliminationState, _ b: EliminationState) -> Bool {
        let spec = a.spec
        for t in 1...spec.vertexCount {
            guard a.isEliminated(t) == b.isEliminated(t) else { return false }
            let sources =
                (1...max(spec.inputCount, 1)).filter { $0 <= spec.inputCount }.map { Node.input($0) }
                + (1...spec.vertexCount).map { Node.vertex($0) }
            for p in sources where a.label(from: p, to: t) != b.label(from: p, to: t) { return false }
        }
        return true
    }

    /// Fails unless `result.order` is a permutation of the eliminable vertices whose replayed cost
    /// is the reported one.
    static func assertHonest(
        _ result: SearchResult, _ spec: GameSpec, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(
            result.order.sorted(), spec.eliminable, "\(result.method) is not a permutation", file: file, line: line)
        XCTAssertEqual(
            try? Baselines.score(result.order, on: spec).cost, result.cost, "\(result.method) misreports its cost",
            file: file, line: line)
    }
}
