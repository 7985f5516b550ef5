import ArgumentParser
import Console
import Elimination
import Foundation
import PPO

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
        let trainer = run.trainer
        let baselines = BaselineSummary(spec: trainer.spec)
        let log = Log(toStderr: json)
        var curve: [JSON] = []
        var reached: [(String, Int, Double?)] = [("markowitz", baselines.markowitz, nil), ("reverse", baselines.reverse, nil),
                                                 ("forward", baselines.forward, nil), ("best_baseline", baselines.best, nil)]
        let start = Date()
        var lastBest = Int.max
        while Date().timeIntervalSince(start) < minutes * 60 {
            let report = try run.runUpdate()
            let t = Date().timeIntervalSince(start)
            for i in reached.indices where reached[i].2 == nil && report.best <= reached[i].1 { reached[i].2 = t }
            if report.best < lastBest || report.update % 10 == 0 {
                curve.append(.object([("seconds", .double((t * 10).rounded() / 10)), ("update", .int(report.update)),
                                      ("episodes", .int(trainer.episodes)), ("best_cost", .int(report.best)),
                                      ("mean_cost", .double((report.meanCost * 10).rounded() / 10))]))
                lastBest = report.best
            }
            log.line(String(format: "%7.1fs update %4d  mean %8.1f  batch best %6d  best %6d  entropy %.3f  kl %.4f",
                            t, report.update, report.meanCost, report.batchBest, report.best, report.metrics.entropy, report.metrics.approxKL))
        }
        let best = trainer.best!
        let confirmed = try Baselines.score(best.order, on: trainer.spec).cost
        guard confirmed == best.cost else { throw CLIError("internal error: best order re-scores to \(confirmed)") }
        let result = JSON.object([
            ("benchmark", .string("learning")), ("task", .string(graph.name)), ("preset", .string(network.name)),
            ("seed", .int(Int(seed))), ("minutes", .double(minutes)), ("learning_rate", .double(Double(hp.learningRate))),
            ("num_envs", .int(hp.numEnvs)), ("update_epochs", .int(hp.updateEpochs)),
            ("blas_coretype", .string(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "auto")),
            ("updates", .int(trainer.updates)), ("episodes", .int(trainer.episodes)),
            ("best_cost", .int(best.cost)), ("best_order", .ints(best.order)),
            ("baselines", .object([("forward", .int(baselines.forward)), ("reverse", .int(baselines.reverse)), ("markowitz", .int(baselines.markowitz))])),
            ("seconds_to_reach", .object(reached.map { ($0.0, $0.2.map { .double(($0 * 10).rounded() / 10) } ?? .null) })),
            ("curve", .array(curve)),
        ])
        print(result.text)
    }
}
