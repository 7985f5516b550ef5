import ArgumentParser
import Console
import Elimination
import Foundation
import Search

/// `ccelim search <task | file> [--method …] [--seconds S | --iterations N] [--seed S] [--json]`:
/// classical searches for cheap elimination orders. The searches live in the Search module and
/// take step counts; this shell owns the clock (it turns --seconds into counts) and re-scores
/// every order with Baselines.score before printing it.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find cheap elimination orders: greedy heuristics, lookahead, randomised greedy, annealing, exact optimum.",
        discussion: """
            Methods: greedy (6 rules: markowitz, relative-markowitz, cost-now; each with fwd/rev tie-breaking), \
            lookahead (cost now + cheapest next step, fwd/rev), random-greedy (noisy greedy restarts), \
            anneal (simulated annealing from the best greedy/lookahead order), \
            exact (dynamic programming, small graphs only), all.

            --seconds and --iterations budget each stochastic method separately; with --iterations N \
            annealing scores N candidate orders and random greedy makes N/500 restarts (at least 1).
            """
    )

    enum Method: String, ExpressibleByArgument, CaseIterable {
        case greedy, lookahead, randomGreedy = "random-greedy", anneal, exact, all
    }

    @Argument(help: "A task name from Datasets, a .graph file, or a .jaxpr file.") var graph: String
    @Option(help: "greedy | lookahead | random-greedy | anneal | exact | all") var method: Method = .all
    @Option(help: "Wall-clock budget per stochastic method (measured here, turned into an iteration count).") var seconds: Double?
    @Option(help: "Budget per stochastic method as a count (default 200000 when --seconds is not given).") var iterations: Int?
    @Option(help: "Seed of every random stream.") var seed: UInt64 = 1
    @Option(help: "Search the graph of the first K equations only (small graphs for the exact search).") var truncate: Int?
    @Option(name: .customLong("exact-states"), help: "Most memoised states the exact search may use.") var exactStates = ExactElimination.defaultStateLimit
    @Option(help: "Annealing: cooling runs, each restarting from the best order so far.") var cycles: Int?
    @Option(name: .customLong("start-temperature"), help: "Annealing: start temperature as a fraction of the start cost.") var startTemperature: Double?
    @Option(name: .customLong("end-temperature"), help: "Annealing: end temperature as a fraction of the start cost.") var endTemperature: Double?
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON object: task, results [{method, cost, order, seconds, evaluations}], best_cost, best_order.") var json = false

    func validate() throws {
        if seconds != nil && iterations != nil { throw ValidationError("give --seconds or --iterations, not both") }
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be positive") }
        if let iterations, iterations < 1 { throw ValidationError("--iterations must be at least 1") }
    }

    func run() throws {
        var g = try GraphSource.load(graph, datasets: graphOptions.datasets)
        if let truncate { g = try GraphTruncation.prefix(g, equations: truncate) }
        let spec = GameSpec(graph: g)
        var runs: [TimedResult] = []
        var skipped: [(method: String, reason: String)] = []
        let wants = { (m: Method) in method == .all || method == m }

        if wants(.greedy) || wants(.anneal) {
            for rule in GreedyRule.all {
                let t = try Self.timed { try SearchResult.rescored(method: rule.name, order: GreedyElimination.order(spec, rule: rule), evaluations: 1, on: spec) }
                runs.append(TimedResult(result: t.value, seconds: t.seconds))
            }
        }
        if wants(.lookahead) || wants(.anneal) {
            for tieBreak in TieBreak.allCases {
                let t = try Self.timed { try SearchResult.rescored(method: "lookahead-\(tieBreak.rawValue)", order: LookaheadGreedy.order(spec, tieBreak: tieBreak), evaluations: 1, on: spec) }
                runs.append(TimedResult(result: t.value, seconds: t.seconds))
            }
        }
        if wants(.randomGreedy) {
            let streamSeed = SeedStreams.seed(seed, stream: 1)
            runs.append(try budgeted(probe: 3, fixed: max(1, (iterations ?? 200_000) / 500)) { restarts in
                try RandomizedGreedy(spec: spec, config: .init(restarts: restarts, seed: streamSeed)).run()
            })
        }
        if wants(.anneal) {
            // Start from the best deterministic heuristic only, so `--method anneal --iterations N`
            // reproduces the annealing of an `all` run whatever random greedy found.
            let deterministic = runs.filter { $0.result.method != "random-greedy" }
            let start = deterministic.min { $0.result.cost < $1.result.cost }!.result.order
            let streamSeed = SeedStreams.seed(seed, stream: 2)
            var config = SimulatedAnnealing.Config(iterations: 0, seed: streamSeed)
            if let cycles { config.cycles = cycles }
            if let startTemperature { config.startTemperature = startTemperature }
            if let endTemperature { config.endTemperature = endTemperature }
            runs.append(try budgeted(probe: 2_000, fixed: iterations ?? 200_000) { count in
                config.iterations = count
                return try SimulatedAnnealing(spec: spec, start: start, config: config).run()
            })
        }
        if wants(.exact) {
            do {
                let search = try ExactElimination(spec: spec, stateLimit: exactStates)
                let t = try Self.timed { try search.run() }
                runs.append(TimedResult(result: t.value, seconds: t.seconds))
            } catch let error as SearchError {
                guard method == .all else { throw CLIError("exact search on \(g.name): \(error)") }
                skipped.append(("exact", error.description))
            }
        }
        // Only the methods asked for are printed (anneal alone also needs the greedy starts).
        if method == .anneal { runs = runs.filter { $0.result.method == "anneal" } }

        // Never trust a figure a search computed along the way: replay every order from scratch.
        for run in runs {
            let replayed: Int
            do { replayed = try Baselines.score(run.result.order, on: spec).cost } catch {
                throw CLIError("\(run.result.method) returned an invalid order for \(g.name): \(error)")
            }
            guard replayed == run.result.cost else {
                throw CLIError("\(run.result.method) reported cost \(run.result.cost) but its order replays to \(replayed)")
            }
        }
        let best = runs.min { $0.result.cost < $1.result.cost }!.result
        if json {
            var fields: [(String, JSON)] = [
                ("task", .string(g.name)), ("eliminable", .int(spec.eliminable.count)), ("seed", .int(Int(truncatingIfNeeded: seed))),
                ("results", .array(runs.map { run in .object([
                    ("method", .string(run.result.method)), ("cost", .int(run.result.cost)), ("order", .ints(run.result.order)),
                    ("seconds", .double((run.seconds * 1000).rounded() / 1000)), ("evaluations", .int(run.result.evaluations)),
                ]) })),
                ("best_cost", .int(best.cost)), ("best_order", .ints(best.order)),
            ]
            if !skipped.isEmpty {
                fields.append(("skipped", .array(skipped.map { .object([("method", .string($0.method)), ("reason", .string($0.reason))]) })))
            }
            print(JSON.object(fields).text)
        } else {
            print("\(g.name): \(spec.eliminable.count) eliminable vertices, seed \(seed)")
            var table = [["method", "cost", "seconds", "evaluations"]]
            for run in runs {
                table.append([run.result.method, "\(run.result.cost)", String(format: "%.3f", run.seconds), "\(run.result.evaluations)"])
            }
            print(TextTable.render(table))
            for s in skipped { print("\(s.method): skipped: \(s.reason)") }
            print("best: \(best.cost) (\(best.method))")
            print("order: \(best.order.map(String.init).joined(separator: ","))")
        }
    }

    struct TimedResult {
        var result: SearchResult
        var seconds: Double
    }

    /// Runs a stochastic method for `fixed` iterations, or (with --seconds) for as many as fit:
    /// probe runs (from `probe` iterations up) measure the rate, then one run of the extrapolated
    /// count does the search, so its result is reproducible with --iterations of that count.
    func budgeted(probe: Int, fixed: Int, _ body: (Int) throws -> SearchResult) throws -> TimedResult {
        guard let seconds else {
            let t = try Self.timed { try body(fixed) }
            return TimedResult(result: t.value, seconds: t.seconds)
        }
        // Probes double until one takes 5% of the budget (at most 1 s), so that a busy machine
        // or a too-small first probe does not skew the rate.
        var probeCount = probe, probeSeconds = 0.0, spent = 0.0
        while true {
            let count = probeCount
            probeSeconds = try Self.timed { try body(count) }.seconds
            spent += probeSeconds
            if probeSeconds >= min(0.05 * seconds, 1) || spent >= seconds / 2 { break }
            probeCount *= 2
        }
        let rate = Double(probeCount) / max(probeSeconds, 1e-6)
        let count = max(probeCount, Int(rate * max(seconds - spent, 0)))
        let t = try Self.timed { try body(count) }
        return TimedResult(result: t.value, seconds: t.seconds + spent)
    }

    static func timed<T>(_ body: () throws -> T) throws -> (value: T, seconds: Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try body()
        return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}

