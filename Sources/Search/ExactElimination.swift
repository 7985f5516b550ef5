import Elimination

/// The cheapest order of a small graph, by dynamic programming over game states with memoisation:
/// best(state) = min over remaining v of [cost(v in state) + best(state after v)].
///
/// A state is identified by the set of eliminated vertices plus, unless the graph is
/// set-determined (SetDeterminedGraphs), the labels of every remaining edge, because under the
/// paper's sparsity tables two orders of one set can leave different edge types behind. The memo
/// holds one entry per distinct state reached, at least 2^m for m vertices to order, so the search
/// refuses graphs whose 2^m exceeds the state limit instead of running out of memory.
public struct ExactElimination {
    /// About 2 million entries: well under a gigabyte of memo, seconds to minutes of work.
    public static let defaultStateLimit = 1 << 21

    public let spec: GameSpec
    public let stateLimit: Int
    /// Vertices without any edge: they cost nothing whenever they go and change nothing, so they
    /// go first and stay out of the memo keys (BlackScholes has five).
    let isolated: [Int]
    /// The vertices the search orders; bit i of a set stands for ordered[i].
    let ordered: [Int]
    let setDetermined: Bool
    /// Asked every `stopCheckInterval` states expanded; true stops the search with
    /// `SearchError.stopped` (`ccelim bound`'s --seconds). Nil: the search runs to its end.
    public var shouldStop: (() -> Bool)?
    static let stopCheckInterval = 256

    public init(spec: GameSpec, stateLimit: Int = ExactElimination.defaultStateLimit) throws(SearchError) {
        let initial = EliminationState(spec: spec)
        let isolated = spec.eliminable.filter {
            initial.predecessors(of: $0).isEmpty && initial.successors(of: $0).isEmpty
        }
        let ordered = spec.eliminable.filter { !isolated.contains($0) }
        let m = ordered.count
        guard m <= 62, 1 << m <= stateLimit else {
            throw .tooManyStates(eliminable: m, limit: stateLimit)
        }
        self.spec = spec
        self.stateLimit = stateLimit
        self.isolated = isolated
        self.ordered = ordered
        setDetermined = SetDeterminedGraphs.holds(for: spec)
    }

    public func run() throws(SearchError) -> SearchResult {
        var state = EliminationState(spec: spec)
        for v in isolated { state.eliminateUnchecked(v) }
        let (optimum, rest, expanded) = try cheapestCompletion(from: state)
        let result = try SearchResult.rescored(method: "exact", order: isolated + rest, evaluations: expanded, on: spec)
        precondition(
            result.cost == optimum, "exact: replayed cost \(result.cost) differs from the memoised optimum \(optimum)")
        return result
    }

    /// The ordering of `ordered` from `start` (every other eliminable vertex gone) that costs least:
    /// its cost alone, without walking the order.
    func cheapestCost(from start: EliminationState) throws(SearchError) -> Int {
        var solver = Solver(search: self, start: start)
        var state = start
        return try solver.best(&state, set: 0)
    }

    /// The cheapest way to eliminate `ordered` from `start` (every other eliminable vertex gone):
    /// its cost, its order and the states expanded.
    func cheapestCompletion(
        from start: EliminationState
    ) throws(SearchError) -> (
        cost: Int, order: [Int], expanded: Int
    ) {
        var solver = Solver(search: self, start: start)
        var state = start
        let optimum = try solver.best(&state, set: 0)
        // Walk down the memo: at each state take a child whose step + memoised rest is the value
        // (each child tried in place, taken back unless it is the one).
        var order: [Int] = [], set: UInt64 = 0, remaining = optimum
        var journal = EliminationJournal()
        while set != solver.full {
            var next: (index: Int, rest: Int)?
            for i in ordered.indices where set & (1 << UInt64(i)) == 0 {
                let step = state.eliminate(ordered[i], journal: &journal)
                let childSet = set | 1 << UInt64(i)
                let rest = childSet == solver.full ? 0 : solver.known(state, childSet)
                if let rest, step + rest == remaining {
                    next = (i, rest)
                    break
                }
                state.undo(&journal)
            }
            guard let next else { preconditionFailure("the exact memo has no child reaching its own value") }
            order.append(ordered[next.index])
            set |= 1 << UInt64(next.index)
            remaining = next.rest
        }
        return (optimum, order, solver.expanded)
    }

    /// A memo key: the eliminated set and, on graphs that need it, every remaining edge with its label.
    struct StateKey: Hashable {
        var set: UInt64
        var edges: [UInt32]
    }

    /// The dynamic programme from one start state. On set-determined graphs the memo is an array
    /// indexed by the set (no hashing), and a child whose set is already memoised is priced with
    /// `previewCost` instead of a copy of the state: one copy per subset instead of one per edge of
    /// the subset lattice. Elsewhere the key lists only the edges that can differ between states
    /// reached from the start (those ending at `ordered` or at a successor they had at the start),
    /// and every child is the state itself, stepped and taken back (`EliminationJournal`), not a copy.
    struct Solver {
        let search: ExactElimination
        let full: UInt64
        var memo: [StateKey: Int] = [:]
        /// Set-determined graphs: best(set) at index set, −1 if not known yet.
        var setMemo: [Int]
        var labelIds: [EdgeLabel: UInt32] = [:]
        var expanded = 0
        /// The undo list of the children `best` visits in place.
        var journal = EliminationJournal()
        /// The vertices whose incoming edges the key lists, ascending.
        let keyTargets: [Int]

        /// Sets index an array up to this many vertices (2^20 entries, 8 MiB); above, the dictionary.
        static let arrayMemoLimit = 20

        init(search: ExactElimination, start: EliminationState) {
            self.search = search
            let m = search.ordered.count
            full = m == 0 ? 0 : UInt64.max >> UInt64(64 - m)
            setMemo = search.setDetermined && m <= Self.arrayMemoLimit ? [Int](repeating: -1, count: 1 << m) : []
            if search.setDetermined {
                keyTargets = []
            } else {
                // An endgame changes only edges into `ordered` or into a successor of theirs: the
                // successors of an ordered vertex stay within `ordered` and its start successors.
                var targets = Set(search.ordered)
                for v in search.ordered {
                    for s in start.successors(of: v) { targets.insert(s) }
                }
                keyTargets = targets.sorted()
            }
        }

        var usesSetMemo: Bool { !setMemo.isEmpty }

        /// The memoised best of a state reached from the start, if known.
        mutating func known(_ state: EliminationState, _ set: UInt64) -> Int? {
            if usesSetMemo {
                let value = setMemo[Int(set)]
                return value < 0 ? nil : value
            }
            return memo[key(state, set)]
        }

        /// The best of `state` (reached from the start, `set` eliminated). Children are visited in
        /// place and taken back (`EliminationJournal`): `state` ends as it began, and no child is
        /// a copy.
        mutating func best(_ state: inout EliminationState, set: UInt64) throws(SearchError) -> Int {
            if set == full { return 0 }
            if usesSetMemo { return try bestBySet(state, set: set) }
            let k = key(state, set)
            if let known = memo[k] { return known }
            expanded += 1
            try checkStop()
            var best = Int.max
            for i in search.ordered.indices where set & (1 << UInt64(i)) == 0 {
                let step = state.eliminate(search.ordered[i], journal: &journal)
                // The rest costs ≥ 0, so a step that alone reaches the best so far cannot win.
                if step >= best {
                    state.undo(&journal)
                    continue
                }
                let rest: Int
                do {
                    rest = try self.best(&state, set: set | 1 << UInt64(i))
                } catch {
                    state.undo(&journal)
                    throw error
                }
                state.undo(&journal)
                best = min(best, step + rest)
            }
            memo[k] = best
            if memo.count > search.stateLimit {
                throw .tooManyStates(eliminable: search.ordered.count, limit: search.stateLimit)
            }
            return best
        }

        /// `best` on a set-determined graph: the same values, memo and `expanded` (at most 2^m
        /// entries, within the state limit `init` checked).
        private mutating func bestBySet(_ state: EliminationState, set: UInt64) throws(SearchError) -> Int {
            if set == full { return 0 }
            let known = setMemo[Int(set)]
            if known >= 0 { return known }
            expanded += 1
            try checkStop()
            var best = Int.max
            for i in search.ordered.indices where set & (1 << UInt64(i)) == 0 {
                let childSet = set | 1 << UInt64(i)
                let rest = childSet == full ? 0 : setMemo[Int(childSet)]
                if rest >= 0 {
                    // Known child: its step without a copy of the state.
                    let step = state.previewCost(search.ordered[i])
                    if step >= best { continue }
                    best = min(best, step + rest)
                    continue
                }
                var child = state
                let step = child.eliminateUnchecked(search.ordered[i])
                if step >= best { continue }
                best = min(best, step + (try bestBySet(child, set: childSet)))
            }
            setMemo[Int(set)] = best
            return best
        }

        /// Throws `stopped` when the search's stop condition holds (asked every few states).
        func checkStop() throws(SearchError) {
            guard let shouldStop = search.shouldStop, expanded % ExactElimination.stopCheckInterval == 0 else { return }
            if shouldStop() { throw .stopped(method: "the exact search", expanded: expanded) }
        }

        mutating func key(_ state: EliminationState, _ set: UInt64) -> StateKey {
            guard !search.setDetermined else { return StateKey(set: set, edges: []) }
            // Every edge ends at a vertex still present; list them target by target, each as
            // (source node, interned label). Edge existence follows from the set; labels may not.
            var edges: [UInt32] = []
            for t in keyTargets where !state.isEliminated(t) {
                for p in state.predecessors(of: t) {
                    guard let label = state.label(from: p, to: t) else { continue }
                    let id: UInt32
                    if let known = labelIds[label] {
                        id = known
                    } else {
                        id = UInt32(labelIds.count)
                        labelIds[label] = id
                    }
                    let source: Int
                    switch p {
                    case .input(let i): source = i
                    case .vertex(let v): source = search.spec.inputCount + v
                    }
                    edges.append(UInt32(truncatingIfNeeded: t) << 16 | UInt32(truncatingIfNeeded: source))
                    edges.append(id)
                }
            }
            return StateKey(set: set, edges: edges)
        }
    }
}
