// Adam (Kingma & Ba 2015) with bias correction, over flat buffers of one layout.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam's hyperparameters other than the learning rate, which changes every step (cosine decay)
/// and is therefore passed to each step.
public struct AdamConfig: Equatable, Codable, Sendable {
    /// Decay of the running mean of gradients.
    public var beta1: Float = 0.9
    /// Decay of the running mean of squared gradients.
    public var beta2: Float = 0.999
    /// Added to the denominator; 1e-5 rather than PyTorch's 1e-8, as in CleanRL's PPO, so that
    /// parameters with tiny second moments do not take huge steps.
    public var epsilon: Float = 1e-5

    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-5) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }
}

/// One Adam update. `step` counts from 1 (the first update) and drives bias correction:
/// m ← β1 m + (1-β1) g,  v ← β2 v + (1-β2) g²,
/// θ ← θ - lr · (m / (1-β1^step)) / (sqrt(v / (1-β2^step)) + ε).
public func adamStep(
    parameters: UnsafeMutablePointer<Float>,  // (count)
    gradients: UnsafePointer<Float>,  // (count)
    firstMoment: UnsafeMutablePointer<Float>,  // (count)
    secondMoment: UnsafeMutablePointer<Float>,  // (count)
    count: Int, step: Int, lr: Float, config: AdamConfig
) {
    let b1 = config.beta1, b2 = config.beta2
    // Corrections in Double: b^step for large step is tiny, and 1 - tiny must not round oddly.
    let correction1 = Float(1 - pow(Double(b1), Double(step)))
    let correction2 = Float(1 - pow(Double(b2), Double(step)))
    for i in 0..<count {
        let g = gradients[i]
        let m = b1 * firstMoment[i] + (1 - b1) * g
        let v = b2 * secondMoment[i] + (1 - b2) * g * g
        firstMoment[i] = m
        secondMoment[i] = v
        parameters[i] -= lr * (m / correction1) / ((v / correction2).squareRoot() + config.epsilon)
    }
}
