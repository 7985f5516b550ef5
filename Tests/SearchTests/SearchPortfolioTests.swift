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

    /// Ctrl-C in `ccelim search --seconds 1000`: random greedy's probes and run stop after their
    /// restart in progress, annealing at its first look, and every method still reports an order
    /// that replays. The interrupt (asked of a stepping clock, so each question advances it) comes
    /// half a clock second in, during random greedy's probes; the run then ends within a few clock
    /// seconds of the 2,000 it was given. Without the stop, the probes would double to the budget.
    func testAnInterruptEndsEveryMethodWithItsBestOrderSoFar() throws {
        let spec = try SearchFixtures.spec("RoeFlux_1d")
        let clock = SteppingClock(step: 0.001)
        var portfolio = SearchPortfolio(clock: clock.read)
        portfolio.seconds = 1_000
        portfolio.interrupted = { clock.read() > 0.5 }
        let outcome = try portfolio.run(on: spec)
        XCTAssertTrue(outcome.interrupted)
        XCTAssertLessThan(clock.now, 5, "the run went on after the interrupt")
        let methods = outcome.runs.map(\.result.method)
        XCTAssertEqual(methods.count, GreedyRule.all.count + TieBreak.allCases.count + 2, "\(methods)")
        let random = try XCTUnwrap(outcome.runs.first { $0.result.method == "random-greedy" })
        XCTAssertEqual(random.result.evaluations, 1, "the fitted run: one restart once interrupted")
        let anneal = try XCTUnwrap(outcome.runs.first { $0.result.method == "anneal" })
        XCTAssertEqual(anneal.result.evaluations, 0, "annealing began after the interrupt")
        XCTAssertEqual(anneal.result.cost, outcome.annealStart?.cost)
        for run in outcome.runs {
            XCTAssertEqual(run.result.cost, try Baselines.score(run.result.order, on: spec).cost, run.result.method)
        }
        XCTAssertEqual(outcome.best.cost, outcome.runs.map(\.result.cost).min())
        XCTAssertTrue(outcome.json(task: "R", eliminable: 98, seed: 1).text.contains("\"interrupted\": true"))
        XCTAssertTrue(outcome.lines(task: "R", eliminable: 98, seed: 1).contains { $0.hasPrefix("interrupted:") })

        portfolio.interrupted = { false }
        portfolio.seconds = nil
        portfolio.iterations = 500
        let whole = try portfolio.run(on: spec)
        XCTAssertFalse(whole.interrupted)
        XCTAssertFalse(whole.json(task: "R", eliminable: 98, seed: 1).text.contains("interrupted"))
        XCTAssertFalse(whole.lines(task: "R", eliminable: 98, seed: 1).contains { $0.hasPrefix("interrupted:") })
    }

    /// Annealing by a count of moves stops within `clockInterval` moves of the interrupt (here
    /// after 100 questions of 10 million moves' budget) with an order no dearer than its start; on a
    /// clock budget it stops at the next reading too.
    func testAnInterruptStopsAnnealingWithinAFewMoves() throws {
        let spec = try SearchFixtures.spec("RoeFlux_1d")
        var portfolio = Self.portfolio(.anneal, iterations: 10_000_000, interruptedAtQuestion: 101)
        let counted = try portfolio.run(on: spec)
        XCTAssertTrue(counted.interrupted)
        let moves = counted.runs[0].result.evaluations
        XCTAssertEqual(moves, 100 * SimulatedAnnealing.clockInterval, "asked every clockInterval moves")
        XCTAssertLessThanOrEqual(counted.best.cost, try XCTUnwrap(counted.annealStart).cost)

        portfolio = Self.portfolio(.anneal, iterations: 10_000_000, interruptedAtQuestion: 101)
        portfolio.seconds = 1_000
        let timed = try portfolio.run(on: spec)
        XCTAssertTrue(timed.interrupted)
        XCTAssertEqual(timed.runs[0].result.evaluations, 100 * SimulatedAnnealing.clockInterval)
        XCTAssertLessThan(timed.runs[0].seconds, 1, "1,000 s of budget, stopped after 100 readings")
    }

    /// Random greedy by a count of restarts (`--iterations`: N / 500) stops after the restart in
    /// progress: 20 of its 10,000.
    func testAnInterruptStopsRandomGreedyAfterItsRestartInProgress() throws {
        let spec = try SearchFixtures.spec("RoeFlux_1d")
        let outcome = try Self.portfolio(.randomGreedy, iterations: 5_000_000, interruptedAtQuestion: 20).run(on: spec)
        XCTAssertTrue(outcome.interrupted)
        XCTAssertEqual(outcome.runs.map(\.result.method), ["random-greedy"])
        XCTAssertEqual(outcome.runs[0].result.evaluations, 20)
        XCTAssertEqual(outcome.best.cost, try Baselines.score(outcome.best.order, on: spec).cost)
    }

    /// One method on a stepping clock, interrupted from its `question`-th question on.
    static func portfolio(
        _ method: SearchPortfolio.Method, iterations: Int, interruptedAtQuestion question: Int
    )
        -> SearchPortfolio
    {
        var portfolio = SearchPortfolio(clock: SteppingClock(step: 0.001).read)
        portfolio.method = method
        portfolio.iterations = iterations
        var asked = 0
        portfolio.interrupted = {
            asked += 1
            return asked >= question
        }
        return portfolio
    }

    /// The exact search has no order before its end: interrupted, it is skipped in an `all` run
    /// (the others report theirs) and, asked for alone, stops with `stopped`.
    func testAnInterruptedExactSearchIsSkippedOrStops() throws {
        // 11 vertices to order: 2^11 sets, more than the 256 states between two questions.
        let spec = try XCTUnwrap(try SearchFixtures.microCases().first { $0.eliminable.count == 11 })
        var portfolio = SearchPortfolio(clock: SteppingClock(step: 0.001).read)
        portfolio.iterations = 200
        portfolio.interrupted = { true }
        let all = try portfolio.run(on: spec)
        XCTAssertTrue(all.interrupted)
        XCTAssertEqual(all.skipped.map(\.method), ["exact"])
        XCTAssertEqual(all.skipped.first?.reason, "interrupted before its end")
        XCTAssertFalse(all.runs.isEmpty)
        portfolio.method = .exact
        XCTAssertThrowsError(try portfolio.run(on: spec)) { error in
            guard case SearchError.stopped = error else { return XCTFail("\(error)") }
        }
        portfolio.interrupted = { false }
        XCTAssertLessThanOrEqual(try portfolio.run(on: spec).best.cost, all.best.cost, "not interrupted, it ends")
    }

    /// The status `ccelim search` prints: the method running as it begins or asks whether to stop,
    /// with the cheapest order of the methods ended, at most once per interval and not in the
    /// first; without a listener the clock is read as before (the counts of
    /// `testSecondsBudgetDrivesAnnealingByTheClock`).
    func testProgressNamesTheMethodRunningAndTheBestSoFar() throws {
        let spec = try SearchFixtures.spec("PropaneCombustion")
        var portfolio = SearchPortfolio(clock: SteppingClock(step: 0.001).read)
        portfolio.seconds = 0.5
        portfolio.progressInterval = 0.05
        var heard: [SearchPortfolio.Progress] = []
        portfolio.progress = { heard.append($0) }
        let outcome = try portfolio.run(on: spec)
        let order = ["greedy", "lookahead", "random-greedy", "anneal", "exact"]
        let methods = heard.map(\.method)
        XCTAssertTrue(methods.contains("random-greedy") && methods.contains("anneal"), "\(methods)")
        XCTAssertEqual(methods, methods.sorted { order.firstIndex(of: $0)! < order.firstIndex(of: $1)! })
        XCTAssertGreaterThanOrEqual(heard[0].seconds, 0.05)
        for (a, b) in zip(heard, heard.dropFirst()) { XCTAssertGreaterThanOrEqual(b.seconds - a.seconds, 0.05) }
        let costs = outcome.runs.map(\.result.cost)
        let deterministic = costs.dropLast(2).min()!
        for p in heard where p.method == "random-greedy" { XCTAssertEqual(p.cheapest, deterministic) }
        for p in heard where p.method == "anneal" { XCTAssertEqual(p.cheapest, costs.dropLast().min()) }
        XCTAssertEqual(Array(outcome.runs.map(\.result.method).suffix(2)), ["random-greedy", "anneal"])
    }
}
