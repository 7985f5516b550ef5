import Foundation
import Elimination
import Randomness

/// Simulated annealing over elimination orders: random local moves (OrderMove), accepted by the
/// Metropolis rule under a temperature that falls geometrically; each cycle restarts from the best
/// order so far at the start temperature ("reheating"). Candidates are scored by
/// IncrementalEvaluator; the returned order is rescored from scratch.
public struct SimulatedAnnealing {
    public struct Config: Sendable {
        /// Candidate orders scored in total (the budget; the CLI converts seconds to this).
        public var iterations: Int
        /// Cooling runs; the budget is split evenly and each starts from the best order so far.
        public var cycles: Int = 4
        /// Start temperature as a fraction of the start order's cost: at 0.01 a move that adds 1%
        /// of the cost is accepted with probability 1/e. On orders longer than `referenceLength`
        /// the fraction is of the cost per `referenceLength` steps instead (see there).
        public var startTemperature: Double = 0.01
        /// End temperature, same unit; near zero the search only descends.
        public var endTemperature: Double = 0.0002
        /// Orders up to this long (every paper task) take the temperatures as fractions of their
        /// whole cost; longer ones as fractions of cost × referenceLength / length. A move changes
        /// a few steps' costs, whatever the length, so on a 10,000-step order 1% of the whole cost
        /// would accept almost any move and the search would only wander away from its start.
        public var referenceLength: Int = 150
        /// Longest span of the short moves (four in five moves are short).
        public var maxShortSpan: Int = 8
        /// Longest span of the long moves on orders longer than this (shorter orders: anywhere).
        /// Scoring a move replays at least its span, so on a 10,000-step order moves anywhere would
        /// cost thousands of steps each; every paper task is shorter than this.
        public var maxLongSpan: Int = 1_000
        /// Steps between cached states; smaller replays less but copies more on acceptance.
        public var checkpointInterval: Int = 4
        public var seed: UInt64

        public init(iterations: Int, seed: UInt64) {
            self.iterations = iterations
            self.seed = seed
        }
    }

    public let spec: GameSpec
    public let config: Config
    public let start: [Int]

    /// `start` must be a valid order (e.g. the best greedy one); it is checked here.
    public init(spec: GameSpec, start: [Int], config: Config) throws(SearchError) {
        guard config.iterations >= 0 else {
            throw .invalidParameter("annealing needs iterations ≥ 0, got \(config.iterations)")
        }
        guard config.cycles >= 1 else {
            throw .invalidParameter("annealing needs at least 1 cycle, got \(config.cycles)")
        }
        guard config.startTemperature >= config.endTemperature, config.endTemperature > 0 else {
            throw .invalidParameter(
                "annealing temperatures must satisfy start ≥ end > 0, got \(config.startTemperature) and \(config.endTemperature)"
            )
        }
        guard config.referenceLength >= 1 else {
            throw .invalidParameter("annealing needs a reference length ≥ 1, got \(config.referenceLength)")
        }
        do { try Baselines.validate(start, on: spec) } catch {
            throw .invalidOrder(method: "anneal (start order)", cause: error)
        }
        self.spec = spec
        self.config = config
        self.start = start
    }

    public func run() throws(SearchError) -> SearchResult {
        var rng = SplitMix64(seed: config.seed)
        let reusesSuffix = SetDeterminedGraphs.holds(for: spec)
        var bestOrder = start
        var bestCost = try SearchResult.rescored(method: "anneal", order: start, evaluations: 0, on: spec).cost
        let n = start.count
        var evaluations = 0
        guard n >= 2 else { return SearchResult(method: "anneal", order: bestOrder, cost: bestCost, evaluations: 0) }
        let scale = Double(max(bestCost, 1)) * min(1, Double(config.referenceLength) / Double(n))
        let t0 = config.startTemperature * scale, t1 = config.endTemperature * scale
        for cycle in 0..<config.cycles {
            let length = config.iterations / config.cycles + (cycle < config.iterations % config.cycles ? 1 : 0)
            var current = IncrementalEvaluator(
                spec: spec, order: bestOrder, interval: config.checkpointInterval, reusesSuffix: reusesSuffix)
            let cooling = length > 1 ? pow(t1 / t0, 1 / Double(length - 1)) : 1
            var temperature = t0
            for _ in 0..<length {
                let move = OrderMove.random(
                    count: n, maxShortSpan: config.maxShortSpan, maxLongSpan: config.maxLongSpan, rng: &rng)
                // Metropolis with the threshold drawn first: accept iff Δ ≤ −T·ln u, so the
                // replay can stop the moment the candidate passes current + that threshold.
                let slack = -temperature * log(1 - unit(&rng))
                let bound = current.cost + Int(min(slack, Double(Int.max / 4)))
                var candidate = current.order
                move.apply(to: &candidate)
                evaluations += 1
                if let cost = current.cost(of: candidate, changed: move.range, bound: bound) {
                    current.accept(candidate, changed: move.range)
                    if cost < bestCost { bestCost = cost; bestOrder = candidate }
                }
                temperature *= cooling
            }
        }
        return try .rescored(method: "anneal", order: bestOrder, evaluations: evaluations, on: spec)
    }
}
