// The number type every kernel is generic over.
//
// Training runs in Float. The kernels are nevertheless generic so that the gradient tests can run
// the very same code in Double and compare it with central finite differences at 1e-6 accuracy,
// instead of checking a hand-written Double twin that could drift from the real kernel.
// Kernels are `@inlinable` so a caller in another module (the policy, PPO) gets a specialised
// Float copy; unspecialised generic arithmetic would be an order of magnitude slower.

import CBLAS

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A floating-point type the kernels can run in: `Float` for training, `Double` for the tests.
///
/// The three elementwise loops that cost an exp per number (the attention softmax, SiLU and its
/// gradient) are requirements too: their default implementations below are the plain loops, which
/// `Double` uses, so every finite-difference test checks them; `Float` replaces them with SIMD
/// loops over `FastExp` (VectorKernels.swift), checked against these plain twins.
public protocol KernelScalar: BinaryFloatingPoint {
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self

    /// Softmax in place of `rowCount` contiguous rows of `count` scores over the entries whose
    /// `mask` (one for every row) is true; masked entries become exactly 0, and a row with no
    /// unmasked entry becomes all zeros.
    static func maskedSoftmaxRows(
        _ rows: UnsafeMutablePointer<Self>, rowCount: Int, count: Int, mask: UnsafePointer<Bool>)

    /// out = inp · sigmoid(inp), elementwise.
    static func silu(out: UnsafeMutablePointer<Self>, inp: UnsafePointer<Self>, count: Int)

    /// dinp += dout · silu'(inp), silu'(x) = sigmoid(x) · (1 + x · (1 − sigmoid(x))).
    static func siluGradient(
        dinp: UnsafeMutablePointer<Self>, dout: UnsafePointer<Self>, inp: UnsafePointer<Self>, count: Int)

    /// Row-major `C = alpha * op(A) * op(B) + beta * C` with `op(A)` (m, k), `op(B)` (k, n),
    /// `C` (m, n) and explicit leading dimensions (row strides), as in CBLAS.
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

extension KernelScalar {
    /// The plain loop (`Double`'s, and the reference `Float`'s SIMD loop is tested against).
    @inlinable
    public static func maskedSoftmaxRows(
        _ rows: UnsafeMutablePointer<Self>, rowCount: Int, count: Int, mask: UnsafePointer<Bool>
    ) {
        for r in 0..<rowCount { maskedSoftmaxRow(rows + r * count, mask: mask, count: count) }
    }

    @inlinable
    public static func silu(out: UnsafeMutablePointer<Self>, inp: UnsafePointer<Self>, count: Int) {
        for i in 0..<count {
            let x = inp[i]
            out[i] = x / (1 + exp(-x))  // exp overflowing to +inf gives x / inf = 0, not NaN
        }
    }

    @inlinable
    public static func siluGradient(
        dinp: UnsafeMutablePointer<Self>, dout: UnsafePointer<Self>, inp: UnsafePointer<Self>, count: Int
    ) {
        for i in 0..<count {
            let x = inp[i]
            let sigmoid = 1 / (1 + exp(-x))
            dinp[i] += dout[i] * sigmoid * (1 + x * (1 - sigmoid))
        }
    }
}

extension Float: KernelScalar {
    /// `FastExp`: inlined and vectorisable, within one ulp of the exact exp (as libm's expf).
    @inlinable public static func exp(_ x: Float) -> Float { FastExp.exp(x) }
    @inlinable public static func log(_ x: Float) -> Float { logf(x) }

    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard !gemmIsDegenerate(m: m, n: n, k: k, beta: beta, c: c, ldc: ldc) else { return }
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

extension Double: KernelScalar {
    // Qualified because inside `Double` an unqualified `exp` would name this very method.
    #if canImport(Glibc)
    @inlinable public static func exp(_ x: Double) -> Double { Glibc.exp(x) }
    @inlinable public static func log(_ x: Double) -> Double { Glibc.log(x) }
    #else
    @inlinable public static func exp(_ x: Double) -> Double { Darwin.exp(x) }
    @inlinable public static func log(_ x: Double) -> Double { Darwin.log(x) }
    #endif

    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        guard !gemmIsDegenerate(m: m, n: n, k: k, beta: beta, c: c, ldc: ldc) else { return }
        cblas_dgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

/// Empty products (a batch with no tokens) would make CBLAS print "parameter illegal" and skip;
/// handle them here so that `C = beta * C` still holds. Returns true when the product is done.
private func gemmIsDegenerate<T: KernelScalar>(
    m: Int, n: Int, k: Int, beta: T, c: UnsafeMutablePointer<T>, ldc: Int
) -> Bool {
    if m == 0 || n == 0 { return true }
    if k > 0 { return false }
    for i in 0..<m {
        for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] }
    }
    return true
}

/// Sets how many threads OpenBLAS may use for one call. The matrices here are small (tens of
/// rows by tens of columns per token block), where OpenBLAS's own threads mostly spin and yield;
/// ccelim runs one BLAS thread per process and gets its parallelism from processes (actors).
public func setBLASThreads(_ n: Int) {
    openblas_set_num_threads(Int32(n))
}
