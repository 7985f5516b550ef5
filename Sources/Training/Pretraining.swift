import AlphaZero
import Checkpoint
import Console
import Elimination
import Foundation
import PPO

/// `ccelim pretrain`: imitation pretraining of a policy towards expert orders (`ExpertPretraining`)
/// on training programs, written as an ordinary PPO checkpoint at update 0 that `ccelim optimize
/// --policy`, `ccelim eval` and `ccelim train --solo --resume` (a PPO fine-tune on the same tasks)
/// accept. Held-out corpus programs are refused (`CorpusSplit`). Each program's expert is the
/// cheapest of its `--orders` entries and forward, reverse and minimal-Markowitz order, every one
/// re-scored by the game. Every `evalEvery` epochs the greedy decode of every program is scored;
/// the checkpoint written is the epoch with the lowest geometric mean of greedy cost over expert
/// cost (on the training programs only), so a late wobble does not ship; the newest evaluated
/// weights go beside it (`lastPath`: NAME-last.h5) whatever their score.
public struct Pretraining {
    /// Task names or files separated by commas; nil: every train program of the corpus.
    public var task: String?
    public var orderFiles: [String]
    /// The Datasets folder (its corpus/manifest.json gives the split).
    public var datasets: String
    public var preset: String
    public var seed: UInt64
    public var epochs: Int
    public var minutes: Double?
    public var learningRate: Float
    public var rowsPerStep: Int
    public var soften: Bool
    public var evalEvery: Int
    /// DAgger (`ExpertPretraining.addVisitedStates`): at every evaluation, states along each
    /// program's greedy decode at this many points get the expert's continuation for
    /// `daggerSpan` moves; 0: off.
    public var daggerPoints = 0
    public var daggerSpan = 8
    /// Token features the network reads (the first this many of `TokenFeatures`); nil: all. 24
    /// trains a network without the lookahead features (an ablation, issue 14).
    public var features: Int?
    /// The checkpoint to write.
    public var out: String
    /// Start from these weights instead of the seed's (any ccelim checkpoint of the same preset).
    public var initial: String?
    /// The PPO settings the checkpoint stores for a fine-tune (`train --solo --resume`).
    public var envs: Int
    public var scheduleUpdates: Int
    public var commandLine: String
    public var codeVersion: String

    public init(
        task: String?, orderFiles: [String], datasets: String, preset: String = "small", seed: UInt64 = 1,
        epochs: Int, minutes: Double? = nil, learningRate: Float = 1e-3, rowsPerStep: Int = 64, soften: Bool = true,
        evalEvery: Int = 5, out: String, initial: String? = nil, envs: Int = 4, scheduleUpdates: Int = 100,
        commandLine: String, codeVersion: String
    ) {
        self.task = task
        self.orderFiles = orderFiles
        self.datasets = datasets
        self.preset = preset
        self.seed = seed
        self.epochs = epochs
        self.minutes = minutes
        self.learningRate = learningRate
        self.rowsPerStep = rowsPerStep
        self.soften = soften
        self.evalEvery = evalEvery
        self.out = out
        self.initial = initial
        self.envs = envs
        self.scheduleUpdates = scheduleUpdates
        self.commandLine = commandLine
        self.codeVersion = codeVersion
    }

    /// The greedy decode of every program against its expert.
    public struct GreedyScore: Sendable {
        public var epoch: Int
        /// Geometric mean over programs of greedy cost / expert cost (one program far off the
        /// expert does not hide progress on all the others, as it would in an arithmetic mean).
        public var meanRatio: Double
        /// Programs where greedy is at or below the expert / below the best of forward, reverse, Markowitz.
        public var atExpert: Int
        public var beatsBaselines: Int
        public var programs: Int
        /// The greedy orders, by program.
        public var orders: [[Int]] = []
    }

    public struct Outcome {
        public var epochs: Int
        public var seconds: Double
        public var examples: Int
        public var policyLoss: Float
        public var valueLoss: Float
        /// The score of the checkpoint written, and of the first evaluation (before any step).
        public var written: GreedyScore
        public var initialScore: GreedyScore
        public var checkpoint: String

        public var lines: [String] {
            [
                String(
                    format: "pretrain: %d epochs, %d examples, %.0f s; final ce %.4f, v %.4f", epochs, examples,
                    seconds, policyLoss, valueLoss),
                Pretraining.describe(initialScore, prefix: "before"),
                Pretraining.describe(written, prefix: "written"),
                "checkpoint: \(checkpoint)",
            ]
        }
    }

    static func describe(_ s: GreedyScore, prefix: String) -> String {
        String(
            format:
                "pretrain: %@ (epoch %d): greedy / expert %.3f (geometric mean), at the expert on %d/%d, below the best baseline on %d/%d",
            prefix, s.epoch, s.meanRatio, s.atExpert, s.programs, s.beatsBaselines, s.programs)
    }

    public func run(load: (String) throws -> ComputationalGraph, log: Log) throws -> Outcome {
        guard var network = NetworkConfig.preset(preset) else {
            throw SoloTrainingError("unknown --preset '\(preset)'; use paper or small")
        }
        if let features {
            guard (1...TokenFeatures.count).contains(features) else {
                throw SoloTrainingError("--features must be 1 to \(TokenFeatures.count)")
            }
            network.features = features
        }
        let split = try CorpusSplit.read(datasets: datasets)
        let requested: [String]
        if let task {
            requested = task.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard !requested.isEmpty, !requested.contains(where: \.isEmpty) else {
                throw SoloTrainingError(
                    "--task: give task names or files separated by commas (or no --task: the corpus train split)")
            }
        } else {
            requested = split.train.map { CorpusSplit.jaxprPath($0, datasets: datasets) }
        }
        let graphs = try requested.map(load)
        try split.refuseHeldOut(graphs.map(\.name))
        guard Set(graphs.map(\.name)).count == graphs.count else {
            throw SoloTrainingError("--task names the same program twice")
        }
        var candidates = ExpertOrders()
        for file in orderFiles { try candidates.add(file: file) }

        var hp = Hyperparameters.preset(task: graphs[0].name)
        hp.numEnvs = envs
        hp.scheduleUpdates = scheduleUpdates
        let run = try AlgorithmSoloRun<Learner>(graphs: graphs, network: network, settings: hp, seed: seed)
        let net = run.trainer.network
        if let initial { try InitialWeights.read(initial).load(into: net) }

        // The experts: the cheapest candidate per program, re-scored by the game.
        var experts: [(spec: GameSpec, order: [Int])] = []
        for (i, spec) in run.trainer.specs.enumerated() {
            let b = BaselineSummary(spec: spec)
            var best = (cost: b.forward, order: Baselines.forwardOrder(spec), source: "forward")
            for (order, source) in [(Baselines.reverseOrder(spec), "reverse"), (b.markowitzOrder, "markowitz")] {
                let cost = try Baselines.score(order, on: spec).cost
                if cost < best.cost { best = (cost, order, source) }
            }
            for order in candidates.orders[graphs[i].name] ?? [] {
                guard let cost = try? Baselines.score(order, on: spec).cost else {
                    throw SoloTrainingError(
                        "an --orders entry for \(spec.name) is not a valid order of its \(spec.eliminable.count) eliminable vertices"
                    )
                }
                if cost < best.cost { best = (cost, order, "orders file") }
            }
            log.line(
                "pretrain: \(spec.name), \(spec.eliminable.count) moves, expert \(best.cost) (\(best.source)); best baseline \(b.best)"
            )
            experts.append((spec, best.order))
        }
        var settings = AlphaZeroHyperparameters()
        settings.learningRate = learningRate
        let scales = run.trainer.specs.map { TaskRewardScale.factor(reference: BaselineSummary(spec: $0).best) }
        let pretraining = try ExpertPretraining(
            network: net, settings: settings, experts: experts, returnScales: scales, soften: soften,
            rowsPerStep: rowsPerStep, seed: seed)
        log.line(
            "pretrain: preset \(network), \(net.parameterCount) parameters, \(graphs.count) programs, \(pretraining.exampleCount) examples, \(soften ? "softened" : "one-hot") targets, seed \(seed)"
        )

        var schedule = Hyperparameters()
        schedule.learningRate = learningRate
        schedule.scheduleUpdates = epochs
        schedule.minLearningRateFraction = 0.1
        let start = Date()
        let deadline = minutes.map { start.addingTimeInterval($0 * 60) }
        let initialScore = try score(run.trainer.specs, experts: pretraining.expertCosts, network: net, epoch: 0)
        log.line(Self.describe(initialScore, prefix: "before"))
        func dagger(_ s: GreedyScore) throws {
            guard daggerPoints > 0 else { return }
            let added = try pretraining.addVisitedStates(s.orders, points: daggerPoints, span: daggerSpan)
            log.line(
                "pretrain: DAgger added \(added) examples from the greedy decodes (\(pretraining.exampleCount) in all)")
        }
        try dagger(initialScore)
        var written = initialScore
        try write(run, written: written, settingsText: settings.summary)
        var last = (policyLoss: Float(0), valueLoss: Float(0))
        while pretraining.epochs < epochs {
            if let deadline, Date() >= deadline { break }
            let t0 = Date()
            let lr = schedule.learningRate(atUpdate: pretraining.epochs)
            let m = try pretraining.epoch(learningRate: lr)
            last = (m.policyLoss, m.valueLoss)
            log.line(
                String(
                    format: "epoch %4d  ce %.4f  v %.4f  grad %.3f  lr %.2e  steps %d  %.1f s", pretraining.epochs,
                    m.policyLoss, m.valueLoss, m.gradNorm, lr, m.steps, Date().timeIntervalSince(t0)))
            let finalEpoch = pretraining.epochs == epochs || deadline.map { Date() >= $0 } == true
            if pretraining.epochs % evalEvery == 0 || finalEpoch {
                let s = try score(
                    run.trainer.specs, experts: pretraining.expertCosts, network: net, epoch: pretraining.epochs)
                log.line(Self.describe(s, prefix: "greedy"))
                if !finalEpoch { try dagger(s) }
                try write(run, written: s, settingsText: settings.summary, to: Self.lastPath(out))
                if s.meanRatio < written.meanRatio {
                    written = s
                    try write(run, written: written, settingsText: settings.summary)
                }
            }
        }
        return Outcome(
            epochs: pretraining.epochs, seconds: Date().timeIntervalSince(start), examples: pretraining.exampleCount,
            policyLoss: last.policyLoss, valueLoss: last.valueLoss, written: written, initialScore: initialScore,
            checkpoint: out)
    }

    /// Greedy decode of every program with the current weights.
    func score(_ specs: [GameSpec], experts: [Int], network: PolicyNetwork, epoch: Int) throws -> GreedyScore {
        var ratio = 0.0, atExpert = 0, beats = 0
        var orders: [[Int]] = []
        for (i, spec) in specs.enumerated() {
            let greedy = try PolicyDecoder(network: network, spec: spec).greedy()
            let cost = greedy.cost
            orders.append(greedy.order)
            ratio += log(Double(max(cost, 1)) / Double(max(experts[i], 1)))
            if cost <= experts[i] { atExpert += 1 }
            if cost < BaselineSummary(spec: spec).best { beats += 1 }
        }
        return GreedyScore(
            epoch: epoch, meanRatio: exp(ratio / Double(specs.count)), atExpert: atExpert, beatsBaselines: beats,
            programs: specs.count, orders: orders)
    }

    /// The current weights as a PPO checkpoint at update 0 (its config text says how they were made).
    func write(
        _ run: AlgorithmSoloRun<Learner>, written: GreedyScore, settingsText: [(String, String)], to path: String? = nil
    ) throws {
        let trainer = run.trainer
        trainer.configText =
            ([
                "command = \(commandLine)", "mode = pretrain", "algorithm = ppo", "pretrained = expert imitation",
                "pretrain_epoch = \(written.epoch)",
                String(format: "pretrain_greedy_vs_expert = %.4f", written.meanRatio),
                "pretrain_targets = \(soften ? "softened" : "one-hot")", "pretrain_rows_per_step = \(rowsPerStep)",
                "pretrain_dagger_points = \(daggerPoints)", "pretrain_dagger_span = \(daggerSpan)",
                "task = \(trainer.taskNames.joined(separator: ","))", "preset = \(trainer.network.config.name)",
                "seed = \(seed)",
            ] + settingsText.map { "pretrain_\($0.0) = \($0.1)" }
            + trainer.algorithm.settingsSummary.map { "\($0.0) = \($0.1)" }).joined(separator: "\n")
        try CheckpointFile.write(run.snapshot(), to: path ?? out, codeVersion: codeVersion)
    }

    /// Where the newest evaluated weights go: `out` with "-last" before its extension.
    public static func lastPath(_ out: String) -> String {
        let ext = (out as NSString).pathExtension
        return ext.isEmpty ? out + "-last" : (out as NSString).deletingPathExtension + "-last.\(ext)"
    }
}
