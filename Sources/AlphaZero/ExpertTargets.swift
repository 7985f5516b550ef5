import Elimination

/// What imitation learns from one expert order (issue 14's pretraining): per move, a target
/// distribution over the state's legal actions, in the layout of π' (ascending vertex id, as
/// `ExampleBatch.append` takes it), and the return from that state.
///
/// An order is one of many equivalent ones: two eliminations that are not adjacent in the graph
/// commute (eliminating u only rewrites the edges of u's neighbours, so a vertex that is not one
/// of them keeps its edges and its cost). Softened targets put equal weight on every move the
/// expert plays next up to such swaps — `order[t+k]` (k < `window`) counts when it is adjacent to
/// none of `order[t..<t+k]`, each in the graph as it is just before that one is eliminated — so
/// the policy is not taught an arbitrary order among independent eliminations. Moving any of them
/// to the front keeps the order's cost (Tests/AlphaZeroTests/ExpertPretrainingTests checks it on a
/// corpus program). One-hot targets (`soften` false) put all the weight on `order[t]`.
public struct ExpertTargets: Sendable {
    /// Per move t: the target over the legal actions of the state after `order[..<t]`.
    public var policies: [[Float]]
    /// Per move t: −(multiplications the order still pays from that state).
    public var returns: [Float]
    /// The order's cost.
    public var cost: Int

    public init(order: [Int], spec: GameSpec, soften: Bool, window: Int = 16) throws(AlphaZeroError) {
        let steps: [Int]
        do { steps = try Baselines.score(order, on: spec).steps } catch {
            throw .misuse("an expert order for \(spec.name) that is not playable: \(error)")
        }
        let L = order.count
        // neighbours[j]: the vertices adjacent to order[j] just before it is eliminated.
        var neighbours: [Set<Int>] = []
        neighbours.reserveCapacity(L)
        var legalAtMove: [[Int]] = []
        var state = EliminationState(spec: spec)
        var legal = spec.eliminable.sorted()
        for v in order {
            legalAtMove.append(legal)
            if soften {
                var adjacent = Set(state.successors(of: v))
                for p in state.predecessors(of: v) { if case .vertex(let u) = p { adjacent.insert(u) } }
                neighbours.append(adjacent)
            }
            state.eliminateUnchecked(v)
            legal.remove(at: legal.firstIndex(of: v)!)
        }
        var policies: [[Float]] = []
        policies.reserveCapacity(L)
        for t in 0..<L {
            var next = [order[t]]
            if soften {
                for k in 1..<max(1, min(window, L - t)) {
                    let candidate = order[t + k]
                    if (t..<(t + k)).allSatisfy({ !neighbours[$0].contains(candidate) }) { next.append(candidate) }
                }
            }
            let weight = 1 / Float(next.count)
            let chosen = Set(next)
            policies.append(legalAtMove[t].map { chosen.contains($0) ? weight : 0 })
        }
        var returns = [Float](repeating: 0, count: L)
        var remaining = 0
        for t in stride(from: L - 1, through: 0, by: -1) {
            remaining += steps[t]
            returns[t] = -Float(remaining)
        }
        self.policies = policies
        self.returns = returns
        cost = remaining
    }
}
