import XCTest
@testable import Elimination
@testable import Search

/// The priority-queue greedy (`LocalGreedy`) is the full-scan greedy, faster: for every rule, on
/// random and structured graphs in both state layouts, the orders are identical.
final class LocalGreedyTests: XCTestCase {
    func testEveryRuleGivesTheFullScanOrder() throws {
        var graphs = (1...3 as ClosedRange<UInt64>).map {
            RandomGraphs.scalar(seed: $0, inputs: 3, equations: 150, outputs: 4)
        }
        for preset in [GraphPreset.rk4, .stencil1d, .mixed, .reduction] {
            graphs.append(preset.generate(equations: 150, seed: 2))
        }
        for graph in graphs {
            for layout in StateLayout.allCases {
                let spec = GameSpec(graph: graph, layout: layout)
                let scorer = GreedyScorer(spec: spec)
                for rule in GreedyRule.all {
                    let scanned = GreedyElimination.play(spec, tieBreak: rule.tieBreak) { state, v in
                        scorer.score(rule.criterion, v, in: state)
                    }
                    XCTAssertEqual(
                        GreedyElimination.order(spec, rule: rule), scanned, "\(graph.name) \(layout) \(rule.name)")
                }
                XCTAssertEqual(
                    Baselines.markowitzOrder(spec),
                    GreedyElimination.play(spec, tieBreak: .forward) { $0.markowitzDegree($1) }, graph.name)
            }
        }
    }

    /// On a graph too large for the lookahead, `all` skips it and says why, and annealing starts
    /// from the best greedy rule; random greedy refuses a graph above its own limit.
    func testTheQuadraticSearchesAreSkippedOnLargeGraphs() throws {
        let spec = GameSpec(graph: RandomGraphs.scalar(seed: 4, inputs: 10, equations: 400, outputs: 5))
        XCTAssertGreaterThan(spec.eliminable.count, LookaheadGreedy.maxEliminable)
        var portfolio = SearchPortfolio(clock: { 0 })
        portfolio.iterations = 200
        let outcome = try portfolio.run(on: spec)
        XCTAssertEqual(outcome.skipped.map(\.method), ["lookahead", "exact"], "\(outcome.skipped)")
        XCTAssertTrue(outcome.skipped[0].reason.contains("at most 300 eliminable vertices"), outcome.skipped[0].reason)
        XCTAssertFalse(outcome.runs.contains { $0.result.method.hasPrefix("lookahead") })
        let greedyBest = outcome.runs.filter {
            $0.result.method.hasPrefix("markowitz") || $0.result.method.hasPrefix("cost-now")
                || $0.result.method.hasPrefix("relative")
        }
        .map(\.result.cost).min()!
        // Annealing starts from the cheapest of the greedy rules and forward and reverse mode; on
        // this 5-output program reverse mode beats every greedy rule.
        let reverse = try Baselines.score(Baselines.reverseOrder(spec), on: spec).cost
        let forward = try Baselines.score(Baselines.forwardOrder(spec), on: spec).cost
        XCTAssertLessThan(reverse, greedyBest)
        XCTAssertEqual(outcome.annealStart?.cost, min(greedyBest, reverse, forward))
        XCTAssertEqual(outcome.annealStart?.method, "reverse")
        XCTAssertLessThanOrEqual(outcome.runs.first { $0.result.method == "anneal" }!.result.cost, reverse)
        portfolio.method = .lookahead
        XCTAssertThrowsError(try portfolio.run(on: spec))
        let huge = GameSpec(graph: RandomGraphs.scalar(seed: 4, inputs: 10, equations: 5_100, outputs: 5))
        XCTAssertThrowsError(try RandomizedGreedy(spec: huge, config: .init(restarts: 1, seed: 1))) {
            XCTAssertTrue("\($0)".contains("at most 5000 eliminable vertices"), "\($0)")
        }
    }
}
