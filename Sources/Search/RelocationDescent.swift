import Elimination

/// A long-range exact descent over an order: moves that take one vertex, or a block of two
/// consecutive ones, out of its place and put it back anywhere — just before or after a vertex it
/// is joined to when it is eliminated (which is always later), just after one of its graph
/// neighbours that the order eliminates earlier, 16, 32, 64, … steps away, at the very end or the
/// very start. A window polish (`ExactWindowPolish`) re-orders at most 16 consecutive steps and
/// cannot push a vertex the order eliminates early to the end; annealing's orders do that (gen7's
/// misses, Docs/RESULTS.md).
///
/// Every candidate is scored exactly by `IncrementalEvaluator` (replayed from the checkpoint before
/// the move, stopped once it passes the current cost) and kept only when the whole order gets
/// cheaper: first improvement, position after position from the start, pass after pass until a
/// pass improves nothing or the budget ends. An order never gets dearer and the returned cost is
/// a full replay's. Pure and deterministic: the budget is the caller's (`spent`, in seconds, from
/// the replay work done so far: a wall clock, or a work count).
public struct RelocationDescent: Sendable {
    public let spec: GameSpec
    private let reusesSuffix: Bool
    /// The lengths of the blocks moved (consecutive positions, kept in their order).
    public static let blockLengths = [1, 2]
    /// The shortest jump of the fixed-distance targets (then twice that, four times, … while within
    /// the order); shorter jumps are a window polish's or annealing's short moves.
    public static let firstJump = 16
    /// The share of an annealing run's time kept for the descent (and polish) of its best order at
    /// the end, where a search ends that way: `optimize`'s threads (ProgramOptimizer, chosen on the
    /// train split, search8) and `bound`'s annealing (BoundRun, session 42).
    public static let finalShare = 0.2
    /// Steps between the evaluator's cached states (as annealing's).
    static let checkpointInterval = 4

    public init(spec: GameSpec) {
        self.spec = spec
        reusesSuffix = SetDeterminedGraphs.holds(for: spec)
    }

    /// What `descend` did: the order and its cost (a full replay's), the candidates scored, the
    /// moves kept, the passes begun, and the work: steps the scoring replayed at most (the positions
    /// from the checkpoint before a move to the end of what the evaluator replays), the unit of
    /// `spent`.
    public struct Outcome: Sendable, Equatable {
        public var order: [Int]
        public var cost: Int
        public var evaluations: Int
        public var moves: Int
        public var passes: Int
        public var work: Int
    }

    /// Descends from `order` within `seconds`; `spent(work)` is the seconds used so far given the
    /// replay work so far (checked before every candidate; the first candidate always runs).
    public func descend(
        _ order: [Int], seconds: Double, spent: (Int) -> Double
    ) throws(SearchError) -> Outcome {
        do { try Baselines.validate(order, on: spec) } catch {
            throw .invalidOrder(method: "descent (start order)", cause: error)
        }
        let n = order.count
        var current = IncrementalEvaluator(
            spec: spec, order: order, interval: Self.checkpointInterval, reusesSuffix: reusesSuffix)
        var out = Outcome(order: order, cost: current.cost, evaluations: 0, moves: 0, passes: 0, work: 0)
        guard n >= 2, seconds > 0 else { return try rescored(out) }
        let earlier = Self.earlierNeighbours(spec: spec)
        var improved = true
        passes: while improved {
            improved = false
            out.passes += 1
            let joined = Self.laterNeighboursAtElimination(current.order, spec: spec)
            var position = [Int](repeating: 0, count: spec.vertexCount + 1)
            for (i, v) in current.order.enumerated() { position[v] = i }
            var i = 0
            while i < n {
                let v = current.order[i]
                var targets = Set<Int>()
                for u in joined[v] where position[u] > i {
                    targets.insert(position[u] - 1); targets.insert(position[u])
                }
                for u in earlier[v] where position[u] < i { targets.insert(position[u] + 1) }
                var jump = Self.firstJump
                while jump < n {
                    targets.insert(i + jump)
                    targets.insert(i - jump)
                    jump *= 2
                }
                targets.insert(0)
                var kept = false
                blocks: for length in Self.blockLengths where i + length <= n {
                    targets.insert(n - length)  // the very end
                    // The block's first position after the move, in a fixed order: the end first.
                    for to in targets.sorted(by: >) where to >= 0 && to + length <= n && to != i {
                        guard out.evaluations == 0 || spent(out.work) < seconds else { break passes }
                        var candidate = current.order
                        let moves = Self.blockMove(from: i, length: length, to: to)
                        for move in moves { move.apply(to: &candidate) }
                        let changed = min(i, to)...(max(i, to) + length - 1)
                        out.evaluations += 1
                        out.work += replayedSteps(changed, n: n, interval: current.interval)
                        guard let cost = current.cost(of: candidate, changed: changed, bound: current.cost - 1)
                        else { continue }
                        current.accept(candidate, changed: changed)
                        out.work += replayedSteps(changed, n: n, interval: current.interval)
                        out.cost = cost
                        out.moves += 1
                        kept = true
                        improved = true
                        for (k, w) in current.order.enumerated() { position[w] = k }
                        break blocks
                    }
                }
                // After a kept move the vertex now at i is another one: look at it too.
                if !kept { i += 1 }
            }
        }
        out.order = current.order
        return try rescored(out)
    }

    /// The moves (`OrderMove.move`) that put the block at `from..<from + length` at
    /// `to..<to + length`, its vertices in their order.
    static func blockMove(from: Int, length: Int, to: Int) -> [OrderMove] {
        if to > from {
            return Array(repeating: .move(from: from, to: to + length - 1), count: length)
        }
        return (0..<length).map { .move(from: from + $0, to: to + $0) }
    }

    /// Steps a candidate changed at `changed` replays at most: from the checkpoint before the
    /// change to its end (set-determined graphs) or to the order's end; `interval` is the
    /// evaluator's (at least `checkpointInterval`, more on large dense programs).
    private func replayedSteps(_ changed: ClosedRange<Int>, n: Int, interval: Int) -> Int {
        let first = changed.lowerBound / interval * interval
        return (reusesSuffix ? changed.upperBound + 1 : n) - first
    }

    /// For every vertex, the eliminable vertices it is joined to in the graph the order leaves just
    /// before eliminating it (all eliminated after it): one replay. (`InterleavingPolish` too.)
    static func laterNeighboursAtElimination(_ order: [Int], spec: GameSpec) -> [[Int]] {
        var out = [[Int]](repeating: [], count: spec.vertexCount + 1)
        var state = EliminationState(spec: spec)
        let eliminable = Set(spec.eliminable)
        for v in order {
            var joined: [Int] = []
            state.forEachNeighbour(of: v) { u in if eliminable.contains(u) { joined.append(u) } }
            out[v] = joined
            state.eliminateUnchecked(v)
        }
        return out
    }

    /// For every vertex, its eliminable neighbours in the initial graph (the candidates for "just
    /// after a neighbour the order eliminates earlier"; `InterleavingPolish` too).
    static func earlierNeighbours(spec: GameSpec) -> [[Int]] {
        var out = [[Int]](repeating: [], count: spec.vertexCount + 1)
        let state = EliminationState(spec: spec)
        let eliminable = Set(spec.eliminable)
        for v in spec.eliminable {
            state.forEachNeighbour(of: v) { u in if eliminable.contains(u) { out[v].append(u) } }
        }
        return out
    }

    private func rescored(_ out: Outcome) throws(SearchError) -> Outcome {
        var out = out
        out.cost = try SearchResult.rescored(method: "descent", order: out.order, evaluations: 0, on: spec).cost
        return out
    }
}

extension RelocationDescent {
    /// What `descendAndPolish` did: the order, its cost (a full replay's), the candidates and
    /// windows scored, and the nominal seconds of its work (descent steps × `stepSeconds` + polish
    /// states × `stateSeconds`).
    public struct Interleaved: Sendable, Equatable {
        public var order: [Int]
        public var cost: Int
        public var evaluations: Int
        public var nominalSeconds: Double
    }

    /// The descent from `order` (cost `cost`), then, when it moved something, the window polish
    /// (`ExactWindowPolish`, if `polishes`) of what it found, then the descent again, while either
    /// improves and the budget lasts. With `interleaving` k ≥ 2, when the descent and the polish stop
    /// improving, the exact re-interleaving of sets of k vertices (`InterleavingPolish.polish`, its
    /// work counted at `stepSeconds` a unit), and when that improves, the descent again; 0: none.
    /// `spent(nominal)`: seconds used so far given the nominal seconds of the work done so far (a
    /// work count returns its argument, a wall clock ignores it).
    /// How a search ends its annealing (`optimize`'s threads, `bound`'s annealing): `descendAndPolish`
    /// of its best order for `seconds` on `clock` from `t0` (each reading also told to `reading`, e.g.
    /// for a status), or, with `fixedWork`, exactly that many replayed steps and polish states
    /// whatever the clock says (reproducible at any load; the clock is not read).
    public func finalDescent(
        _ order: [Int], cost: Int, seconds: Double, from t0: Double, fixedWork: Int?, interleaving: Int = 0,
        clock: () -> Double, reading: (Double) -> Void = { _ in }
    ) throws(SearchError) -> Interleaved {
        guard let fixedWork else {
            return try descendAndPolish(order, cost: cost, seconds: seconds, interleaving: interleaving) { _ in
                let now = clock()
                reading(now)
                return now - t0
            }
        }
        let unit = 1 / Double(fixedWork)
        return try descendAndPolish(
            order, cost: cost, seconds: 1, interleaving: interleaving, stepSeconds: unit, stateSeconds: unit
        ) { $0 }
    }

    public func descendAndPolish(
        _ order: [Int], cost: Int, seconds: Double, polishes: Bool = true, interleaving: Int = 0,
        stepSeconds: Double = 0, stateSeconds: Double = 0, spent: (Double) -> Double
    ) throws(SearchError) -> Interleaved {
        let polisher = ExactWindowPolish(spec: spec)
        let interleaver = interleaving >= 2 ? InterleavingPolish(spec: spec) : nil
        var out = Interleaved(order: order, cost: cost, evaluations: 0, nominalSeconds: 0)
        while spent(out.nominalSeconds) < seconds {
            let before = out.nominalSeconds
            let down = try descend(out.order, seconds: seconds) { spent(before + Double($0) * stepSeconds) }
            out.nominalSeconds += Double(down.work) * stepSeconds
            out.evaluations += down.evaluations
            out.order = down.order
            var improved = down.cost < out.cost
            if improved {
                out.cost = down.cost
                improved = false
                if polishes, spent(out.nominalSeconds) < seconds {
                    let mid = out.nominalSeconds
                    let polished = try polisher.polish(out.order, cost: out.cost, seconds: seconds) {
                        spent(mid + Double($0) * stateSeconds)
                    }
                    out.nominalSeconds += Double(polished.expanded) * stateSeconds
                    out.evaluations += polished.windows
                    if polished.cost < out.cost {
                        out.order = polished.order
                        out.cost = polished.cost
                        improved = true
                    }
                }
            }
            if !improved, let interleaver, spent(out.nominalSeconds) < seconds {
                let mid = out.nominalSeconds
                let moved = try interleaver.polish(out.order, cost: out.cost, size: interleaving, seconds: seconds) {
                    spent(mid + Double($0) * stepSeconds)
                }
                out.nominalSeconds += Double(moved.work) * stepSeconds
                out.evaluations += moved.sets
                if moved.cost < out.cost {
                    out.order = moved.order
                    out.cost = moved.cost
                    improved = true
                }
            }
            guard improved else { break }
        }
        return out
    }
}
