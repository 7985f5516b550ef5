// The value head: average the encoder's outputs over the real (non-masked) tokens, then a linear
// map to one number per batch row. Averaging rather than summing keeps the scale independent of
// the graph's size, so one set of weights can value graphs of any size.

/// out[b] = mean of inp[b, t] over tokens with mask[b, t]; a row with no such token gives 0.
/// Overwrites `out`.
@inlinable
public func maskedMeanPoolForward<Scalar: KernelScalar>(
    out: UnsafeMutablePointer<Scalar>,  // (B, C)
    inp: UnsafePointer<Scalar>,  // (B, T, C)
    mask: UnsafePointer<Bool>,  // (B, T) true = real token
    B: Int, T: Int, C: Int
) {
    for b in 0..<B {
        let y = out + b * C
        for c in 0..<C { y[c] = 0 }
        var count = 0
        for t in 0..<T where mask[b * T + t] {
            count += 1
            let x = inp + (b * T + t) * C
            for c in 0..<C { y[c] += x[c] }
        }
        guard count > 0 else { continue }
        let inverse = 1 / Scalar(count)
        for c in 0..<C { y[c] *= inverse }
    }
}

/// Adds dout[b] / count into dinp[b, t] for every real token t.
@inlinable
public func maskedMeanPoolBackward<Scalar: KernelScalar>(
    dinp: UnsafeMutablePointer<Scalar>,  // (B, T, C)
    dout: UnsafePointer<Scalar>,  // (B, C)
    mask: UnsafePointer<Bool>,  // (B, T)
    B: Int, T: Int, C: Int
) {
    for b in 0..<B {
        var count = 0
        for t in 0..<T where mask[b * T + t] { count += 1 }
        guard count > 0 else { continue }
        let inverse = 1 / Scalar(count)
        let dy = dout + b * C
        for t in 0..<T where mask[b * T + t] {
            let dx = dinp + (b * T + t) * C
            for c in 0..<C { dx[c] += dy[c] * inverse }
        }
    }
}

/// value[b] = pooled[b] · weight + bias, pooled = masked mean of inp. Overwrites `value`, `pooled`.
@inlinable
public func valueHeadForward<Scalar: KernelScalar>(
    value: UnsafeMutablePointer<Scalar>,  // (B)
    pooled: UnsafeMutablePointer<Scalar>,  // (B, C) saved for the backward
    inp: UnsafePointer<Scalar>,  // (B, T, C)
    mask: UnsafePointer<Bool>,  // (B, T)
    weight: UnsafePointer<Scalar>,  // (1, C)
    bias: UnsafePointer<Scalar>,  // (1)
    B: Int, T: Int, C: Int
) {
    maskedMeanPoolForward(out: pooled, inp: inp, mask: mask, B: B, T: T, C: C)
    for b in 0..<B {
        var v = bias[0]
        for c in 0..<C { v += pooled[b * C + c] * weight[c] }
        value[b] = v
    }
}

/// Adds the gradients of `valueHeadForward` into `dinp`, `dweight` and `dbias`.
@inlinable
public func valueHeadBackward<Scalar: KernelScalar>(
    dinp: UnsafeMutablePointer<Scalar>,  // (B, T, C)
    dweight: UnsafeMutablePointer<Scalar>,  // (1, C)
    dbias: UnsafeMutablePointer<Scalar>,  // (1)
    dvalue: UnsafePointer<Scalar>,  // (B)
    pooled: UnsafePointer<Scalar>,  // (B, C)
    mask: UnsafePointer<Bool>,  // (B, T)
    weight: UnsafePointer<Scalar>,  // (1, C)
    B: Int, T: Int, C: Int
) {
    for b in 0..<B {
        dbias[0] += dvalue[b]
        var count = 0
        for t in 0..<T where mask[b * T + t] { count += 1 }
        // dpooled = dvalue[b] * weight, spread evenly over the real tokens.
        let share = count > 0 ? dvalue[b] / Scalar(count) : 0
        for c in 0..<C {
            dweight[c] += dvalue[b] * pooled[b * C + c]
            let dx = share * weight[c]
            for t in 0..<T where mask[b * T + t] { dinp[(b * T + t) * C + c] += dx }
        }
    }
}
