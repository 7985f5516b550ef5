import Console
import Elimination

/// Runs the searches `ccelim search` offers on one graph — greedy rules, lookahead, randomised
/// greedy, annealing from the best deterministic order, the exact optimum — and replays every
/// order it returns. The searches take step counts, reproducible with `--iterations`; with a
/// wall-clock budget on the injected `clock`, annealing's temperature follows the time it has spent
/// (`SimulatedAnnealing.run(seconds:clock:)`) and random greedy's restarts are a count fitted by
/// probing the rate (`IterationBudget`). An interrupt (`interrupted`) ends every method at its next
/// look with its best order so far, so a long run stopped by the user still reports what it found.
public struct SearchPortfolio {
    public enum Method: String, CaseIterable, Sendable {
        case greedy, lookahead, randomGreedy = "random-greedy", anneal, exact, all
    }

    /// One method's result and the seconds it took (probe runs included).
    public struct Run: Sendable {
        public var result: SearchResult
        public var seconds: Double
    }

    public struct Outcome: Sendable {
        /// The methods asked for, in the order they ran.
        public var runs: [Run]
        /// Methods of an `all` run that refused the graph, with the reason (the exact search on a
        /// large graph).
        public var skipped: [(method: String, reason: String)]
        /// The cheapest of `runs`.
        public var best: SearchResult
        /// The order annealing started from (the best deterministic heuristic); nil without annealing.
        public var annealStart: SearchResult?
        /// The run was interrupted: the methods running or still to come stopped at their first
        /// look and report their best so far (the exact search, which has no order before its end,
        /// is skipped in an `all` run).
        public var interrupted = false
    }

    public var method: Method = .all
    /// Budget per stochastic method as a count; used when `seconds` is nil.
    public var iterations = 200_000
    /// Budget per stochastic method in seconds on `clock`: annealing's schedule runs on the clock,
    /// random greedy's restarts are fitted to it.
    public var seconds: Double?
    public var seed: UInt64 = 1
    public var exactStates = ExactElimination.defaultStateLimit
    /// Annealing settings; `iterations` (without `seconds`) and `seed` are set by the portfolio.
    public var annealing = SimulatedAnnealing.Config(iterations: 0, seed: 0)
    /// Seconds on a monotonic clock (injected so tests need no real time).
    public var clock: () -> Double
    /// True once the user asks the run to stop (the CLI: SIGINT or SIGTERM). Every method asks it
    /// as it goes (a budget clock that jumps, `InterruptJump`, would not do: each method here has
    /// its own budget from its own start): random greedy stops after its restart in progress (its
    /// probes too), annealing within `SimulatedAnnealing.clockInterval` moves, the exact search
    /// within a few states; the methods still to come stop at their first look.
    public var interrupted: () -> Bool = { false }

    /// What `progress` is told: the method running, the cheapest order of the methods that have
    /// ended, and the seconds since the run began.
    public struct Progress: Equatable, Sendable {
        public var method: String
        public var cheapest: Int?
        public var seconds: Double
    }
    /// Told how the run goes (the CLI's status line), at most once per `progressInterval` seconds on
    /// `clock` and never before the first interval has passed: when a method begins and whenever a
    /// method asks `interrupted`. Nil (the default): the clock is read only for the budgets.
    public var progress: ((Progress) -> Void)?
    public var progressInterval = 1.0

    public init(clock: @escaping () -> Double) {
        self.clock = clock
    }

    public func run(on spec: GameSpec) throws(SearchError) -> Outcome {
        var runs: [Run] = []
        var skipped: [(method: String, reason: String)] = []
        var annealStart: SearchResult?
        let wants = { (m: Method) in method == .all || method == m }
        let status = StatusTicker(clock: clock, interval: progressInterval, report: progress)
        // Every method's question is also a tick of the status.
        let asked = self.interrupted
        let interrupted = {
            status.tick()
            return asked()
        }
        /// Appends a method's run, and counts it in the status's best so far.
        func ended(_ run: Run) {
            runs.append(run)
            status.cheapest = min(status.cheapest ?? run.result.cost, run.result.cost)
        }
        if wants(.greedy) || wants(.anneal) {
            status.begin("greedy")
            for rule in GreedyRule.all {
                ended(
                    try timed { () throws(SearchError) in
                        try SearchResult.rescored(
                            method: rule.name, order: GreedyElimination.order(spec, rule: rule), evaluations: 1,
                            on: spec)
                    })
            }
        }
        if let refusal = LookaheadGreedy.refusal(spec), wants(.lookahead) || wants(.anneal) {
            // Too large for the lookahead: asked for alone it is an error, in `all` a skip, and
            // annealing starts from the greedy rules.
            if method == .lookahead { throw refusal }
            if method == .all { skipped.append(("lookahead", refusal.description)) }
        } else if wants(.lookahead) || wants(.anneal) {
            status.begin("lookahead")
            for tieBreak in TieBreak.allCases {
                ended(
                    try timed { () throws(SearchError) in
                        try SearchResult.rescored(
                            method: "lookahead-\(tieBreak.rawValue)",
                            order: LookaheadGreedy.order(spec, tieBreak: tieBreak),
                            evaluations: 1, on: spec)
                    })
            }
        }
        if wants(.randomGreedy) && method == .all && spec.eliminable.count > RandomizedGreedy.maxEliminable {
            skipped.append(
                (
                    "random-greedy",
                    "more than \(RandomizedGreedy.maxEliminable) eliminable vertices (a full scan per step)"
                ))
        } else if wants(.randomGreedy) {
            status.begin("random-greedy")
            let streamSeed = SeedStreams.seed(seed, stream: 1)
            ended(
                try budgeted(probe: 3, fixed: max(1, iterations / 500)) { restarts throws(SearchError) in
                    try RandomizedGreedy(spec: spec, config: .init(restarts: restarts, seed: streamSeed)).run(
                        stop: interrupted)
                })
        }
        if wants(.anneal) {
            // Start from the best deterministic heuristic only, so `--method anneal --iterations N`
            // reproduces the annealing of an `all` run whatever random greedy found. Forward and
            // reverse mode are candidates too (a greedy rule wins ties, being listed first): on
            // programs with few outputs reverse mode can beat every greedy rule by far.
            let heuristics = runs.map(\.result).filter { $0.method != "random-greedy" }
            let modes = try [("forward", Baselines.forwardOrder(spec)), ("reverse", Baselines.reverseOrder(spec))].map {
                (name, order) throws(SearchError) in
                try SearchResult.rescored(method: name, order: order, evaluations: 1, on: spec)
            }
            let startResult = (heuristics + modes).min { $0.cost < $1.cost }!
            annealStart = startResult
            let start = startResult.order
            var config = annealing
            config.seed = SeedStreams.seed(seed, stream: 2)
            config.iterations = iterations
            let annealer = try SimulatedAnnealing(spec: spec, start: start, config: config)
            status.begin("anneal")
            // With seconds, the temperature follows the clock (no probe); else `iterations` moves.
            ended(
                try timed { () throws(SearchError) in
                    if let seconds {
                        try annealer.run(seconds: seconds, clock: clock, stop: interrupted)
                    } else {
                        try annealer.run(stop: interrupted)
                    }
                })
        }
        if wants(.exact) {
            status.begin("exact")
            do {
                var search = try ExactElimination(spec: spec, stateLimit: exactStates)
                search.shouldStop = interrupted
                ended(try timed { () throws(SearchError) in try search.run() })
            } catch {
                guard method == .all else { throw error }
                if case .stopped = error {
                    skipped.append(("exact", "interrupted before its end"))
                } else {
                    skipped.append(("exact", error.description))
                }
            }
        }
        // Only the methods asked for are reported (anneal alone also needs the greedy starts).
        if method == .anneal { runs = runs.filter { $0.result.method == "anneal" } }

        // Never trust a figure a search computed along the way: replay every order from scratch.
        for run in runs {
            let replayed = try SearchResult.rescored(
                method: run.result.method, order: run.result.order, evaluations: 0, on: spec
            ).cost
            guard replayed == run.result.cost else {
                throw .invalidParameter(
                    "\(run.result.method) reported cost \(run.result.cost) but its order replays to \(replayed); this is a bug in the search"
                )
            }
        }
        return Outcome(
            runs: runs, skipped: skipped, best: runs.min { $0.result.cost < $1.result.cost }!.result,
            annealStart: annealStart, interrupted: interrupted())
    }

    /// Runs random greedy for `fixed` restarts, or (with `seconds`) for as many as fit: probe runs
    /// (from `probe` restarts up) measure the rate, then one run of the extrapolated count does the
    /// search, so its result is reproducible with that count.
    func budgeted(probe: Int, fixed: Int, _ body: (Int) throws(SearchError) -> SearchResult) throws(SearchError) -> Run
    {
        guard let seconds else { return try timed { () throws(SearchError) in try body(fixed) } }
        let (count, spent) = try IterationBudget.fit(
            seconds: seconds, firstProbe: probe, maxProbeSeconds: 1, clock: clock, stop: interrupted
        ) { (n: Int) throws(SearchError) in _ = try body(n) }
        var run = try timed { () throws(SearchError) in try body(count) }
        run.seconds += spent
        return run
    }

    func timed(_ body: () throws(SearchError) -> SearchResult) throws(SearchError) -> Run {
        let start = clock()
        let result = try body()
        return Run(result: result, seconds: clock() - start)
    }
}

/// The status `SearchPortfolio.progress` hears: the method running and the cheapest order so far,
/// passed on at most once per `interval` on `clock`, the first after one interval. Without a
/// `report` it never reads the clock, so runs without a status read it as they always did.
private final class StatusTicker {
    let clock: () -> Double
    let report: ((SearchPortfolio.Progress) -> Void)?
    let started: Double
    var throttle: Throttle
    var method = ""
    var cheapest: Int?

    init(clock: @escaping () -> Double, interval: Double, report: ((SearchPortfolio.Progress) -> Void)?) {
        self.clock = clock
        self.report = report
        started = report == nil ? 0 : clock()
        throttle = Throttle(interval: interval, from: started)
    }

    func begin(_ method: String) {
        self.method = method
        tick()
    }

    func tick() {
        guard let report else { return }
        let now = clock()
        guard throttle.admits(now) else { return }
        report(SearchPortfolio.Progress(method: method, cheapest: cheapest, seconds: now - started))
    }
}
