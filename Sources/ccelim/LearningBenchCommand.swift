import ArgumentParser
import Benchmarks
import Console
import PPO
import TaskFiles

/// `ccelim bench learning`: PPO from scratch with a fixed seed; the best order's cost against wall
/// time, and when it first reached each baseline. A benchmark, not a test: it prints figures.
struct LearningBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learning",
        abstract: "PPO from scratch on one task: best cost against wall time (JSON)."
    )

    @Option(help: "Task.") var task = "RoeFlux_1d"
    @Option(help: "Wall-clock budget in minutes.") var minutes = 15.0
    @Option(help: "Seed.") var seed: UInt64 = 1
    @Option(help: "Network preset.") var preset = "small"
    @Option(help: "Learning rate (default: the paper's 2.5e-4).") var lr: Float?
    @Option(help: "Episodes per update (default: the paper's per-task value).") var envs: Int?
    @Option(help: "PPO epochs per update (default 4).") var epochs: Int?
    @Option(help: "Entropy coefficient (default: the paper's per-task value).") var entropy: Float?
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON object (progress on stderr).") var json = false

    func run() throws {
        BLASSetup.prepare()
        guard let network = NetworkConfig.preset(preset) else { throw CLIError("unknown preset '\(preset)'") }
        let graph = try GraphSource.load(task, datasets: graphOptions.datasets)
        var hp = Hyperparameters.preset(task: graph.name)
        if let lr { hp.learningRate = lr }
        if let envs { hp.numEnvs = envs }
        if let epochs { hp.updateEpochs = epochs }
        if let entropy { hp.entropyCoef = entropy }
        let run = try SoloRun(graph: graph, network: network, hp: hp, seed: seed)
        let log = Log(toStderr: json)
        print(try LearningBenchmark.run(run, hp: hp, minutes: minutes, seed: seed, progress: log.line).text)
    }
}
