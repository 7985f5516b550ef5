// Layer normalisation over the channel dimension of each of N rows (N = B*T).
// The forward saves each row's mean and 1/std so the backward need not recompute them.

/// Added to the variance so that a constant row (variance 0) does not divide by zero.
public let layerNormEpsilon = 1e-5

/// out = (inp - mean) / sqrt(var + eps) * weight + bias, per row. Overwrites `out`, `mean`, `rstd`.
@inlinable
public func layerNormForward<Scalar: KernelScalar>(
    out: UnsafeMutablePointer<Scalar>,  // (N, C)
    mean: UnsafeMutablePointer<Scalar>,  // (N)
    rstd: UnsafeMutablePointer<Scalar>,  // (N)
    inp: UnsafePointer<Scalar>,  // (N, C)
    weight: UnsafePointer<Scalar>,  // (C)
    bias: UnsafePointer<Scalar>,  // (C)
    N: Int, C: Int
) {
    let eps = Scalar(layerNormEpsilon)
    for n in 0..<N {
        let x = inp + n * C
        let m = rowSum(x, count: C) { $0 } / Scalar(C)
        let v = rowSum(x, count: C) { ($0 - m) * ($0 - m) } / Scalar(C)
        let s = 1 / (v + eps).squareRoot()
        let y = out + n * C
        for i in 0..<C { y[i] = (x[i] - m) * s * weight[i] + bias[i] }
        mean[n] = m
        rstd[n] = s
    }
}

/// Adds the gradients of `layerNormForward` into `dinp`, `dweight` and `dbias`.
@inlinable
public func layerNormBackward<Scalar: KernelScalar>(
    dinp: UnsafeMutablePointer<Scalar>,  // (N, C)
    dweight: UnsafeMutablePointer<Scalar>,  // (C)
    dbias: UnsafeMutablePointer<Scalar>,  // (C)
    dout: UnsafePointer<Scalar>,  // (N, C)
    inp: UnsafePointer<Scalar>,  // (N, C)
    weight: UnsafePointer<Scalar>,  // (C)
    mean: UnsafePointer<Scalar>,  // (N)
    rstd: UnsafePointer<Scalar>,  // (N)
    N: Int, C: Int
) {
    for n in 0..<N {
        let x = inp + n * C, dy = dout + n * C, dx = dinp + n * C
        let m = mean[n], s = rstd[n]
        // Two reductions of dnorm = weight * dout: its mean, and its mean weighted by norm.
        var dnormMean: Scalar = 0
        var dnormNormMean: Scalar = 0
        for i in 0..<C {
            let norm = (x[i] - m) * s
            let dnorm = weight[i] * dy[i]
            dnormMean += dnorm
            dnormNormMean += dnorm * norm
        }
        dnormMean /= Scalar(C)
        dnormNormMean /= Scalar(C)
        for i in 0..<C {
            let norm = (x[i] - m) * s
            let dnorm = weight[i] * dy[i]
            dbias[i] += dy[i]
            dweight[i] += norm * dy[i]
            dx[i] += (dnorm - dnormMean - norm * dnormNormMean) * s
        }
    }
}

/// Σ f(x[i]) over a row with four independent partial sums, so the adds of a long row overlap
/// instead of waiting on one another (a plain `+=` chain is bound by the add's latency, and the
/// compiler may not reorder floating-point sums itself).
@inlinable @inline(__always)
func rowSum<Scalar: KernelScalar>(
    _ x: UnsafePointer<Scalar>,  // (count)
    count: Int, _ f: (Scalar) -> Scalar
) -> Scalar {
    var s0: Scalar = 0, s1: Scalar = 0, s2: Scalar = 0, s3: Scalar = 0
    var i = 0
    while i + 4 <= count {
        s0 += f(x[i])
        s1 += f(x[i + 1])
        s2 += f(x[i + 2])
        s3 += f(x[i + 3])
        i += 4
    }
    while i < count {
        s0 += f(x[i])
        i += 1
    }
    return (s0 + s1) + (s2 + s3)
}
