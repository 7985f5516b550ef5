// Cross-entropy of the policy against a target distribution over the legal actions (AlphaZero's
// policy loss towards the search's improved policy π'). It reads the log-probabilities of
// `maskedLogSoftmaxForward`, and its backward adds into dlogp, which `maskedLogSoftmaxBackward`
// carries to the logits; the two together give the familiar dlogits = Σtarget · p − target.
// Targets of illegal actions must be 0; entries with probability 0 are skipped (0 · −inf is NaN).

/// out[b] = −Σ_j target[b, j] · logp[b, j] over legal actions with target > 0. Overwrites `out`.
@inlinable
public func crossEntropyForward<Scalar: KernelScalar>(
    out: UnsafeMutablePointer<Scalar>,  // (B)
    logp: UnsafePointer<Scalar>,  // (B, T)
    target: UnsafePointer<Scalar>,  // (B, T) a distribution over the legal actions
    actionMask: UnsafePointer<Bool>,  // (B, T)
    B: Int, T: Int
) {
    for b in 0..<B {
        let lp = logp + b * T, y = target + b * T, m = actionMask + b * T
        var loss: Scalar = 0
        for j in 0..<T where m[j] && y[j] > 0 { loss -= y[j] * lp[j] }
        out[b] = loss
    }
}

/// Adds into dlogp the gradient of dout[b] · out[b]: dlogp[b, j] −= dout[b] · target[b, j].
@inlinable
public func crossEntropyBackward<Scalar: KernelScalar>(
    dlogp: UnsafeMutablePointer<Scalar>,  // (B, T)
    dout: UnsafePointer<Scalar>,  // (B)
    target: UnsafePointer<Scalar>,  // (B, T)
    actionMask: UnsafePointer<Bool>,  // (B, T)
    B: Int, T: Int
) {
    for b in 0..<B {
        let y = target + b * T, m = actionMask + b * T, g = dlogp + b * T
        for j in 0..<T where m[j] && y[j] > 0 { g[j] -= dout[b] * y[j] }
    }
}
