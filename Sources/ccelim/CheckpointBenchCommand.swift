import ArgumentParser
import Benchmarks
import Foundation
import PPO
import TaskFiles

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
        let directory =
            dir
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if dir == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let r = try CheckpointBenchmark.measure(
            run: run, directory: directory, runs: runs, updates: updates, codeVersion: ccelimVersion)
        if json {
            print(r.json.text)
        } else {
            print(
                String(
                    format: "%@ %@ (%d parameters, %d bytes): write %.1f ms, read %.1f ms (median of %d)",
                    r.task, r.preset, r.parameters, r.fileBytes, r.writeMs, r.readMs, runs))
            print(
                String(
                    format:
                        "logging: %.1f µs per episode, %.3f %% of training time (%d updates of %.0f ms, %d episodes)",
                    r.logMicrosecondsPerEpisode, r.logOverheadPercent, updates, r.updateMs, r.episodes))
        }
    }
}
