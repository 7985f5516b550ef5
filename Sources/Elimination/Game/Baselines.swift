/// The classical orders the paper compares against (COST_MODEL.md §4), and scoring of any order.
public enum Baselines {
    /// Forward mode: eliminate 1, 2, …, n, skipping outputs.
    public static func forwardOrder(_ spec: GameSpec) -> [Int] { spec.eliminable }

    /// Reverse mode: eliminate n, …, 2, 1, skipping outputs.
    public static func reverseOrder(_ spec: GameSpec) -> [Int] { spec.eliminable.reversed() }

    /// Minimal Markowitz: greedily eliminate the vertex of smallest weighted degree, recomputed
    /// after every step; ties go to the lowest id. A priority queue re-scores only the neighbours
    /// of each eliminated vertex (`LocalGreedy`).
    public static func markowitzOrder(_ spec: GameSpec) -> [Int] {
        LocalGreedy.order(spec, scan: spec.eliminable) { state, v in state.markowitzDegree(v) }
    }

    /// Validates a full order (a permutation of the eliminable vertices) and plays it; returns the
    /// total and the per-step costs. Nothing is scored unless the whole order is valid.
    public static func score(_ order: [Int], on spec: GameSpec) throws(GameError) -> (cost: Int, steps: [Int]) {
        try validate(order, on: spec)
        var state = EliminationState(spec: spec)
        var steps: [Int] = []
        steps.reserveCapacity(order.count)
        for v in order { steps.append(state.eliminateUnchecked(v)) }
        return (state.cost, steps)
    }

    public static func validate(_ order: [Int], on spec: GameSpec) throws(GameError) {
        var seen = [Bool](repeating: false, count: spec.vertexCount + 1)
        for (i, v) in order.enumerated() {
            guard v >= 1 && v <= spec.vertexCount else { throw .unknownVertex(v, vertexCount: spec.vertexCount) }
            guard !spec.isOutput[v - 1] else { throw .outputVertex(v) }
            guard !seen[v] else { throw .repeated(v, position: i + 1) }
            seen[v] = true
        }
        let missing = spec.eliminable.filter { !seen[$0] }
        guard missing.isEmpty else { throw .incomplete(missing: missing) }
    }
}

extension EliminationState {
    /// Weighted degree (Σ weights of v's out-edges) × (Σ weights of v's in-edges), where an edge of
    /// type 1 weighs v's element count, types 6/7/8 weigh 1, types −1/3/4 weigh their out dim 1 and
    /// every other type its out dim 2 (the reference's SPARSITY_MAP lookup).
    public func markowitzDegree(_ v: Int) -> Int {
        var inWeight = 0, outWeight = 0
        forEachEdge(of: v) { l, incoming in
            if incoming {
                inWeight += Self.markowitzWeight(l, vertexDims: l.out)
            } else {
                outWeight += Self.markowitzWeight(l, vertexDims: l.primal)
            }
        }
        return inWeight * outWeight
    }

    static func markowitzWeight(_ label: EdgeLabel, vertexDims: Dims) -> Int {
        switch label.type {
        case 0: return 0
        case 1: return vertexDims.elementCount
        case 6, 7, 8: return 1
        case -1, 3, 4: return Int(label.out.d1)
        default: return Int(label.out.d2)
        }
    }
}

/// The three classical costs of a graph, with their orders and per-step costs.
public struct BaselineSummary: Sendable {
    public var forward: Int
    public var reverse: Int
    public var markowitz: Int
    public var forwardSteps: [Int]
    public var reverseSteps: [Int]
    public var markowitzSteps: [Int]
    /// The forward order (the reverse order is its reversal) and minimal Markowitz's.
    public var forwardOrder: [Int]
    public var markowitzOrder: [Int]

    public var best: Int { min(forward, reverse, markowitz) }

    /// The three orders with their names, in that order: the classical candidates `optimize` and
    /// `bound` start among.
    public var orders: [(name: String, order: [Int])] {
        [("forward", forwardOrder), ("reverse", forwardOrder.reversed()), ("markowitz", markowitzOrder)]
    }

    /// The cheapest of forward, reverse and minimal Markowitz (ties in that order) with its order,
    /// when it costs less than `cost` (or `cost` is nil: nothing found to beat it).
    public func cheaper(than cost: Int?) -> CheaperBaseline? {
        let candidates = zip(orders, [forward, reverse, markowitz]).map {
            CheaperBaseline(name: $0.name, cost: $1, order: $0.order)
        }
        guard let cheapest = candidates.min(by: { $0.cost < $1.cost }), cost.map({ cheapest.cost < $0 }) ?? true
        else { return nil }
        return cheapest
    }
}

extension BaselineSummary {
    /// The three scored on `spec` (an extension, so that the memberwise initialiser stays for tests).
    public init(spec: GameSpec) {
        let f = try! Baselines.score(Baselines.forwardOrder(spec), on: spec)  // valid by construction
        let r = try! Baselines.score(Baselines.reverseOrder(spec), on: spec)
        let markowitzOrder = Baselines.markowitzOrder(spec)
        let m = try! Baselines.score(markowitzOrder, on: spec)
        self.init(
            forward: f.cost, reverse: r.cost, markowitz: m.cost, forwardSteps: f.steps, reverseSteps: r.steps,
            markowitzSteps: m.steps, forwardOrder: Baselines.forwardOrder(spec), markowitzOrder: markowitzOrder)
    }
}

/// A baseline order cheaper than what a learned policy or a run found: the user should use it.
public struct CheaperBaseline: Sendable, Equatable {
    public var name: String
    public var cost: Int
    public var order: [Int]
}
