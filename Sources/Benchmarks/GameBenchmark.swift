import Console
import Elimination
import Foundation
import Randomness

/// Elimination steps per second playing uniformly random full episodes (single thread), and the
/// cost of deep-copying a mid-episode state (`ccelim bench game`), in the spec's state layout
/// (`--layout` forces one, to compare them on the same task).
public enum GameBenchmark {
    public struct TaskResult {
        public var task: String
        public var eliminable: Int
        public var layout: StateLayout
        /// Steps per second, one figure per run.
        public var stepRates: [Double]
        /// Nanoseconds per deep copy, one figure per run.
        public var copyTimes: [Double]

        public var stepsPerSecond: Double { median(stepRates) }
        public var copyNanoseconds: Double { median(copyTimes) }

        public var json: JSON {
            .object([
                ("task", .string(task)), ("eliminable", .int(eliminable)),
                ("steps_per_second", .double(stepsPerSecond.rounded())),
                ("episodes_per_second", .double((stepsPerSecond / Double(max(eliminable, 1))).rounded())),
                ("copy_ns", .double(rounded(copyNanoseconds, per: 10))),
                ("steps_per_second_runs", .array(stepRates.map { .double($0.rounded()) })),
                ("copy_ns_runs", .array(copyTimes.map { .double(rounded($0, per: 10)) })),
                ("layout", .string(layout.rawValue)),
            ])
        }
    }

    /// `runs` repetitions of both figures on one task; random orders from `seed`.
    public static func measure(task: String, spec: GameSpec, runs: Int, seconds: Double, seed: UInt64) -> TaskResult {
        var rng = SplitMix64(seed: seed)
        let stepRates = (0..<runs).map { _ in stepsPerSecond(spec, seconds: seconds, rng: &rng) }
        let copyTimes = (0..<runs).map { _ in copyNanoseconds(spec, rng: &rng) }
        return TaskResult(
            task: task, eliminable: spec.eliminable.count, layout: spec.layout, stepRates: stepRates,
            copyTimes: copyTimes)
    }

    /// The whole benchmark's JSON object.
    public static func json(_ results: [TaskResult], runs: Int, seconds: Double) -> JSON {
        .object([
            ("benchmark", .string("game")), ("build", .string(buildConfiguration)), ("runs", .int(runs)),
            ("seconds_per_run", .double(seconds)), ("tasks", .array(results.map(\.json))),
        ])
    }

    /// Plays random full episodes (order drawn per episode, state reset from the initial graph).
    static func stepsPerSecond(_ spec: GameSpec, seconds: Double, rng: inout SplitMix64) -> Double {
        let initial = EliminationState(spec: spec)
        var order = spec.eliminable
        var steps = 0
        var checksum = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1e9)
        var now = start
        repeat {
            for _ in 0..<16 {
                RandomOrders.shuffle(&order, using: &rng)
                var state = initial
                for v in order { state.eliminateUnchecked(v) }
                checksum &+= state.cost
                steps += order.count
            }
            now = DispatchTime.now().uptimeNanoseconds
        } while now < deadline
        blackHole(checksum)
        return Double(steps) / (Double(now - start) / 1e9)
    }

    /// Deep copy (fresh storage) of a state halfway through a random episode.
    static func copyNanoseconds(_ spec: GameSpec, rng: inout SplitMix64) -> Double {
        var state = EliminationState(spec: spec)
        let order = RandomOrders.order(spec, using: &rng)
        for v in order.prefix(order.count / 2) { state.eliminateUnchecked(v) }
        let iterations = 20_000
        var checksum = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations {
            let copy = state.clone()
            checksum &+= copy.cost
        }
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        blackHole(checksum)
        return Double(elapsed) / Double(iterations)
    }
}
