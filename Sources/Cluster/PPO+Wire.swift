import Elimination
import PPO
import Wire

// Every conversion between the PPO module's values and the wire's messages, in one place. The
// wire carries vertex ids and task indices as fixed-width integers (i32, u32); everything above
// it uses `Int`. An episode changes type exactly twice per trip: to an `EpisodeRecord` when it is
// sent, back to an `Episode` when it is received (by the learner, or by a helper in its job).

extension Episode {
    /// A received episode, as the learner or a helper holds it.
    public init(_ record: EpisodeRecord) {
        self.init(
            task: Int(record.taskIndex), order: record.order.map(Int.init), logProbs: record.logProbs,
            policyVersion: record.policyVersion, actor: record.actorId)
    }
}

extension EpisodeRecord {
    /// `episode` as actor `actorId` sends it. Its vertex ids come from a graph's token buffer
    /// (Int32) or from a received record, so they fit.
    public init(_ episode: Episode, actorId: UInt32) {
        self.init(
            taskIndex: UInt32(truncatingIfNeeded: episode.task), policyVersion: episode.policyVersion, actorId: actorId,
            order: episode.order.map { Int32(truncatingIfNeeded: $0) }, logProbs: episode.logProbs)
    }
}

extension BestOrderNotice {
    /// The learner's best order of task `task` (re-scored by its own game).
    public init(task: Int, best: BestOrder) {
        self.init(
            taskIndex: UInt32(task), cost: UInt64(best.cost), order: best.order.map { Int32(truncatingIfNeeded: $0) })
    }
}

extension UpdatePlan.Step {
    init(_ step: GradientStep) {
        self.init(
            blocks: step.blocks.map { UpdatePlan.BlockKey(task: Int($0.task), step: Int($0.step)) },
            transitions: step.transitions, advantageMean: step.advantageMean, advantageStd: step.advantageStd)
    }
}

extension GradientStep {
    init(_ step: UpdatePlan.Step) {
        self.init(
            blocks: step.blocks.map { BlockKey(task: UInt32($0.task), step: UInt32($0.step)) },
            transitions: step.transitions, advantageMean: step.advantageMean, advantageStd: step.advantageStd)
    }
}

extension GradientJob {
    /// The job for the episodes `range` of `prepared` (its plan, values and advantages).
    public init(
        actorId: UInt32, round: UInt64, preset: String, hp: Hyperparameters,
        prepared: Trainer.PreparedUpdate, range: Range<Int>
    ) {
        let series = prepared.rollout.series(of: range)
        self.init(
            actorId: actorId, round: round, preset: preset,
            clipCoef: hp.clipCoef, entropyCoef: hp.entropyCoef, valueCoef: hp.valueCoef,
            clipValueLoss: hp.clipValueLoss, normalizeAdvantages: hp.normalizeAdvantages,
            episodes: prepared.episodes[range].map { EpisodeRecord($0, actorId: $0.actor) },
            values: series.values, advantages: series.advantages, returns: series.returns,
            steps: prepared.plan.steps.map(GradientStep.init))
    }

    /// The loss settings the job carries (the rest of `Hyperparameters` plays no part in a gradient).
    public var hyperparameters: Hyperparameters {
        var hp = Hyperparameters()
        hp.clipCoef = clipCoef
        hp.entropyCoef = entropyCoef
        hp.valueCoef = valueCoef
        hp.clipValueLoss = clipValueLoss
        hp.normalizeAdvantages = normalizeAdvantages
        return hp
    }

    /// The shard this job describes, replayed on `specs` (the welcome's tasks).
    public func shard(specs: [GameSpec]) throws -> GradientShard {
        guard let config = NetworkConfig.preset(preset) else {
            throw PPOError.incompatible("unknown network preset '\(preset)'")
        }
        let episodes = try self.episodes.map { record -> Episode in
            guard Int(record.taskIndex) < specs.count else {
                throw PPOError.invalidEpisode("task index \(record.taskIndex) is unknown")
            }
            return Episode(record)
        }
        return try GradientShard(
            config: config, hp: hyperparameters, specs: specs, episodes: episodes,
            values: values, advantages: advantages, returns: returns, steps: steps.map(UpdatePlan.Step.init))
    }
}

extension GradientReply {
    /// The answer to `request` from the shard's computed part.
    public init(answering request: GradientRequest, sums: Learner.MinibatchSums, gradient: [Float]) {
        self.init(
            actorId: request.actorId, round: request.round, step: request.step, transitions: sums.transitions,
            policyLoss: sums.policyLoss, valueLoss: sums.valueLoss, entropy: sums.entropy,
            approxKL: sums.approxKL, clipped: sums.clipped, gradient: gradient)
    }

    /// The loss terms this part claims.
    var sums: Learner.MinibatchSums {
        Learner.MinibatchSums(
            policyLoss: policyLoss, valueLoss: valueLoss, entropy: entropy, approxKL: approxKL,
            clipped: clipped, transitions: transitions)
    }
}
