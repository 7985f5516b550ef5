import Elimination

/// Exact re-ordering of windows of an existing order: the vertices an order eliminates at steps
/// start..<start+size, re-ordered by `ExactElimination`'s dynamic programme from the state its
/// prefix leaves, the rest of the order replayed after them. The window that ends the order is
/// the endgame, where a learned or greedy order loses most (Docs/RESULTS.md, gen6 and az6).
///
/// The graph after a window has the same edges whatever the window's order (an edge exists iff a
/// path through eliminated vertices joins its ends), but on typed graphs its edge LABELS may
/// depend on that order (SetDeterminedGraphs), so the rest of the order may then cost more or
/// less: every candidate is replayed whole and kept only when the whole order is cheaper. An
/// order therefore never gets dearer. Pure and deterministic: the budget is the caller's
/// (`spent`, in seconds, from the states expanded so far).
public struct ExactWindowPolish: Sendable {
    public let spec: GameSpec
    private let setDetermined: Bool

    /// The largest window ordered exactly (2^w subsets; 2^16 · 16 ≈ 10^6 eliminations).
    public static let maxWindow = 16
    /// The smallest window worth a dynamic programme (and where the endgame's deepening starts).
    public static let minWindow = 6
    /// A window gives up once its memo holds this many times 2^w states (typed graphs key a state
    /// by its edge labels too, so one set can stand for several states).
    static let statesPerSubset = 4

    public init(spec: GameSpec) {
        self.spec = spec
        setDetermined = SetDeterminedGraphs.holds(for: spec)
    }

    /// One window's outcome: the order (unchanged unless the whole order got cheaper), its cost,
    /// and the states the dynamic programme expanded.
    public struct Step: Sendable, Equatable {
        public var order: [Int]
        public var cost: Int
        public var expanded: Int
        public var improved: Bool
    }

    /// Re-orders `order[start..<start + size]` exactly; `cost` is `order`'s cost. The result is the
    /// cheaper order, or `order` itself when the window's cheapest ordering does not lower the whole
    /// order's cost (or needs more than `statesPerSubset` · 2^size states).
    public func window(_ order: [Int], cost: Int, start: Int, size: Int) throws(SearchError) -> Step {
        guard start >= 0, size >= 0, start + size <= order.count else {
            throw .invalidParameter("window \(start)..<\(start + size) outside an order of \(order.count) steps")
        }
        guard size >= 2, size <= 62 else { return Step(order: order, cost: cost, expanded: 0, improved: false) }
        var state = EliminationState(spec: spec)
        for v in order[..<start] { state.eliminateUnchecked(v) }
        var played = state
        for v in order[start..<start + size] { played.eliminateUnchecked(v) }
        let windowCost = played.cost - state.cost
        guard windowCost > 0 else { return Step(order: order, cost: cost, expanded: 0, improved: false) }
        let search = ExactElimination(
            window: Array(order[start..<start + size]), spec: spec, setDetermined: setDetermined,
            stateLimit: Self.statesPerSubset << size)
        let found: (cost: Int, order: [Int], expanded: Int)
        do {
            found = try search.cheapestCompletion(from: state)
        } catch .tooManyStates {
            return Step(order: order, cost: cost, expanded: Self.statesPerSubset << size, improved: false)
        }
        guard found.cost < windowCost else {
            return Step(order: order, cost: cost, expanded: found.expanded, improved: false)
        }
        let candidate = Array(order[..<start]) + found.order + Array(order[(start + size)...])
        let rescored = try SearchResult.rescored(method: "window", order: candidate, evaluations: 1, on: spec)
        guard rescored.cost < cost else {
            return Step(order: order, cost: cost, expanded: found.expanded, improved: false)
        }
        return Step(order: candidate, cost: rescored.cost, expanded: found.expanded, improved: true)
    }

    /// What `polish` did: the order, its cost, the windows it searched and the states expanded,
    /// and the largest endgame it ordered exactly.
    public struct Outcome: Sendable, Equatable {
        public var order: [Int]
        public var cost: Int
        public var windows: Int
        public var expanded: Int
        public var endgame: Int
    }

    /// Polishes `order` (cost `cost`) within `seconds`, by a time rule, not per program:
    /// 1. the endgame: its last E steps ordered exactly for E = `minWindow`, +2, +2, … up to
    ///    `maxWindow` (each contains the last, so each is at least as good) while the next is
    ///    expected to fit;
    /// 2. sliding windows of w = max(`minWindow`, E − 4) steps, from the end backwards with stride
    ///    w/2, pass after pass while a pass improves something and the next window is expected to fit.
    /// A window of size w is expected to cost 2^w · w times the seconds per (2^w · w) measured so
    /// far (the first one, of `minWindow`, is always run). `spent(expanded)`: seconds used so far
    /// given the states expanded so far (a wall clock, or a work count).
    public func polish(
        _ order: [Int], cost: Int, seconds: Double, spent: (Int) -> Double
    ) throws(SearchError) -> Outcome {
        var out = Outcome(order: order, cost: cost, windows: 0, expanded: 0, endgame: 0)
        let n = order.count
        guard n >= 2, seconds > 0 else { return out }
        var units = 0.0  // Σ 2^w · w of the windows run
        func fits(_ w: Int) -> Bool {
            let used = spent(out.expanded)
            guard out.windows > 0 else { return used < seconds }
            let perUnit = used / max(units, 1)
            return used + perUnit * Double(1 << w) * Double(w) <= seconds
        }
        func run(start: Int, size: Int) throws(SearchError) -> Bool {
            let step = try window(out.order, cost: out.cost, start: start, size: size)
            out.windows += 1
            out.expanded += step.expanded
            units += Double(1 << size) * Double(size)
            out.order = step.order
            out.cost = step.cost
            return step.improved
        }
        var e = min(Self.minWindow, n)
        while fits(e) {
            _ = try run(start: n - e, size: e)
            out.endgame = e
            guard e < min(Self.maxWindow, n) else { break }
            e = min(e + 2, Self.maxWindow, n)
        }
        guard out.endgame < n else { return out }
        let w = max(Self.minWindow, out.endgame - 4), stride = max(w / 2, 1)
        var improved = true
        while improved {
            improved = false
            var start = n - out.endgame - stride
            while start + w > 0 {
                let s = max(start, 0)
                guard fits(w) else { return out }
                if try run(start: s, size: min(w, n - s)) { improved = true }
                if s == 0 { break }
                start -= stride
            }
        }
        return out
    }
}

extension ExactElimination {
    /// The search over `window` only, from a state where everything before it is eliminated and
    /// the rest of the order is not: it ends when the window's vertices are gone.
    init(window: [Int], spec: GameSpec, setDetermined: Bool, stateLimit: Int) {
        self.spec = spec
        self.stateLimit = stateLimit
        isolated = []
        ordered = window
        self.setDetermined = setDetermined
    }
}
