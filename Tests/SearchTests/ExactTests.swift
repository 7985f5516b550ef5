import XCTest
@testable import Elimination
@testable import Search

final class ExactTests: XCTestCase {
    /// Random scalar and typed graphs with at most 8 eliminable vertices.
    private func tinyGraphs() -> [GameSpec] {
        var specs: [GameSpec] = []
        for seed in 0..<40 as Range<UInt64> {
            for tensors in [false, true] {
                let spec = GameSpec(
                    graph: RandomPrograms.graph(seed: seed, equations: 6 + Int(seed % 4), tensors: tensors))
                if spec.eliminable.count <= 8 { specs.append(spec) }
            }
        }
        return specs
    }

    func testEqualsBruteForceOnTinyGraphs() throws {
        var checked = 0, typed = 0
        for spec in try tinyGraphs() + SearchFixtures.microCases().filter({ $0.eliminable.count <= 8 }) {
            let exact = try ExactElimination(spec: spec).run()
            SearchFixtures.assertHonest(exact, spec)
            XCTAssertEqual(exact.cost, SearchFixtures.bruteForceOptimum(spec), spec.name)
            checked += 1
            if !SetDeterminedGraphs.holds(for: spec) { typed += 1 }
        }
        print("exact = brute force on \(checked) graphs (\(typed) typed)")
        XCTAssertGreaterThan(checked, 60)
        XCTAssertGreaterThan(typed, 20)
    }

    func testNoHeuristicBeatsTheOptimum() throws {
        var specs = try SearchFixtures.microCases()
        for seed in 100..<120 as Range<UInt64> {
            specs.append(GameSpec(graph: RandomPrograms.graph(seed: seed, equations: 12, tensors: seed % 2 == 0)))
        }
        for spec in specs {
            let exact = try ExactElimination(spec: spec).run()
            SearchFixtures.assertHonest(exact, spec)
            var heuristics = try GreedyElimination.allRules(spec) + LookaheadGreedy.bothTieBreaks(spec)
            heuristics.append(try RandomizedGreedy(spec: spec, config: .init(restarts: 20, seed: 1)).run())
            heuristics.append(
                try SimulatedAnnealing(spec: spec, start: heuristics[0].order, config: .init(iterations: 2000, seed: 1))
                    .run())
            for h in heuristics {
                SearchFixtures.assertHonest(h, spec)
                XCTAssertLessThanOrEqual(exact.cost, h.cost, "\(spec.name): \(h.method)")
            }
        }
    }

    func testRefusesGraphsTooBigAndSaysWhy() throws {
        let spec = try SearchFixtures.spec("RoeFlux_1d")
        XCTAssertThrowsError(try ExactElimination(spec: spec)) { error in
            XCTAssertEqual(
                error as? SearchError, .tooManyStates(eliminable: 98, limit: ExactElimination.defaultStateLimit))
            XCTAssertTrue("\(error)".contains("use it on graphs with about 20 eliminable vertices"))
        }
        let small = GameSpec(graph: RandomPrograms.graph(seed: 3, equations: 14, tensors: false))
        XCTAssertThrowsError(try ExactElimination(spec: small, stateLimit: 100))
    }

    func testTruncatedTaskPrefixes() throws {
        let graph = try SearchFixtures.graph("RoeFlux_1d")
        // The whole program truncated to itself is the same graph.
        let whole = try GraphTruncation.prefix(graph, equations: graph.vertexCount)
        XCTAssertEqual(
            BaselineSummary(spec: GameSpec(graph: whole)).forward, BaselineSummary(spec: GameSpec(graph: graph)).forward
        )
        // A prefix small enough for the exact search is solved and no greedy rule beats it.
        let spec = GameSpec(graph: try GraphTruncation.prefix(graph, equations: 18))
        let exact = try ExactElimination(spec: spec).run()
        SearchFixtures.assertHonest(exact, spec)
        for h in try GreedyElimination.allRules(spec) { XCTAssertLessThanOrEqual(exact.cost, h.cost, h.method) }
        XCTAssertThrowsError(try GraphTruncation.prefix(graph, equations: 0))
    }
}
