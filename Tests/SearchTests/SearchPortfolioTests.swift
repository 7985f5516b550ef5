import Elimination
import TestFixtures
import XCTest
@testable import Search

/// The portfolio behind `ccelim search`, driven by a fake clock: which methods run, the replay of
/// every order, annealing's budget in seconds on the clock, the exact search's refusal.
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

    /// With a budget in seconds, annealing's temperature follows the clock (no probe): on a clock
    /// of 2⁻¹⁰ s a reading, its 4 cycles of a quarter second each read it 255 times every
    /// `clockInterval` moves before their time is up, and the run (timed by two more readings)
    /// lasts its budget; the same clock gives the same search.
    func testSecondsBudgetDrivesAnnealingByTheClock() throws {
        let spec = try SearchFixtures.spec("PropaneCombustion")
        func run() throws -> SearchPortfolio.Run {
            var timed = SearchPortfolio(clock: SteppingClock(step: 1.0 / 1024).read)
            timed.method = .anneal
            timed.seconds = 1
            return try timed.run(on: spec).runs[0]
        }
        let a = try run(), b = try run()
        XCTAssertEqual(a.result, b.result)
        XCTAssertEqual(a.result.evaluations, 4 * 255 * SimulatedAnnealing.clockInterval)
        XCTAssertEqual(a.seconds, 1 + 2.0 / 1024, "the run's own first reading and the end's besides the budget")
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
