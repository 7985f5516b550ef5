import Elimination
import TestFixtures
import XCTest
@testable import Search

/// The portfolio behind `ccelim search`, driven by a fake clock: which methods run, the replay of
/// every order, the budget in seconds turned into a reproducible count, the exact search's refusal.
final class SearchPortfolioTests: XCTestCase {
    func testAllMethodsRunAndEveryCostReplays() throws {
        let spec = try SearchFixtures.spec("PropaneCombustion")
        var portfolio = SearchPortfolio(clock: SteppingClock(step: 0.001).read)
        portfolio.iterations = 2_000
        let outcome = try portfolio.run(on: spec)
        let methods = outcome.runs.map(\.result.method)
        XCTAssertEqual(methods.count, GreedyRule.all.count + TieBreak.allCases.count + 2)
        XCTAssertEqual(Array(methods.suffix(2)), ["random-greedy", "anneal"])
        XCTAssertEqual(outcome.skipped.map(\.method), ["exact"], "51 vertices are too many for the exact search")
        for run in outcome.runs {
            XCTAssertEqual(run.result.cost, try Baselines.score(run.result.order, on: spec).cost, run.result.method)
            XCTAssertEqual(run.seconds, 0.001, accuracy: 1e-9, "one clock step per method")
        }
        XCTAssertEqual(outcome.best.cost, outcome.runs.map(\.result.cost).min())
        XCTAssertLessThanOrEqual(outcome.best.cost, BaselineSummary(spec: spec).best)
    }

    func testReportListsEveryRunTheSkippedMethodsAndTheBestOrder() throws {
        let spec = try SearchFixtures.spec("PropaneCombustion")
        var portfolio = SearchPortfolio(clock: SteppingClock(step: 0.001).read)
        portfolio.iterations = 500
        let outcome = try portfolio.run(on: spec)
        let json = outcome.json(task: "P", eliminable: 7, seed: 3).text
        for key in ["\"results\"", "\"best_cost\": \(outcome.best.cost)", "\"skipped\"", "\"seed\": 3"] {
            XCTAssertTrue(json.contains(key), "\(key) in \(json)")
        }
        let lines = outcome.lines(task: "P", eliminable: 7, seed: 3)
        XCTAssertEqual(lines.first, "P: 7 eliminable vertices, seed 3")
        XCTAssertTrue(lines.contains { $0.hasPrefix("exact: skipped: ") }, "\(lines)")
        XCTAssertEqual(lines.last, "order: \(outcome.best.order.map(String.init).joined(separator: ","))")
    }

    func testAnnealAloneReproducesTheAnnealingOfAnAllRun() throws {
        let spec = try SearchFixtures.spec("Perceptron")
        var portfolio = SearchPortfolio(clock: SteppingClock(step: 0.001).read)
        portfolio.iterations = 3_000
        let all = try portfolio.run(on: spec).runs.first { $0.result.method == "anneal" }!.result
        portfolio.method = .anneal
        let alone = try portfolio.run(on: spec)
        XCTAssertEqual(alone.runs.map(\.result.method), ["anneal"])
        XCTAssertEqual(alone.runs[0].result, all)
    }

    /// With a budget in seconds, a probe measures the rate on the clock and one run of the
    /// extrapolated count does the search. A clock that ticks 0.25 s per reading makes every run
    /// last 0.25 s: the 16-iteration first probe (≥ 5% of the budget) gives 64/s, and the 0.75 s
    /// left give 48 iterations — the same search as `iterations = 48`.
    func testSecondsBudgetBecomesAReproducibleCount() throws {
        let spec = try SearchFixtures.spec("PropaneCombustion")
        var timed = SearchPortfolio(clock: SteppingClock(step: 0.25).read)
        timed.method = .anneal
        timed.seconds = 1
        let run = try timed.run(on: spec).runs[0]
        XCTAssertEqual(run.seconds, 0.5, "the probe's time is included")
        var counted = SearchPortfolio(clock: SteppingClock(step: 0.25).read)
        counted.method = .anneal
        counted.iterations = 48
        XCTAssertEqual(try counted.run(on: spec).runs[0].result, run.result)
    }

    func testExactAloneRefusesALargeGraphAndSolvesASmallOne() throws {
        let spec = try SearchFixtures.spec("RoeFlux_1d")
        var portfolio = SearchPortfolio(clock: SteppingClock(step: 0.001).read)
        portfolio.method = .exact
        XCTAssertThrowsError(try portfolio.run(on: spec)) { error in
            guard case SearchError.tooManyStates = error else { return XCTFail("\(error)") }
        }
        for small in try SearchFixtures.microCases().prefix(5) {
            let outcome = try portfolio.run(on: small)
            XCTAssertEqual(outcome.best.cost, SearchFixtures.bruteForceOptimum(small), small.name)
        }
    }
}
