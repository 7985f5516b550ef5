import ArgumentParser
import ClusterShell
import Console
import Elimination
import Foundation
import Search
import TaskFiles

/// `ccelim search <task | file> [--method …] [--seconds S | --iterations N] [--seed S] [--json]`:
/// classical searches for cheap elimination orders. The portfolio (which methods, budgets, the
/// replay of every order) is Search.SearchPortfolio; this shell gives it the clock and prints.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract:
            "Find cheap elimination orders: greedy heuristics, lookahead, randomised greedy, annealing, exact optimum.",
        discussion: """
            Methods: greedy (6 rules: markowitz, relative-markowitz, cost-now; each with fwd/rev tie-breaking), \
            lookahead (cost now + cheapest next step, fwd/rev), random-greedy (noisy greedy restarts), \
            anneal (simulated annealing from the best greedy/lookahead order), \
            exact (dynamic programming, small graphs only), all.

            --seconds and --iterations budget each stochastic method separately; with --iterations N \
            annealing scores N candidate orders and random greedy makes N/500 restarts (at least 1).

            Ctrl-C (SIGINT) or SIGTERM ends a long search early without losing it: each method stops at its \
            next look (annealing within a few moves, random greedy after its restart in progress; an exact \
            search, which has no order before its end, is skipped in an `all` run), every order found is \
            replayed and printed as usual (--json adds interrupted: true), and the exit status is 130 (143 \
            after SIGTERM); a second Ctrl-C kills at once.

            Progress goes to stderr (stdout keeps the report or the JSON): the method running, the best \
            cost of the methods that have ended and the seconds so far, rewritten in place on a terminal, \
            a line every 10 s when piped; a run shorter than a second prints none.
            """
    )

    @Argument(help: "A task name from Datasets, a .graph file, or a .jaxpr file.") var graph: String
    @Option(help: "greedy | lookahead | random-greedy | anneal | exact | all") var method: SearchPortfolio.Method = .all
    @Option(
        help:
            "Wall-clock budget per stochastic method (annealing's temperature follows the time spent; random greedy's restarts are fitted to the rate)."
    )
    var seconds: Double?
    @Option(help: "Budget per stochastic method as a count (default 200000 when --seconds is not given).")
    var iterations: Int?
    @Option(help: "Seed of every random stream.") var seed: UInt64 = 1
    @Option(help: "Search the graph of the first K equations only (small graphs for the exact search).") var truncate:
        Int?
    @Option(name: .customLong("exact-states"), help: "Most memoised states the exact search may use.") var exactStates =
        ExactElimination.defaultStateLimit
    @Option(help: "Annealing: cooling runs, each restarting from the best order so far.") var cycles: Int?
    @Option(
        name: .customLong("start-temperature"), help: "Annealing: start temperature as a fraction of the start cost.")
    var startTemperature: Double?
    @Option(name: .customLong("end-temperature"), help: "Annealing: end temperature as a fraction of the start cost.")
    var endTemperature: Double?
    @OptionGroup var graphOptions: GraphOptions
    @Flag(
        help:
            "Print one JSON object: task, results [{method, cost, order, seconds, evaluations}], best_cost, best_order."
    ) var json = false

    func validate() throws {
        if seconds != nil && iterations != nil { throw ValidationError("give --seconds or --iterations, not both") }
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be positive") }
        if let iterations, iterations < 1 { throw ValidationError("--iterations must be at least 1") }
    }

    func run() throws {
        var g = try GraphSource.load(graph, datasets: graphOptions.datasets)
        if let truncate { g = try GraphTruncation.prefix(g, equations: truncate) }
        let spec = GameSpec(graph: g)
        var portfolio = SearchPortfolio(clock: monotonicSeconds)
        portfolio.method = method
        portfolio.seconds = seconds
        if let iterations { portfolio.iterations = iterations }
        portfolio.seed = seed
        portfolio.exactStates = exactStates
        if let cycles { portfolio.annealing.cycles = cycles }
        if let startTemperature { portfolio.annealing.startTemperature = startTemperature }
        if let endTemperature { portfolio.annealing.endTemperature = endTemperature }
        // Ctrl-C (or SIGTERM) ends every method early with its best order, printed as usual; a second
        // one kills at once.
        SignalTrap.install(secondKills: true)
        portfolio.interrupted = { SignalTrap.stopRequested }
        // The status on stderr: rewritten in place on a terminal, a line every 10 s when piped (a
        // run of minutes says which method it is in and the best so far); a run under a second is
        // silent.
        let line = ProgressLine(toStderr: true)
        portfolio.progress = { p in
            guard !SignalTrap.stopRequested else { return }
            let best = p.cheapest.map { ", best so far \($0)" } ?? ""
            line.status("search \(g.name): \(p.method)\(best), \(Int(p.seconds)) s")
        }
        let outcome: SearchPortfolio.Outcome
        do {
            defer { line.finish() }
            outcome = try portfolio.run(on: spec)
        } catch {
            if SignalTrap.stopRequested {
                StandardError.write(
                    "error: \(method.rawValue) search on \(g.name): interrupted before it found an order\n")
                throw ExitCode(128 + SignalTrap.received)
            }
            throw CLIError("\(method.rawValue) search on \(g.name): \(error)")
        }
        if json {
            print(outcome.json(task: g.name, eliminable: spec.eliminable.count, seed: seed).text)
        } else {
            for line in outcome.lines(task: g.name, eliminable: spec.eliminable.count, seed: seed) { print(line) }
        }
        // Interrupted: the orders are printed, and the exit status says the run was cut short.
        if outcome.interrupted { throw ExitCode(128 + SignalTrap.received) }
    }
}

extension SearchPortfolio.Method: ExpressibleByArgument {}
