import Console
import Elimination
import Foundation
import Jacobian
import TestFixtures
import XCTest
@testable import Benchmarks

/// The benchmarks' figures are timing-dependent; these tests check what is not: the JSON keys
/// scripts read (a stable interface), the counts, and the arithmetic on the runs.
final class BenchmarksTests: XCTestCase {
    func keys(_ json: JSON) -> [String] {
        guard case .object(let fields) = json else { return [] }
        return fields.map(\.0)
    }

    func testMedian() {
        XCTAssertEqual(median([3, 1, 2]), 2)
        XCTAssertEqual(median([4, 1, 3, 2]), 2.5)
        XCTAssertTrue(median([]).isNaN)
        XCTAssertEqual(rounded(1.23456), 1.235)
        XCTAssertEqual(rounded(1.25, per: 10), 1.3)
    }

    func testGameBenchmarkPlaysEpisodesAndKeepsItsKeys() throws {
        let spec = GameSpec(graph: try TestFixtures.chain())
        let r = GameBenchmark.measure(task: "chain", spec: spec, runs: 3, seconds: 0.001, seed: 1)
        XCTAssertEqual(r.stepRates.count, 3)
        XCTAssertEqual(r.copyTimes.count, 3)
        XCTAssertTrue(r.stepRates.allSatisfy { $0 > 0 } && r.copyTimes.allSatisfy { $0 > 0 })
        XCTAssertEqual(r.stepsPerSecond, median(r.stepRates))
        XCTAssertEqual(
            keys(r.json),
            [
                "task", "eliminable", "steps_per_second", "episodes_per_second", "copy_ns",
                "steps_per_second_runs", "copy_ns_runs", "layout",
            ])
        XCTAssertEqual(
            keys(GameBenchmark.json([r], runs: 3, seconds: 0.001)),
            ["benchmark", "build", "runs", "seconds_per_run", "tasks"])
    }

    /// One dense and one sparse size: the keys of issue 17's contract, the program's sizes, and
    /// annealing that never returns worse than the greedy order it started from.
    func testScaleBenchmarkMeasuresEachSizeAndKeepsItsKeys() throws {
        // Debug builds anneal slowly (the speed probe alone is 2,000 evaluations): annealing is
        // measured on the small dense size only; the sparse size checks import and baselines.
        var settings = ScaleBenchmark.Settings()
        settings.annealSeconds = 0.2
        settings.policyMaxEquations = 100
        var plain = settings
        plain.annealSeconds = 0
        let results = [
            try ScaleBenchmark.measure(equations: 100, settings: settings),
            try ScaleBenchmark.measure(equations: 1_100, settings: plain),
        ]
        XCTAssertEqual(results.map(\.layout), [.dense, .sparse])
        XCTAssertNil(results[1].annealCost, "annealing is skipped at 0 seconds")
        XCTAssertGreaterThan(try XCTUnwrap(results[0].policyEpisodeSeconds), 0)
        XCTAssertEqual(results[0].policyTokens, results[0].vertices, "a small graph shows every vertex")
        XCTAssertNil(results[1].policyEpisodeSeconds, "past policyMaxEquations")
        for r in results {
            XCTAssertGreaterThanOrEqual(r.vertices, r.equations, "plus a copy per output read later")
            XCTAssertGreaterThan(r.edges, r.equations)
            XCTAssertGreaterThan(r.peakBytes ?? 0, 0)
            // Within a MiB: the kernel's RSS counts are approximate (per-CPU or per-thread parts
            // folded in lazily), so two readings of the high-water mark can disagree by a few pages
            // (a CI run saw the total 12 KiB below the import's).
            XCTAssertGreaterThanOrEqual(
                (r.peakBytesTotal ?? 0) + (1 << 20), r.peakBytes ?? 0,
                "the whole size's peak includes import and baselines")
            if let annealCost = r.annealCost {
                XCTAssertLessThanOrEqual(annealCost, try XCTUnwrap(r.annealStart))
                XCTAssertNotNil(r.annealStartMethod, "the start names the rule or mode it came from")
                XCTAssertLessThanOrEqual(
                    try XCTUnwrap(r.annealStart), r.markowitz, "Markowitz is one of the candidate starts")
                XCTAssertEqual(
                    try XCTUnwrap(r.annealImprovement), Double(r.bestBaseline - annealCost) / Double(r.bestBaseline),
                    accuracy: 1e-12)
            }
            let fields = keys(r.json)
            for key in [
                "equations", "import_s", "baselines_s", "peak_bytes", "peak_bytes_total", "anneal_improvement",
                "policy_episode_s", "policy_episode_cost",
            ] {
                XCTAssertTrue(fields.contains(key), key)
            }
        }
        XCTAssertEqual(
            results[1].generateCommand,
            "ccelim generate --preset scalar --equations 1100 --seed 3 --inputs 20 --outputs 10 -o FILE")
        XCTAssertEqual(
            keys(ScaleBenchmark.json(results, settings: settings)),
            ["benchmark", "build", "preset", "anneal_seconds", "policy_max_equations", "note", "sizes"])
    }

    func testSearchBenchmarkTimesEachLockstepSizeAndLearnsNextToAnnealing() throws {
        let graph = try TestFixtures.chain()
        let benchmark = SearchBenchmark(
            config: TestFixtures.tinyNetwork, simulations: 2, games: [1, 2], runs: 1, learnSeconds: 0.001,
            learnGames: 2,
            annealSeconds: 1, seed: 1)
        var lines: [String] = [], loaded: [String] = [], annealed: [String] = []
        let result = try benchmark.run(
            graph: graph, learnTasks: ["a"],
            load: {
                loaded.append($0); return graph
            },
            anneal: {
                annealed.append($0); return SearchBenchmark.Anneal(command: "ccelim search \($0)", bestCost: 7)
            },
            progress: { lines.append($0) })
        XCTAssertEqual(
            keys(result),
            [
                "benchmark", "task", "preset", "build", "simulations", "rollout_weight", "rollout_rules",
                "rollout_endgame",
                "max_considered_actions",
                "eliminable",
                "blas_coretype", "load_average_1min", "runs", "timings", "learning",
            ])
        guard case .object(let top) = result,
            case .object(let load)? = top.first(where: { $0.0 == "load_average_1min" })?.1
        else { return XCTFail("no load average in \(result.text)") }
        XCTAssertEqual(load.map(\.0), ["start", "end"])
        for (name, value) in load {
            guard case .double(let x) = value else { return XCTFail("load average \(name) is \(value)") }
            XCTAssertGreaterThanOrEqual(x, 0, "Linux reports a load average")
        }
        XCTAssertEqual(loaded, ["a"])
        XCTAssertEqual(annealed, [graph.name])
        guard case .object(let fields) = result,
            case .array(let timings)? = fields.first(where: { $0.0 == "timings" })?.1,
            case .array(let learning)? = fields.first(where: { $0.0 == "learning" })?.1
        else { return XCTFail("no timings or learning in \(result.text)") }
        XCTAssertEqual(timings.count, 2)
        XCTAssertEqual(learning.count, 1)
        XCTAssertEqual(keys(learning[0]).last, "anneal")
        XCTAssertTrue(lines[0].hasPrefix("search timing: 1 game(s) in lockstep"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("search timing: 2 game(s) in lockstep"), lines[1])
        XCTAssertTrue(lines.last!.hasSuffix("anneal 7 in 1.0 s"), lines.last!)
    }

    func testSearchBenchmarkWithoutLearningNeverLoadsOrAnneals() throws {
        let benchmark = SearchBenchmark(
            config: .small, simulations: 2, games: [1], runs: 2, learnSeconds: 0, learnGames: 1, annealSeconds: 1,
            seed: 1)
        let result = try benchmark.run(
            graph: try TestFixtures.chain(), learnTasks: ["a"],
            load: {
                XCTFail("loaded \($0)"); return try TestFixtures.chain()
            },
            anneal: {
                XCTFail("annealed \($0)"); return SearchBenchmark.Anneal(command: "", bestCost: 0)
            },
            progress: { _ in })
        guard case .object(let fields) = result,
            case .array(let learning)? = fields.first(where: { $0.0 == "learning" })?.1
        else { return XCTFail("no learning in \(result.text)") }
        XCTAssertTrue(learning.isEmpty)
    }

    func testJacobianBenchmarkTimesEveryOrderAgainstForward() throws {
        let graph = try TestFixtures.chain()
        let spec = GameSpec(graph: graph)
        let cases = [
            JacobianBenchmark.Case(name: "fwd", source: "forward mode", order: Baselines.forwardOrder(spec)),
            JacobianBenchmark.Case(name: "rev", source: "reverse mode", order: Baselines.reverseOrder(spec)),
        ]
        let point = graph.program.inputs.map { [Double](repeating: 0.5, count: $0.type.elementCount) }
        let samples = JacobianBenchmark.perturbedSamples(point, count: 3)
        XCTAssertEqual(samples.count, 3)
        XCTAssertNotEqual(samples[0], samples[1], "samples are distinct")
        XCTAssertEqual(samples, JacobianBenchmark.perturbedSamples(point, count: 3), "and deterministic")
        let values = point.indices.map { k in samples.flatMap { $0[k] } }
        let rows = try JacobianBenchmark.measure(
            task: "chain", graph: graph, cases: cases, batch: 3, values: values,
            precision: .float64, runs: 2, seconds: 0.0005)
        XCTAssertEqual(rows.map(\.order.name), ["fwd", "rev"])
        XCTAssertEqual(rows[0].ratioToForward, 1)
        XCTAssertEqual(rows[1].ratioToForward, rows[1].medianSeconds / rows[0].medianSeconds)
        for (row, c) in zip(rows, cases) {
            XCTAssertEqual(row.times.count, 2)
            XCTAssertEqual(row.modelMultiplications, try Baselines.score(c.order, on: spec).cost)
        }
        XCTAssertEqual(
            keys(rows[0].json),
            [
                "task", "batch", "order", "order_source", "multiplications", "model_multiplications",
                "median_ms", "per_sample_ns", "ratio_to_fwd", "run_ms",
            ])
        XCTAssertEqual(rows[0].tableRow.count, JacobianBenchmark.Row.tableHeader.count)
    }

    /// The cluster benchmark's throughput figures, driven by a fake `ccelim train` (no processes).
    func testClusterBenchmarkRatesFromTrainSummaries() throws {
        var calls: [[String]] = []
        let benchmark = ClusterBenchmark(
            task: "chain", updates: 2, runs: 3, trainArguments: ["--envs", "4"], work: "/nonexistent",
            capture: { arguments in
                calls.append(arguments)
                let seconds = [2.0, 4.0, 1.0][(calls.count - 1) % 3]
                return (0, "progress\n{\"episodes\": 8, \"seconds\": \(seconds)}\n", "")
            },
            processes: { fatalError("no processes in this test") })
        let solo = try benchmark.measure(["--solo"], "solo")
        XCTAssertEqual(solo.runs, [4, 2, 8])
        XCTAssertEqual(solo.rate, 4)
        XCTAssertEqual(calls.count, 3)
        XCTAssertEqual(
            calls[0],
            [
                "train", "--task", "chain", "--updates", "2", "--json", "--run-dir", "/nonexistent/solo-0", "--envs",
                "4", "--solo",
            ])

        let failing = ClusterBenchmark(
            task: "chain", updates: 1, runs: 1, trainArguments: [], work: "/nonexistent",
            capture: { _ in (1, "", "error: no such task") }, processes: { fatalError() })
        XCTAssertThrowsError(try failing.measure(["--solo"], "solo")) { error in
            XCTAssertTrue("\(error)".contains("no such task"), "\(error)")
        }
    }

    func testLagHistogramIsSortedByLag() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lag-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try #"{"lag_histogram": {"10": 1, "2": 5, "0": 7}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(ClusterBenchmark.lagHistogram(path).map(\.0), ["0", "2", "10"])
        XCTAssertTrue(ClusterBenchmark.lagHistogram(path + ".missing").isEmpty)
    }
}
