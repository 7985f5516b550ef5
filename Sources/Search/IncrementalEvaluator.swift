import Elimination

/// Scores orders that differ from a current order only in a window of positions, replaying from
/// the last checkpoint before the window instead of from the initial graph.
///
/// It keeps the state after every `interval` steps of the current order (checkpoints) and the
/// per-step costs. On a set-determined graph (SetDeterminedGraphs) the state after the window is
/// the same as before the move, so only the window is replayed and the old suffix cost is reused;
/// otherwise the candidate is replayed to the end. Either way a replay stops as soon as its
/// running cost exceeds the caller's bound (step costs are never negative).
struct IncrementalEvaluator {
    let spec: GameSpec
    let interval: Int
    let reusesSuffix: Bool
    private(set) var order: [Int]
    /// stepCosts[i]: the cost of eliminating order[i].
    private(set) var stepCosts: [Int]
    /// prefixCost[i] = stepCosts[0..<i].sum(); count n + 1.
    private var prefixCost: [Int]
    /// checkpoints[c]: the state after the first c·interval steps of `order`.
    private var checkpoints: [EliminationState]

    /// At most this many checkpoints on a sparse-layout (large) graph: there a checkpoint is a
    /// state of its own (O(vertices + edges) bytes, not a small memcpy), so the interval grows with
    /// the order instead. Costs never depend on the interval, only replay work does.
    static let maxSparseCheckpoints = 64

    init(spec: GameSpec, order: [Int], interval: Int, reusesSuffix: Bool) {
        self.spec = spec
        let sparseFloor =
            spec.layout == .sparse ? (order.count + Self.maxSparseCheckpoints - 1) / Self.maxSparseCheckpoints : 1
        self.interval = max(interval, sparseFloor, 1)
        self.reusesSuffix = reusesSuffix
        self.order = order
        let n = order.count
        stepCosts = [Int](repeating: 0, count: n)
        prefixCost = [Int](repeating: 0, count: n + 1)
        let initial = EliminationState(spec: spec)
        checkpoints = [EliminationState](repeating: initial, count: max(n - 1, 0) / self.interval + 1)
        replay(fromCheckpoint: 0, through: n - 1)
    }

    var cost: Int { prefixCost[order.count] }

    /// The cost of `candidate`, which agrees with `order` outside `changed`; nil as soon as it is
    /// known to exceed `bound`.
    func cost(of candidate: [Int], changed: ClosedRange<Int>, bound: Int) -> Int? {
        let n = order.count
        let c = changed.lowerBound / interval
        let end = reusesSuffix ? changed.upperBound + 1 : n
        let tail = prefixCost[n] - prefixCost[end]
        var total = prefixCost[c * interval] + tail
        var state = checkpoints[c]
        for i in (c * interval)..<end {
            total += state.eliminateUnchecked(candidate[i])
            if total > bound { return nil }
        }
        return total
    }

    /// Makes `candidate` the current order and refreshes the checkpoints and costs it changed.
    mutating func accept(_ candidate: [Int], changed: ClosedRange<Int>) {
        order = candidate
        replay(
            fromCheckpoint: changed.lowerBound / interval, through: reusesSuffix ? changed.upperBound : order.count - 1)
    }

    private mutating func replay(fromCheckpoint c: Int, through last: Int) {
        guard last >= 0 else { return }
        var state = checkpoints[c]
        for i in (c * interval)...last {
            stepCosts[i] = state.eliminateUnchecked(order[i])
            let stepsDone = i + 1
            if stepsDone % interval == 0 && stepsDone / interval < checkpoints.count {
                checkpoints[stepsDone / interval] = state
            }
        }
        for i in (c * interval)..<order.count { prefixCost[i + 1] = prefixCost[i] + stepCosts[i] }
    }
}
