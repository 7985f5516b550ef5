import Elimination
import Search

/// `ccelim bound`'s work, without I/O: picks the upper bound (the cheapest of the orders the caller
/// knows, the greedy rules and a short annealing run), then proves a lower bound.
///
/// - All-dense-scalar graphs (ScalarGraph): OptimalOrderSearch, anytime within `seconds`.
/// - Other graphs, under the paper's typed (tensor) cost model: what is proven is only what an
///   exhaustive search proves. CutBound's argument needs every pair (p, v, s) to cost at least 1
///   and fill-in edges whose cost does not depend on the order; under the typed tables a pair can
///   cost 0 (copies, identities, re-indexing), a product can cost more or less than the Markowitz
///   count, and a fill-in edge's type depends on the order (SetDeterminedGraphs). So a typed graph
///   small enough for ExactElimination (state memo with edge labels) gets its exact optimum
///   (status `optimal`); a larger one gets the trivial lower bound 0 and status `bounded`, with a
///   note saying why. No typed bound is claimed that is not proven.
public struct BoundRun {
    /// Budget for the lower-bound search (nil = until proven or out of states).
    public var seconds: Double?
    public var stateLimit = OptimalOrderSearch.Config().stateLimit
    /// Largest group of GroupBound at the start of the search (OptimalOrderSearch.Config).
    public var startGroupSize = OptimalOrderSearch.Config().startGroupSize
    public var startMergeSize = OptimalOrderSearch.Config().startMergeSize
    /// Memo limit of the exact search on typed graphs.
    public var exactStates = ExactElimination.defaultStateLimit
    /// Candidates scored by the annealing run that polishes the upper bound.
    public var annealIterations = 20_000
    public var seed: UInt64 = 1
    /// Seconds on a monotonic clock (injected so tests need no real time).
    public var clock: () -> Double

    public init(clock: @escaping () -> Double) {
        self.clock = clock
    }

    /// `known`: orders from elsewhere (Datasets/best-orders.json), with a name for the report; one
    /// that does not fit the graph is reported in the notes and not used.
    public func run(
        on spec: GameSpec, known: [(order: [Int], source: String)] = [],
        progress: ((OptimalOrderSearch.Progress) -> Void)? = nil
    ) throws(BoundsError) -> BoundReport {
        let started = clock()
        if let seconds, !(seconds > 0) {
            throw .invalidParameter("--seconds must be positive, got \(seconds)")
        }
        var notes: [String] = []
        var best: (order: [Int], cost: Int, source: String)?
        func consider(_ order: [Int], _ source: String) -> Bool {
            guard let cost = try? Baselines.score(order, on: spec).cost else { return false }
            if best == nil || cost < best!.cost { best = (order, cost, source) }
            return true
        }
        for (order, source) in known where !consider(order, source) {
            notes.append("the order from \(source) is not an order of this graph; ignored")
        }
        do {
            for result in try GreedyElimination.allRules(spec) { _ = consider(result.order, result.method) }
            if spec.eliminable.count >= 2 && annealIterations > 0 {
                var config = SimulatedAnnealing.Config(iterations: annealIterations, seed: seed)
                config.cycles = 2
                let annealed = try SimulatedAnnealing(spec: spec, start: best!.order, config: config).run()
                _ = consider(annealed.order, "anneal (\(annealIterations) candidates, seed \(seed))")
            }
        } catch {
            throw .search(error)
        }
        let upper = best ?? (spec.eliminable, spec.eliminable.isEmpty ? 0 : Int.max, "forward")
        var report = BoundReport(
            program: spec.name, eliminable: spec.eliminable.count, lowerBound: 0, bestCost: upper.cost,
            bestOrder: upper.order, bestSource: upper.source, method: "none", rootBound: nil, expanded: 0, states: 0,
            stop: "not-run", seconds: 0, notes: notes)

        // Scalar graphs get the search; a typed one the exact search or nothing; a scalar graph the
        // set-keyed search cannot hold gets the trivial bound with the reason.
        var scalar: ScalarGraph?
        var typed = false
        do {
            scalar = try ScalarGraph(spec: spec)
        } catch BoundsError.notScalar {
            typed = true
        } catch {
            report.notes.append("\(error); only the trivial lower bound 0 is proven")
        }
        if let graph = scalar {
            var config = OptimalOrderSearch.Config()
            config.stateLimit = stateLimit
            config.startGroupSize = startGroupSize
            config.startMergeSize = startMergeSize
            if let seconds { config.seconds = max(seconds - (clock() - started), 1e-3) }
            let search = try OptimalOrderSearch(graph: graph, start: upper.order, config: config)
            let outcome = search.run(clock: clock, progress: progress)
            report.method = "a-star"
            report.lowerBound = outcome.lowerBound
            report.rootBound = outcome.rootBound
            if outcome.bestCost < report.bestCost {
                report.bestCost = outcome.bestCost
                report.bestOrder = outcome.bestOrder
                report.bestSource = "a-star"
            }
            report.expanded = outcome.expanded
            report.states = outcome.states
            report.stop = outcome.stop.rawValue
        } else if typed {
            do {
                let exact = try ExactElimination(spec: spec, stateLimit: exactStates)
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
                report.notes.append(
                    "typed (tensor) graph: the Markowitz cut bound does not hold under the paper's typed costs and the exhaustive search needs 2^\(m) states (limit \(limit)), so only the trivial lower bound 0 is proven"
                )
            } catch {
                throw .search(error)
            }
        }
        report.seconds = clock() - started
        return report
    }
}
