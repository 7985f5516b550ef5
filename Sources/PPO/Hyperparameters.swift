#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
/// PPO as the paper trains it (cleanrl-style: one struct, one line of documentation per field),
/// logged at start and stored in every checkpoint.
public struct Hyperparameters: Codable, Equatable, Sendable {
    /// Episodes (full eliminations of the graph) collected per update.
    public var numEnvs = 32
    /// Adam learning rate at the start of the cosine schedule.
    public var learningRate: Float = 2.5e-4
    /// Updates over which the learning rate decays to `minLearningRateFraction` × the start.
    public var scheduleUpdates = 500
    /// Floor of the cosine schedule, as a fraction of the initial learning rate.
    public var minLearningRateFraction: Float = 0
    /// Discount; 1 because the return is exactly minus the remaining cost.
    public var gamma: Float = 1
    /// GAE λ.
    public var gaeLambda: Float = 0.95
    /// Minibatches per epoch (each a set of whole time steps across all episodes).
    public var numMinibatches = 4
    /// Passes over the collected episodes per update.
    public var updateEpochs = 4
    /// PPO's surrogate clipping ε (also used for the value clipping).
    public var clipCoef: Float = 0.2
    /// Clip the value loss around the old value predictions, as cleanrl does.
    public var clipValueLoss = true
    /// Entropy bonus coefficient (0.02 for f and Encoder in the paper).
    public var entropyCoef: Float = 0.01
    /// Weight of the value loss.
    public var valueCoef: Float = 0.5
    /// Global gradient-norm clip.
    public var maxGradNorm: Float = 0.5
    /// Normalise advantages per minibatch.
    public var normalizeAdvantages = true
    /// Joint training only (a run of several tasks): scale each task's rewards to percent of
    /// its best baseline (`TaskRewardScale`), so large programs do not drown small ones. A run
    /// of one task keeps raw costs whatever this says. Not in the paper (it trains one task);
    /// checkpoints written before this field existed read it as false, so they resume exactly.
    public var normalizeRewardsPerTask = true

    public init() {}

    /// The paper's per-task settings: fewer parallel episodes on the big graphs, more entropy
    /// where the policy collapsed too early.
    public static func preset(task: String) -> Hyperparameters {
        var hp = Hyperparameters()
        switch task {
        case "g": hp.numEnvs = 24
        case "RoeFlux_3d": hp.numEnvs = 16
        default: break
        }
        if task == "f" || task == "Encoder" { hp.entropyCoef = 0.02 }
        return hp
    }

    /// Cosine decay from `learningRate` at update 0 to the floor at `scheduleUpdates`, then flat.
    public func learningRate(atUpdate update: Int) -> Float {
        let progress = min(Float(update) / Float(max(scheduleUpdates, 1)), 1)
        let floor = minLearningRateFraction * learningRate
        return floor + (learningRate - floor) * 0.5 * (1 + cosf(Float.pi * progress))
    }

    /// `key=value` lines, for logs and checkpoints.
    public var summary: [(String, String)] {
        [
            ("num_envs", "\(numEnvs)"), ("learning_rate", "\(learningRate)"),
            ("schedule_updates", "\(scheduleUpdates)"),
            ("min_learning_rate_fraction", "\(minLearningRateFraction)"), ("gamma", "\(gamma)"),
            ("gae_lambda", "\(gaeLambda)"),
            ("num_minibatches", "\(numMinibatches)"), ("update_epochs", "\(updateEpochs)"),
            ("clip_coef", "\(clipCoef)"),
            ("clip_value_loss", "\(clipValueLoss)"), ("entropy_coef", "\(entropyCoef)"), ("value_coef", "\(valueCoef)"),
            ("max_grad_norm", "\(maxGradNorm)"), ("normalize_advantages", "\(normalizeAdvantages)"),
            ("normalize_rewards_per_task", "\(normalizeRewardsPerTask)"),
        ]
    }
}
