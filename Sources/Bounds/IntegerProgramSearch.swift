import Elimination

/// The cheapest elimination order of an all-dense-scalar graph by the integer program
/// EliminationProgram, solved by CBC (CbcSolver), with what the branch and bound knows: the start
/// bound (OptimalOrderSearch.startBound: cut terms, pairs, start groups) enters as rows (λ's and
/// the groups' D(G)), and the best known order's cost as CBC's cutoff (only cheaper orders are
/// sought; when none exists below it the tree closes and the known order is proven optimal).
///
/// The lower bound reported is the larger of the start bound and CBC's proven bound, rounded up
/// (costs are integers), and never above the best cost.
public struct IntegerProgramSearch {
    public struct Config: Sendable {
        /// Budget in seconds on the injected clock for the start bound; CBC gets what is left, on
        /// its own clock (process CPU time, or wall time when `wallClock`).
        public var seconds: Double?
        public var wallClock = false
        /// The start bound's settings (groups; OptimalOrderSearch.Config).
        public var start = OptimalOrderSearch.Config()
        /// Add the transitivity rows on chains of three (EliminationProgram).
        public var transitivity = false
        /// Add the cut and group rows (off only to measure what they bring).
        public var strengthen = true
        /// CBC's log on stdout (0 = silent).
        public var logLevel = 0
        /// More CBC parameters (CbcSolver.parameters).
        public var solverParameters: [(name: String, value: String)] = []
        public init() {}
    }

    public let graph: ScalarGraph
    public let config: Config
    let startOrder: [Int]
    let startCost: Int
    let search: OptimalOrderSearch

    public init(graph: ScalarGraph, start: [Int], config: Config) throws(BoundsError) {
        if let seconds = config.seconds, !(seconds > 0) {
            throw .invalidParameter("the integer program needs a positive time budget, got \(seconds) s")
        }
        // EliminationProgram's rows count |P|·|succ| for every vertex; an output copy's owner pays less.
        if graph.hasOutputCopies {
            throw .invalidParameter(
                "\(graph.spec.name) has output copies (an output that is also read): the integer program models the all-dense-scalar cost only; use the branch and bound (--method bnb)"
            )
        }
        search = try OptimalOrderSearch(graph: graph, start: start, config: config.start)
        self.graph = graph
        self.config = config
        startOrder = search.startOrder
        startCost = search.startCost
    }

    /// For every comparable pair of eliminable vertices, each one's λ's with the other shareable.
    static func conditionalLambdas(_ graph: ScalarGraph) -> [(vertex: Int, before: Int, lambdaIn: Int, lambdaOut: Int)]
    {
        var cuts = CutBound(graph: graph)
        var out: [(vertex: Int, before: Int, lambdaIn: Int, lambdaOut: Int)] = []
        let eliminable = graph.spec.eliminable
        for a in eliminable {
            let x = graph.node(ofVertex: a)
            for b in eliminable where b > a {
                let y = graph.node(ofVertex: b)
                guard graph.ancestors[y * graph.words + x >> 6] & (1 << UInt64(x & 63)) != 0 else { continue }
                for (v, other) in [(b, a), (a, b)] {
                    let set = VertexSet([other])
                    let lin = cuts.disjointPaths(to: v, upstream: true, set: set, limit: Int.max)
                    let lout = cuts.disjointPaths(to: v, upstream: false, set: set, limit: Int.max)
                    out.append((v, other, lin, lout))
                }
            }
        }
        return out
    }

    /// Runs the start bound within the budget on `clock`, then CBC on what is left. `stop` (the
    /// user's interrupt) is asked every 50 ms while CBC runs; once it says stop, CBC is left to its
    /// own limit (`CbcSolver.solve(_:start:stop:)`) and the outcome is what was known before it,
    /// with `solverAbandoned` (the start bound drawn on the jumping clock stops by itself).
    public func run(clock: @escaping () -> Double, stop: () -> Bool = { false }) -> OptimalOrderSearch.Outcome {
        let started = clock()
        let deadline = Deadline(clock: clock, at: config.seconds.map { started + $0 })
        let start = search.startBound(at: (VertexSet(), 0), deadline: deadline)
        var outcome = OptimalOrderSearch.Outcome(
            lowerBound: min(start.bound, startCost), bestCost: startCost, bestOrder: startOrder,
            rootBound: min(start.bound, startCost), expanded: 0, states: 0, stop: .proven,
            startBoundTimedOut: start.timedOut)
        if start.bound >= startCost || graph.spec.eliminable.isEmpty { return outcome }
        // The start bound used the budget up: no model, CBC does not run.
        if start.timedOut {
            outcome.stop = .timeLimit
            return outcome
        }
        var strengthening = EliminationProgram.Strengthening()
        strengthening.transitivity = config.transitivity
        if config.strengthen {
            strengthening.lambdaIn = start.lambdaIn
            strengthening.lambdaOut = start.lambdaOut
            // Every group's row holds alone (Σ of its members' costs ≥ D(G)), so the fractional
            // packing's groups (overlapping) are rows too when it ran.
            strengthening.groups = (start.groups?.costs ?? []) + (start.fractionalGroups?.costs ?? [])
            strengthening.conditional = Self.conditionalLambdas(graph)
            strengthening.total = start.bound
        }
        let program = EliminationProgram(graph: graph, strengthening: strengthening)
        outcome.modelColumns = program.model.columnCount
        outcome.modelRows = program.model.rowCount
        // The model took the rest of the budget: CBC does not run.
        let left = config.seconds.map { $0 - (clock() - started) }
        if let left, left <= 0 {
            outcome.stop = .timeLimit
            return outcome
        }
        var solver = CbcSolver(seconds: left ?? 1e9, wallClock: config.wallClock)
        // Integer costs: a cheaper order costs at most best − 1.
        solver.cutoff = Double(startCost) - 0.5
        solver.logLevel = config.logLevel
        solver.parameters = config.solverParameters
        guard let result = solver.solve(program.model, stop: stop) else {
            outcome.solverAbandoned = true
            outcome.stop = .timeLimit
            return outcome
        }
        outcome.expanded = result.nodes
        if let solution = result.solution {
            let order = program.order(from: solution)
            if let cost = try? Baselines.score(order, on: graph.spec).cost, cost < outcome.bestCost {
                outcome.bestCost = cost
                outcome.bestOrder = order
            }
        }
        if result.exhausted {
            // Nothing below the cutoff but the solution found (optimal; its order costs no more than
            // its objective), or nothing at all (the known order is optimal).
            let optimum = result.objective.map { Int(($0 - 1e-6).rounded(.up)) } ?? outcome.bestCost
            outcome.lowerBound = min(optimum, outcome.bestCost)
            outcome.stop = .proven
        } else {
            let proven = result.bestPossible.isFinite ? Int((result.bestPossible - 1e-6).rounded(.up)) : 0
            outcome.lowerBound = min(max(outcome.lowerBound, proven), outcome.bestCost)
            outcome.stop = outcome.lowerBound == outcome.bestCost ? .proven : .timeLimit
        }
        return outcome
    }
}
