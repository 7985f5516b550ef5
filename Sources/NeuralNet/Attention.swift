// Multi-head scaled dot-product attention with a key mask (no causal mask: this is an encoder).
//
// Input is the packed projection qkv (B, T, 3*A) with A = NH*HD: for token t, the first A numbers
// are its query, the next A its key, the last A its value, each split into NH heads of HD numbers.
// Per (batch, head) the products are three strided `gemm` calls; only the softmax is a loop.
//
// Masking: a key with keyMask == false gets attention weight exactly 0, so a padding token cannot
// influence any other token. A query whose keys are all masked gets all-zero weights and a zero
// output instead of 0/0 = NaN. Query rows of masked tokens are still computed (they are cheap and
// harmless); whoever reads the output must ignore masked tokens. The softmax is
// `KernelScalar.maskedSoftmaxRows`: SIMD for Float, `maskedSoftmaxRow` below for Double.

/// out[b, t, head] = Σ_s att[b, head, t, s] * v[b, s, head], att = softmax_s(q·k / sqrt(HD)).
/// Overwrites `out` and `att`.
@inlinable
public func attentionForward<Scalar: KernelScalar>(
    out: UnsafeMutablePointer<Scalar>,  // (B, T, A)
    att: UnsafeMutablePointer<Scalar>,  // (B, NH, T, T) post-softmax weights, saved for the backward
    qkv: UnsafePointer<Scalar>,  // (B, T, 3A)
    keyMask: UnsafePointer<Bool>,  // (B, T) true = this token may be attended to
    B: Int, T: Int, NH: Int, HD: Int
) {
    let A = NH * HD
    let scale = 1 / Scalar(HD).squareRoot()
    for b in 0..<B {
        for h in 0..<NH {
            let q = qkv + b * T * 3 * A + h * HD
            let k = q + A
            let v = q + 2 * A
            let w = att + (b * NH + h) * T * T
            // w (T, T) = scale * q (T, HD) · kᵀ (HD, T)
            Scalar.gemm(
                transA: false, transB: true, m: T, n: T, k: HD,
                alpha: scale, a: q, lda: 3 * A, b: k, ldb: 3 * A, beta: 0, c: w, ldc: T)
            Scalar.maskedSoftmaxRows(w, rowCount: T, count: T, mask: keyMask + b * T)
            // out (T, HD) = w (T, T) · v (T, HD), written into this head's slice of out (B, T, A)
            Scalar.gemm(
                transA: false, transB: false, m: T, n: HD, k: T,
                alpha: 1, a: w, lda: T, b: v, ldb: 3 * A,
                beta: 0, c: out + b * T * A + h * HD, ldc: A)
        }
    }
}

/// Adds the gradient of `attentionForward` into `dqkv`. `datt` is scratch of the size of `att`
/// and is overwritten (it holds d(att), then d(pre-softmax scores)).
@inlinable
public func attentionBackward<Scalar: KernelScalar>(
    dqkv: UnsafeMutablePointer<Scalar>,  // (B, T, 3A)
    datt: UnsafeMutablePointer<Scalar>,  // (B, NH, T, T) scratch
    dout: UnsafePointer<Scalar>,  // (B, T, A)
    qkv: UnsafePointer<Scalar>,  // (B, T, 3A)
    att: UnsafePointer<Scalar>,  // (B, NH, T, T)
    B: Int, T: Int, NH: Int, HD: Int
) {
    let A = NH * HD
    let scale = 1 / Scalar(HD).squareRoot()
    for b in 0..<B {
        for h in 0..<NH {
            let offset = b * T * 3 * A + h * HD
            let q = qkv + offset, k = q + A, v = q + 2 * A
            let dq = dqkv + offset, dk = dq + A, dv = dq + 2 * A
            let w = att + (b * NH + h) * T * T
            let dw = datt + (b * NH + h) * T * T
            let dy = dout + b * T * A + h * HD
            // dw (T, T) = dy (T, HD) · vᵀ (HD, T)
            Scalar.gemm(
                transA: false, transB: true, m: T, n: T, k: HD,
                alpha: 1, a: dy, lda: A, b: v, ldb: 3 * A, beta: 0, c: dw, ldc: T)
            // dv (T, HD) += wᵀ (T, T) · dy (T, HD)
            Scalar.gemm(
                transA: true, transB: false, m: T, n: HD, k: T,
                alpha: 1, a: w, lda: T, b: dy, ldb: A, beta: 1, c: dv, ldc: 3 * A)
            // Softmax backward in place: dscore_s = w_s * (dw_s - Σ_r w_r dw_r).
            // Masked keys have w_s = 0, so they get no gradient.
            for t in 0..<T {
                let wr = w + t * T, dr = dw + t * T
                var dot: Scalar = 0
                for s in 0..<T { dot += wr[s] * dr[s] }
                for s in 0..<T { dr[s] = wr[s] * (dr[s] - dot) }
            }
            // dq (T, HD) += scale * dscore (T, T) · k (T, HD)
            Scalar.gemm(
                transA: false, transB: false, m: T, n: HD, k: T,
                alpha: scale, a: dw, lda: T, b: k, ldb: 3 * A, beta: 1, c: dq, ldc: 3 * A)
            // dk (T, HD) += scale * dscoreᵀ (T, T) · q (T, HD)
            Scalar.gemm(
                transA: true, transB: false, m: T, n: HD, k: T,
                alpha: scale, a: dw, lda: T, b: q, ldb: 3 * A, beta: 1, c: dk, ldc: 3 * A)
        }
    }
}

/// In-place softmax of one row of scores over the entries whose mask is true; masked entries
/// become exactly 0, and a row with no unmasked entry becomes all zeros.
@inlinable
func maskedSoftmaxRow<Scalar: KernelScalar>(
    _ row: UnsafeMutablePointer<Scalar>,  // (count)
    mask: UnsafePointer<Bool>,  // (count)
    count: Int
) {
    var maxScore = -Scalar.infinity
    for s in 0..<count where mask[s] { maxScore = max(maxScore, row[s]) }
    guard maxScore > -Scalar.infinity else {
        for s in 0..<count { row[s] = 0 }
        return
    }
    var sum: Scalar = 0
    for s in 0..<count {
        if mask[s] {
            row[s] = Scalar.exp(row[s] - maxScore)  // subtract the max so exp cannot overflow
            sum += row[s]
        } else {
            row[s] = 0
        }
    }
    let inverse = 1 / sum
    for s in 0..<count { row[s] *= inverse }
}
