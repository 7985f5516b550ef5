import Console
import Elimination

/// The cheapest elimination order of an all-dense-scalar graph, by A* over set-determined states
/// (SetGraph) with GroupBound (CutBound's min-cut terms plus the pair terms; at the start state,
/// larger groups solved exactly and merged) as admissible heuristic, the
/// safe ReductionRules, a memo by the eliminated set (a state reached again at no lower cost is
/// dominated and dropped; a cheaper way reopens it, since the pair terms are not consistent), and a
/// known order as the initial upper bound (states whose bound reaches it are pruned). The start
/// state is the set the rules force from the empty set (`forced`: each forced vertex is the only
/// move some optimal order makes there), so the costly start bound is computed on the smaller graph.
///
/// Anytime: every key in the open list is a lower bound on every completion through its state and
/// the states are expanded smallest key first, so when the budget runs out the smallest key still
/// open is a proven lower bound on the optimum. The search ends with `lowerBound == bestCost`
/// (proven optimal) when the open list empties or its smallest key reaches the best known cost.
///
/// Children are pushed with a cheap key (the parent's key, or the parent's cut bound minus v's term,
/// which CutBound's monotonicity keeps a lower bound) and get their full bound when first popped,
/// so the bound is computed once per expanded state, not once per generated one. Passing the
/// parent's key down (every completion through a child is one through the parent) keeps the start
/// state's stronger, costlier bound in every key: the anytime bound never drops below it.
public struct OptimalOrderSearch {
    public struct Config: Sendable {
        /// Wall-clock budget in seconds on the injected clock; nil = until done or out of states.
        public var seconds: Double?
        /// Most states kept (memory: about 120 bytes each with the memo and heap entries).
        public var stateLimit = 10_000_000
        /// Apply ReductionRules (off only to test that they lose nothing).
        public var reductions = true
        /// Add the pair terms (GroupBound with groups of two) to the bound at every state
        /// (stronger, slower per state, not consistent).
        public var pairs = true
        /// Largest group of GroupBound at every state (2 = the pairs; needs `pairs`). Larger groups
        /// give a stronger bound per state at a higher price per state (Docs/RESULTS.md "Bounds").
        public var stateGroupSize = 2
        /// Largest merged group at every state (GroupBound.mergeSize; ≤ stateGroupSize: none).
        public var stateMergeSize = 0
        /// Largest group of GroupBound at the start state only (2^k·k cut pairs per group; the
        /// children inherit the start's bound through their keys). 0 or ≤ 2: no extra start bound.
        public var startGroupSize = 5
        /// Largest group the start bound forms by merging adjacent groups (GroupBound.mergeSize).
        public var startMergeSize = 18
        /// Most adjacent groups the start bound merges at once when no pair gains
        /// (GroupBound.mergeParts; 2: pairs only, the merge before session 37).
        public var startMergeParts = 3
        /// Carry the start bound's groups to every state (InheritedGroups: a table look-up per group
        /// and state). Off: the states get the pairs (and `stateGroupSize`) only, and the start
        /// bound reaches them through the keys alone.
        public var inheritStartGroups = true
        /// Packings the start bound tries (GroupBound.restarts; the best counts).
        public var startRestarts = 8
        /// Also pack the start groups fractionally (FractionalPacking: the packing LP over every
        /// candidate and merged group, solved by CBC's LP solver) and carry the weights to every
        /// state like the disjoint packing (`inheritStartGroups`). Off by default: on RoeFlux_1d, g
        /// and the generated programs the LP's optimum was the disjoint packing's (Docs/RESULTS.md).
        public var fractionalStart = false
        /// After the start groups, split on precedences between the packed groups (PrecedenceSplit)
        /// for at most this many evaluated nodes (each re-solves the blocks that change); 0 = off.
        /// Default 1,000,000 (bounds11): in effect until the budget ends or the split closes, with
        /// path ends, focus 3, leaf guides and 3 candidates per split the configuration that proves
        /// RoeFlux_1d's 295 and g's 409 optimal (bounds10; with bounds11's faster group tables in
        /// about 25 s and 342 s of CPU); the split starts only once the start bound is complete, so
        /// it never takes the start bound's time (Docs/RESULTS.md "(bounds11)").
        public var precedenceSplitNodes = 1_000_000
        /// In the precedence split, vertices known to go after a member are path ends of its term
        /// (PrecedenceSplit.pathEnds, bounds9). On by default since bounds11 (what lets a split see
        /// fill-in; RoeFlux_1d stayed at 289 without it).
        public var splitPathEnds = true
        /// Draw the precedence split's pairs around the blocks where the start order pays more than
        /// their share of the start bound, within this many steps (PrecedenceSplit.focus); nil: the
        /// edges between blocks. Default 3 since bounds11 (bounds9/10's radius: the record's leaf on
        /// RoeFlux_1d closes with the vertices within 3 steps of the slack chain).
        public var splitFocusRadius: Int? = 3
        /// Guide the precedence split by the start order (bounds9): order the vertices within
        /// 0, 1, 2, … steps of the slack blocks as the start order does until that leaf's bound
        /// reaches the start order's cost, thin that region greedily (PrecedenceSplit.leaf), and
        /// split first on the pairs of what is left. Off by default.
        public var splitGuided = false
        /// A guide per open leaf of the precedence split (PrecedenceSplit.guide, bounds10): a good
        /// order respecting the leaf's precedences, whose thinned chain gives the leaf's first pairs;
        /// a guide cheaper than the start order becomes the best order. On by default since bounds11
        /// (without guides neither RoeFlux_1d nor g closed in 5,000 nodes, bounds9).
        public var splitLeafGuides = true
        /// Elimination steps each leaf guide's descent may replay (LeafGuide.workLimit).
        public var guideWork = LeafGuide.defaultWorkLimit
        /// Pairs tried exactly per split (PrecedenceSplit.candidates). Default 1 since session 38: the
        /// leaf guides' chain pairs come first, and each further pair tried re-solves its blocks twice
        /// more; measured side by side with 2 and 3 (`--clock cpu`, Docs/RESULTS.md "One pair per
        /// split"). 3 from bounds11 (it closed g in 708 s of CPU where 8 stood at 408 after 999 s:
        /// bounds10), 6 before.
        public var splitCandidates = 1
        /// Workers of the precedence split (PrecedenceSplit.threads; 1: this thread alone). More than
        /// one needs a clock every thread reads alike (wall, or the process's CPU time).
        public var splitThreads = 1
        /// A diagnostic (bounds9): for each radius r, the split's leaf bound (with path ends) when
        /// every vertex within r steps of the slack blocks is ordered as the start order orders
        /// them (PrecedenceSplit.leaf); how far a split must reach before the start order's own
        /// leaf reaches its cost. Empty: none.
        public var splitProbeRadii: [Int] = []
        /// Every group's terms (the start groups and the per-state pairs/groups) treat the group's
        /// members still to go as path ends (GroupBound.remainingEnds): stronger, slower. Off by
        /// default: it raised neither RoeFlux_1d's nor g's start bound (Docs/RESULTS.md "Bounds").
        public var remainingEnds = false
        public init() {}
    }

    /// What the search proved and found.
    public struct Outcome: Sendable {
        /// A proven lower bound on the optimal cost.
        public var lowerBound: Int
        /// The cheapest order known (the start order or one the search found) and its cost.
        public var bestCost: Int
        public var bestOrder: [Int]
        /// h at the start: the bound without any search.
        public var rootBound: Int
        public var expanded: Int
        public var states: Int
        /// Why it stopped: proven optimal, out of time, out of states.
        public var stop: Stop
        /// Whether the budget ran out inside the start bound (then no state was expanded and the
        /// start bound is the part of GroupBound that was done in time).
        public var startBoundTimedOut = false
        /// The start bound before PrecedenceSplit, the nodes it evaluated and the splits it made
        /// (nil when it did not run).
        public var precedenceSplit: (before: Int, evaluated: Int, splits: Int)?
        /// The precedence split's leaf guides (depth and bound of the leaf, the guide's cost, the
        /// vertices of its thinned chain) and its open leaves at the end (depth, bound); empty when
        /// it did not run with guides.
        public var splitGuides: [(depth: Int, bound: Int, cost: Int, kept: Int)] = []
        public var splitOpenLeaves: [(depth: Int, bound: Int)] = []
        /// `splitProbeRadii`' leaves: radius, vertices ordered, leaf bound (nil: out of time).
        /// Radius −1: the closing region thinned greedily, with its vertices in the start order.
        public var splitProbes: [(radius: Int, vertices: Int, bound: Int?, kept: [Int]?)] = []
        /// The vertices the reduction rules force from the empty set (free and pass-through
        /// vertices), which every bound and state of the search starts after, and their cost.
        public var forcedStart: (order: [Int], cost: Int) = ([], 0)
        /// Size of the integer program (IntegerProgramSearch only; nil for the A*).
        public var modelColumns: Int?
        public var modelRows: Int?
        /// CBC was left running when `stop` said so (IntegerProgramSearch only): its search since the
        /// model was built counts for nothing here.
        public var solverAbandoned = false
        public var isOptimal: Bool { lowerBound == bestCost }
    }

    public enum Stop: String, Sendable {
        case proven, timeLimit = "time-limit", stateLimit = "state-limit"
    }

    /// Progress for a status line: the phase, the lower bound proven so far and the best cost, the
    /// precedence split's splits and open leaves, the A* states expanded and kept, seconds on the
    /// run's clock.
    public struct Progress: Sendable {
        public enum Phase: String, Sendable {
            /// The start groups' exact tables and packing (the lower bound is the cut and pair
            /// bound until they are done).
            case startGroups = "start groups"
            case split = "precedence split"
            case search = "A*"
            /// BoundRun on a graph too large for the search: CutBound's start terms, vertex by
            /// vertex (the lower bound is the sum of those done).
            case cutTerms = "cut terms"
        }
        public var phase: Phase
        public var lowerBound: Int
        public var bestCost: Int
        public var splits = 0
        public var openLeaves = 0
        public var expanded = 0
        public var states = 0
        public var cutTermsDone = 0
        public var cutTermsTotal = 0
        public var seconds: Double
    }

    public let graph: ScalarGraph
    public let config: Config
    /// The best known order (the given one, or `rootedStart` where that is cheaper) and its cost.
    let startOrder: [Int]
    let startCost: Int
    /// The given order with `forced`'s vertices first: where the precedence split's guides and
    /// probes start (an order from the search's start state).
    let rootedStart: [Int]
    /// The vertices ReductionRules force from the empty set (free and pass-through vertices, each
    /// the only move tried where it applies), in order, with the set and what they cost: every
    /// optimal order may start with them, so the start bound and the A* start after them (empty
    /// without `config.reductions`).
    let forced: (order: [Int], set: VertexSet, cost: Int)

    /// `start` must be a valid order of the graph (the best known one); it is the first upper bound.
    public init(graph: ScalarGraph, start: [Int], config: Config) throws(BoundsError) {
        if let seconds = config.seconds, !(seconds > 0) {
            throw .invalidParameter("the bound search needs a positive time budget, got \(seconds) s")
        }
        guard config.stateLimit >= 1 else {
            throw .invalidParameter("the bound search needs a state limit ≥ 1, got \(config.stateLimit)")
        }
        let given: Int
        do {
            given = try Baselines.score(start, on: graph.spec).cost
        } catch {
            throw .invalidOrder("the start order", cause: error)
        }
        self.graph = graph
        self.config = config
        let forced: (order: [Int], set: VertexSet, cost: Int) =
            config.reductions ? Self.forcedStart(graph) : ([], VertexSet(), 0)
        self.forced = forced
        // The start order with the forced vertices moved to the front (every order of the
        // eliminable vertices is one) is a completion of the start state, which the split's guides
        // and probes need; it is also the best order when it is cheaper.
        let rooted = forced.order + start.filter { !forced.set.contains($0) }
        let rootedCost = (try? Baselines.score(rooted, on: graph.spec).cost) ?? Int.max
        rootedStart = rooted
        (startOrder, startCost) = rootedCost < given ? (rooted, rootedCost) : (start, given)
    }

    /// The free and pass-through vertices ReductionRules force one after the other from the empty
    /// set, with the set they leave and their cost.
    static func forcedStart(_ graph: ScalarGraph) -> (order: [Int], set: VertexSet, cost: Int) {
        var sets = SetGraph(graph: graph)
        var order: [Int] = [], set = VertexSet(), cost = 0
        let eliminable = graph.spec.eliminable
        while true {
            sets.load(set)
            guard let v = ReductionRules.forcedMove(&sets, among: eliminable) else { return (order, set, cost) }
            cost += sets.cost(v)
            order.append(v)
            set.insert(v)
        }
    }

    /// The bound every A* state gets (cut terms, and pairs or `stateGroupSize` groups), without a
    /// deadline or path ends yet.
    private static func perStateBound(_ graph: ScalarGraph, _ config: Config) -> GroupBound {
        GroupBound(
            graph: graph, maxSize: config.pairs ? max(2, config.stateGroupSize) : 1, mergeSize: config.stateMergeSize)
    }

    /// The cheap bound at the start: what the forced vertices cost plus the per-state bound after
    /// them (cut terms and pairs: what the A*'s root gets before the start groups), milliseconds on
    /// every graph the search holds. No order costs less; `bound` stops polishing its best order
    /// when the order reaches it.
    public static func cheapStartBound(_ graph: ScalarGraph, config: Config = Config()) -> Int {
        let forced: (order: [Int], set: VertexSet, cost: Int) =
            config.reductions ? forcedStart(graph) : ([], VertexSet(), 0)
        var sets = SetGraph(graph: graph)
        sets.load(forced.set)
        var bounds = perStateBound(graph, config)
        bounds.remainingEnds = config.remainingEnds
        return forced.cost + bounds.evaluate(sets)
    }

    /// The bound at the start state `root` (the empty set, or `forced`'s after the forced vertices,
    /// whose cost every value here includes): the per-state bound (cut terms, pairs), raised by the
    /// start GroupBound (`startGroupSize`, merged up to `startMergeSize`) unless it already reaches
    /// the start order's cost. Every part stops at `deadline` and stays valid.
    struct StartBound {
        var bound: Int
        /// The deadline passed inside the start GroupBound (its packing so far counts).
        var timedOut: Bool
        /// The start groups with their exact tables (nil: no start groups, or cut short).
        var groups: InheritedGroups?
        /// The start groups' fractional packing with its tables and weights (nil: none, or cut short).
        var fractionalGroups: InheritedGroups?
        /// CutBound's λ_in and λ_out at the start (index v − 1).
        var lambdaIn: [Int]
        var lambdaOut: [Int]
        /// The bound before PrecedenceSplit, its nodes and splits (nil: it did not run).
        var split: (before: Int, evaluated: Int, splits: Int)?
        var probes: [(radius: Int, vertices: Int, bound: Int?, kept: [Int]?)] = []
        /// A cheaper order than the start order found by the split's leaf guides, with its cost.
        var record: (order: [Int], cost: Int)?
        var guides: [(depth: Int, bound: Int, cost: Int, kept: Int)] = []
        var openLeaves: [(depth: Int, bound: Int)] = []
    }

    /// `progress` (throttled by the caller) hears from the start groups through `deadline`'s checks
    /// and from every step of the precedence split.
    func startBound(
        at root: (set: VertexSet, cost: Int) = (VertexSet(), 0), deadline: Deadline,
        progress: ((Progress) -> Void)? = nil
    ) -> StartBound {
        var sets = SetGraph(graph: graph)
        sets.load(root.set)
        var bounds = Self.perStateBound(graph, config)
        bounds.deadline = deadline
        bounds.remainingEnds = config.remainingEnds
        _ = bounds.cutBound(sets)
        let lambdaIn = bounds.cuts.lambdaIn, lambdaOut = bounds.cuts.lambdaOut
        var out = StartBound(
            bound: root.cost + bounds.evaluate(sets), timedOut: false, groups: nil, lambdaIn: lambdaIn,
            lambdaOut: lambdaOut)
        if config.startGroupSize > 2 && out.bound < startCost {
            var start = GroupBound(
                graph: graph, maxSize: config.startGroupSize, mergeSize: config.startMergeSize,
                mergeParts: config.startMergeParts, restarts: config.startRestarts)
            let cutAndPairs = out.bound
            start.deadline = Deadline(
                clock: deadline.clock, at: deadline.at,
                tick: progress.map { progress in
                    {
                        progress(
                            Progress(phase: .startGroups, lowerBound: cutAndPairs, bestCost: startCost, seconds: 0))
                    }
                })
            start.remainingEnds = config.remainingEnds
            if config.fractionalStart {
                start.relaxation = { model in
                    // The LP gets what is left of the budget (Clp checks it between phases).
                    let left = deadline.at.map { $0 - deadline.clock() } ?? 1e9
                    return left > 0 ? CbcSolver(seconds: left).solveRelaxation(model) : nil
                }
            }
            out.bound = max(out.bound, root.cost + start.evaluate(sets))
            // The split re-solves the start groups with `start`: it reports for itself.
            start.deadline = deadline
            out.timedOut = start.timedOut
            if !out.timedOut {
                out.groups = start.inheritedGroups(sets)
                out.fractionalGroups = start.inheritedFractionalGroups(sets)
            }
            if (config.precedenceSplitNodes > 0 || !config.splitProbeRadii.isEmpty)
                && !out.timedOut
                && out.bound < startCost
            {
                // Blocks: the packed groups and every other vertex with a positive term.
                var blocks = start.packing
                var grouped = VertexSet()
                for group in blocks { for v in group { grouped.insert(v) } }
                for v in 1...max(graph.vertexCount, 1)
                where v <= graph.vertexCount && !grouped.contains(v) && start.cuts.terms[v - 1] > 0 {
                    blocks.append([v])
                }
                var split = PrecedenceSplit(nodeLimit: config.precedenceSplitNodes)
                split.base = root.cost
                split.deadline = deadline
                if let progress {
                    split.progress = { lower, upper, splits, open in
                        progress(
                            Progress(
                                phase: .split, lowerBound: lower, bestCost: upper, splits: splits, openLeaves: open,
                                seconds: 0))
                    }
                }
                split.pathEnds = config.splitPathEnds
                split.candidates = config.splitCandidates
                split.threads = config.splitThreads
                if config.splitLeafGuides {
                    var guide = LeafGuide(graph: graph)
                    guide.workLimit = config.guideWork
                    split.guide = guide
                    split.guideStart = rootedStart
                }
                if let radius = config.splitFocusRadius {
                    split.focus = slackBlocks(blocks, &start, sets).flatMap { $0 }
                    split.radius = radius
                }
                if !config.splitProbeRadii.isEmpty || config.splitGuided {
                    var probe = PrecedenceSplit(nodeLimit: 1)
                    probe.base = root.cost
                    probe.pathEnds = true
                    probe.deadline = deadline
                    let focus = slackBlocks(blocks, &start, sets).flatMap { $0 }
                    func leaf(_ region: [Int]) -> Int? {
                        let chain = zip(region, region.dropFirst()).map { (u: $0, v: $1) }
                        return probe.leaf(&start, sets, blocks: blocks, precedences: chain)
                    }
                    let probing = !config.splitProbeRadii.isEmpty
                    // The given radii, or (guided) 0, 1, 2, … until a leaf closes or the region
                    // stops growing; the first region that closes is thinned.
                    let closing = PrecedenceSplit.closingChain(
                        order: rootedStart, radii: probing ? config.splitProbeRadii : Array(0...graph.vertexCount),
                        untilClosed: !probing, target: startCost, deadline: deadline,
                        distance: { PrecedenceSplit.distances(from: focus, radius: $0, sets) }, leaf: leaf)
                    out.probes = closing.probes.map { ($0.radius, $0.vertices, $0.bound, nil) }
                    if let kept = closing.kept {
                        out.probes.append((-1, kept.count, leaf(kept), kept))
                        if config.splitGuided {
                            split.preferred = kept.indices.flatMap { i in kept[(i + 1)...].map { (u: kept[i], v: $0) } }
                        }
                    }
                }
                if config.precedenceSplitNodes > 0 {
                    let before = out.bound
                    out.bound = max(out.bound, split.run(&start, sets, blocks: blocks, upper: startCost))
                    out.split = (before, split.evaluated, split.splits)
                    out.record = split.record
                    out.guides = split.guideLog
                    out.openLeaves = split.openLeaves
                }
            }
        }
        return out
    }

    /// The blocks (at the start state, loaded in `sets`) for which `rootedStart` pays more than
    /// their D: where the bound is slack, so where a split can raise it.
    private func slackBlocks(_ blocks: [[Int]], _ bounds: inout GroupBound, _ sets: SetGraph) -> [[Int]] {
        let paid = payments(of: rootedStart)
        return blocks.filter { block in
            let share = block.count == 1 ? bounds.cuts.terms[block[0] - 1] : bounds.exactCost(block, sets.set) ?? 0
            return block.reduce(0) { $0 + paid[$1] } > share
        }
    }

    /// What `order` pays for each vertex (indexed by vertex; 0 for the others): the scalar cost of
    /// eliminating it after the vertices before it.
    private func payments(of order: [Int]) -> [Int] {
        var walk = ScalarElimination(graph: graph)
        var paid = [Int](repeating: 0, count: graph.vertexCount + 1)
        for v in order { paid[v] = walk.eliminate(v) }
        return paid
    }

    /// Where an order pays more than the start bound: for each block of the start packing (its
    /// groups, then every other vertex with a positive cut term), the block's share of the bound
    /// (D(G), or the vertex's term) and what `order` pays for its vertices; blocks paying more than
    /// their share first. The excesses add up to the order's cost minus the disjoint start bound
    /// (vertices with term 0 are left out; they pay 0 in no order only if free, so their payments
    /// count in the difference too). The packing is the one at the empty set, not after `forced`
    /// (an order need not start with the forced vertices). Nil if `order` is not an order of the graph
    /// or the start groups are not solved by `deadline`.
    public func shares(of order: [Int], deadline: Deadline = .none) -> [(members: [Int], bound: Int, paid: Int)]? {
        guard Set(order) == Set(graph.spec.eliminable), order.count == graph.spec.eliminable.count else { return nil }
        let paid = payments(of: order)
        var sets = SetGraph(graph: graph)
        sets.load(VertexSet())
        var start = GroupBound(
            graph: graph, maxSize: config.startGroupSize, mergeSize: config.startMergeSize,
            mergeParts: config.startMergeParts, restarts: config.startRestarts)
        start.remainingEnds = config.remainingEnds
        start.deadline = deadline
        _ = start.evaluate(sets)
        guard !start.timedOut else { return nil }
        var rows: [(members: [Int], bound: Int, paid: Int)] = []
        var grouped = VertexSet()
        for group in start.packing {
            guard let d = start.exactCost(group, sets.set) else { return nil }
            rows.append((group, d, group.reduce(0) { $0 + paid[$1] }))
            for v in group { grouped.insert(v) }
        }
        for v in 1...max(graph.vertexCount, 1) where v <= graph.vertexCount && !grouped.contains(v) {
            if start.cuts.terms[v - 1] > 0 || paid[v] > 0 { rows.append(([v], start.cuts.terms[v - 1], paid[v])) }
        }
        return rows.sorted { $0.paid - $0.bound > $1.paid - $1.bound }
    }

    /// One state of the search: its set is the key in `index`.
    private struct Entry {
        var set: VertexSet
        var g: Int32
        /// Exact h once computed (−1 before).
        var h: Int32
        /// The vertex whose elimination reached this state at cost g (0 at the root).
        var via: Int16
        var closed: Bool
    }

    /// Everything it does, the start bound included, stops within `config.seconds` on `clock`
    /// (up to one state's or one group's work past it).
    public func run(
        clock: @escaping () -> Double, progress: ((Progress) -> Void)? = nil, progressInterval: Double = 1
    ) -> Outcome {
        let started = clock()
        let deadline = Deadline(clock: clock, at: config.seconds.map { started + $0 })
        let eliminable = graph.spec.eliminable
        let terminalCount = eliminable.count
        var sets = SetGraph(graph: graph)
        var bounds = Self.perStateBound(graph, config)
        bounds.deadline = deadline
        bounds.remainingEnds = config.remainingEnds
        var entries: [Entry] = []
        var index: [VertexSet: Int32] = [:]
        var heap = BinaryHeap<OpenState>()
        var expanded = 0, pops = 0
        var throttle = Throttle(interval: progressInterval, from: started)
        // Every phase's reports, at most one per `progressInterval`, stamped with the run's seconds.
        let report: ((Progress) -> Void)? = progress.map { progress in
            { p in
                let now = clock()
                guard throttle.admits(now) else { return }
                var p = p
                p.seconds = now - started
                progress(p)
            }
        }

        let start = startBound(at: (forced.set, forced.cost), deadline: deadline, progress: report)
        var upper = start.record?.cost ?? startCost, bestOrder = start.record?.order ?? startOrder
        let inherited = config.inheritStartGroups ? [start.groups, start.fractionalGroups].compactMap { $0 } : []
        func bound() -> Int {
            var h = bounds.evaluate(sets)
            for groups in inherited { h = max(h, groups.evaluate(set: sets.set, terms: bounds.cuts.terms)) }
            return h
        }
        let rootBound = start.bound
        let startTimedOut = start.timedOut
        // The root is the set the forced vertices leave, reached at their cost.
        entries.append(
            Entry(
                set: forced.set, g: Int32(forced.cost), h: Int32(rootBound - forced.cost), via: 0, closed: false))
        index[forced.set] = 0
        heap.push(OpenState(f: Int32(rootBound), g: Int32(forced.cost), state: 0))

        func order(of state: Int) -> [Int] {
            var out: [Int] = [], s = state
            while entries[s].via != 0 {
                let v = Int(entries[s].via)
                out.append(v)
                s = Int(index[entries[s].set.removing(v)]!)
            }
            return forced.order + out.reversed()
        }
        func outcome(_ lower: Int, _ stop: Stop) -> Outcome {
            Outcome(
                lowerBound: min(lower, upper), bestCost: upper, bestOrder: bestOrder, rootBound: min(rootBound, upper),
                expanded: expanded, states: entries.count, stop: stop, startBoundTimedOut: startTimedOut,
                precedenceSplit: start.split, splitGuides: start.guides, splitOpenLeaves: start.openLeaves,
                splitProbes: start.probes, forcedStart: (forced.order, forced.cost))
        }
        if startTimedOut && rootBound < upper { return outcome(rootBound, .timeLimit) }

        while let top = heap.pop() {
            // Every open state's key is a lower bound on completions through it, and keys come out
            // in increasing order: once one reaches the best cost, nothing cheaper exists.
            if Int(top.f) >= upper { return outcome(upper, .proven) }
            let s = Int(top.state)
            if entries[s].closed || top.g != entries[s].g { continue }
            pops += 1
            // Every pop when a state's bound is costly (groups above pairs), else every 64th.
            if pops & 63 == 0 || config.stateGroupSize > 2 {
                let now = clock()
                if let seconds = config.seconds, now - started >= seconds {
                    return outcome(Int(top.f), .timeLimit)
                }
                report?(
                    Progress(
                        phase: .search, lowerBound: min(Int(top.f), upper), bestCost: upper,
                        splits: start.split?.splits ?? 0, openLeaves: 0, expanded: expanded, states: entries.count,
                        seconds: 0))
            }
            let set = entries[s].set, g = Int(entries[s].g)
            if set.count == terminalCount {
                // The smallest key is a goal: its g is optimal (h = 0 there).
                if g < upper {
                    upper = g
                    bestOrder = order(of: s)
                }
                return outcome(upper, .proven)
            }
            sets.load(set)
            let h = bound()
            if entries[s].h < 0 || g + h > Int(top.f) {
                // The estimate was low: requeue at the exact f (computed now, kept).
                entries[s].h = Int32(h)
                if g + h > Int(top.f) {
                    if g + h < upper { heap.push(OpenState(f: Int32(g + h), g: Int32(g), state: Int32(s))) }
                    continue
                }
            }
            entries[s].closed = true
            expanded += 1
            var moves: [Int]
            if config.reductions, let forced = ReductionRules.forcedMove(&sets, among: eliminable) {
                moves = [forced]
            } else if config.reductions {
                moves = ReductionRules.allowedMoves(sets, among: eliminable)
            } else {
                moves = eliminable.filter { sets.isRemaining($0) }
            }
            let cutBound = bounds.cuts.terms.reduce(0, +)
            for v in moves {
                let step = sets.cost(v)
                let childG = g + step
                // Two lower bounds on completions through the child: this state's key (they are
                // completions of this state too; the key is ≥ g + h, and keeps the start's stronger
                // bound) and the cut bound, which can drop by v's term only.
                let estimate = max(Int(top.f), childG + cutBound - bounds.cuts.terms[v - 1])
                if estimate >= upper { continue }
                let childSet = set.inserting(v)
                if let known = index[childSet] {
                    let k = Int(known)
                    // A cheaper way to a known state reopens it (the pair bound is not consistent).
                    if Int(entries[k].g) <= childG { continue }
                    entries[k].closed = false
                    entries[k].g = Int32(childG)
                    entries[k].via = Int16(v)
                    let f = entries[k].h >= 0 ? max(estimate, childG + Int(entries[k].h)) : estimate
                    heap.push(OpenState(f: Int32(f), g: Int32(childG), state: known))
                } else {
                    if entries.count >= config.stateLimit { return outcome(Int(top.f), .stateLimit) }
                    let k = Int32(entries.count)
                    entries.append(Entry(set: childSet, g: Int32(childG), h: -1, via: Int16(v), closed: false))
                    index[childSet] = k
                    heap.push(OpenState(f: Int32(estimate), g: Int32(childG), state: k))
                }
            }
        }
        // Everything below the best cost was pruned or closed without reaching a goal.
        return outcome(upper, .proven)
    }
}
