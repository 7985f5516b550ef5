import ArgumentParser
import Checkpoint
import Checksum
import Cluster
import ClusterShell
import Console
import Elimination
import Foundation
import PPO
import Wire

/// `ccelim learner`: PPO on the episodes the coordinator routes to it; publishes weights after
/// every update and the best orders it finds; logs to the run folder.
struct LearnerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learner", abstract: "Run PPO updates on the cluster's episodes and publish the weights (head node).")

    @Option(help: "The coordinator (default: [coordinator] advertise).") var connect: String?
    @Option(help: "Continue from this checkpoint.") var resume: String?
    @Option(help: "The run folder (default: <runs_directory>/<name> from the config).") var runDir: String?
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var graphOptions: GraphOptions

    func run() throws {
        BLASSetup.prepare()
        cluster.prepareProcess()
        let config = try cluster.load()
        let log = RoleLog(prefix: "learner", verbose: cluster.verbose)
        guard let network = NetworkConfig.preset(config.learner.preset) else { throw CLIError("unknown preset \(config.learner.preset)") }
        let tasks = try ClusterTasks.load(config, datasets: graphOptions.datasets)
        let hp = config.hyperparameters
        let trainer = try ClusterTrainer(graphs: tasks.map(\.graph), network: network, hp: hp, seed: config.run.seed)
        trainer.configText = config.tomlText
        var startVersion: UInt64 = 0
        if let resume {
            let snapshot: TrainerSnapshot
            do {
                snapshot = try CheckpointFile.read(resume)
                startVersion = try trainer.restore(snapshot)
            } catch let e as CheckpointError {
                throw CLIError("cannot resume: \(e)")
            } catch let e as PPOError {
                throw CLIError("cannot resume from \(resume): \(e)")
            }
            log.line("resumed from \(resume): update \(trainer.updates), policy v\(startVersion), \(trainer.episodes) episodes")
        }
        // A resumed run continues in its checkpoint's folder unless told otherwise.
        let directory = runDir ?? resume.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
            ?? "\(config.run.runsDirectory)/\(config.run.name)"
        let checkpoints = CheckpointDirectory(path: directory, keep: config.learner.keepCheckpoints)
        let files = try LearnerRunFiles(directory: directory)
        // The HDF5 episode log (Docs/CHECKPOINT.md), readable with h5py while the learner trains.
        let episodeLog: EpisodeLog
        do {
            episodeLog = try EpisodeLog.resume(at: "\(directory)/episodes.h5", tasks: trainer.taskNames, codeVersion: ccelimVersion,
                                               checkpointUpdates: trainer.updates, checkpointEpisodes: trainer.episodes)
        } catch {
            throw CLIError("cannot open the episode log: \(error)")
        }
        defer { try? episodeLog.close() }
        log.line("tasks \(trainer.taskNames.joined(separator: ", ")), preset \(network.name), \(trainer.network.parameterCount) parameters, seed \(config.run.seed), run folder \(directory)")
        log.line(hp.summary.map { "\($0.0)=\($0.1)" }.joined(separator: " ") + " max_policy_lag=\(config.learner.maxPolicyLag) max_queued_episodes=\(config.coordinatorHoldThreshold) gradients=\(config.learner.gradients)")
        let core = LearnerCore(settings: LearnerSettings(numEnvs: hp.numEnvs, maxPolicyLag: config.learner.maxPolicyLag,
                                                          maxQueuedEpisodes: config.coordinatorHoldThreshold, taskCount: tasks.count),
                               policyVersion: startVersion)
        let start = Date()
        do {
            let node = try LearnerNode(trainer: trainer, core: core, connect: connect ?? config.coordinator.advertise,
                                       security: try config.security.client(), heartbeatIntervalMs: config.heartbeat.intervalMs,
                                       liveness: config.heartbeat.liveness, maxUpdates: config.learner.updates,
                                       checkpointEvery: config.learner.checkpointEvery,
                                       distributedGradients: config.learner.gradients == "actors",
                                       checkpoint: { snapshot in
                                           let path = try checkpoints.save(snapshot, codeVersion: ccelimVersion)
                                           log.line("checkpoint \(path) (update \(snapshot.updates), v\(snapshot.policyVersion))")
                                       }, log: log)
            node.onUpdate = { p in
                let m = p.report.metrics
                log.line(String(format: "update %d v%llu  %d episodes in %.2f s  mean %.1f  batch best %d  best %d  queued %d  stale %llu  kl %.4f  ent %.3f",
                                p.report.update, p.policyVersion, p.report.episodes, p.seconds, p.report.meanCost, p.report.batchBest,
                                trainer.best.compactMap { $0?.cost }.min() ?? 0, p.queued, p.droppedStale, m.approxKL, m.entropy))
                files.record(p, trainer: trainer, seconds: Date().timeIntervalSince(start))
                let time = episodeLog.wallTimeOffset + Date().timeIntervalSince(start)
                let firstID = trainer.episodes - p.report.played.count
                let rows = zip(p.report.played, p.report.costs).enumerated().map { i, pair in
                    EpisodeLog.EpisodeRow(id: Int64(firstID + i), task: Int32(pair.0.task), actor: Int32(bitPattern: pair.0.actor),
                                          policyVersion: Int64(bitPattern: pair.0.policyVersion), cost: Int64(pair.1),
                                          order: pair.0.order, wallTime: time)
                }
                do {
                    try episodeLog.append(episodes: rows, update: EpisodeLog.UpdateRow(
                        update: Int64(p.report.update), wallTime: time, seconds: p.seconds, episodes: Int64(trainer.episodes),
                        steps: Int64(trainer.steps), meanCost: p.report.meanCost, batchBestCost: Int64(p.report.batchBest),
                        bestCost: Int64(trainer.best.compactMap { $0?.cost }.min() ?? 0), metrics: p.report.metrics))
                } catch {
                    log.line("episode log: \(error) (training continues; the log stops here)")
                }
            }
            try node.run { SignalTrap.stopRequested }
            try files.writeSummary(trainer: trainer, core: node.core, seconds: Date().timeIntervalSince(start))
        } catch let e as ShellError {
            throw CLIError(e.description)
        }
    }
}

/// The learner's files in the run folder: `updates.jsonl` (one object per update, flushed, with
/// the weights checksum so two runs can be compared bit for bit) and `summary.json` at the end.
final class LearnerRunFiles {
    let directory: String
    private let updates: FileHandle

    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/updates.jsonl"
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw CLIError("cannot write \(path)") }
        handle.seekToEndOfFile()
        updates = handle
    }

    func record(_ p: LearnerProgress, trainer: ClusterTrainer, seconds: Double) {
        let m = p.report.metrics
        let line = JSON.object([
            ("update", .int(p.report.update)), ("policy_version", .int(Int(p.policyVersion))), ("episodes", .int(p.report.episodes)),
            ("mean_cost", .double(p.report.meanCost)), ("batch_best", .int(p.report.batchBest)),
            ("weights_checksum", .string(String(FNV1a64.checksum(of: trainer.network.parameterArray()), radix: 16))),
            ("dropped_stale", .int(Int(p.droppedStale))), ("queued", .int(p.queued)), ("update_seconds", .double(p.seconds)),
            ("seconds", .double(seconds)),
        ] + m.named.map { ($0.0, JSON.double(Double($0.1))) }).text
        updates.write(Data((line + "\n").utf8))
    }

    func writeSummary(trainer: ClusterTrainer, core: LearnerCore, seconds: Double) throws {
        let text = JSON.object([
            ("tasks", .array(trainer.taskNames.map { .string($0) })), ("updates", .int(trainer.updates)),
            ("episodes", .int(trainer.episodes)), ("policy_version", .int(Int(core.policyVersion))), ("seconds", .double(seconds)),
            ("dropped_stale", .int(Int(core.droppedStale))), ("dropped_overflow", .int(Int(core.droppedOverflow))),
            ("lag_histogram", .object(core.lagHistogram.sorted { $0.key < $1.key }.map { ("\($0.key)", .int(Int($0.value))) })),
            ("weights_checksum", .string(String(FNV1a64.checksum(of: trainer.network.parameterArray()), radix: 16))),
            ("best", .array(trainer.taskNames.indices.map { i in
                guard let b = trainer.best[i] else { return .object([("task", .string(trainer.taskNames[i])), ("cost", .null)]) }
                return .object([("task", .string(trainer.taskNames[i])), ("cost", .int(b.cost)), ("order", .ints(b.order))])
            })),
        ]).text
        try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: "\(directory)/summary.json"), options: .atomic)
    }
}
