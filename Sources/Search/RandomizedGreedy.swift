import Elimination
import Randomness

/// Greedy with noise, restarted many times; the cheapest order wins (a GRASP-style search).
/// A deterministic greedy rule commits to one choice among near-ties at every step; small random
/// perturbations of the scores explore the orders close to the greedy one.
public struct RandomizedGreedy {
    public struct Config: Sendable {
        /// Number of noisy greedy runs (each one full order).
        public var restarts: Int
        /// Largest relative perturbation: a score s becomes s + u·σ·max(1, |s|), u uniform in
        /// [0, 1), with σ drawn per restart uniformly from [0, maxNoise].
        public var maxNoise: Double
        public var seed: UInt64

        public init(restarts: Int, maxNoise: Double = 0.5, seed: UInt64) {
            self.restarts = restarts
            self.maxNoise = maxNoise
            self.seed = seed
        }
    }

    public let spec: GameSpec
    public let config: Config
    private let scorer: GreedyScorer

    /// Above this many eliminable vertices a restart (a full scan per step, O(n²)) takes too long.
    public static let maxEliminable = 5_000

    public init(spec: GameSpec, config: Config) throws(SearchError) {
        guard spec.eliminable.count <= Self.maxEliminable else {
            throw .invalidParameter(
                "random greedy scans every vertex at every step and runs on at most \(Self.maxEliminable) eliminable vertices; this graph has \(spec.eliminable.count) (use --method greedy or anneal)"
            )
        }
        guard config.restarts >= 1 else {
            throw .invalidParameter("random greedy needs at least 1 restart, got \(config.restarts)")
        }
        guard config.maxNoise >= 0 && config.maxNoise.isFinite else {
            throw .invalidParameter("random greedy noise must be ≥ 0, got \(config.maxNoise)")
        }
        self.spec = spec
        self.config = config
        scorer = GreedyScorer(spec: spec)
    }

    /// Restart r uses criterion r mod 3 (cost-now, Markowitz, relative Markowitz) so that every
    /// criterion gets explored whatever the budget. `stop` is asked after each restart: true ends
    /// the run early with the best order so far (at least one restart is made; `evaluations` counts
    /// the restarts made).
    public func run(stop: () -> Bool = { false }) throws(SearchError) -> SearchResult {
        var rng = SplitMix64(seed: config.seed)
        let criteria: [GreedyCriterion] = [.stepCost, .markowitz, .relativeMarkowitz]
        var bestOrder: [Int] = [], bestCost = Int.max, made = 0
        for r in 0..<config.restarts {
            let sigma = config.maxNoise * unit(&rng)
            let (order, cost) = noisyOrder(criteria[r % criteria.count], sigma: sigma, rng: &rng)
            made += 1
            if cost < bestCost { bestOrder = order; bestCost = cost }
            if stop() { break }
        }
        return try .rescored(method: "random-greedy", order: bestOrder, evaluations: made, on: spec)
    }

    func noisyOrder(_ criterion: GreedyCriterion, sigma: Double, rng: inout SplitMix64) -> (order: [Int], cost: Int) {
        var state = EliminationState(spec: spec)
        var order: [Int] = []
        order.reserveCapacity(spec.eliminable.count)
        while !state.isTerminal {
            var best = -1, bestKey = Double.infinity
            for v in spec.eliminable where !state.isEliminated(v) {
                let s = Double(scorer.score(criterion, v, in: state))
                let key = s + unit(&rng) * sigma * max(1, abs(s))
                if key < bestKey { best = v; bestKey = key }
            }
            state.eliminateUnchecked(best)
            order.append(best)
        }
        return (order, state.cost)
    }
}

/// Uniform in [0, 1) from the top 53 bits.
@inline(__always) func unit(_ rng: inout SplitMix64) -> Double {
    Double(rng.next() >> 11) * 0x1.0p-53
}
