import Console
import Elimination
import Search

/// What the exact re-interleaving (`InterleavingPolish`) adds to a finished order, against spending
/// the same CPU time as `ccelim optimize`'s threads would otherwise: from one start order (e.g. the
/// order `optimize --json` printed), each arm gets `seconds` of this thread's CPU time:
/// - `descent`: the final stage as it is (`RelocationDescent.descendAndPolish`: descent and window
///   polish until they stop improving) — what the order would get anyway;
/// - `interleave`: the same final stage with the re-interleaving on (`interleaving: size`), which
///   starts only where `descent` stops, so the difference is what the re-interleaving adds;
/// - `anneal`: one more annealing cycle from the order over (1 − `finalDescentShare`) of the time
///   and the final stage without it over the rest — what a thread's later cycle does.
/// The CPU clock makes the figures independent of the machine's load (not of its speed).
public struct InterleaveBenchmark {
    public var spec: GameSpec
    public var size = 6
    public var seconds = 1.0
    public var seed: UInt64 = 1
    public var finalDescentShare = RelocationDescent.finalShare
    /// This thread's CPU seconds.
    public var clock: () -> Double = threadCPUSeconds

    public init(spec: GameSpec) { self.spec = spec }

    /// One arm's outcome: cost reached, CPU seconds used and the evaluations (the final stage's
    /// descent candidates, windows and sets; annealing's candidate orders).
    public struct Arm: Sendable {
        public var name: String
        public var cost: Int
        public var cpuSeconds: Double
        public var evaluations: Int
    }

    public func run(from order: [Int]) throws(SearchError) -> (start: Int, arms: [Arm]) {
        let start = try SearchResult.rescored(method: "start", order: order, evaluations: 0, on: spec).cost
        let descent = RelocationDescent(spec: spec)
        var arms: [Arm] = []
        var t0 = clock()
        let plain = try descent.descendAndPolish(order, cost: start, seconds: seconds) { _ in clock() - t0 }
        arms.append(Arm(name: "descent", cost: plain.cost, cpuSeconds: clock() - t0, evaluations: plain.evaluations))
        t0 = clock()
        let moved = try descent.descendAndPolish(order, cost: start, seconds: seconds, interleaving: size) { _ in
            clock() - t0
        }
        arms.append(Arm(name: "interleave", cost: moved.cost, cpuSeconds: clock() - t0, evaluations: moved.evaluations))
        t0 = clock()
        var config = SimulatedAnnealing.Config(iterations: 0, seed: SeedStreams.seed(seed, stream: 1))
        config.cycles = 1
        let annealer = try SimulatedAnnealing(spec: spec, start: order, config: config)
        let t1 = clock()
        let annealed = try annealer.run(seconds: seconds * (1 - finalDescentShare), clock: clock)
        var best = annealed.cost < start ? (annealed.order, annealed.cost) : (order, start)
        let rest = seconds - (clock() - t1)
        if rest > 0 {
            let t2 = clock()
            let down = try descent.descendAndPolish(best.0, cost: best.1, seconds: rest) { _ in clock() - t2 }
            if down.cost < best.1 { best = (down.order, down.cost) }
        }
        arms.append(Arm(name: "anneal", cost: best.1, cpuSeconds: clock() - t0, evaluations: annealed.evaluations))
        return (start, arms)
    }
}
