import ArgumentParser
import Elimination
import Foundation
import PPO

/// `ccelim train --solo …`: PPO in one process (actor + learner) on one task. The cluster mode
/// (coordinator, actors, learner over ZeroMQ) is issue 5 and is not built yet.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Learn elimination orders with PPO (single process with --solo)."
    )

    @Flag(help: "Actor and learner in this process (the only mode available so far).") var solo = false
    @Option(help: "Task name, .graph or .jaxpr file.") var task = "RoeFlux_1d"
    @Option(help: "Network preset: paper or small.") var preset = "small"
    @Option(help: "The run's seed: it drives every random stream.") var seed: UInt64 = 1
    @Option(help: "Stop after this many updates.") var updates: Int?
    @Option(help: "Stop after this many minutes (checked between updates).") var minutes: Double?
    @Option(help: "Episodes per update (default: the paper's per-task value).") var envs: Int?
    @Option(help: "Write metrics.jsonl and best.json here.") var runDir: String?
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON summary at the end (progress goes to stderr).") var json = false

    func validate() throws {
        if let updates, updates < 1 { throw ValidationError("--updates must be at least 1") }
        if let minutes, minutes <= 0 { throw ValidationError("--minutes must be positive") }
        if let envs, envs < 1 { throw ValidationError("--envs must be at least 1") }
    }

    func run() throws {
        BLASSetup.prepare()
        guard solo else {
            throw CLIError("the cluster mode of `ccelim train` is not built yet (issue 5); run `ccelim train --solo`")
        }
        guard let network = NetworkConfig.preset(preset) else {
            throw CLIError("unknown --preset '\(preset)'; use paper or small")
        }
        let graph = try GraphSource.load(task, datasets: graphOptions.datasets)
        var hp = Hyperparameters.preset(task: graph.name)
        if let envs { hp.numEnvs = envs }
        if let updates { hp.scheduleUpdates = updates }
        let maxUpdates = updates ?? (minutes == nil ? 100 : Int.max)
        let deadline = minutes.map { Date().addingTimeInterval($0 * 60) }

        let trainer = try SoloTrainer(graph: graph, network: network, hp: hp, seed: seed)
        let baselines = BaselineSummary(spec: trainer.spec)
        let log = Log(toStderr: json)
        log.line("train: task \(graph.name), \(trainer.spec.eliminable.count) eliminable, preset \(network), \(trainer.network.parameterCount) parameters, seed \(seed)")
        log.line("train: baselines forward \(baselines.forward), reverse \(baselines.reverse), markowitz \(baselines.markowitz)")
        log.line("train: " + hp.summary.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
        let recorder = try runDir.map { try RunRecorder(directory: $0) }

        let start = Date()
        while trainer.updates < maxUpdates {
            if let deadline, Date() >= deadline { break }
            let t0 = Date()
            let report: SoloTrainer.Report
            do {
                report = try trainer.runUpdate()
            } catch let error as PPOError {
                throw CLIError("training stopped at update \(trainer.updates + 1): \(error)")
            }
            let seconds = Date().timeIntervalSince(t0)
            let m = report.metrics
            log.line(String(format: "update %4d  eps/s %6.1f  mean %8.1f  batch best %6d  best %6d  pg %+.4f  v %.4f  ent %.3f  kl %.4f  clip %.3f  ev %+.2f  lr %.2e",
                            report.update, Double(report.episodes) / seconds, report.meanCost, report.batchBest, report.best,
                            m.policyLoss, m.valueLoss, m.entropy, m.approxKL, m.clipFraction, m.explainedVariance, m.learningRate))
            try recorder?.record(report: report, seconds: Date().timeIntervalSince(start), episodes: trainer.episodes)
        }
        let elapsed = Date().timeIntervalSince(start)
        let best = trainer.best ?? BestOrder(cost: 0, order: [])
        // Never report an order the game does not confirm.
        let confirmed = try Baselines.score(best.order, on: trainer.spec).cost
        guard confirmed == best.cost else { throw CLIError("internal error: best order re-scores to \(confirmed), not \(best.cost)") }
        try recorder?.writeBest(task: graph.name, best: best, baselines: baselines)
        if json {
            print(JSON.object([
                ("task", .string(graph.name)), ("updates", .int(trainer.updates)), ("episodes", .int(trainer.episodes)),
                ("seconds", .double((elapsed * 100).rounded() / 100)), ("best_cost", .int(best.cost)),
                ("best_order", .ints(best.order)), ("preset", .string(network.name)), ("seed", .int(Int(seed))),
                ("baselines", .object([("forward", .int(baselines.forward)), ("reverse", .int(baselines.reverse)), ("markowitz", .int(baselines.markowitz))])),
            ]).text)
        } else {
            print("best order: cost \(best.cost) (forward \(baselines.forward), reverse \(baselines.reverse), markowitz \(baselines.markowitz)) after \(trainer.updates) updates, \(trainer.episodes) episodes, \(String(format: "%.1f", elapsed)) s")
            print("order: \(best.order.map(String.init).joined(separator: ","))")
        }
    }
}

/// Progress lines: stdout for people, stderr when stdout carries JSON for scripts.
struct Log {
    var toStderr: Bool

    func line(_ s: String) {
        if toStderr {
            FileHandle.standardError.write(Data((s + "\n").utf8))
        } else {
            print(s)
            fflush(stdout)
        }
    }
}
