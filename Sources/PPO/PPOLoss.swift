#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// PPO's per-transition loss terms and their derivatives, as pure functions (generic so the tests
/// can check them against finite differences in Double).

/// The clipped surrogate: max(−A·r, −A·clip(r, 1−ε, 1+ε)) with r = exp(new − old).
/// Returns the loss, d loss / d newLogProb and the ratio r.
@inlinable
public func ppoPolicyLoss<S: BinaryFloatingPoint>(
    newLogProb: S, oldLogProb: S, advantage: S, clip: S
) -> (loss: S, dNewLogProb: S, ratio: S) {
    let ratio = S(exp(Double(newLogProb - oldLogProb)))
    let loss1 = -advantage * ratio
    let loss2 = -advantage * min(max(ratio, 1 - clip), 1 + clip)
    // The clipped branch is flat (no gradient) once the ratio is outside [1 − ε, 1 + ε].
    let inside = ratio > 1 - clip && ratio < 1 + clip
    let dRatio: S = loss1 >= loss2 || inside ? -advantage : 0
    return (max(loss1, loss2), dRatio * ratio, ratio)
}

/// ½·max((v − y)², (v_old + clip(v − v_old, −ε, ε) − y)²), or ½(v − y)² unclipped, in symlog
/// space. Returns the loss and d loss / d value.
@inlinable
public func ppoValueLoss<S: BinaryFloatingPoint>(
    value v: S, oldValue old: S, target y: S, clip: S, clipped: Bool
) -> (loss: S, dValue: S) {
    guard clipped else { return ((v - y) * (v - y) / 2, v - y) }
    let vClipped = old + min(max(v - old, -clip), clip)
    let l1 = (v - y) * (v - y), l2 = (vClipped - y) * (vClipped - y)
    if l1 >= l2 { return (l1 / 2, v - y) }
    return (l2 / 2, abs(v - old) < clip ? vClipped - y : 0)
}
