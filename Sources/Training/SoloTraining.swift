import AlphaZero
import Checkpoint
import Console
import Elimination
import Foundation
import Optimize
import PPO
import Search

/// The single-process training run of `ccelim train --solo`: the algorithm, tasks and
/// hyperparameters chosen from the flags (or kept from the checkpoint being resumed), the solo run
/// (`AlgorithmSoloRun`: PPO's or AlphaZero's, one loop for both) updated until `updates` or
/// `minutes`, one progress line per update, the run folder written as it goes, and every best
/// order confirmed by the game before it is reported. The command parses the flags and prints the
/// `Outcome`.
public struct SoloTraining {
    /// nil: PPO, or the checkpoint's algorithm when resuming.
    public var algorithm: AlgorithmKind?
    /// Task name, graph or jaxpr file, or several names separated by commas; nil: RoeFlux_1d, or
    /// the checkpoint's tasks when resuming.
    public var task: String?
    /// Network preset (paper or small); nil: small, or the checkpoint's network.
    public var preset: String?
    /// nil: 1, or the checkpoint's seed.
    public var seed: UInt64?
    /// The run's total number of updates (a resumed run counts those already done).
    public var updates: Int?
    /// Stop after this many minutes (checked between updates).
    public var minutes: Double?
    /// Asked before each update (the CLI: SIGINT or SIGTERM received): true ends training there, and
    /// the run closes as at the end of its budget (the checkpoint of the last whole update, the final
    /// decode if any, the summary), as the embedded cluster does on Ctrl-C: only an update in
    /// progress when the signal comes is finished first, nothing is lost.
    public var stop: () -> Bool = { false }
    /// Episodes per update (AlphaZero: games in lockstep per update); nil: the paper's per-task value.
    public var envs: Int?
    /// The options only AlphaZero uses (`--simulations`, `--c-scale`, the rollouts', the final
    /// decode's), refused under PPO. The final decode's seconds, with `minutes`, are the end of
    /// that budget: training stops early enough to leave them (no update starts that, as long as
    /// the last, would run into them); without, they follow the last update.
    public var alphaZero: AlphaZeroOptions
    /// AlphaZero with `initialize`: the start file's zero-shot decode budget, in nominal seconds of
    /// network work (`LoadedPolicy.WorkBudget`: the same orders at any load, a wall-clock ceiling
    /// of `initDecodeCeiling`); tests shorten it.
    var initDecodeSeconds = 1.0
    /// Updates over which the learning rate decays; nil: `updates`, else the preset's.
    public var scheduleUpdates: Int?
    /// Where checkpoints and episodes.h5 go; nil: the resumed checkpoint's directory, or nowhere.
    public var runDir: String?
    public var checkpointEvery: Int
    public var keepCheckpoints: Int
    /// The checkpoint file to continue, and whether a damaged one falls back to a numbered one.
    public var resume: String?
    public var resumeFallback: Bool
    /// A new run whose first weights are this checkpoint's (`InitialWeights`); not with `resume`.
    public var initialize: String?
    /// The command line, stored in the checkpoint's config text.
    public var commandLine: String
    public var codeVersion: String

    public init(
        algorithm: AlgorithmKind? = nil, task: String?, preset: String?, seed: UInt64?, updates: Int?,
        minutes: Double?, envs: Int?, alphaZero: AlphaZeroOptions = AlphaZeroOptions(), scheduleUpdates: Int?,
        runDir: String?,
        checkpointEvery: Int, keepCheckpoints: Int, resume: String?, resumeFallback: Bool, initialize: String? = nil,
        commandLine: String, codeVersion: String
    ) {
        self.algorithm = algorithm
        self.initialize = initialize
        self.alphaZero = alphaZero
        self.task = task
        self.preset = preset
        self.seed = seed
        self.updates = updates
        self.minutes = minutes
        self.envs = envs
        self.scheduleUpdates = scheduleUpdates
        self.runDir = runDir
        self.checkpointEvery = checkpointEvery
        self.keepCheckpoints = keepCheckpoints
        self.resume = resume
        self.resumeFallback = resumeFallback
        self.commandLine = commandLine
        self.codeVersion = codeVersion
    }

    /// What a finished run reports: the summary and what the command's JSON adds to it.
    public struct Outcome {
        public var summary: RunSummary
        public var seconds: Double
        public var network: NetworkConfig
        public var seed: UInt64
        /// The newest checkpoint written, when the run has a folder.
        public var checkpoint: String?
        public var resumedFrom: String?
        /// The checkpoint a new run took its first weights from (`--init`).
        public var initializedFrom: InitialWeights?
        /// The final decode's figures (`final_decode` in the JSON and summary.json:
        /// `summary.finalDecode`), nil when none ran.
        public var finalDecode: JSON?
        /// The start file's zero-shot decode's figures (`init_decode` in the JSON), nil when none ran.
        public var initDecode: JSON?

        /// The `--json` object.
        public var json: JSON {
            var extra: [(String, JSON)] = [
                ("preset", .string(network.name)), ("seed", .int(Int(truncatingIfNeeded: seed))),
            ]
            if let checkpoint { extra.append(("checkpoint", .string(checkpoint))) }
            if let resumedFrom { extra.append(("resumed_from", .string(resumedFrom))) }
            if let initializedFrom { extra.append(initializedFrom.summaryEntry) }
            if let initDecode { extra.append(("init_decode", initDecode)) }
            return summary.commandJSON(seconds: seconds, extra: extra)
        }

        /// The end-of-run lines for people.
        public var lines: [String] {
            summary.lines(seconds: seconds) + (checkpoint.map { ["checkpoint: \($0)"] } ?? [])
        }
    }

    /// Trains, loading tasks with `load` and writing progress to `log`.
    public func run(load: (String) throws -> ComputationalGraph, log: Log) throws -> Outcome {
        if let initialize, let resume {
            throw SoloTrainingError(
                "--init \(initialize) starts a new run from a checkpoint's weights, --resume \(resume) continues a run: give one of them"
            )
        }
        let initial = try initialize.map { try InitialWeights.read($0) }
        let resumed = try resume.map { try ResumeSource.load($0, fallback: resumeFallback, log: log) }
        let snapshot = resumed?.snapshot
        if let resumed, let algorithm, algorithm != resumed.snapshot.algorithm {
            throw SoloTrainingError(
                "--algorithm \(algorithm.rawValue) differs from the checkpoint's \(resumed.snapshot.algorithm.rawValue) (\(resumed.path)); a checkpoint of one algorithm cannot continue as the other: drop --algorithm, or start a new run"
            )
        }
        let kind = snapshot?.algorithm ?? algorithm ?? .ppo
        if let problem = alphaZero.problem(algorithm: kind, minutes: minutes) {
            throw SoloTrainingError(problem)
        }
        if kind == .alphaZero, let scheduleUpdates {
            throw SoloTrainingError(
                "--schedule-updates \(scheduleUpdates) applies to PPO; AlphaZero trains with a constant learning rate")
        }
        let graphs = try self.graphs(stored: snapshot?.tasks, load: load)
        let network: NetworkConfig
        if let preset {
            guard let chosen = NetworkConfig.preset(preset) else {
                throw SoloTrainingError("unknown --preset '\(preset)'; use paper or small")
            }
            network = chosen
        } else {
            network = snapshot?.network ?? initial?.network ?? .small
        }
        if let snapshot, let seed, seed != snapshot.seed {
            throw SoloTrainingError(
                "--seed \(seed) differs from the checkpoint's seed \(snapshot.seed); a resumed run keeps its seed (drop --seed)"
            )
        }
        let runSeed = snapshot?.seed ?? seed ?? 1
        switch kind {
        case .ppo:
            let hp = try hyperparameters(task: graphs[0].name, resuming: snapshot)
            return try train(
                AlgorithmSoloRun<Learner>(graphs: graphs, network: network, settings: hp, seed: runSeed),
                resumed: resumed, initial: initial, network: network, seed: runSeed, log: log)
        case .alphaZero:
            let hp = try alphaZeroHyperparameters(task: graphs[0].name, resuming: snapshot)
            return try train(
                AlgorithmSoloRun<AlphaZeroLearner>(graphs: graphs, network: network, settings: hp, seed: runSeed),
                resumed: resumed, initial: initial, network: network, seed: runSeed, decodeSettings: hp, graphs: graphs,
                log: log)
        }
    }

    /// The one training loop, whatever the algorithm.
    private func train<Algorithm>(
        _ run: AlgorithmSoloRun<Algorithm>, resumed: (path: String, snapshot: TrainerSnapshot)?,
        initial: InitialWeights?, network: NetworkConfig, seed runSeed: UInt64,
        decodeSettings: AlphaZeroHyperparameters? = nil, graphs: [ComputationalGraph] = [], log: Log
    ) throws -> Outcome {
        let trainer = run.trainer
        // Fresh optimiser and counters; only the first weights are the checkpoint's.
        try initial?.load(into: trainer.network)
        if let resumed {
            do {
                try run.restore(resumed.snapshot)
            } catch {
                throw SoloTrainingError("cannot resume from \(resumed.path): \(error)")
            }
            trainer.configText =
                resumed.snapshot.configText + "\nresumed = \(commandLine) (at update \(trainer.updates))"
        } else {
            trainer.configText =
                configText(
                    task: trainer.taskNames.joined(separator: ","), network: network, seed: runSeed,
                    algorithm: Algorithm.kind, settings: trainer.algorithm.settingsSummary)
                + (initial.map { "\n" + $0.configLines.joined(separator: "\n") } ?? "")
        }
        let maxUpdates = updates ?? (minutes == nil ? max(100, trainer.updates) : Int.max)
        let runStart = Date()
        // With a final decode, training ends that many seconds before --minutes does.
        let deadline = minutes.map { runStart.addingTimeInterval($0 * 60 - alphaZero.finalDecodeSeconds) }
        var lastUpdate = 0.0
        for spec in trainer.specs {
            let b = BaselineSummary(spec: spec)
            log.line(
                "train: task \(spec.name), \(spec.eliminable.count) eliminable, baselines forward \(b.forward), reverse \(b.reverse), markowitz \(b.markowitz)"
            )
        }
        log.line(
            "train: \(Algorithm.kind.rawValue), preset \(network), \(trainer.network.parameterCount) parameters, seed \(runSeed)\(trainer.specs.count > 1 ? ", joint training on \(trainer.specs.count) tasks" : "")"
        )
        log.line("train: " + trainer.algorithm.settingsSummary.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
        if let initial {
            log.line("train: " + initial.logLine)
        }
        if let resumed {
            log.line(
                "train: resumed from \(resumed.path) at update \(trainer.updates) (\(trainer.episodes) episodes); running to update \(maxUpdates)"
            )
        }

        // AlphaZero with --init: the start file's own zero-shot decode, a candidate for the best.
        var initDecodes: [SearchResult] = []
        var initDecode: JSON?
        if let initial, decodeSettings != nil {
            (initDecodes, initDecode) = try self.initDecode(initial, graphs: graphs, seed: runSeed, log: log)
        }

        let directory = runDir ?? resumed.map { URL(fileURLWithPath: $0.path).deletingLastPathComponent().path }
        let folder: RunFolder?
        do {
            folder = try directory.map {
                try RunFolder(
                    path: $0, trainer: trainer, fresh: resumed == nil, checkpointEvery: checkpointEvery,
                    keep: keepCheckpoints, codeVersion: codeVersion)
            }
        } catch {
            throw SoloTrainingError("\(error)")
        }

        let start = Date()
        while trainer.updates < maxUpdates {
            if stop() {
                log.line(
                    "train: interrupted; stopping after update \(trainer.updates)"
                        + (folder == nil
                            ? " (no --run-dir: nothing is saved)" : ", writing the checkpoint and the summary"))
                break
            }
            if let deadline, Date().addingTimeInterval(alphaZero.finalDecodeSeconds > 0 ? lastUpdate : 0) >= deadline {
                break
            }
            let t0 = Date()
            let report: UpdateReport
            do {
                report = try run.runUpdate()
            } catch {
                throw SoloTrainingError("training stopped at update \(trainer.updates + 1): \(error)")
            }
            let seconds = Date().timeIntervalSince(t0)
            lastUpdate = seconds
            // The rate over the run so far: steady, not a per-update figure that jumps.
            let rate =
                Double(trainer.episodes - (resumed?.snapshot.episodes ?? 0))
                / max(Date().timeIntervalSince(start), 1e-9)
            log.line(Self.progressLine(report, algorithm: Algorithm.kind, rate: rate, taskNames: trainer.taskNames))
            do {
                try folder?.record(
                    report, trainer: trainer, dropped: trainer.refused, wallTime: Date().timeIntervalSince(start),
                    seconds: seconds, snapshot: run.snapshot)
            } catch {
                throw SoloTrainingError("training stopped after update \(trainer.updates): \(error)")
            }
        }
        // The checkpoint first: the final decode only reads the network, so resume restores
        // the same run with or without it.
        do {
            try folder?.save(run.snapshot())
        } catch {
            throw SoloTrainingError("\(error)")
        }
        var summary = RunSummary(
            trainer: trainer, seconds: Date().timeIntervalSince(start), dropped: trainer.refused,
            weightsChecksum: CheckpointWeights.weightsChecksum(of: trainer.network.parameterArray()))
        for (i, decoded) in initDecodes.enumerated() where decoded.cost < summary.tasks[i].best?.cost ?? Int.max {
            summary.tasks[i].best = BestOrder(cost: decoded.cost, order: decoded.order)
            summary.tasks[i].bestFrom = .initDecode
            summary.tasks[i].bestMethod = decoded.method
        }
        var finalDecode: JSON?
        if alphaZero.finalDecodeSeconds > 0, let decodeSettings {
            let end =
                minutes.map { runStart.addingTimeInterval($0 * 60) }
                ?? Date().addingTimeInterval(alphaZero.finalDecodeSeconds)
            finalDecode = try self.finalDecode(
                run, settings: decodeSettings, summary: &summary, until: end, log: log)
            summary.finalDecode = finalDecode
        }
        let elapsed = Date().timeIntervalSince(start)
        summary.seconds = elapsed
        do {
            try folder?.writeSummary(summary)
            try folder?.close()
        } catch {
            throw SoloTrainingError("\(error)")
        }
        // Never report an order the game does not confirm.
        for (task, b) in trainer.bestByTask {
            let confirmed = try Baselines.score(b.order, on: trainer.specs[task]).cost
            guard confirmed == b.cost else {
                throw SoloTrainingError(
                    "internal error: best order of \(trainer.taskNames[task]) re-scores to \(confirmed), not \(b.cost)")
            }
        }
        return Outcome(
            summary: summary, seconds: elapsed, network: network, seed: runSeed,
            checkpoint: folder?.checkpoints.latestPath, resumedFrom: resumed?.path, initializedFrom: initial,
            finalDecode: finalDecode, initDecode: initDecode)
    }

    /// The wall-clock ceiling of the start file's zero-shot decode (`initDecodeSeconds`).
    static let initDecodeCeiling = 10.0

    /// The zero-shot decode of every task by the `--init` file's own network (`ccelim optimize
    /// TASK --seconds 0 --policy FILE --policy-seconds 1 --policy-budget work --policy-ceiling 10
    /// --seed SEED`, with `initDecodeSeconds` 1: `ProgramOptimizer` with the policy alone, i.e.
    /// `LoadedPolicy.decode`), before
    /// any update, its time counted in the run's: each task's best decoded order (its method the
    /// stage that found it) and the JSON's figures.
    private func initDecode(
        _ initial: InitialWeights, graphs: [ComputationalGraph], seed: UInt64, log: Log
    ) throws -> ([SearchResult], JSON) {
        var optimizer = ProgramOptimizer(clock: monotonicSeconds)
        optimizer.seconds = 0
        optimizer.decodingSeconds = initDecodeSeconds
        optimizer.decodingWork = LoadedPolicy.WorkBudget(ceiling: Self.initDecodeCeiling)
        optimizer.seed = seed
        let policy = LoadedPolicy(initial.weights)
        var found: [SearchResult] = []
        var perTask: [(String, JSON)] = []
        for graph in graphs {
            let outcome: OptimizeOutcome
            do {
                outcome = try optimizer.run(graph, policy: policy)
            } catch {
                throw SoloTrainingError("the --init file's decode of \(graph.name): \(error)")
            }
            guard let best = outcome.policyBest else {
                throw SoloTrainingError("internal error: the --init file's decode of \(graph.name) found no order")
            }
            found.append(best)
            let fields: [(String, JSON)] = [
                ("cost", .int(best.cost)), ("method", .string(best.method)),
                ("nominal_seconds", .double(initDecodeSeconds)),
                ("seconds", .double(((outcome.policySeconds ?? 0) * 100).rounded() / 100)),
            ]
            log.line(
                "train: the --init file's decode of \(graph.name): "
                    + fields.map { "\($0.0) \($0.1.text)" }.joined(separator: ", "))
            perTask.append((graph.name, .object(fields)))
        }
        return (found, graphs.count == 1 ? perTask[0].1 : .object(perTask))
    }

    /// The trained policy's final decode of every task (`FinalDecode.decodeTasks`, AlphaZero runs
    /// only, with the run's search settings `hp`) until `end`. Returns the figures for the JSON.
    private func finalDecode<Algorithm>(
        _ run: AlgorithmSoloRun<Algorithm>, settings hp: AlphaZeroHyperparameters, summary: inout RunSummary,
        until end: Date, log: Log
    ) throws -> JSON {
        let trainer = run.trainer
        return try FinalDecode.decodeTasks(
            network: trainer.network, specs: trainer.specs, settings: hp,
            simulations: alphaZero.decodeSimulations ?? hp.simulations, seed: trainer.seed,
            policyVersion: trainer.policyVersion,
            summary: &summary, until: end
        ) { log.line("train: " + $0) }
    }

    /// One update's progress line (`rate`: episodes per second over the run so far) with the
    /// algorithm's own figures; with several tasks, each task's best cost follows.
    static func progressLine(
        _ report: UpdateReport, algorithm: AlgorithmKind = .ppo, rate: Double, taskNames: [String]
    ) -> String {
        let m = report.metrics
        let figures: String
        switch algorithm {
        case .ppo:
            figures = String(
                format: "pg %+.4f  v %.4f  ent %.3f  kl %.4f  clip %.3f  ev %+.2f  lr %.2e",
                m.policyLoss, m.valueLoss, m.entropy, m.approxKL, m.clipFraction, m.explainedVariance,
                m.learningRate)
        case .alphaZero:
            figures = String(
                format: "ce %.4f  v %.4f  grad %.3f  lr %.2e", m.policyLoss, m.valueLoss, m.gradNorm, m.learningRate)
        }
        return String(
            format: "update %4d  eps/s %6.1f  mean %8.1f  batch best %6d  best %6d  ",
            report.update, rate, report.meanCost, report.batchBest, report.best) + figures
            + (taskNames.count > 1
                ? "  best per task "
                    + taskNames.indices.map { "\(taskNames[$0]) \(report.bestByTask[$0] ?? 0)" }
                    .joined(separator: ", ") : "")
    }

    /// The tasks: the checkpoint's (`stored`) when no --task is given, else the --task names (one
    /// file, or names separated by commas: joint training, one policy for all of them).
    func graphs(stored: [String]?, load: (String) throws -> ComputationalGraph) throws -> [ComputationalGraph] {
        var graphs: [ComputationalGraph] = []
        if task == nil, let stored {
            // A checkpoint stores task names; a run on a graph or jaxpr file needs that file again.
            for name in stored {
                do {
                    graphs.append(try load(name))
                } catch {
                    throw SoloTrainingError(
                        "the checkpoint trains '\(name)', which is not a task in Datasets/ (\(error)); pass its graph file with --task FILE"
                    )
                }
            }
            return graphs
        }
        let requested = task ?? "RoeFlux_1d"
        let names =
            FileManager.default.fileExists(atPath: requested)
            ? [requested]
            : requested.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty, !names.contains(where: \.isEmpty) else {
            throw SoloTrainingError("--task: give a task name, a file, or names separated by commas")
        }
        for name in names { graphs.append(try load(name)) }
        guard Set(graphs.map(\.name)).count == graphs.count else {
            throw SoloTrainingError("--task names the same task twice")
        }
        return graphs
    }

    /// Refuses a flag whose value differs from the resumed checkpoint's (`stored`): a resumed run
    /// keeps its hyperparameters. `unit` follows the stored value in the message.
    private static func keep<Value: Equatable>(
        _ flag: String, _ named: Value?, _ stored: Value, unit: String? = nil
    ) throws {
        guard let named, named != stored else { return }
        let what = unit.map { "\(stored) \($0)" } ?? "\(stored)"
        throw SoloTrainingError(
            "\(flag) \(named) differs from the checkpoint's \(what); a resumed run keeps its hyperparameters (drop \(flag))"
        )
    }

    /// A fresh run's from the task preset and flags; a resumed run keeps the checkpoint's, and
    /// refuses flags that would change them mid-run.
    func hyperparameters(task: String, resuming snapshot: TrainerSnapshot?) throws -> Hyperparameters {
        if let snapshot {
            guard let hp = snapshot.ppoHyperparameters else {
                throw SoloTrainingError("the checkpoint holds a \(snapshot.algorithm.rawValue) run, not a PPO one")
            }
            try Self.keep("--envs", envs, hp.numEnvs)
            try Self.keep("--schedule-updates", scheduleUpdates, hp.scheduleUpdates)
            return hp
        }
        var hp = Hyperparameters.preset(task: task)
        if let envs { hp.numEnvs = envs }
        if let schedule = scheduleUpdates ?? updates { hp.scheduleUpdates = schedule }
        return hp
    }

    /// AlphaZero's: the task preset and flags for a fresh run; a resumed run keeps the
    /// checkpoint's and refuses flags that would change them mid-run.
    func alphaZeroHyperparameters(task: String, resuming snapshot: TrainerSnapshot?) throws -> AlphaZeroHyperparameters
    {
        if let snapshot {
            guard let state = snapshot.algorithmState as? AlphaZeroState else {
                throw SoloTrainingError(
                    "the checkpoint holds a \(snapshot.algorithm.rawValue) run, not an AlphaZero one")
            }
            let hp = state.settings
            try Self.keep("--simulations", alphaZero.simulations, hp.simulations)
            try Self.keep("--c-scale", alphaZero.cScale, hp.cScale)
            try Self.keep("--rollout-weight", alphaZero.rolloutWeight, hp.rolloutWeight)
            try Self.keep("--rollout-rules", alphaZero.rolloutRules, hp.rolloutRules)
            try Self.keep("--rollout-endgame", alphaZero.rolloutEndgame, hp.rolloutEndgame)
            try Self.keep("--envs", envs, hp.gamesInLockstep, unit: "games per update")
            return hp
        }
        var hp = AlphaZeroHyperparameters.preset(task: task)
        alphaZero.apply(to: &hp)
        if let envs { hp.gamesInLockstep = envs }
        do {
            try hp.validate()
        } catch {
            throw SoloTrainingError("\(error)")
        }
        return hp
    }

    /// What the checkpoint's `config` attribute holds: the command and every setting, one per line.
    func configText(
        task: String, network: NetworkConfig, seed: UInt64, algorithm: AlgorithmKind, settings: [(String, String)]
    ) -> String {
        ([
            "command = \(commandLine)", "mode = solo", "algorithm = \(algorithm.rawValue)", "task = \(task)",
            "preset = \(network.name)", "seed = \(seed)",
        ] + settings.map { "\($0.0) = \($0.1)" }).joined(separator: "\n")
    }
}
