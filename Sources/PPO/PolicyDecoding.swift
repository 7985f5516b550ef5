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
        var state = EliminationState(spec: spec)
        var costs = TokenFeatures.episodeCosts(state)
        var order: [Int] = []
        for _ in 0..<spec.eliminable.count {
            let T = try forwardPolicy([state], costs: [costs])
            let token = (0..<T).filter { batch.legal[$0] }.max { logp[$0] < logp[$1] }!
            let v = Int(batch.vertices[token])
            TokenFeatures.eliminate(v, in: &state, costs: &costs)
            order.append(v)
        }
        return try verified(order)
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
