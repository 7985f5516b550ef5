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
        benchmark.simulations = 2
        benchmark.gamesPerUpdate = 2
        benchmark.stepsPerBatch = 1
        benchmark.expertGames = true
        benchmark.decodeSimulations = 3
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
        benchmark.rolloutRules = 7
        XCTAssertThrowsError(try benchmark.run(graph) { lines.append($0) }) {
            XCTAssertTrue("\($0)".contains("rollout_rules must be between 1 and 6"), "\($0)")
        }
        XCTAssertEqual(lines, [], "nothing ran")
    }
}
