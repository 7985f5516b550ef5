import Console
import Elimination
import TestFixtures
import XCTest
@testable import Benchmarks

/// `ccelim bench learning-vs-search` on the 8-vertex chain with a budget of 0.3 s per method:
/// the keys scripts read, one curve per method ending at the method's best, every best order
/// re-scored to its cost. (`alphazero-2-actors` starts the cluster from the `ccelim` executable:
/// Tests/EndToEndTests/LearningVsSearchEndToEndTests.swift.)
final class LearningVsSearchBenchmarkTests: XCTestCase {
    func field(_ json: JSON, _ key: String) -> JSON? {
        guard case .object(let fields) = json else { return nil }
        return fields.first { $0.0 == key }?.1
    }

    func testEveryMethodReportsACurveAndItsBestOnTheSameTask() throws {
        let graph = try TestFixtures.chain()
        let spec = GameSpec(graph: graph)
        var benchmark = LearningVsSearchBenchmark(
            config: TestFixtures.tinyNetwork, minutes: 0.005,
            methods: [.ppo, .alphazero, .anneal], seed: 1)
        benchmark.alphaZero.simulations = 2
        benchmark.gamesPerUpdate = 2
        benchmark.stepsPerBatch = 1
        benchmark.expertGames = true
        benchmark.alphaZero.decodeSimulations = 3
        benchmark.annealReferenceSeconds = 0.001
        var lines: [String] = []
        let task = try benchmark.run(graph) { lines.append($0) }
        guard case .object(let fields) = task else { return XCTFail("not an object") }
        XCTAssertEqual(fields.map(\.0), ["task", "eliminable", "baselines", "best_cost", "methods"])
        for method in ["ppo", "alphazero", "anneal"] {
            let result = try XCTUnwrap(field(try XCTUnwrap(field(task, "methods")), method), method)
            guard case .int(let best)? = field(result, "best_cost"),
                case .array(let order)? = field(result, "best_order"),
                case .array(let curve)? = field(result, "curve"), let last = curve.last
            else { return XCTFail("\(method): \(result.text)") }
            XCTAssertEqual(
                try Baselines.score(order.map { if case .int(let v) = $0 { v } else { -1 } }, on: spec).cost, best,
                method)
            XCTAssertEqual(field(last, "best_cost")?.text, "\(best)", "\(method)'s curve ends at its best")
            XCTAssertEqual(field(try XCTUnwrap(field(task, "best_cost")), method)?.text, "\(best)")
            XCTAssertNotNil(field(result, "load_average_1min"))
            XCTAssertGreaterThan(best, 0)
        }
        let az = try XCTUnwrap(field(try XCTUnwrap(field(task, "methods")), "alphazero"))
        XCTAssertEqual(field(az, "expert_games")?.text, "\(LearningVsSearchBenchmark.expertOrders(spec).count)")
        XCTAssertNotNil(field(az, "decode_cost"))
        let anneal = try XCTUnwrap(field(try XCTUnwrap(field(task, "methods")), "anneal"))
        guard case .array(let runs)? = field(anneal, "runs") else { return XCTFail(anneal.text) }
        XCTAssertEqual(runs.count, 2, "the reference budget and the whole budget")
        XCTAssertTrue(lines.contains { $0.contains("alphazero search decode") }, "\(lines)")
        XCTAssertEqual(
            (try XCTUnwrap(
                { () -> [(String, JSON)]? in
                    if case .object(let f) = benchmark.json(tasks: [task]) { return f } else { return nil }
                }())).map(\.0),
            ["benchmark", "build", "preset", "minutes", "methods", "settings", "blas_coretype", "tasks"])
    }

    /// A k outside 1…6 is refused by the settings before anything runs. (The cluster method takes
    /// `--rollout-rules` too since protocol 6: the welcome carries it.)
    func testRolloutRulesOutsideTheRulesAreRefused() throws {
        let graph = try TestFixtures.chain()
        var benchmark = LearningVsSearchBenchmark(
            config: TestFixtures.tinyNetwork, minutes: 0.005, methods: [.alphazero], seed: 1)
        var lines: [String] = []
        benchmark.alphaZero.rolloutRules = 7
        XCTAssertThrowsError(try benchmark.run(graph) { lines.append($0) }) {
            XCTAssertTrue("\($0)".contains("rollout_rules must be between 1 and 6"), "\($0)")
        }
        XCTAssertEqual(lines, [], "nothing ran")
    }

    /// `finalDecodeSeconds`: training stops that long before the budget, then the trained policy's
    /// final decode (`FinalDecode`: greedy decode, deviation search, samples, polish, descent)
    /// runs; the best is at most its orders' cost, and the curve ends at it. The clock is a counter, so "the budget" is a number of clock reads.
    func testTheFinalDeviationSearchRunsInTheBudgetsLastSecondsAndCountsInTheBest() throws {
        let graph = try TestFixtures.chain()
        let spec = GameSpec(graph: graph)
        var benchmark = LearningVsSearchBenchmark(
            config: TestFixtures.tinyNetwork, minutes: 1, methods: [.alphazero], seed: 1)
        benchmark.alphaZero.simulations = 2
        benchmark.gamesPerUpdate = 2
        benchmark.stepsPerBatch = 1
        benchmark.alphaZero.finalDecodeSeconds = 30
        // Every read of the clock is one second later.
        final class Ticks: @unchecked Sendable { var now = 0.0 }
        let ticks = Ticks()
        benchmark.clock = {
            ticks.now += 1
            return ticks.now
        }
        var lines: [String] = []
        let task = try benchmark.run(graph) { lines.append($0) }
        let az = try XCTUnwrap(field(try XCTUnwrap(field(task, "methods")), "alphazero"))
        guard case .int(let best)? = field(az, "best_cost"), let final = field(az, "final_decode"),
            case .int(let greedy)? = field(final, "greedy_cost"),
            case .double(let seconds)? = field(az, "seconds"), case .array(let curve)? = field(az, "curve")
        else { return XCTFail(az.text) }
        if case .int(let deviation)? = field(final, "deviation_cost") {
            XCTAssertLessThanOrEqual(deviation, greedy)
            XCTAssertLessThanOrEqual(best, deviation)
        }
        XCTAssertLessThanOrEqual(best, greedy)
        // The samples continue after the deviation search, until the polish's and descent's shares.
        guard case .int(let samples)? = field(final, "samples") else { return XCTFail(final.text) }
        XCTAssertGreaterThanOrEqual(samples, 1)
        guard case .array(let order)? = field(az, "best_order") else { return XCTFail(az.text) }
        XCTAssertEqual(
            try Baselines.score(order.map { if case .int(let v) = $0 { v } else { -1 } }, on: spec).cost, best)
        XCTAssertEqual(field(curve.last!, "best_cost")?.text, "\(best)")
        // Training stops before 60 − 30 clock reads: no update starts that, as long as the last,
        // would end in the reserve (its update lines say when each ended); the deviation search
        // asks the clock before each completion and stops at 60 at the latest.
        let updateTimes = lines.filter { $0.contains(" update ") }.compactMap {
            $0.split(separator: " ").first { $0.hasSuffix("s") && Double($0.dropLast()) != nil }
                .flatMap { Double($0.dropLast()) }
        }
        XCTAssertGreaterThan(updateTimes.count, 1)
        let last = updateTimes.last!, previous = updateTimes.dropLast().last!
        XCTAssertLessThan(last, 30, "no update ran into the reserve")
        XCTAssertGreaterThanOrEqual(last + (last - previous), 30, "the next one would have")
        // The decode's stages each look at the clock before they start (and a few times after the
        // last: here every read is a second).
        XCTAssertLessThan(seconds, 70)
        XCTAssertTrue(lines.contains { $0.contains("final decode: simulations 0, greedy_cost") }, "\(lines)")
        guard case .object(let settings)? = field(benchmark.json(tasks: [task]), "settings") else {
            return XCTFail("no settings")
        }
        XCTAssertEqual(settings.first { $0.0 == "final_decode_seconds" }?.1.text, "30.0")
    }
}
