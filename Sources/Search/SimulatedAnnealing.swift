import Foundation
import Elimination
import Randomness

/// Simulated annealing over elimination orders: random local moves (OrderMove), accepted by the
/// Metropolis rule under a temperature that falls geometrically with the cooling run's progress
/// (`temperature(progress:start:end:)`); each cycle restarts from the best order so far at the start
/// temperature ("reheating"). The progress is the share of the run's moves made (`run()`: a fixed
/// count, reproducible from the seed) or of its seconds spent on an injected clock
/// (`run(seconds:clock:)`: no probe of the rate, no idle end, no overrun when the load changes) —
/// one loop either way. Candidates are scored by IncrementalEvaluator; the returned order is
/// rescored from scratch.
public struct SimulatedAnnealing {
    public struct Config: Sendable {
        /// Candidate orders scored in total by `run()` (a budget in moves; `run(seconds:clock:)`
        /// ignores it).
        public var iterations: Int
        /// Cooling runs; the budget (moves or seconds) is split evenly and each starts from the best
        /// order so far.
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
        /// A proven lower bound on every order's cost (nil: none known): the run stops as soon as
        /// its best order costs this much, since no order is cheaper (`ccelim bound` passes the
        /// bounds it knows at the start). The stopped run returns the order the run without a
        /// target holds at that move.
        public var target: Int?
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

    /// Moves between readings of the clock in `run(seconds:clock:)`: the temperature holds between
    /// readings and a cycle ends at most this many moves after its time. A move costs microseconds
    /// (a replay of a few steps) to milliseconds (10,000-step orders), a reading tens of nanoseconds:
    /// 16 keeps the readings under 1 % of the work and the overrun to 16 moves (set, not tuned).
    public static let clockInterval = 16

    /// The schedule: the temperature at `progress` (the share of a cooling run done, clamped to
    /// [0, 1]), geometric from `start` at 0 to `end` at 1.
    public static func temperature(progress: Double, start: Double, end: Double) -> Double {
        start * pow(end / start, min(max(progress, 0), 1))
    }

    /// `config.iterations` moves in all, split over the cycles: move i of a cycle of L moves is at
    /// progress i / (L − 1). Reproducible from the seed. `stop` is asked every `clockInterval`
    /// moves: true ends every cycle at once, and the run returns its best order so far.
    public func run(stop: () -> Bool = { false }) throws(SearchError) -> SearchResult {
        try anneal { cycle, move in
            if move % Self.clockInterval == 0 && stop() { return nil }
            let length = config.iterations / config.cycles + (cycle < config.iterations % config.cycles ? 1 : 0)
            return move < length ? (length > 1 ? Double(move) / Double(length - 1) : 0) : nil
        }
    }

    /// `seconds` on `clock` in all, split evenly over the cycles: cycle c runs from c·seconds/cycles
    /// after the start to (c + 1)·seconds/cycles (a cycle that overruns shortens the next), its
    /// progress the share of that span spent, read every `clockInterval` moves. The last cycle
    /// ends at most `clockInterval` moves after `seconds`. `stop`, asked at each reading, ends the
    /// run at once with its best order so far.
    public func run(
        seconds: Double, clock: () -> Double, stop: () -> Bool = { false }
    ) throws(SearchError)
        -> SearchResult
    {
        guard seconds >= 0, seconds.isFinite else {
            throw .invalidParameter("annealing needs a budget ≥ 0 seconds, got \(seconds)")
        }
        let begin = clock(), span = seconds / Double(config.cycles)
        var progress = 0.0
        return try anneal { cycle, move in
            if move % Self.clockInterval == 0 {
                progress = span > 0 && !stop() ? (clock() - begin - Double(cycle) * span) / span : 1
            }
            return progress < 1 ? progress : nil
        }
    }

    /// The cycles: `progress(cycle, move)` is that cooling run's progress at its move (nil: the run
    /// is over), from which the temperature follows.
    private func anneal(progress: (_ cycle: Int, _ move: Int) -> Double?) throws(SearchError) -> SearchResult {
        var rng = SplitMix64(seed: config.seed)
        let reusesSuffix = SetDeterminedGraphs.holds(for: spec)
        var bestOrder = start
        var bestCost = try SearchResult.rescored(method: "anneal", order: start, evaluations: 0, on: spec).cost
        let n = start.count
        var evaluations = 0
        let target = config.target ?? Int.min
        guard n >= 2, bestCost > target else {
            return SearchResult(method: "anneal", order: bestOrder, cost: bestCost, evaluations: 0)
        }
        let scale = Double(max(bestCost, 1)) * min(1, Double(config.referenceLength) / Double(n))
        let t0 = config.startTemperature * scale, t1 = config.endTemperature * scale
        cycles: for cycle in 0..<config.cycles {
            var current = IncrementalEvaluator(
                spec: spec, order: bestOrder, interval: config.checkpointInterval, reusesSuffix: reusesSuffix)
            var step = 0
            while let done = progress(cycle, step) {
                step += 1
                let temperature = Self.temperature(progress: done, start: t0, end: t1)
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
                    if bestCost <= target { break cycles }
                }
            }
        }
        return try .rescored(method: "anneal", order: bestOrder, evaluations: evaluations, on: spec)
    }
}
