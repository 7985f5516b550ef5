import Elimination
import PPO
import Wire

// Between the wire's gradient messages and the PPO module's shard arithmetic: the learner builds a
// job from its prepared update, the actor builds a `GradientShard` from the job.

extension GradientJob {
    /// The job for the episodes `range` of `prepared` (its plan, values and advantages).
    public init(actorId: UInt32, round: UInt64, preset: String, hp: Hyperparameters,
                prepared: ClusterTrainer.PreparedUpdate, range: Range<Int>) {
        let series = prepared.rollout.series(of: range)
        self.init(actorId: actorId, round: round, preset: preset,
                  clipCoef: hp.clipCoef, entropyCoef: hp.entropyCoef, valueCoef: hp.valueCoef,
                  clipValueLoss: hp.clipValueLoss, normalizeAdvantages: hp.normalizeAdvantages,
                  episodes: prepared.valid[range].map {
                      Wire.Episode(taskIndex: UInt32($0.task), policyVersion: $0.policyVersion, actorId: $0.actor,
                                   order: $0.order, logProbs: $0.logProbs)
                  },
                  values: series.values, advantages: series.advantages, returns: series.returns,
                  steps: prepared.plan.steps.map { step in
                      GradientStep(blocks: step.blocks.map { BlockKey(task: UInt32($0.task), step: UInt32($0.step)) },
                                   transitions: step.transitions, advantageMean: step.advantageMean, advantageStd: step.advantageStd)
                  })
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
        guard let config = NetworkConfig.preset(preset) else { throw PPOError.incompatible("unknown network preset '\(preset)'") }
        let episodes = try self.episodes.map { e -> PPO.Episode in
            guard Int(e.taskIndex) < specs.count else { throw PPOError.invalidEpisode("task index \(e.taskIndex) is unknown") }
            return PPO.Episode(task: Int(e.taskIndex), order: e.order, logProbs: e.logProbs, policyVersion: e.policyVersion, actor: e.actorId)
        }
        let steps = self.steps.map { s in
            UpdatePlan.Step(blocks: s.blocks.map { UpdatePlan.BlockKey(task: Int($0.task), step: Int($0.step)) },
                            transitions: s.transitions, advantageMean: s.advantageMean, advantageStd: s.advantageStd)
        }
        return try GradientShard(config: config, hp: hyperparameters, specs: specs, episodes: episodes,
                                 values: values, advantages: advantages, returns: returns, steps: steps)
    }
}

extension GradientReply {
    /// The answer to `request` from the shard's computed part.
    public init(answering request: GradientRequest, sums: Learner.MinibatchSums, gradient: [Float]) {
        self.init(actorId: request.actorId, round: request.round, step: request.step, transitions: sums.transitions,
                  policyLoss: sums.policyLoss, valueLoss: sums.valueLoss, entropy: sums.entropy,
                  approxKL: sums.approxKL, clipped: sums.clipped, gradient: gradient)
    }
}
