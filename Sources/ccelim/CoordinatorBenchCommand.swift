import ArgumentParser
import Benchmarks
import Cluster
import ClusterShell
import Foundation
import PPO

/// `ccelim bench coordinator`: the coordinator and the distributed update against many simulated
/// actors in one process (issue 18). Flag handling around `CoordinatorBenchmark` (Benchmarks),
/// which says what is measured.
struct CoordinatorBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Episodes/s, weights fan-out, update bytes and step time with N simulated actors (JSON).",
        discussion: """
            The real coordinator and learner on 127.0.0.1 against simulated actors (real sockets, protocol and \
            codec; canned episodes; zero gradients). Routing is measured with a learner whose update costs \
            nothing; the update figures with the real learner. See Docs/SCALING.md.
            """
    )

    @Option(help: "Simulated actors.") var actors = 16
    @Option(help: "Network preset: small | paper.") var preset = "small"
    @Flag(help: "One JSON object per actor count of --counts instead of one for --actors.") var curve = false
    @Option(help: "Actor counts of --curve, comma-separated.") var counts = "1,4,16,64"
    @Option(help: "Seconds of the routing measurement.") var seconds = 3.0
    @Option(help: "Task.") var task = "RoeFlux_1d"
    @Option(help: "Simulated play time per batch, ms (0: instant).") var playMs = 0
    @Option(help: "Simulated gradient time per step, ms, on top of the measured compute.") var gradientMs = 0
    @Option(help: "Episodes per update (default: the task's hyperparameters).") var envs: Int?
    @Option(help: "PPO updates with the real learner (0: routing only).") var updates = 3
    @Option(help: "Poll threads the simulated actors share.") var threads = 2
    @Option(help: "The learner's fewest episodes per gradient shard (a floor under the helpers it sizes itself).")
    var minShardEpisodes = 1
    @Flag(help: "Helpers answer at once instead of after the compute a real helper's step takes here.")
    var instantHelpers = false
    @Flag(
        help:
            "The learner takes one helper per --min-shard-episodes episodes instead of sizing them (before protocol 4)."
    )
    var unsizedHelpers = false
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print JSON (the only output format).") var json = false

    func validate() throws {
        guard NetworkConfig.preset(preset) != nil else { throw ValidationError("--preset must be small or paper") }
        guard actors >= 1, actors <= 1000 else { throw ValidationError("--actors must be 1…1000") }
        guard let list = Self.counts(counts), !list.isEmpty, list.allSatisfy({ $0 >= 1 && $0 <= 1000 }) else {
            throw ValidationError("--counts must be actor counts 1…1000 separated by commas, e.g. 1,4,16,64")
        }
        guard seconds > 0, playMs >= 0, gradientMs >= 0, updates >= 0, threads >= 1, minShardEpisodes >= 1 else {
            throw ValidationError(
                "--seconds must be > 0; --play-ms, --gradient-ms, --updates ≥ 0; --threads, --min-shard-episodes ≥ 1")
        }
        if let envs, envs < 1 { throw ValidationError("--envs must be ≥ 1") }
    }

    static func counts(_ text: String) -> [Int]? {
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.map { $0! }
    }

    func run() throws {
        BLASSetup.prepare()
        var config = ClusterConfig()
        config.run.tasks = [task]
        let loaded = try ClusterTasks.load(config, datasets: graphOptions.datasets)[0]
        var benchmark = CoordinatorBenchmark(
            taskName: task, graph: loaded.graph, graphText: loaded.spec.graphText,
            preset: NetworkConfig.preset(preset)!, seconds: seconds, playMs: playMs, gradientMs: gradientMs,
            numEnvs: envs, updates: updates, fleetThreads: threads)
        benchmark.minShardEpisodes = minShardEpisodes
        benchmark.instantHelpers = instantHelpers
        benchmark.unsizedHelpers = unsizedHelpers
        for n in curve ? Self.counts(counts)! : [actors] {
            print(benchmark.json(try benchmark.measure(actors: n)).text)
            fflush(stdout)
        }
    }
}
