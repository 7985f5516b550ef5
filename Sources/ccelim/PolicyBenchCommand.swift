import ArgumentParser
import Benchmarks
import Elimination
import PPO
import TaskFiles

/// `ccelim bench policy`: milliseconds for a policy forward over a batch of 32 RoeFlux_1d states,
/// and for one whole PPO update on 32 episodes (its parts timed too), per network preset.
struct PolicyBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Policy forward (batch of 32 states) and one PPO update (32 episodes), in ms, per preset."
    )

    @Option(help: "Task.") var task = "RoeFlux_1d"
    @Option(help: "Comma-separated presets.") var presets = "small,paper"
    @Option(help: "Timed repetitions (median reported).") var runs = 3
    @Option(help: "Batch size / episodes per update.") var batch = 32
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        BLASSetup.prepare()
        let graph = try GraphSource.load(task, datasets: graphOptions.datasets)
        let spec = GameSpec(graph: graph)
        var results: [PolicyBenchmark.PresetResult] = []
        for name in presets.split(separator: ",").map(String.init) {
            guard let config = NetworkConfig.preset(name) else { throw CLIError("unknown preset '\(name)'") }
            let r = try PolicyBenchmark.measure(config: config, task: graph.name, spec: spec, batch: batch, runs: runs)
            results.append(r)
            if !json {
                print(
                    "\(name): forward(\(batch)×\(r.tokens)) \(rounded(r.forwardMs)) ms, rollout of \(batch) episodes \(rounded(r.rolloutMs)) ms, replay \(rounded(r.replayMs)) ms, PPO update \(rounded(r.updateMs)) ms"
                )
            }
        }
        if json { print(PolicyBenchmark.json(results, task: graph.name, runs: runs).text) }
    }
}
