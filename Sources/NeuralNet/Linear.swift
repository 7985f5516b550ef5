// Fully connected layer: out = inp · weightᵀ + bias, applied to each of N rows (N = B*T).
//
// The weight is stored (OC, C), one row per output feature, as in PyTorch and llm.c, so that
// orthogonal initialisation of a (OC, C) matrix gives orthonormal rows when OC <= C.
// Both products go through `gemm` (CBLAS); the naive loop twin lives in the tests.

/// out = inp · weightᵀ + bias. Overwrites `out`.
@inlinable
public func linearForward<Scalar: KernelScalar>(
    out: UnsafeMutablePointer<Scalar>,  // (N, OC)
    inp: UnsafePointer<Scalar>,  // (N, C)
    weight: UnsafePointer<Scalar>,  // (OC, C)
    bias: UnsafePointer<Scalar>?,  // (OC), nil for no bias
    N: Int, C: Int, OC: Int
) {
    if let bias {
        for n in 0..<N {
            let row = out + n * OC
            for o in 0..<OC { row[o] = bias[o] }
        }
    }
    Scalar.gemm(
        transA: false, transB: true, m: N, n: OC, k: C,
        alpha: 1, a: inp, lda: C, b: weight, ldb: C,
        beta: bias == nil ? 0 : 1, c: out, ldc: OC)
}

/// Adds the gradients of `linearForward` into `dinp`, `dweight` and `dbias`.
/// Pass `dinp: nil` when the input is data that needs no gradient.
@inlinable
public func linearBackward<Scalar: KernelScalar>(
    dinp: UnsafeMutablePointer<Scalar>?,  // (N, C)
    dweight: UnsafeMutablePointer<Scalar>,  // (OC, C)
    dbias: UnsafeMutablePointer<Scalar>?,  // (OC)
    dout: UnsafePointer<Scalar>,  // (N, OC)
    inp: UnsafePointer<Scalar>,  // (N, C)
    weight: UnsafePointer<Scalar>,  // (OC, C)
    N: Int, C: Int, OC: Int
) {
    if let dinp {
        // dinp (N, C) += dout (N, OC) · weight (OC, C)
        Scalar.gemm(
            transA: false, transB: false, m: N, n: C, k: OC,
            alpha: 1, a: dout, lda: OC, b: weight, ldb: C, beta: 1, c: dinp, ldc: C)
    }
    // dweight (OC, C) += doutᵀ (OC, N) · inp (N, C)
    Scalar.gemm(
        transA: true, transB: false, m: OC, n: C, k: N,
        alpha: 1, a: dout, lda: OC, b: inp, ldb: C, beta: 1, c: dweight, ldc: C)
    if let dbias {
        for n in 0..<N {
            let row = dout + n * OC
            for o in 0..<OC { dbias[o] += row[o] }
        }
    }
}
