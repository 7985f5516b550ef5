import Elimination

/// Decodes orders from a trained policy with each method asked for — greedy, sampled episodes,
/// beam search, tree search (PUCT) — re-scoring every order with the game (`ccelim eval`). The
/// seconds each method took come from the injected `clock`, so the core never reads the wall clock.
public struct PolicyEvaluation {
    public struct Result: Sendable {
        /// "greedy", "samples K", "beam WxE" or "mcts N".
        public var method: String
        public var best: BestOrder
        public var seconds: Double
    }

    public var greedy = false
    public var samples: Int?
    /// Beam width, and children expanded per beam state (default: the width).
    public var beam: Int?
    public var expand: Int?
    public var mcts: Int?
    public var seed: UInt64 = 1

    public init() {}

    /// The batch the network must hold for these methods.
    public var maxBatch: Int {
        let width = beam ?? 0
        return max(samples ?? 1, width * max(expand ?? width, 1), 1)
    }

    /// Every method asked for (greedy alone when none is), in the order greedy, samples, beam, mcts.
    public func run(
        network: PolicyNetwork, spec: GameSpec, policyVersion: UInt64, clock: () -> Double
    ) throws -> [Result] {
        let decoder = PolicyDecoder(network: network, spec: spec)
        var results: [Result] = []
        func timed(_ method: String, _ body: () throws -> BestOrder) rethrows {
            let start = clock()
            let best = try body()
            results.append(Result(method: method, best: best, seconds: clock() - start))
        }
        if greedy || (samples == nil && beam == nil && mcts == nil) { try timed("greedy") { try decoder.greedy() } }
        if let samples {
            try timed("samples \(samples)") {
                let played = try Actor(network: network, seed: seed, id: 0).play(
                    spec, task: 0, count: samples, policyVersion: policyVersion)
                let i = played.costs.indices.min { played.costs[$0] < played.costs[$1] }!
                let order = played.episodes[i].order
                return BestOrder(cost: try Baselines.score(order, on: spec).cost, order: order)
            }
        }
        if let beam {
            let children = expand ?? beam
            try timed("beam \(beam)x\(children)") { try decoder.beam(width: beam, expand: children) }
        }
        if let mcts {
            try timed("mcts \(mcts)") { try PolicyTreeSearch(network: network, spec: spec).search(simulations: mcts) }
        }
        return results
    }
}
