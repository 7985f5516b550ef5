import Elimination
import NeuralNet

/// Turning a trained policy into orders: greedy decoding, sampling, and beam search over the game
/// that uses the policy as a prior (which children to expand) and exact costs plus the value
/// network's estimate of the remaining cost to rank partial orders. Every returned order is
/// re-scored by the game.
public final class PolicyDecoder {
    public let network: PolicyNetwork
    let spec: GameSpec
    private var batch = TokenBatch()
    private var logp: [Float] = []  // (B, T)

    /// `network` must have room for `width × expand` states of this graph (maxBatch, maxTokens).
    public init(network: PolicyNetwork, spec: GameSpec) {
        self.network = network
        self.spec = spec
    }

    /// Beam search: keep the `width` partial orders with the lowest cost so far + estimated rest;
    /// expand each by its policy's `expand` most likely actions. Ties in an eliminated set (two
    /// orders reaching the same graph) keep the cheaper prefix only.
    public func beam(width: Int, expand: Int) throws -> BestOrder {
        struct Node { var state: EliminationState; var costs: RemainingCosts?; var order: [Int] }
        let start = EliminationState(spec: spec)
        var beam = [Node(state: start, costs: TokenFeatures.episodeCosts(start), order: [])]
        for _ in 0..<spec.eliminable.count {
            // Policy over the current beam.
            let T = try forwardPolicy(beam.map(\.state), costs: beam.map(\.costs))
            var children: [Node] = []
            for (row, node) in beam.enumerated() {
                let candidates = (0..<T).filter { batch.legal[row * T + $0] }
                    .sorted { logp[row * T + $0] > logp[row * T + $1] }
                    .prefix(max(expand, 1))
                for token in candidates {
                    var child = node
                    let v = Int(batch.vertices[row * T + token])
                    TokenFeatures.eliminate(v, in: &child.state, costs: &child.costs)
                    child.order.append(v)
                    children.append(child)
                }
            }
            // Same eliminated set → same graph: keep the cheaper prefix.
            var bySet: [[UInt64]: Int] = [:]
            var unique: [Node] = []
            for c in children {
                let key = eliminatedKey(c.state)
                if let i = bySet[key] {
                    if c.state.cost < unique[i].state.cost { unique[i] = c }
                } else {
                    bySet[key] = unique.count
                    unique.append(c)
                }
            }
            if unique.count > width {
                let remaining = try estimatedRemainingCost(unique.map(\.state), costs: unique.map(\.costs))
                let ranked = unique.indices.sorted {
                    Double(unique[$0].state.cost) + remaining[$0] < Double(unique[$1].state.cost) + remaining[$1]
                }
                unique = ranked.prefix(width).map { unique[$0] }
            }
            beam = unique
        }
        let best = beam.min { $0.state.cost < $1.state.cost }!
        return try verified(best.order)
    }

    /// The most likely action at every step.
    public func greedy() throws -> BestOrder {
        let start = EliminationState(spec: spec)
        let completed = try greedyCompletion(from: start, costs: TokenFeatures.episodeCosts(start), below: .max)!
        return try verified(completed.steps.map(\.vertex))
    }

    /// Alternatives to each greedy move `deviationSearch` keeps: the policy's next most likely
    /// legal vertices after the one played.
    public static let deviationAlternatives = 3

    /// One greedy move: the vertex played and the policy's next most likely legal vertices (at most
    /// `deviationAlternatives`, most likely first), each with its log-probability below the move's.
    struct GreedyMove {
        var vertex: Int
        var alternatives: [(vertex: Int, margin: Float)]
    }

    /// The greedy moves from `state` to the end and the exact cost of the whole order (`state`'s
    /// cost included); nil as soon as that cost reaches `bound` (no completion can pay it back).
    /// `stop`, asked before every move the network chooses, ends the policy's part: the rest is
    /// the cheapest step now (no network, no alternatives) and `cut` says so.
    private func greedyCompletion(
        from start: EliminationState, costs startCosts: RemainingCosts?, below bound: Int,
        stop: () -> Bool = { false }
    ) throws -> (steps: [GreedyMove], cost: Int, cut: Bool)? {
        var state = start, costs = startCosts
        var moves: [GreedyMove] = []
        moves.reserveCapacity(spec.eliminable.count - state.steps)
        while !state.isTerminal {
            if stop() {
                while !state.isTerminal {
                    // The cheapest now (ties: the lowest id): the candidate view's kept costs on a
                    // large graph (O(log n) a step), a scan of the ≤ 512 vertices otherwise.
                    var v = costs?.cheapest(1).first ?? 0
                    if costs == nil {
                        var cheapest = Int.max
                        for w in spec.eliminable where !state.isEliminated(w) {
                            let cost = state.previewCost(w)
                            if cost < cheapest { (v, cheapest) = (w, cost) }
                        }
                    }
                    moves.append(GreedyMove(vertex: v, alternatives: []))
                    TokenFeatures.eliminate(v, in: &state, costs: &costs)
                }
                return (moves, state.cost, true)
            }
            let T = try forwardPolicy([state], costs: [costs])
            // The most likely legal tokens, most likely first (ties: the first token, as `max`).
            var top: [Int] = []
            for t in 0..<T where batch.legal[t] {
                guard top.count <= Self.deviationAlternatives || logp[t] > logp[top.last!] else { continue }
                let at = top.firstIndex { logp[t] > logp[$0] } ?? top.count
                top.insert(t, at: at)
                if top.count > Self.deviationAlternatives + 1 { top.removeLast() }
            }
            let v = Int(batch.vertices[top[0]])
            moves.append(
                GreedyMove(
                    vertex: v, alternatives: top.dropFirst().map { (Int(batch.vertices[$0]), logp[top[0]] - logp[$0]) })
            )
            TokenFeatures.eliminate(v, in: &state, costs: &costs)
            if state.cost >= bound { return nil }
        }
        return (moves, state.cost, false)
    }

    /// What `deviationSearch` found: the greedy order, the cheapest order, and how many greedy
    /// completions it ran (the greedy decode included, abandoned ones too).
    public struct DeviationSearchResult {
        public var greedy: BestOrder
        public var best: BestOrder
        public var completions: Int
    }

    /// Search over the policy's own decisions with exact costs ("limited discrepancy"): from the
    /// greedy order, take an untried alternative — the runner-ups first, then the third most likely
    /// vertices and so on (`deviationAlternatives` per move), among them the one the policy liked
    /// best relative to the move it played (the smallest log-probability margin; ties: the earliest
    /// step) — play it there instead and complete greedily, abandoning the completion once its
    /// exact cost reaches the best order's. A cheaper order becomes the best; its own later moves
    /// join the untried ones (the untried moves before the deviation keep their prefix, so they
    /// stay valid). `shouldStop` is asked before every completion. Deterministic: no sampling.
    /// `stopsGreedy`, asked before every move of the first greedy decode, ends the policy's part
    /// of it (the rest by the cheapest step now) and the search with it: on a program of thousands
    /// of vertices one decode alone can take a minute.
    public func deviationSearch(
        shouldStop: () -> Bool, stopsGreedy: () -> Bool = { false }
    ) throws -> DeviationSearchResult {
        let start = EliminationState(spec: spec)
        let startCosts = TokenFeatures.episodeCosts(start)
        let greedy = try greedyCompletion(from: start, costs: startCosts, below: .max, stop: stopsGreedy)!
        if greedy.cut {
            let order = try verified(greedy.steps.map(\.vertex))
            return DeviationSearchResult(greedy: order, best: order, completions: 1)
        }
        var best = greedy.steps.map(\.vertex), bestCost = greedy.cost
        func untried(_ moves: [GreedyMove], from step: Int) -> [(step: Int, rank: Int, vertex: Int, margin: Float)] {
            moves.enumerated().flatMap { i, m in
                m.alternatives.enumerated().map { (step + i, $0.offset, $0.element.vertex, $0.element.margin) }
            }
        }
        var open = untried(greedy.steps, from: 0)
        var completions = 1
        while !open.isEmpty && !shouldStop() {
            let next = open.remove(
                at: open.indices.min {
                    (open[$0].rank, open[$0].margin, open[$0].step) < (open[$1].rank, open[$1].margin, open[$1].step)
                }!)
            var state = start, costs = startCosts
            for v in best[..<next.step] { TokenFeatures.eliminate(v, in: &state, costs: &costs) }
            TokenFeatures.eliminate(next.vertex, in: &state, costs: &costs)
            completions += 1
            guard state.cost < bestCost, let found = try greedyCompletion(from: state, costs: costs, below: bestCost)
            else { continue }
            best = Array(best[..<next.step]) + [next.vertex] + found.steps.map(\.vertex)
            bestCost = found.cost
            open = open.filter { $0.step < next.step } + untried(found.steps, from: next.step + 1)
        }
        return DeviationSearchResult(
            greedy: try verified(greedy.steps.map(\.vertex)), best: try verified(best), completions: completions)
    }

    func verified(_ order: [Int]) throws -> BestOrder {
        let scored = try Baselines.score(order, on: spec)
        return BestOrder(cost: scored.cost, order: order)
    }

    /// Policy log-probabilities of a lockstep set of states (same step count, so the same T) with
    /// their kept `RemainingCosts` (`TokenFeatures.episodeCosts`).
    private func forwardPolicy(_ states: [EliminationState], costs: [RemainingCosts?]) throws -> Int {
        let B = states.count, T = batch.write(states, costs: costs)
        try batch.forwardPolicy(network)
        if logp.count < B * T { logp = [Float](repeating: 0, count: B * T) }
        logp.withUnsafeMutableBufferPointer { lp in
            maskedLogSoftmaxForward(
                logp: lp.baseAddress!, logits: network.logits, actionMask: batch.legal, B: B, T: T)
        }
        return T
    }

    /// −symexp(value): the value network's estimate of the multiplications still to come.
    private func estimatedRemainingCost(_ states: [EliminationState], costs: [RemainingCosts?]) throws -> [Double] {
        batch.write(states, costs: costs)
        try batch.forwardValue(network)
        return (0..<states.count).map { max(0, -Double(symexp(network.values[$0]))) }
    }

    private func eliminatedKey(_ s: EliminationState) -> [UInt64] {
        var words = [UInt64](repeating: 0, count: (spec.vertexCount + 63) / 64)
        for v in 1...spec.vertexCount where s.isEliminated(v) { words[(v - 1) >> 6] |= 1 << UInt64((v - 1) & 63) }
        return words
    }
}
