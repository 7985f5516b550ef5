import ArgumentParser
import Benchmarks
import Elimination
import TaskFiles

/// `ccelim bench …`: benchmarks that print JSON figures (medians of several runs). They never fail
/// for being slow; compare figures measured in the same run. The measuring lives in the
/// Benchmarks module; these commands parse flags and print.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Throughput benchmarks with JSON output.",
        subcommands: [
            GameBenchCommand.self, PolicyBenchCommand.self, LearningBenchCommand.self, JacobianBenchCommand.self,
            CheckpointBenchCommand.self, ClusterBenchCommand.self, SearchBenchCommand.self, ScaleBenchCommand.self,
            CoordinatorBenchCommand.self, LearningVsSearchBenchCommand.self,
            BoundBenchCommand.self, InterleaveBenchCommand.self,
        ]
    )
}

/// `ccelim bench game`: elimination steps per second of random full episodes, and the cost of
/// copying a mid-episode state.
struct GameBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "game",
        abstract: "Steps/s of random full episodes and the cost of copying a mid-episode state, per task."
    )

    @Option(help: "One task (default: every Dataset).") var task: String?
    @Option(help: "Timed repetitions per figure; the median is reported.") var runs = 5
    @Option(help: "Seconds per repetition of the episode benchmark.") var seconds = 0.3
    @Option(help: "Seed of the random orders.") var seed: UInt64 = 1
    @Option(help: "State layout: auto (by size, what every command uses) | dense | sparse.") var layout = "auto"
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard layout == "auto" || StateLayout(rawValue: layout) != nil else {
            throw ValidationError("--layout must be auto, dense or sparse, got '\(layout)'")
        }
    }

    func run() throws {
        let names = try task.map { [$0] } ?? Datasets.taskNames(in: try Datasets.directory(graphOptions.datasets))
        var results: [GameBenchmark.TaskResult] = []
        for name in names {
            let spec = GameSpec(
                graph: try GraphSource.load(name, datasets: graphOptions.datasets),
                layout: StateLayout(rawValue: layout))
            let result = GameBenchmark.measure(task: name, spec: spec, runs: runs, seconds: seconds, seed: seed)
            results.append(result)
            if !json {
                print(
                    "\(name) (\(result.layout.rawValue)): \(Int(result.stepsPerSecond)) steps/s, copy \(String(format: "%.1f", result.copyNanoseconds)) ns (median of \(runs))"
                )
            }
        }
        if json { print(GameBenchmark.json(results, runs: runs, seconds: seconds).text) }
    }
}
