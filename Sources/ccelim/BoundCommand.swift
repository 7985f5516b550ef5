import ArgumentParser
import Bounds
import ClusterShell
import Console
import Elimination
import Foundation
import Search
import TaskFiles

/// `ccelim bound PROGRAM [--seconds S] [--json]`: how far the best known order can be from optimal.
/// The work (upper bound, lower-bound search, typed-model policy) is Bounds.BoundRun; this shell
/// loads the graph and the stored order, gives it the clock and prints.
struct BoundCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bound",
        abstract: "Prove a lower bound on the optimal elimination cost; report the best order and the gap.",
        discussion: """
            On all-dense-scalar graphs (the classical Markowitz model) the bound has three parts, \
            all within --seconds: the start bound (groups of up to --group-size adjacent vertices \
            solved exactly over their orders and merged up to --merge-size: two adjacent groups at \
            a time and, where no pair gains, three, --merge-parts), then the precedence \
            split (branches on "u before v" between the start groups, each group re-solved with what \
            is known to be gone and known to be still there, every open leaf guided by a good order \
            respecting its precedences, whose fewest precedences that lift the leaf to the best cost \
            are split first; a cheaper guide becomes the best order), then an A* search over \
            eliminated sets with what is left; it reports the smallest bound still open. The split \
            starts only when the start bound is complete, so a small budget gives the start bound \
            all of it. By default this proves RoeFlux_1d's 295 and g's 409 optimal, in about 11 s and \
            100 s of CPU (--clock cpu --seconds 900 for g; Docs/RESULTS.md \
            "Bounds", "(bounds10)", "(bounds11)", "The exact tables, faster twice over", "Cheaper \
            look-ups and flows in the tables"). The annealing that polishes the best order gets \
            --anneal-seconds of them, and a start bound cut short by the budget still counts \
            (a note says so). --clock cpu counts --seconds in this thread's CPU time (fair on a \
            loaded machine; the bound runs on one thread unless --threads N > 1 shares the split's \
            open leaves among N threads, and then counts the whole process's CPU time). The exhaustive search of a typed graph \
            with at most 21 vertices to order stops at the budget too, and then proves nothing \
            (status bounded, a note says so).

            The split's parts can be turned off: --precedence-split 0 (no split: the defaults before \
            bounds11), --no-split-ends (only known predecessors, bounds7), --split-focus edges (pairs \
            on the edges between groups instead of within 3 steps of where the best order pays more \
            than the bound), --no-split-leaf-guides; --split-candidates sets the pairs tried per \
            split (1 since session 38; 3 before). --split-guided splits first on the pairs that lift the best order's own branch \
            (bounds9). --fractional-packing also packs the start groups fractionally (a linear \
            program solved by CBC's LP solver) and carries the weights to every state; \
            --remaining-ends counts a group's later members as path ends (stronger, slower); both off.

            --method ilp bounds a scalar graph with an integer program instead, solved by COIN-OR \
            CBC (single-threaded, within what is left of --seconds on its own clock; it may run a few \
            seconds past it), with the start bound and the best known cost given to it. It proves the \
            same optima on small graphs; on the tasks and on generated graphs with 61-79 vertices to \
            order it proved no more than bnb, the default (Docs/RESULTS.md "Bounds").

            A scalar graph of more than 512 vertices (more than the set-keyed search holds) gets the \
            min-cut terms at the start alone (method `cut`, as many as --seconds allows; status \
            bounded): no group bound, no search and no integer program, so the options of those \
            change nothing there (a note says so for --method ilp; Docs/RESULTS.md "Beyond 512 vertices").

            On typed (tensor) graphs no nontrivial lower bound is proven: small graphs get their \
            exact optimum from the exhaustive search (status optimal), larger ones status \
            `unbounded`, lower_bound 0, gap null and a `reason` (Docs/RESULTS.md "Bounds").

            The best order starts as the cheapest of Datasets/best-orders.json's entry, --order (e.g. \
            the JSON `ccelim optimize --json` printed), the greedy rules, forward, reverse and minimal \
            Markowitz, and an annealing run from the \
            cheapest of them (--anneal-seconds, default a tenth of --seconds, at most 5 s; its last \
            --final-descent-share, 0.2, descends the annealed order as `optimize`'s threads end). On scalar \
            graphs it stops where the best order reaches a lower bound, since no order is cheaper: the \
            cut-and-pair bound at the start from the beginning (it does not run when the order it would \
            start from already reaches it), and after a fifth of its budget the bound at the start with \
            the start groups (at most a second is spent on that bound, a fiftieth of --seconds and no more than \
            --anneal-seconds). status is `optimal` only when lower_bound == best_cost, \
            `bounded` when 0 < lower_bound < best_cost; gap = (best_cost - lower_bound) / lower_bound.

            Progress goes to stderr (stdout keeps the report or the JSON): the phase (start groups, \
            precedence split, A*), the lower bound proven so far and the best cost, rewritten in \
            place on a terminal, a line every 10 s when piped. Ctrl-C (SIGINT) or SIGTERM ends the \
            run early without losing it: every phase stops at its next look at the clock, the \
            report of what was proven and found by then is printed as usual (stop `interrupted`, a \
            note), and the exit status is 130 (143 after SIGTERM); a second Ctrl-C kills at once. \
            With --method ilp, CBC (whose C interface cannot stop a solve) is left where it is: the \
            lower bound is the start bound proven before it, and a note says so.
            """
    )

    @Argument(help: "A task name from Datasets, a .graph file, or a .jaxpr file.") var program: String
    @Option(help: "Time budget of the whole run in seconds (on --clock).") var seconds: Double = 60
    @Option(
        help:
            "Clock of --seconds: wall, or cpu (this thread's CPU time, the process's with --threads > 1: fair on a loaded machine)."
    ) var clock = "wall"
    @Option(help: "Most search states kept in memory (about 120 bytes each).") var states =
        OptimalOrderSearch.Config().stateLimit
    @OptionGroup var search: BoundSearchOptions
    @Option(help: "Bound the graph of the first K equations only.") var truncate: Int?
    @Option(
        help: ArgumentHelp(
            "An order to bound: a file holding one (the JSON of `optimize`, `search` or `bound --json`, or ids), a comma-separated list, or fwd, rev, markowitz.",
            discussion: "It joins the known orders; the cheapest of all is the best order reported.")
    ) var order: String?
    @Option(
        help:
            "Seconds of the annealing that polishes the best order, on --clock (0 = none; default a tenth of --seconds, at most 5)."
    ) var annealSeconds: Double?
    @Option(
        help:
            "The share of each annealing run's seconds kept for the long-range exact descent and polish of its best order (as `optimize`'s threads end); 0: annealing alone."
    ) var finalDescentShare = RelocationDescent.finalShare
    @Option(help: "Seed of the annealing run that polishes the upper bound.") var seed: UInt64 = 1
    @OptionGroup var graphOptions: GraphOptions
    @Flag(
        help:
            "Print one JSON object: program, lower_bound, best_cost, best_order, gap, status, seconds, and the search's details."
    ) var json = false
    @Flag(
        help: ArgumentHelp(
            "Also report where the best order pays more than the start bound: each start group's share of it and what the order pays for its members (JSON `shares`).",
            discussion:
                "On scalar graphs of up to 512 vertices; the start groups are solved again after the search, within --seconds more, but not after Ctrl-C (a note says when they are not)."
        )
    ) var shares = false

    func run() throws {
        // Bad numbers exit 1 with the reason, like a bad program (not ArgumentParser's usage code).
        guard seconds > 0, seconds.isFinite else {
            throw CLIError("--seconds must be a positive number, got \(seconds)")
        }
        guard clock == "wall" || clock == "cpu" else { throw CLIError("--clock must be wall or cpu, got \(clock)") }
        guard states >= 1 else { throw CLIError("--states must be at least 1, got \(states)") }
        if let truncate, truncate < 1 { throw CLIError("--truncate must be at least 1, got \(truncate)") }
        var graph = try GraphSource.load(program, datasets: graphOptions.datasets)
        if let truncate { graph = try GraphTruncation.prefix(graph, equations: truncate) }
        let spec = GameSpec(graph: graph)
        var known: [(order: [Int], source: String)] = []
        if truncate == nil, let directory = try? Datasets.directory(graphOptions.datasets) {
            let path = "\(directory)/\(BestOrdersFile.name)"
            if let entry = try BestOrdersFile.entries(path)[graph.name] { known.append((entry.order, path)) }
        }
        if let order {
            let ids = try OrderArgument.parse(order, spec: spec)
            do {
                _ = try Baselines.score(ids, on: spec)
            } catch {
                throw CLIError("--order \(order) is not an order of \(graph.name): \(error)")
            }
            known.append((ids, OrderArgument.isFile(order) ? order : "--order"))
        }
        if let annealSeconds, !(annealSeconds >= 0 && annealSeconds.isFinite) {
            throw CLIError("--anneal-seconds must be 0 or more, got \(annealSeconds)")
        }
        var run = BoundRun(clock: clock == "cpu" ? search.cpuClock : monotonicSeconds)
        run.annealSeconds = annealSeconds
        run.finalDescentShare = finalDescentShare
        run.seconds = seconds
        run.clockIsCPU = clock == "cpu"
        try search.configure(&run)
        run.stateLimit = states
        run.seed = seed
        run.shares = shares
        // Ctrl-C (or SIGTERM) ends the run early with what it has proven, printed as usual; a second
        // one kills at once.
        SignalTrap.install(secondKills: true)
        run.interrupted = { SignalTrap.stopRequested }
        // The status on stderr: rewritten in place on a terminal, a line every 10 s when piped (a
        // run of minutes says which phase it is in and what it has proven so far).
        let line = ProgressLine(toStderr: true)
        let progress: (OptimalOrderSearch.Progress) -> Void = { p in
            // After an interrupt the budgets' clock has jumped: no status with its seconds.
            guard !SignalTrap.stopRequested else { return }
            let detail =
                switch p.phase {
                case .startGroups: "solving the start groups"
                case .split: "\(p.splits) splits, \(p.openLeaves) open leaves"
                case .search: "\(p.expanded) expanded, \(p.states) states"
                case .cutTerms: "\(p.cutTermsDone) of \(p.cutTermsTotal) vertices"
                }
            line.status(
                "bound \(graph.name): \(p.phase.rawValue), lower \(p.lowerBound), best \(p.bestCost), \(detail), "
                    + "\(Int(p.seconds)) s")
        }
        let report: BoundReport
        do {
            report = try run.run(on: spec, known: known, progress: progress)
        } catch {
            line.finish()
            throw CLIError("bound \(graph.name): \(error)")
        }
        line.finish()
        if json {
            print(report.json.text)
        } else {
            for text in report.lines { print(text) }
        }
        // Interrupted: the report is printed, and the exit status says the run was cut short.
        if SignalTrap.stopRequested { throw ExitCode(128 + SignalTrap.received) }
    }
}
