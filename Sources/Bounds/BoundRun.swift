import Elimination
import Search

/// `ccelim bound`'s work, without I/O: picks the upper bound (the cheapest of the orders the caller
/// knows, the greedy rules, forward, reverse and minimal Markowitz, and a short annealing run), then
/// proves a lower bound.
///
/// - All-dense-scalar graphs, and scalar graphs whose only other edges are output copies' identities
///   (ScalarGraph, proof there): OptimalOrderSearch, anytime within `seconds`. Those with more
///   vertices than the set-keyed search holds (VertexSet.capacity) get CutBound's terms at the
///   start instead (method "cut"), as many as `seconds` allows.
/// - Other graphs, under the paper's typed (tensor) cost model: what is proven is only what an
///   exhaustive search proves. CutBound's argument needs every pair (p, v, s) to cost at least 1
///   and fill-in edges whose cost does not depend on the order; under the typed tables a pair can
///   cost 0 (copies, identities, re-indexing), a product can cost more or less than the Markowitz
///   count, and a fill-in edge's type depends on the order (SetDeterminedGraphs). So a typed graph
///   small enough for ExactElimination (state memo with edge labels) gets its exact optimum
///   (status `optimal`); a larger one gets the trivial lower bound 0 and status `unbounded`, with a
///   `reason`. No typed bound is claimed that is not proven.
public struct BoundRun {
    /// How a scalar graph's lower bound is proven.
    public enum Method: String, Sendable, CaseIterable {
        /// OptimalOrderSearch: A* over eliminated sets (branch and bound).
        case bnb
        /// IntegerProgramSearch: the integer program solved by CBC.
        case ilp
    }
    public var method = Method.bnb
    /// Whether `clock` is CPU time (then CBC's budget is CPU time too; else wall time).
    public var clockIsCPU = false
    /// CBC's log level (0 = silent; CBC writes its log to stdout).
    public var solverLogLevel = 0
    /// The transitivity rows in the integer program (IntegerProgramSearch.Config).
    public var transitivity = false
    /// More CBC parameters (name, value) for the integer program.
    public var solverParameters: [(name: String, value: String)] = []
    /// Budget for the lower-bound search (nil = until proven or out of states).
    public var seconds: Double?
    public var stateLimit = OptimalOrderSearch.Config().stateLimit
    /// Largest group of GroupBound at the start of the search (OptimalOrderSearch.Config).
    public var startGroupSize = OptimalOrderSearch.Config().startGroupSize
    public var startMergeSize = OptimalOrderSearch.Config().startMergeSize
    public var startMergeParts = OptimalOrderSearch.Config().startMergeParts
    /// Largest group (and merged group) of GroupBound at every state of the A* (OptimalOrderSearch.Config).
    public var stateGroupSize = OptimalOrderSearch.Config().stateGroupSize
    public var stateMergeSize = OptimalOrderSearch.Config().stateMergeSize
    /// Pack the start groups fractionally too (OptimalOrderSearch.Config.fractionalStart).
    public var fractionalStart = OptimalOrderSearch.Config().fractionalStart
    /// Nodes of the precedence split after the start groups (OptimalOrderSearch.Config; 0 = off).
    public var precedenceSplitNodes = OptimalOrderSearch.Config().precedenceSplitNodes
    /// The precedence split's known successors as path ends, its pairs drawn around the slack
    /// blocks, and the pairs tried per split (OptimalOrderSearch.Config; bounds9).
    public var splitPathEnds = OptimalOrderSearch.Config().splitPathEnds
    public var splitFocusRadius = OptimalOrderSearch.Config().splitFocusRadius
    public var splitCandidates = OptimalOrderSearch.Config().splitCandidates
    /// Workers of the precedence split (OptimalOrderSearch.Config.splitThreads).
    public var splitThreads = OptimalOrderSearch.Config().splitThreads
    public var splitGuided = OptimalOrderSearch.Config().splitGuided
    /// A guide per open leaf of the split and each guide's work (OptimalOrderSearch.Config; bounds10).
    public var splitLeafGuides = OptimalOrderSearch.Config().splitLeafGuides
    public var guideWork = OptimalOrderSearch.Config().guideWork
    /// Radii of the split's leaf probe (OptimalOrderSearch.Config.splitProbeRadii; a diagnostic).
    public var splitProbeRadii: [Int] = []
    /// Groups' later members as path ends (OptimalOrderSearch.Config.remainingEnds; off by default).
    public var remainingEnds = OptimalOrderSearch.Config().remainingEnds
    /// Memo limit of the exact search on typed graphs.
    public var exactStates = ExactElimination.defaultStateLimit
    /// Seconds on `clock` of the annealing that polishes the upper bound (SimulatedAnnealing's
    /// clock-driven run from the cheapest known order; 0: none; nil: `defaultAnnealSeconds`). On a
    /// scalar graph it stops where the best order reaches a lower bound: the cheap start bound, and
    /// (method bnb) after a fifth of these seconds the bound at the start with the start groups,
    /// computed for at most a second, a fiftieth of `seconds` and these seconds (session 31).
    public var annealSeconds: Double?
    /// A fixed count of annealing candidates instead of `annealSeconds` (reproducible at any load;
    /// tests). nil: the clock-driven run.
    public var annealIterations: Int?
    /// The share of each clock-driven annealing run's seconds kept for the long-range exact descent
    /// and window polish of its best order (`RelocationDescent.descendAndPolish`, how `optimize`'s
    /// annealing threads end, `RelocationDescent.finalShare`, 0.2, for both); 0: annealing
    /// alone (before session 42). With `annealIterations` the descent does a fixed work
    /// (`fixedDescentWork`) after the candidates instead. Session 42 measured why: on a generated
    /// program of 300 vertices `bound`'s best order was 4-15 % dearer than `optimize`'s in the same
    /// seconds (Docs/RESULTS.md "The best order's descent").
    public var finalDescentShare = RelocationDescent.finalShare
    /// The descent's work after a fixed count of candidates (`annealIterations`): replayed steps
    /// plus polish states. Ten times what `optimize`'s fixed-count runs give it
    /// (ProgramOptimizer.fixedDescentWork), which moved nothing on BoundRunTests' graphs of 100-140
    /// vertices.
    static let fixedDescentWork = 200_000
    public var seed: UInt64 = 1
    /// Also report where the best order pays more than the start bound (`BoundReport.shares`; a
    /// scalar graph the set-keyed search holds): the start groups are solved again after the search,
    /// within `seconds` more on `clock`.
    public var shares = false
    /// The annealing's default budget: a tenth of `seconds`, at most 5 s (`seconds` nil: 5 s). Chosen
    /// by measurement (bounds12, corpus programs of 77–157 eliminable vertices, `ccelim search
    /// --method anneal --seconds 1|3|6`): 1 s already comes within 0.3 % of 6 s on all five tried
    /// (alpha_beta_tracker 344, rk4_lorenz 615/613, lennard_jones4 444/441), while the fixed 20,000
    /// candidates used before stopped at 364 and 654 on the first two: a weak best order both widens
    /// the reported gap and aims the split's leaf guides at the wrong target.
    public static func defaultAnnealSeconds(budget: Double?) -> Double {
        min(5, (budget ?? 50) / 10)
    }
    /// OptimalOrderSearch's configuration from these fields (without the budget).
    private var searchConfig: OptimalOrderSearch.Config {
        var config = OptimalOrderSearch.Config()
        config.stateLimit = stateLimit
        config.startGroupSize = startGroupSize
        config.startMergeSize = startMergeSize
        config.startMergeParts = startMergeParts
        config.stateGroupSize = stateGroupSize
        config.stateMergeSize = stateMergeSize
        config.fractionalStart = fractionalStart
        config.precedenceSplitNodes = precedenceSplitNodes
        config.remainingEnds = remainingEnds
        config.splitPathEnds = splitPathEnds
        config.splitFocusRadius = splitFocusRadius
        config.splitCandidates = splitCandidates
        config.splitThreads = splitThreads
        config.splitGuided = splitGuided
        config.splitLeafGuides = splitLeafGuides
        config.guideWork = guideWork
        config.splitProbeRadii = splitProbeRadii
        return config
    }

    /// Seconds on a monotonic clock (injected so tests need no real time).
    public var clock: () -> Double
    /// Whether the user asked the run to stop (the CLI: SIGINT or SIGTERM received). From then on
    /// every budget counts as spent (InterruptJump): each phase stops at its next look at the
    /// clock, as at the end of --seconds, and the report holds the bound proven and the best order
    /// found by then (stop `interrupted`, a note says when). Polled, never waited on; CBC (`ilp`),
    /// which reads no clock of ours, is left running at the first poll after it (a note says so).
    public var interrupted: () -> Bool = { false }
    /// The report's `stop` when an interrupt ended the run before a proof.
    public static let interruptedStop = "interrupted"

    public init(clock: @escaping () -> Double) {
        self.clock = clock
    }

    /// `known`: orders from elsewhere (Datasets/best-orders.json), with a name for the report; one
    /// that does not fit the graph is reported in the notes and not used.
    public func run(
        on spec: GameSpec, known: [(order: [Int], source: String)] = [],
        progress: ((OptimalOrderSearch.Progress) -> Void)? = nil
    ) throws(BoundsError) -> BoundReport {
        // The budgets' clock: `clock` until an interrupt, then past every deadline (the report's
        // `seconds` reads `self.clock`, the real time).
        let clock = { [clock = self.clock, interrupted] in clock() + (interrupted() ? InterruptJump.seconds : 0) }
        let started = self.clock()
        if let seconds, !(seconds > 0) {
            throw .invalidParameter("--seconds must be positive, got \(seconds)")
        }
        if let annealSeconds, !(annealSeconds >= 0 && annealSeconds.isFinite) {
            throw .invalidParameter("--anneal-seconds must be 0 or more, got \(annealSeconds)")
        }
        guard finalDescentShare >= 0 && finalDescentShare < 1 else {
            throw .invalidParameter("--final-descent-share must be in [0, 1), got \(finalDescentShare)")
        }
        var notes: [String] = []
        var reason: String?
        // Scalar graphs get the search; a typed one the exact search or nothing; a scalar graph the
        // set-keyed search cannot hold gets the cut terms at the start.
        var scalar: ScalarGraph?
        var typed = false
        var large: ScalarGraph?
        do {
            // One build either way: with the reach tables when the set-keyed search can hold it.
            let graph = try ScalarGraph(spec: spec, forSetSearch: spec.vertexCount <= VertexSet.capacity)
            if graph.hasReachTables { scalar = graph } else { large = graph }
        } catch BoundsError.notScalar {
            typed = true
        } catch {
            reason = "\(error); only the trivial lower bound 0 is proven"
        }
        // No order costs less than the cheap start bound (milliseconds): the annealing stops there.
        let cheapBound = scalar.map { OptimalOrderSearch.cheapStartBound($0, config: searchConfig) }
        var best: (order: [Int], cost: Int, source: String)?
        func consider(_ order: [Int], _ source: String) -> Bool {
            guard let cost = try? Baselines.score(order, on: spec).cost else { return false }
            if best == nil || cost < best!.cost { best = (order, cost, source) }
            return true
        }
        for (order, source) in known where !consider(order, source) {
            notes.append("the order from \(source) is not an order of this graph; ignored")
        }
        // The upper bound: the greedy rules and forward, reverse and minimal Markowitz always run
        // (milliseconds on every task; a mode can beat every rule: reverse on blocks-300-4403, by
        // 14 %), then the annealing from the cheapest order so far, for its budget.
        let annealFor = annealSeconds ?? Self.defaultAnnealSeconds(budget: seconds)
        do {
            for result in try GreedyElimination.allRules(spec) { _ = consider(result.order, result.method) }
            for (name, order) in BaselineSummary(spec: spec).orders { _ = consider(order, name) }
            let anneals = annealIterations.map { $0 > 0 } ?? (annealFor > 0)
            if anneals, let cheapBound, let found = best, found.cost <= cheapBound {
                notes.append(
                    "the best order before annealing (\(found.source)) reaches the start's cut-and-pair bound \(cheapBound), so no order is cheaper: no annealing"
                )
            } else if anneals && spec.eliminable.count >= 2 {
                func anneal(target: Int?, seconds: Double?) throws(SearchError) -> Int? {
                    var config = SimulatedAnnealing.Config(iterations: annealIterations ?? 0, seed: seed)
                    config.target = target
                    let annealing = try SimulatedAnnealing(spec: spec, start: best!.order, config: config)
                    let source: String
                    if let seconds {
                        source = "anneal (\(annealFor) s, seed \(seed))"
                        _ = consider(
                            try annealing.run(seconds: seconds * (1 - finalDescentShare), clock: clock).order, source)
                    } else {
                        source = "anneal (\(annealIterations!) candidates, seed \(seed))"
                        _ = consider(try annealing.run().order, source)
                    }
                    if finalDescentShare > 0, target.map({ best!.cost > $0 }) ?? true {
                        // The rest of the seconds; with a fixed count of candidates a fixed work
                        // (`fixedDescentWork` replayed steps and polish states): reproducible.
                        let down = try RelocationDescent(spec: spec).finalDescent(
                            best!.order, cost: best!.cost, seconds: (seconds ?? 0) * finalDescentShare, from: clock(),
                            fixedWork: seconds == nil ? Self.fixedDescentWork : nil, clock: clock)
                        if down.cost < best!.cost { _ = consider(down.order, source + " + descent") }
                    }
                    return target.flatMap { best!.cost <= $0 ? $0 : nil }
                }
                var reached: Int?
                if annealIterations != nil {
                    reached = try anneal(target: cheapBound, seconds: nil)
                } else if let graph = scalar, method == .bnb {
                    // A fifth of the budget, then the start bound (at most a second, a fiftieth of
                    // --seconds and the annealing's own budget: the search computes it again, so
                    // this is time it loses; valid where cut short): where it already meets the
                    // order, the rest is not needed; else the rest anneals with it as the target.
                    reached = try anneal(target: cheapBound, seconds: annealFor / 5)
                    if reached == nil {
                        var probe = searchConfig
                        probe.precedenceSplitNodes = 0
                        probe.splitProbeRadii = []
                        probe.splitGuided = false
                        probe.stateLimit = 1
                        probe.seconds = max(
                            min(1, annealFor, seconds.map { min($0 / 50, $0 - (clock() - started)) } ?? 1), 1e-3)
                        let startBound =
                            (try? OptimalOrderSearch(graph: graph, start: best!.order, config: probe))?
                            .run(clock: clock).lowerBound ?? 0
                        reached =
                            best!.cost <= startBound
                            ? startBound : try anneal(target: startBound, seconds: annealFor * 4 / 5)
                    }
                } else {
                    reached = try anneal(target: cheapBound, seconds: annealFor)
                }
                if let reached {
                    notes.append(
                        "the best order reached a lower bound at the start (\(reached)), so no order is cheaper: the annealing stopped there"
                    )
                }
            }
        } catch {
            throw .search(error)
        }
        let upper = best ?? (spec.eliminable, spec.eliminable.isEmpty ? 0 : Int.max, "forward")
        var report = BoundReport(
            program: spec.name, eliminable: spec.eliminable.count, lowerBound: 0, bestCost: upper.cost,
            bestOrder: upper.order, bestSource: upper.source, method: "none", rootBound: nil, expanded: 0, states: 0,
            stop: "not-run", seconds: 0, notes: notes)
        if let reason {
            report.reason = reason
            report.notes.append(reason)
        }
        if let graph = scalar {
            var config = searchConfig
            if let seconds { config.seconds = max(seconds - (clock() - started), 1e-3) }
            let outcome: OptimalOrderSearch.Outcome
            switch method {
            case .bnb:
                let search = try OptimalOrderSearch(graph: graph, start: upper.order, config: config)
                outcome = search.run(clock: clock, progress: progress)
                report.method = "a-star"
            case .ilp:
                var ilp = IntegerProgramSearch.Config()
                ilp.seconds = config.seconds
                ilp.wallClock = !clockIsCPU
                ilp.start = config
                ilp.logLevel = solverLogLevel
                ilp.transitivity = transitivity
                ilp.solverParameters = solverParameters
                outcome = try IntegerProgramSearch(graph: graph, start: upper.order, config: ilp).run(
                    clock: clock, stop: interrupted)
                report.method = "ilp-cbc"
                if outcome.solverAbandoned {
                    report.notes.append(
                        "CBC was left at the interrupt (its C interface cannot stop a solve): the lower bound is the start bound, proven before CBC began"
                    )
                }
                if let columns = outcome.modelColumns, let rows = outcome.modelRows {
                    report.model = (columns, rows)
                }
            }
            if !outcome.forcedStart.order.isEmpty {
                report.notes.append(
                    "reduction rules: \(outcome.forcedStart.order.count) free or pass-through vertices go first in some optimal order (cost \(outcome.forcedStart.cost)); the search starts after them"
                )
            }
            if outcome.startBoundTimedOut {
                report.notes.append(
                    "--seconds ran out inside the start bound: the lower bound is the part of it done in time (a larger --seconds or a smaller --merge-size gives more)"
                )
            }
            if let split = outcome.precedenceSplit {
                report.notes.append(
                    "precedence split: start bound \(split.before) → \(outcome.rootBound) (\(split.splits) splits, \(split.evaluated) nodes\(splitThreads > 1 ? ", \(splitThreads) threads" : ""))"
                )
            }
            if !outcome.splitGuides.isEmpty {
                let guides = outcome.splitGuides
                let kept = guides.map(\.kept).sorted()
                let costs = guides.map(\.cost)
                report.notes.append(
                    "leaf guides: \(guides.count) leaves guided (depth \(guides.map(\.depth).min()!)…\(guides.map(\.depth).max()!)), guide costs \(costs.min()!)…\(costs.max()!), thinned chains of \(kept.first!)…\(kept.last!) vertices (median \(kept[kept.count / 2]); 0: none reached the target)"
                )
            }
            if !outcome.splitOpenLeaves.isEmpty {
                let leaves = outcome.splitOpenLeaves
                let least = leaves.map(\.bound).min()!
                var perDepth: [Int: (count: Int, least: Int)] = [:]
                for leaf in leaves {
                    let known = perDepth[leaf.depth] ?? (0, Int.max)
                    perDepth[leaf.depth] = (known.count + 1, min(known.least, leaf.bound))
                }
                report.notes.append(
                    "split open leaves: \(leaves.count), \(leaves.filter { $0.bound == least }.count) at the least bound \(least); per depth (leaves, least bound): "
                        + perDepth.keys.sorted().map { "\($0): \(perDepth[$0]!.count), \(perDepth[$0]!.least)" }.joined(
                            separator: "; ")
                )
            }
            for probe in outcome.splitProbes {
                if let kept = probe.kept {
                    report.notes.append(
                        "split probe, thinned: \(kept.count) vertices ordered as the best order orders them keep the leaf bound at \(probe.bound.map(String.init) ?? "?"): \(kept.map { "v\($0)" }.joined(separator: " < "))"
                    )
                    continue
                }
                report.notes.append(
                    "split probe: the \(probe.vertices) vertices within \(probe.radius) steps of the slack groups ordered as the best order orders them: leaf bound \(probe.bound.map(String.init) ?? "not reached (--seconds)")"
                )
            }
            report.lowerBound = outcome.lowerBound
            report.rootBound = outcome.rootBound
            if outcome.bestCost < report.bestCost {
                report.bestCost = outcome.bestCost
                report.bestOrder = outcome.bestOrder
                report.bestSource = report.method
            }
            report.expanded = outcome.expanded
            report.states = outcome.states
            report.stop = outcome.stop.rawValue
            if shares && interrupted() {
                // Its deadline would be --seconds from now even on the jumped clock: not after a stop.
                report.notes.append("shares: not computed, as the run was interrupted")
            } else if shares {
                let search = try OptimalOrderSearch(graph: graph, start: report.bestOrder, config: searchConfig)
                let deadline = seconds.map { Deadline(clock: clock, at: clock() + $0) } ?? .none
                if let rows = search.shares(of: report.bestOrder, deadline: deadline) {
                    report.shares = rows.map { BoundReport.Share(members: $0.members, bound: $0.bound, paid: $0.paid) }
                } else {
                    report.notes.append(
                        "shares: the start groups were not solved again within --seconds more, so no shares are reported"
                    )
                }
            }
        } else if let graph = large {
            // Too large for the set-keyed search: the cut terms at the start, within the budget.
            var cuts = CutBound(graph: graph)
            let terms = cuts.startTerms(
                shouldStop: { seconds.map { clock() - started >= $0 } ?? false },
                progress: { done, total, sum in
                    progress?(
                        OptimalOrderSearch.Progress(
                            phase: .cutTerms, lowerBound: sum, bestCost: report.bestCost, cutTermsDone: done,
                            cutTermsTotal: total, seconds: clock() - started))
                })
            report.method = "cut"
            report.lowerBound = terms.total
            report.rootBound = terms.total
            report.notes.append(
                "\(spec.name) has \(graph.vertexCount) vertices, more than the \(VertexSet.capacity) the set-keyed search can hold: the lower bound is the cut terms at the start alone (each vertex costs at least λ_in·λ_out, CutBound), without the group bound or a search; a truncated graph (--truncate K) gets both"
            )
            if method == .ilp {
                report.notes.append(
                    "--method ilp was not run: the integer program is built on the set-keyed search's graph too, so it holds no more vertices"
                )
            }
            if terms.done < graph.vertexCount {
                report.stop = OptimalOrderSearch.Stop.timeLimit.rawValue
                report.notes.append(
                    "--seconds ran out after the cut terms of \(terms.done) of \(graph.vertexCount) vertices: the lower bound is their sum (every term is at least 0)"
                )
            }
        } else if typed {
            do {
                var exact = try ExactElimination(spec: spec, stateLimit: exactStates)
                if let seconds { exact.shouldStop = { clock() - started >= seconds } }
                let result = try exact.run()
                report.method = "exact-dp"
                report.lowerBound = result.cost
                if result.cost < report.bestCost {
                    report.bestCost = result.cost
                    report.bestOrder = result.order
                    report.bestSource = "exact-dp"
                }
                report.expanded = result.evaluations
                report.stop = "proven"
            } catch SearchError.tooManyStates(let m, let limit) {
                report.reason =
                    "typed (tensor) graph: no nontrivial lower bound is proven under the paper's typed costs (a pair can cost 0, so the Markowitz cut bound does not hold) and the exhaustive search needs 2^\(m) states (limit \(limit))"
                report.notes.append(report.reason!)
            } catch SearchError.stopped(_, let expanded) {
                report.reason =
                    "typed (tensor) graph: no nontrivial lower bound is proven under the paper's typed costs, and the exhaustive search was stopped at the budget (--seconds) after \(expanded) states, before its end"
                report.notes.append(report.reason!)
                report.expanded = expanded
                report.stop = OptimalOrderSearch.Stop.timeLimit.rawValue
            } catch {
                throw .search(error)
            }
        }
        if shares && report.shares == nil && scalar == nil {
            report.notes.append("shares: reported on scalar graphs of up to \(VertexSet.capacity) vertices only")
        }
        report.seconds = self.clock() - started
        if interrupted() {
            report.notes.append(
                "interrupted after \((report.seconds * 10).rounded() / 10) s: the lower bound and the best order are what was proven and found by then"
            )
            if report.stop != OptimalOrderSearch.Stop.proven.rawValue { report.stop = Self.interruptedStop }
        }
        return report
    }
}
