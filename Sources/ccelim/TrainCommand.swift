import ArgumentParser
import Checkpoint
import Checksum
import Console
import Elimination
import Foundation
import PPO
import TaskFiles
import Training
import Wire

/// `ccelim train`: PPO on one task. By default an embedded cluster — coordinator, learner and
/// actors as child processes over ZeroMQ on loopback (ClusterTrainCommand.swift); with `--solo`
/// actor and learner in this process, with checkpoints and an episode log in `--run-dir`,
/// resumable with `--resume`.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Learn elimination orders with PPO: an embedded cluster on loopback, or one process with --solo.",
        discussion: """
            With --run-dir DIR the run writes DIR/checkpoint.h5 (plus numbered checkpoint-NNNNNN.h5, \
            the newest --keep-checkpoints kept) every --checkpoint-every updates and at the end, and \
            DIR/episodes.h5 as it goes (readable with h5py while training runs; Docs/CHECKPOINT.md). \
            --resume DIR/checkpoint.h5 continues such a run exactly; --updates is the run's total.
            """
    )

    @Flag(help: "Actor and learner in this process (no coordinator, no sockets).") var solo = false
    @OptionGroup var cluster: ClusterTrainOptions
    @Option(
        help:
            "Task name, .graph or .jaxpr file, or several task names separated by commas for joint training (default RoeFlux_1d; when resuming, the checkpoint's tasks)."
    ) var task: String?
    @Option(help: "Network preset: paper or small (default small; when resuming, the checkpoint's network).")
    var preset: String?
    @Option(help: "The run's seed: it drives every random stream (default 1; when resuming, the checkpoint's).")
    var seed: UInt64?
    @Option(help: "The run's total number of updates (a resumed run counts those already done).") var updates: Int?
    @Option(help: "Stop after this many minutes (checked between updates).") var minutes: Double?
    @Option(help: "Episodes per update (default: the paper's per-task value).") var envs: Int?
    @Option(help: "Updates over which the learning rate decays (default: --updates, else 500).") var scheduleUpdates:
        Int?
    @Option(help: "Write checkpoints and episodes.h5 here (default when resuming: the checkpoint's directory).")
    var runDir: String?
    @Option(help: "Checkpoint every this many updates (and always at the end).") var checkpointEvery = 10
    @Option(help: "Numbered checkpoints to keep.") var keepCheckpoints = 3
    @Option(help: "Continue the run saved in this checkpoint file.") var resume: String?
    @Flag(
        help:
            "If the --resume file is damaged, resume from the newest intact numbered checkpoint in its directory (and say so)."
    )
    var resumeFallback = false
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON summary at the end (progress goes to stderr).") var json = false

    func validate() throws {
        if let updates, updates < 1 { throw ValidationError("--updates must be at least 1") }
        if let minutes, minutes <= 0 { throw ValidationError("--minutes must be positive") }
        if let envs, envs < 1 { throw ValidationError("--envs must be at least 1") }
        if let scheduleUpdates, scheduleUpdates < 1 { throw ValidationError("--schedule-updates must be at least 1") }
        if checkpointEvery < 1 { throw ValidationError("--checkpoint-every must be at least 1") }
        if keepCheckpoints < 1 { throw ValidationError("--keep-checkpoints must be at least 1") }
        if resumeFallback && resume == nil { throw ValidationError("--resume-fallback needs --resume PATH") }
    }

    func run() throws {
        BLASSetup.prepare()
        guard solo else {
            // These are the single-process trainer's; the cluster reads them from cluster.toml.
            // Refuse rather than ignore them silently.
            let soloOnly = [
                ("--schedule-updates", scheduleUpdates != nil, "learner.schedule_updates"),
                ("--checkpoint-every", checkpointEvery != 10, "learner.checkpoint_every"),
                ("--keep-checkpoints", keepCheckpoints != 3, "learner.keep_checkpoints"),
                ("--resume-fallback", resumeFallback, nil),
            ]
            if let (flag, _, key) = soloOnly.first(where: { $0.1 }) {
                throw CLIError(
                    "\(flag) applies to `ccelim train --solo`; in cluster mode "
                        + (key.map { "set \($0) in cluster.toml (--config)" } ?? "resume from an intact checkpoint file")
                )
            }
            // The embedded cluster: coordinator, learner and actors as child processes on loopback.
            return try ClusterTrain(
                task: task, preset: preset, seed: seed, updates: updates, minutes: minutes, envs: envs,
                runDir: runDir, datasets: graphOptions.datasets, resume: resume, json: json, options: cluster
            ).run()
        }
        let log = Log(toStderr: json)
        let resumed = try resume.map { try ResumeSource.load($0, fallback: resumeFallback, log: log) }
        let snapshot = resumed?.snapshot

        // One task, or several separated by commas: joint training, one policy for all of them.
        var graphs: [ComputationalGraph] = []
        if task == nil, let stored = snapshot?.tasks {
            // A checkpoint stores task names; a run on a graph or jaxpr file needs that file again.
            for name in stored {
                do {
                    graphs.append(try GraphSource.load(name, datasets: graphOptions.datasets))
                } catch {
                    throw CLIError(
                        "the checkpoint trains '\(name)', which is not a task in Datasets/ (\(error)); pass its graph file with --task FILE"
                    )
                }
            }
        } else {
            let requested = task ?? "RoeFlux_1d"
            let names =
                FileManager.default.fileExists(atPath: requested)
                ? [requested]
                : requested.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard !names.isEmpty, !names.contains(where: \.isEmpty) else {
                throw CLIError("--task: give a task name, a file, or names separated by commas")
            }
            for name in names { graphs.append(try GraphSource.load(name, datasets: graphOptions.datasets)) }
            guard Set(graphs.map(\.name)).count == graphs.count else {
                throw CLIError("--task names the same task twice")
            }
        }
        let graph = graphs[0]
        let network: NetworkConfig
        if let preset {
            guard let chosen = NetworkConfig.preset(preset) else {
                throw CLIError("unknown --preset '\(preset)'; use paper or small")
            }
            network = chosen
        } else {
            network = snapshot?.network ?? .small
        }
        let hp = try hyperparameters(task: graph.name, resuming: snapshot)
        if let snapshot, let seed, seed != snapshot.seed {
            throw CLIError(
                "--seed \(seed) differs from the checkpoint's seed \(snapshot.seed); a resumed run keeps its seed (drop --seed)"
            )
        }
        let runSeed = snapshot?.seed ?? seed ?? 1

        let run = try SoloRun(graphs: graphs, network: network, hp: hp, seed: runSeed)
        let trainer = run.trainer
        if let resumed {
            do {
                try run.restore(resumed.snapshot)
            } catch {
                throw CLIError("cannot resume from \(resumed.path): \(error)")
            }
            trainer.configText =
                resumed.snapshot.configText + "\nresumed = \(commandLine) (at update \(trainer.updates))"
        } else {
            trainer.configText = configText(
                task: trainer.taskNames.joined(separator: ","), network: network, seed: runSeed, hp: hp)
        }
        let maxUpdates = updates ?? (minutes == nil ? max(100, trainer.updates) : Int.max)
        let deadline = minutes.map { Date().addingTimeInterval($0 * 60) }
        for spec in trainer.specs {
            let b = BaselineSummary(spec: spec)
            log.line(
                "train: task \(spec.name), \(spec.eliminable.count) eliminable, baselines forward \(b.forward), reverse \(b.reverse), markowitz \(b.markowitz)"
            )
        }
        log.line(
            "train: preset \(network), \(trainer.network.parameterCount) parameters, seed \(runSeed)\(graphs.count > 1 ? ", joint training on \(graphs.count) tasks" : "")"
        )
        log.line("train: " + trainer.learner.hp.summary.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
        if let resumed {
            log.line(
                "train: resumed from \(resumed.path) at update \(trainer.updates) (\(trainer.episodes) episodes); running to update \(maxUpdates)"
            )
        }

        let directory = runDir ?? resumed.map { URL(fileURLWithPath: $0.path).deletingLastPathComponent().path }
        let folder: RunFolder?
        do {
            folder = try directory.map {
                try RunFolder(
                    path: $0, trainer: trainer, fresh: resumed == nil, checkpointEvery: checkpointEvery,
                    keep: keepCheckpoints, codeVersion: ccelimVersion)
            }
        } catch {
            throw CLIError("\(error)")
        }

        let start = Date()
        while trainer.updates < maxUpdates {
            if let deadline, Date() >= deadline { break }
            let t0 = Date()
            let report: UpdateReport
            do {
                report = try run.runUpdate()
            } catch let error as PPOError {
                throw CLIError("training stopped at update \(trainer.updates + 1): \(error)")
            }
            let seconds = Date().timeIntervalSince(t0)
            let m = report.metrics
            // The rate over the run so far: steady, not a per-update figure that jumps.
            let rate =
                Double(trainer.episodes - (resumed?.snapshot.episodes ?? 0))
                / max(Date().timeIntervalSince(start), 1e-9)
            log.line(
                String(
                    format:
                        "update %4d  eps/s %6.1f  mean %8.1f  batch best %6d  best %6d  pg %+.4f  v %.4f  ent %.3f  kl %.4f  clip %.3f  ev %+.2f  lr %.2e",
                    report.update, rate, report.meanCost, report.batchBest, report.best,
                    m.policyLoss, m.valueLoss, m.entropy, m.approxKL, m.clipFraction, m.explainedVariance,
                    m.learningRate)
                    + (graphs.count > 1
                        ? "  best per task "
                            + trainer.taskNames.indices.map { "\(trainer.taskNames[$0]) \(report.bestByTask[$0] ?? 0)" }
                            .joined(separator: ", ") : ""))
            do {
                try folder?.record(
                    report, trainer: trainer, dropped: trainer.refused, wallTime: Date().timeIntervalSince(start),
                    seconds: seconds, snapshot: run.snapshot)
            } catch {
                throw CLIError("training stopped after update \(trainer.updates): \(error)")
            }
        }
        let elapsed = Date().timeIntervalSince(start)
        let summary = RunSummary(
            trainer: trainer, seconds: elapsed, dropped: trainer.refused,
            weightsChecksum: String(FNV1a64.checksum(of: trainer.network.parameterArray()), radix: 16))
        do {
            try folder?.save(run.snapshot())
            try folder?.writeSummary(summary)
            try folder?.close()
        } catch {
            throw CLIError("\(error)")
        }
        // Never report an order the game does not confirm.
        for (task, b) in trainer.bestByTask {
            let confirmed = try Baselines.score(b.order, on: trainer.specs[task]).cost
            guard confirmed == b.cost else {
                throw CLIError(
                    "internal error: best order of \(trainer.taskNames[task]) re-scores to \(confirmed), not \(b.cost)")
            }
        }
        if json {
            var extra: [(String, JSON)] = [
                ("preset", .string(network.name)), ("seed", .int(Int(truncatingIfNeeded: runSeed))),
            ]
            if let folder { extra.append(("checkpoint", .string(folder.checkpoints.latestPath))) }
            if let resumed { extra.append(("resumed_from", .string(resumed.path))) }
            print(summary.commandJSON(seconds: elapsed, extra: extra).text)
        } else {
            for line in summary.lines(seconds: elapsed) { print(line) }
            if let folder { print("checkpoint: \(folder.checkpoints.latestPath)") }
        }
    }

    /// A fresh run's from the task preset and flags; a resumed run keeps the checkpoint's, and
    /// refuses flags that would change them mid-run.
    private func hyperparameters(task: String, resuming snapshot: TrainerSnapshot?) throws -> Hyperparameters {
        if let snapshot {
            let hp = snapshot.hyperparameters
            if let envs, envs != hp.numEnvs {
                throw CLIError(
                    "--envs \(envs) differs from the checkpoint's \(hp.numEnvs); a resumed run keeps its hyperparameters (drop --envs)"
                )
            }
            if let scheduleUpdates, scheduleUpdates != hp.scheduleUpdates {
                throw CLIError(
                    "--schedule-updates \(scheduleUpdates) differs from the checkpoint's \(hp.scheduleUpdates); a resumed run keeps its hyperparameters"
                )
            }
            return hp
        }
        var hp = Hyperparameters.preset(task: task)
        if let envs { hp.numEnvs = envs }
        if let schedule = scheduleUpdates ?? updates { hp.scheduleUpdates = schedule }
        return hp
    }

    /// What the checkpoint's `config` attribute holds: the command and every setting, one per line.
    private func configText(task: String, network: NetworkConfig, seed: UInt64, hp: Hyperparameters) -> String {
        (["command = \(commandLine)", "mode = solo", "task = \(task)", "preset = \(network.name)", "seed = \(seed)"]
            + hp.summary.map { "\($0.0) = \($0.1)" }).joined(separator: "\n")
    }

    private var commandLine: String {
        (["ccelim"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
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
