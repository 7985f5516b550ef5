// The policy's action distribution: a categorical over T actions per batch row, restricted to
// the legal ones by an action mask.
//
// Illegal actions get log-probability -inf and probability exactly 0, so they are never sampled
// and never receive gradient. Every sum over actions skips entries whose probability is 0 (masked
// or underflowed), because 0 * -inf is NaN. A row with no legal action (or whose legal logits are
// all -inf) has every log-probability -inf and entropy 0; `sampleMaskedCategorical` returns nil.
//
// Usage: logits → maskedLogSoftmaxForward → logp, then chosenLogProbForward and entropyForward
// read logp. Backward: chosenLogProbBackward and entropyBackward add into dlogp, then
// maskedLogSoftmaxBackward turns dlogp into dlogits.

/// logp[b, j] = logits[b, j] - log Σ_{legal k} exp(logits[b, k]) for legal j, -inf otherwise.
/// Logits of illegal actions are never read, so they may be anything, even NaN. Overwrites `logp`.
@inlinable
public func maskedLogSoftmaxForward<Scalar: KernelScalar>(
    logp: UnsafeMutablePointer<Scalar>,  // (B, T)
    logits: UnsafePointer<Scalar>,  // (B, T)
    actionMask: UnsafePointer<Bool>,  // (B, T) true = legal action
    B: Int, T: Int
) {
    for b in 0..<B {
        let z = logits + b * T, m = actionMask + b * T, out = logp + b * T
        var maxLogit = -Scalar.infinity
        for j in 0..<T where m[j] { maxLogit = max(maxLogit, z[j]) }
        guard maxLogit > -Scalar.infinity else {
            for j in 0..<T { out[j] = -Scalar.infinity }
            continue
        }
        var sum: Scalar = 0
        for j in 0..<T where m[j] { sum += Scalar.exp(z[j] - maxLogit) }
        let logSum = maxLogit + Scalar.log(sum)
        for j in 0..<T { out[j] = m[j] ? z[j] - logSum : -Scalar.infinity }
    }
}

/// Adds into dlogits the gradient through the log-softmax:
/// dlogits[j] += dlogp[j] - p[j] * Σ_{k: p[k] > 0} dlogp[k], for actions with p[j] > 0.
/// dlogp of illegal actions is ignored.
@inlinable
public func maskedLogSoftmaxBackward<Scalar: KernelScalar>(
    dlogits: UnsafeMutablePointer<Scalar>,  // (B, T)
    dlogp: UnsafePointer<Scalar>,  // (B, T)
    logp: UnsafePointer<Scalar>,  // (B, T)
    actionMask: UnsafePointer<Bool>,  // (B, T)
    B: Int, T: Int
) {
    for b in 0..<B {
        let lp = logp + b * T, g = dlogp + b * T, m = actionMask + b * T, dz = dlogits + b * T
        var total: Scalar = 0
        for j in 0..<T where m[j] && lp[j] > -Scalar.infinity { total += g[j] }
        for j in 0..<T where m[j] && lp[j] > -Scalar.infinity {
            dz[j] += g[j] - Scalar.exp(lp[j]) * total
        }
    }
}

/// out[b] = logp[b, actions[b]]. Actions must be legal (an illegal one gives -inf).
@inlinable
public func chosenLogProbForward<Scalar: KernelScalar>(
    out: UnsafeMutablePointer<Scalar>,  // (B)
    logp: UnsafePointer<Scalar>,  // (B, T)
    actions: UnsafePointer<Int>,  // (B) each in 0..<T
    B: Int, T: Int
) {
    for b in 0..<B { out[b] = logp[b * T + actions[b]] }
}

/// Adds dout[b] into dlogp[b, actions[b]].
@inlinable
public func chosenLogProbBackward<Scalar: KernelScalar>(
    dlogp: UnsafeMutablePointer<Scalar>,  // (B, T)
    dout: UnsafePointer<Scalar>,  // (B)
    actions: UnsafePointer<Int>,  // (B)
    B: Int, T: Int
) {
    for b in 0..<B { dlogp[b * T + actions[b]] += dout[b] }
}

/// out[b] = -Σ_j p[b, j] * logp[b, j] over actions with p > 0. Overwrites `out`.
@inlinable
public func entropyForward<Scalar: KernelScalar>(
    out: UnsafeMutablePointer<Scalar>,  // (B)
    logp: UnsafePointer<Scalar>,  // (B, T)
    actionMask: UnsafePointer<Bool>,  // (B, T)
    B: Int, T: Int
) {
    for b in 0..<B {
        let lp = logp + b * T, m = actionMask + b * T
        var h: Scalar = 0
        for j in 0..<T where m[j] && lp[j] > -Scalar.infinity { h -= Scalar.exp(lp[j]) * lp[j] }
        out[b] = h
    }
}

/// Adds into dlogp the gradient of the entropy taken as a function of logp:
/// ∂H/∂logp[j] = -p[j] * (logp[j] + 1). `maskedLogSoftmaxBackward` then carries it to the logits,
/// where the two combine into the familiar -p[j] * (logp[j] + H).
@inlinable
public func entropyBackward<Scalar: KernelScalar>(
    dlogp: UnsafeMutablePointer<Scalar>,  // (B, T)
    dout: UnsafePointer<Scalar>,  // (B)
    logp: UnsafePointer<Scalar>,  // (B, T)
    actionMask: UnsafePointer<Bool>,  // (B, T)
    B: Int, T: Int
) {
    for b in 0..<B {
        let lp = logp + b * T, m = actionMask + b * T, g = dlogp + b * T
        for j in 0..<T where m[j] && lp[j] > -Scalar.infinity {
            g[j] -= dout[b] * Scalar.exp(lp[j]) * (lp[j] + 1)
        }
    }
}

/// Draws an action from one row of log-probabilities by inverting the CDF at `uniform` ∈ [0, 1).
/// Only actions with probability > 0 can be returned: if rounding leaves the CDF below `uniform`,
/// the last such action is returned. Returns nil when no action has positive probability.
@inlinable
public func sampleMaskedCategorical<Scalar: KernelScalar>(
    logp: UnsafePointer<Scalar>,  // (T)
    actionMask: UnsafePointer<Bool>,  // (T)
    T: Int,
    uniform: Double
) -> Int? {
    var cumulative = 0.0
    var lastPossible: Int?
    for j in 0..<T where actionMask[j] && logp[j] > -Scalar.infinity {
        let p = Double(Scalar.exp(logp[j]))
        guard p > 0 else { continue }
        cumulative += p
        lastPossible = j
        if uniform < cumulative { return j }
    }
    return lastPossible
}
