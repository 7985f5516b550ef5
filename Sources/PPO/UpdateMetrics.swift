/// What one PPO update reports, under stable slash-namespaced names (cleanrl's convention).
public struct UpdateMetrics: Equatable, Sendable {
    public var policyLoss: Float = 0
    public var valueLoss: Float = 0
    public var entropy: Float = 0
    public var approxKL: Float = 0
    public var clipFraction: Float = 0
    public var explainedVariance: Float = 0
    public var gradNorm: Float = 0
    public var learningRate: Float = 0

    public init() {}

    public init(learningRate: Float, explainedVariance: Float) {
        self.learningRate = learningRate
        self.explainedVariance = explainedVariance
    }

    /// From sums over `count` optimiser steps to their means (learning rate and explained
    /// variance are per update already).
    public mutating func averageSteps(_ count: Int) {
        guard count > 0 else { return }
        let n = Float(count)
        policyLoss /= n
        valueLoss /= n
        entropy /= n
        approxKL /= n
        clipFraction /= n
        gradNorm /= n
    }

    public var named: [(String, Float)] {
        [
            ("losses/policy_loss", policyLoss), ("losses/value_loss", valueLoss), ("losses/entropy", entropy),
            ("losses/approx_kl", approxKL), ("losses/clip_fraction", clipFraction),
            ("losses/explained_variance", explainedVariance), ("losses/grad_norm", gradNorm),
            ("charts/learning_rate", learningRate),
        ]
    }
}
