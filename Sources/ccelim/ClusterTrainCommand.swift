import ArgumentParser
import ClusterShell
import PPO

/// Flags of `ccelim train` that only the cluster mode has.
struct ClusterTrainOptions: ParsableArguments {
    @Option(help: "Actor processes of the local cluster (default: [actors] per_host, 0 meaning one per core).")
    var actors: Int?
    @Option(help: "cluster.toml to start from (default: ./cluster.toml when present); flags override it.") var config:
        String?
    @Flag(help: "Synchronous mode: one actor, max_policy_lag 0 — bit-reproducible runs (slow).") var sync = false
    @Flag(name: [.short, .long], help: "Show every role's detailed log.") var verbose = false
}

extension TrainCommand {
    /// `ccelim train` without `--solo`: the embedded cluster (`EmbeddedCluster`, in ClusterShell)
    /// on cluster.toml (`--config`) with the flags applied.
    func runCluster(algorithm: AlgorithmKind?) throws {
        let base = ClusterOptions.parseOrExit(cluster.config.map { ["--config", $0] } ?? [])
        var embedded = EmbeddedCluster(
            config: try base.load(), task: task, preset: preset, seed: seed, updates: updates, minutes: minutes,
            envs: envs, actors: cluster.actors, sync: cluster.sync, runDir: runDir, datasets: graphOptions.datasets,
            resume: resume, json: json, verbose: cluster.verbose)
        embedded.algorithm = algorithm
        embedded.alphaZero = alphaZero
        embedded.initialize = initialize
        let outcome = try embedded.run()
        if json {
            print(outcome.json.text)
        } else {
            for line in outcome.lines { print(line) }
        }
    }
}
