import AlphaZero
import Checkpoint
import Cluster
import Console
import Foundation
import PPO
import Training
import Wire

/// `ccelim learner`: the run's one trainer (PPO's `Trainer` or `AlphaZeroTrainer`, as
/// `[learner] algorithm` says) on the games the coordinator routes to it (`LearnerNode`);
/// publishes weights after every update and the best orders it finds; writes the run folder
/// (checkpoints, episode log, updates.jsonl, summary.json with the lag histogram and helper faults).
public struct LearnerRun {
    public var config: ClusterConfig
    /// The coordinator; nil: [coordinator] advertise.
    public var connect: String?
    /// The checkpoint to continue.
    public var resume: String?
    /// A new run whose first weights (the version it publishes first) are this checkpoint's
    /// (`InitialWeights`); not with `resume`.
    public var initialize: String?
    /// The run folder; nil: the resumed checkpoint's directory, else <runs_directory>/<name>.
    public var runDir: String?
    /// The parent (`ccelim train`) holds the run folder's lock.
    public var lockHeldByParent: Bool
    public var datasets: String?
    public var codeVersion: String
    /// AlphaZero: seconds of the trained policy's final decode after the last update, on the
    /// weights this learner holds (`FinalDecode.decodeTasks`, as `ccelim train --solo
    /// --final-decode-seconds`); its figures go into summary.json (`final_decode`) and a cheaper
    /// order becomes the task's best there. 0: none.
    public var finalDecodeSeconds = 0.0
    /// Simulations per move of the final search decode (nil: the run's).
    public var decodeSimulations: Int?

    public init(
        config: ClusterConfig, connect: String?, resume: String?, runDir: String?, lockHeldByParent: Bool,
        datasets: String?, codeVersion: String, initialize: String? = nil
    ) {
        self.config = config
        self.connect = connect
        self.resume = resume
        self.initialize = initialize
        self.runDir = runDir
        self.lockHeldByParent = lockHeldByParent
        self.datasets = datasets
        self.codeVersion = codeVersion
    }

    /// Trains until the coordinator ends the run, `updates` are done or `stop` says so. A resumed
    /// AlphaZero run keeps its checkpoint's search settings and games per update
    /// (`SearchAgreement.config`: cluster.toml may leave them out, not name others), and stops if
    /// the coordinator's welcome prescribes another search.
    public func run(log: RoleLog, stop: () -> Bool = { SignalTrap.stopRequested }) throws {
        let stored: TrainerSnapshot?
        do {
            stored = try resume.map { try CheckpointFile.read($0) }
        } catch let e as CheckpointError {
            throw Self.error("cannot resume: \(e)")
        }
        var run = self
        let played: (algorithm: AlgorithmCode, search: SearchSettings)
        do {
            if let stored, let resume {
                (run.config, played) = try ResumedSearch.settle(config, resuming: stored, path: resume)
            } else {
                played = try config.welcomeAlgorithm()
            }
        } catch let e as ShellError {
            throw Self.error(e.description)
        } catch {
            throw Self.error("cluster.toml: \(error)")
        }
        try run.start(resuming: stored, played: played, log: log, stop: stop)
    }

    private func start(
        resuming stored: TrainerSnapshot?, played: (algorithm: AlgorithmCode, search: SearchSettings), log: RoleLog,
        stop: () -> Bool
    ) throws {
        guard let network = NetworkConfig.preset(config.learner.preset) else {
            throw Self.error("unknown preset \(config.learner.preset)")
        }
        if let initialize, let resume {
            throw Self.error(
                "--init \(initialize) starts a new run from a checkpoint's weights, --resume \(resume) continues a run: give one of them"
            )
        }
        let initial: InitialWeights?
        do {
            initial = try initialize.map { try InitialWeights.read($0) }
            try initial?.require(network)
        } catch {
            throw ShellError("\(error)")  // already printable
        }
        // The final decode's two options, checked by the one rule of them (the search comes from
        // cluster.toml here, checked by `welcomeAlgorithm`); the learner's algorithm is cluster.toml's.
        let finalDecode = AlphaZeroOptions(finalDecodeSeconds: finalDecodeSeconds, decodeSimulations: decodeSimulations)
        if let problem = finalDecode.problem(algorithm: config.algorithm, minutes: nil, choice: .clusterConfig) {
            throw Self.error(problem)
        }
        let tasks = try ClusterTasks.load(config, datasets: datasets)
        let graphs = tasks.map(\.graph)
        switch config.algorithm {
        case .ppo:
            let trainer = try Trainer(
                graphs: graphs, network: network, hp: config.hyperparameters, seed: config.run.seed)
            try load(initial, into: trainer)
            try train(
                trainer, initial: initial, stored: stored, played: played,
                distributed: config.learner.gradients == "actors" ? .ppo(trainer) : nil,
                extraSettings: " gradients=\(config.learner.gradients)", decodeSettings: { nil }, log: log, stop: stop)
        case .alphaZero:
            let trainer = try AlphaZeroTrainer(
                graphs: graphs, network: network, settings: config.alphaZeroHyperparameters, seed: config.run.seed)
            try load(initial, into: trainer)
            try train(
                trainer, initial: initial, stored: stored, played: played, distributed: nil,
                extraSettings: " gradients=learner", decodeSettings: { trainer.algorithm.hp }, log: log, stop: stop)
        }
    }

    /// Puts `--init`'s weights into a new trainer, before anything is published, as policy
    /// version 1 (fresh optimiser and update counter): version 0 is by protocol the seed's policy,
    /// which actors hold before any weights come; this learner publishes version 1 as soon as the
    /// coordinator welcomes it and trains on no game of version 0 (`LearnerSettings.oldestVersion`).
    private func load<Algorithm: TrainingAlgorithm>(
        _ initial: InitialWeights?, into trainer: AlgorithmTrainer<Algorithm>
    ) throws {
        guard let initial else { return }
        do {
            try initial.load(into: trainer.network)
        } catch {
            throw ShellError("\(error)")  // already printable
        }
        trainer.adopt(policyVersion: Self.initialVersion)
    }

    /// The policy version of `--init`'s weights.
    static let initialVersion: UInt64 = 1

    /// The run with `trainer`, whatever its algorithm.
    private func train<Algorithm: TrainingAlgorithm>(
        _ trainer: AlgorithmTrainer<Algorithm>, initial: InitialWeights?, stored: TrainerSnapshot?,
        played: (algorithm: AlgorithmCode, search: SearchSettings), distributed: DistributedSteps<Algorithm>?,
        extraSettings: String, decodeSettings: () -> AlphaZeroHyperparameters?, log: RoleLog, stop: () -> Bool
    ) throws where Algorithm.Game: WireGame {
        let network = trainer.network.config
        // The same lines as a solo run's (`InitialWeights.configLines`) after the effective cluster.toml.
        trainer.configText = config.tomlText + (initial.map { "\n" + $0.configLines.joined(separator: "\n") } ?? "")
        if let resume, let stored {
            do {
                try trainer.restore(stored)
            } catch {
                throw Self.error("cannot resume from \(resume): \(error)")
            }
            log.line(
                "resumed from \(resume): update \(trainer.updates), policy v\(trainer.policyVersion), \(trainer.episodes) episodes"
            )
        }
        // A resumed run continues in its checkpoint's folder unless told otherwise.
        let directory =
            runDir ?? resume.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
            ?? "\(config.run.runsDirectory)/\(config.run.name)"
        let folder: RunFolder
        do {
            // Without --resume this is a new run: a folder that holds one is refused, not reset.
            folder = try RunFolder(
                path: directory, trainer: trainer, fresh: resume == nil,
                checkpointEvery: config.learner.checkpointEvery,
                keep: config.learner.keepCheckpoints, codeVersion: codeVersion,
                lockHeldByParent: lockHeldByParent)
        } catch {
            throw Self.error("\(error)")
        }
        log.line(
            "tasks \(trainer.taskNames.joined(separator: ", ")), preset \(network.name), \(trainer.network.parameterCount) parameters, seed \(config.run.seed), run folder \(directory)"
        )
        log.line(
            "algorithm=\(Algorithm.kind.rawValue) "
                + trainer.algorithm.settingsSummary.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
                + " max_policy_lag=\(config.learner.maxPolicyLag) max_queued_episodes=\(config.coordinatorHoldThreshold)"
                + extraSettings
        )
        func checksum() -> String { CheckpointWeights.weightsChecksum(of: trainer.network.parameterArray()) }
        if let initial {
            // What the learner publishes first, as the actors will play it.
            log.line(initial.logLine + "; publishing them as v\(trainer.policyVersion) (checksum \(checksum()))")
        }
        var settings = LearnerSettings(
            numEnvs: config.gamesPerUpdate, maxPolicyLag: config.learner.maxPolicyLag,
            maxQueuedEpisodes: config.coordinatorHoldThreshold, taskCount: trainer.specs.count)
        if initial != nil { settings.oldestVersion = Self.initialVersion }
        let core = LearnerCore<Algorithm.Game>(settings: settings, policyVersion: trainer.policyVersion)
        let start = Date()
        do {
            let node = try LearnerNode(
                trainer: trainer, core: core, connect: connect ?? config.coordinator.advertise,
                security: try config.security.client(), heartbeatIntervalMs: config.heartbeat.intervalMs,
                liveness: config.heartbeat.liveness, maxUpdates: config.learner.updates,
                distributed: distributed, minShardEpisodes: config.learner.minShardEpisodes,
                sizeHelpers: config.learner.sizeHelpers, expectedPlay: played, log: log)
            node.onUpdate = { p in
                let m = p.report.metrics
                let figures =
                    Algorithm.kind == .alphaZero
                    ? String(format: "pi %.4f  v %.4f", m.policyLoss, m.valueLoss)
                    : String(format: "kl %.4f  ent %.3f", m.approxKL, m.entropy)
                log.line(
                    String(
                        format:
                            "update %d v%llu  %d episodes in %.2f s  mean %.1f  batch best %d  best %d  queued %d  dropped %d  ",
                        p.report.update, p.report.policyVersion, p.report.episodes, p.seconds, p.report.meanCost,
                        p.report.batchBest,
                        trainer.bestByTask.values.map(\.cost).min() ?? 0, p.queued, p.drops.total) + figures)
                if let path = try folder.record(
                    p.report, trainer: trainer, dropped: p.drops, wallTime: Date().timeIntervalSince(start),
                    seconds: p.seconds, extra: [("queued", .int(p.queued))], snapshot: { trainer.snapshot() })
                {
                    log.line("checkpoint \(path) (update \(trainer.updates), v\(trainer.policyVersion))")
                }
            }
            // With a final decode to follow, the actors are told to stop as training ends (the
            // coordinator passes the learner's `trainingOver` on): their games would train nothing.
            try node.run(shouldStop: stop, finalDecode: finalDecodeSeconds > 0 && decodeSettings() != nil)
            if let path = try folder.save(trainer.snapshot()) {
                log.line("checkpoint \(path) (update \(trainer.updates), v\(trainer.policyVersion))")
            }
            if let refusal = node.refusal { throw Self.error(refusal) }  // turned away for good: exit 1
            let helpers = node.helpers
            var summary = RunSummary(
                trainer: trainer, seconds: Date().timeIntervalSince(start), dropped: node.drops,
                weightsChecksum: checksum(),
                extra: [
                    (
                        "lag_histogram",
                        .object(
                            node.core.lagHistogram.sorted { $0.key < $1.key }.map {
                                ("\($0.key)", .int(Int($0.value)))
                            })
                    ),
                    (
                        "helper_faults",
                        .object(helpers.faults.sorted { $0.key < $1.key }.map { ("\($0.key)", .int($0.value)) })
                    ),
                    ("helpers_excluded", .ints(helpers.excluded.sorted().map(Int.init))),
                ] + (initial.map { [$0.summaryEntry] } ?? []))
            // After the last checkpoint: the decode reads the weights only, so resume is unchanged.
            if finalDecodeSeconds > 0, let hp = decodeSettings() {
                log.line(
                    "final decode begins: \(finalDecodeSeconds) s on the weights of update \(trainer.updates) (v\(trainer.policyVersion))"
                )
                do {
                    summary.finalDecode = try FinalDecode.decodeTasks(
                        network: trainer.network, specs: trainer.specs, settings: hp,
                        simulations: decodeSimulations ?? hp.simulations, seed: trainer.seed,
                        policyVersion: trainer.policyVersion, summary: &summary,
                        until: Date().addingTimeInterval(finalDecodeSeconds)
                    ) { log.line($0) }
                } catch {
                    throw Self.error("learner stopped in its final decode: \(error)")
                }
                summary.seconds = Date().timeIntervalSince(start)
            }
            try folder.writeSummary(summary)
            try folder.close()
        } catch let e as ShellError {
            throw Self.error(e.description)
        } catch let e as RunFolderError {
            throw Self.error("learner stopped after update \(trainer.updates): \(e)")
        }
    }

    /// A one-line failure, made printable (it quotes paths and peers' messages).
    private static func error(_ message: String) -> ShellError { ShellError(PrintableText.escaped(message)) }
}
