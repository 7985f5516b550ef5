import ArgumentParser
import Console
import Elimination
import Foundation

/// `ccelim bench …`: benchmarks that print JSON figures (medians of several runs). They never fail
/// for being slow; compare figures measured in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Throughput benchmarks with JSON output.",
        subcommands: [GameBenchCommand.self, PolicyBenchCommand.self, LearningBenchCommand.self, JacobianBenchCommand.self,
                      CheckpointBenchCommand.self, ClusterBenchCommand.self, SearchBenchCommand.self]
    )
}

/// Elimination steps per second playing uniformly random full episodes (single thread), and the
/// cost of deep-copying a mid-episode state.
struct GameBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "game",
        abstract: "Steps/s of random full episodes and the cost of copying a mid-episode state, per task."
    )

    @Option(help: "One task (default: every Dataset).") var task: String?
    @Option(help: "Timed repetitions per figure; the median is reported.") var runs = 5
    @Option(help: "Seconds per repetition of the episode benchmark.") var seconds = 0.3
    @Option(help: "Seed of the random orders.") var seed: UInt64 = 1
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        let directory = try Datasets.directory(graphOptions.datasets)
        let names = try task.map { [$0] } ?? Datasets.taskNames(in: directory)
        var results: [JSON] = []
        for name in names {
            let graph = try GraphSource.load(name, datasets: graphOptions.datasets)
            let spec = GameSpec(graph: graph)
            var rng = SplitMix64(seed: seed)
            let stepRates = (0..<runs).map { _ in Self.stepsPerSecond(spec, seconds: seconds, rng: &rng) }
            let copyTimes = (0..<runs).map { _ in Self.copyNanoseconds(spec, rng: &rng) }
            let stepsPerSecond = median(stepRates)
            let copyNs = median(copyTimes)
            results.append(.object([
                ("task", .string(name)), ("eliminable", .int(spec.eliminable.count)),
                ("steps_per_second", .double(stepsPerSecond.rounded())),
                ("episodes_per_second", .double((stepsPerSecond / Double(max(spec.eliminable.count, 1))).rounded())),
                ("copy_ns", .double((copyNs * 10).rounded() / 10)),
                ("steps_per_second_runs", .array(stepRates.map { .double($0.rounded()) })),
                ("copy_ns_runs", .array(copyTimes.map { .double(($0 * 10).rounded() / 10) })),
            ]))
            if !json {
                print("\(name): \(Int(stepsPerSecond)) steps/s, copy \(String(format: "%.1f", copyNs)) ns (median of \(runs))")
            }
        }
        if json {
            print(JSON.object([
                ("benchmark", .string("game")), ("build", .string(buildConfiguration)), ("runs", .int(runs)),
                ("seconds_per_run", .double(seconds)), ("tasks", .array(results)),
            ]).text)
        }
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

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

@inline(never) func blackHole(_ x: Int) {
    if x == Int.min { print("") }
}

#if DEBUG
let buildConfiguration = "debug"
#else
let buildConfiguration = "release"
#endif
