import ArgumentParser
import Checkpoint
import Console
import Elimination
import Foundation
import PPO

/// `ccelim bench checkpoint`: milliseconds to write (atomically, fsynced) and to read (verified)
/// a checkpoint of a preset's network, and the episode log's cost per episode as a share of
/// training time, measured on real updates in the same run.
struct CheckpointBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Checkpoint write/read time and episode-logging overhead (JSON)."
    )

    @Option(help: "Task.") var task = "RoeFlux_1d"
    @Option(help: "Network preset.") var preset = "paper"
    @Option(help: "Timed checkpoint writes and reads (median reported).") var runs = 5
    @Option(help: "Training updates over which the logging overhead is measured.") var updates = 3
    @Option(help: "Episodes per update (default: the paper's per-task value).") var envs: Int?
    @Option(help: "Directory for the files (default: a fresh temporary directory, removed after).") var dir: String?
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        if runs < 1 || updates < 1 { throw ValidationError("--runs and --updates must be at least 1") }
    }

    func run() throws {
        BLASSetup.prepare()
        guard let network = NetworkConfig.preset(preset) else { throw CLIError("unknown preset '\(preset)'") }
        let graph = try GraphSource.load(task, datasets: graphOptions.datasets)
        var hp = Hyperparameters.preset(task: graph.name)
        if let envs { hp.numEnvs = envs }
        let run = try SoloRun(graph: graph, network: network, hp: hp, seed: 1)
        let trainer = run.trainer
        let directory = dir ?? FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if dir == nil { try? FileManager.default.removeItem(atPath: directory) } }

        // Logging overhead: the log's append (rows, orders, flush) against the update it records.
        let log = try EpisodeLog.create(at: directory + "/episodes.h5", tasks: [graph.name], codeVersion: ccelimVersion)
        var trainSeconds = 0.0, logSeconds = 0.0
        let start = now()
        for _ in 0..<updates {
            let t0 = now()
            let report = try run.runUpdate()
            let t1 = now()
            try log.append(report, totalEpisodes: trainer.episodes, totalSteps: trainer.steps, wallTime: t1 - start, seconds: t1 - t0)
            logSeconds += now() - t1
            trainSeconds += t1 - t0
        }
        try log.close()
        let episodes = trainer.episodes

        // Checkpoints: what training does (numbered file + link + prune), and a full verified read.
        let checkpoints = CheckpointDirectory(path: directory, keep: 2)
        let snapshot = run.snapshot()
        var writes: [Double] = [], reads: [Double] = []
        for _ in 0..<runs {
            let t0 = now()
            try checkpoints.save(snapshot, codeVersion: ccelimVersion)
            writes.append((now() - t0) * 1000)
            let t1 = now()
            let back = try CheckpointFile.read(checkpoints.latestPath)
            reads.append((now() - t1) * 1000)
            guard back == snapshot else { throw CLIError("internal error: the checkpoint read back differs from the snapshot") }
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: checkpoints.latestPath)[.size] as? Int) ?? 0
        let updateMs = trainSeconds / Double(updates) * 1000
        let overhead = logSeconds / trainSeconds * 100
        let logPerEpisodeUs = logSeconds / Double(episodes) * 1e6
        let writeMs = median(writes), readMs = median(reads)

        if json {
            func r(_ x: Double, _ digits: Double = 100) -> JSON { .double((x * digits).rounded() / digits) }
            print(JSON.object([
                ("benchmark", .string("checkpoint")), ("build", .string(buildConfiguration)), ("task", .string(graph.name)),
                ("preset", .string(network.name)), ("parameters", .int(trainer.network.parameterCount)), ("file_bytes", .int(bytes)),
                ("runs", .int(runs)), ("write_ms", r(writeMs)), ("read_ms", r(readMs)),
                ("write_ms_runs", .array(writes.map { r($0) })), ("read_ms_runs", .array(reads.map { r($0) })),
                ("updates", .int(updates)), ("episodes", .int(episodes)), ("update_ms", r(updateMs, 10)),
                ("log_us_per_episode", r(logPerEpisodeUs)), ("log_overhead_percent", r(overhead, 1000)),
                ("checkpoint_every_10_overhead_percent", r(writeMs / (10 * updateMs) * 100, 1000)),
            ]).text)
        } else {
            print(String(format: "%@ %@ (%d parameters, %d bytes): write %.1f ms, read %.1f ms (median of %d)",
                         graph.name, network.name, trainer.network.parameterCount, bytes, writeMs, readMs, runs))
            print(String(format: "logging: %.1f µs per episode, %.3f %% of training time (%d updates of %.0f ms, %d episodes)",
                         logPerEpisodeUs, overhead, updates, updateMs, episodes))
        }
    }

    private func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
