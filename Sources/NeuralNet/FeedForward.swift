// The transformer's position-wise feed-forward block: out = W2 · silu(W1 · x + b1) + b2 per row.
//
// SiLU (swish, x * sigmoid(x)) rather than GELU: it is smooth like GELU, has an exact closed-form
// derivative (GELU is usually its tanh approximation), and costs one exp.

/// Weights of one feed-forward block; the same struct points at parameters or at their gradients.
public struct FeedForwardWeights<Scalar: KernelScalar> {
    public var fc1Weight: UnsafeMutablePointer<Scalar>  // (F, C)
    public var fc1Bias: UnsafeMutablePointer<Scalar>  // (F)
    public var fc2Weight: UnsafeMutablePointer<Scalar>  // (C, F)
    public var fc2Bias: UnsafeMutablePointer<Scalar>  // (C)

    @inlinable
    public init(
        fc1Weight: UnsafeMutablePointer<Scalar>, fc1Bias: UnsafeMutablePointer<Scalar>,
        fc2Weight: UnsafeMutablePointer<Scalar>, fc2Bias: UnsafeMutablePointer<Scalar>
    ) {
        self.fc1Weight = fc1Weight
        self.fc1Bias = fc1Bias
        self.fc2Weight = fc2Weight
        self.fc2Bias = fc2Bias
    }
}

/// out = inp * sigmoid(inp), elementwise. Overwrites `out`.
@inlinable
public func siluForward<Scalar: KernelScalar>(
    out: UnsafeMutablePointer<Scalar>,  // (count)
    inp: UnsafePointer<Scalar>,  // (count)
    count: Int
) {
    Scalar.silu(out: out, inp: inp, count: count)
}

/// Adds dout * silu'(inp) into dinp, with silu'(x) = sigmoid(x) * (1 + x * (1 - sigmoid(x))).
@inlinable
public func siluBackward<Scalar: KernelScalar>(
    dinp: UnsafeMutablePointer<Scalar>,  // (count)
    dout: UnsafePointer<Scalar>,  // (count)
    inp: UnsafePointer<Scalar>,  // (count)
    count: Int
) {
    Scalar.siluGradient(dinp: dinp, dout: dout, inp: inp, count: count)
}

/// out = fc2(silu(fc1(inp))). Overwrites `out`, `fch` and `fchAct` (saved for the backward).
@inlinable
public func feedForwardForward<Scalar: KernelScalar>(
    out: UnsafeMutablePointer<Scalar>,  // (N, C)
    fch: UnsafeMutablePointer<Scalar>,  // (N, F) hidden pre-activation
    fchAct: UnsafeMutablePointer<Scalar>,  // (N, F) hidden after SiLU
    inp: UnsafePointer<Scalar>,  // (N, C)
    weights w: FeedForwardWeights<Scalar>,
    N: Int, C: Int, F: Int
) {
    linearForward(out: fch, inp: inp, weight: w.fc1Weight, bias: w.fc1Bias, N: N, C: C, OC: F)
    siluForward(out: fchAct, inp: fch, count: N * F)
    linearForward(out: out, inp: fchAct, weight: w.fc2Weight, bias: w.fc2Bias, N: N, C: F, OC: C)
}

/// Adds the gradients of `feedForwardForward` into `dinp` and `grads`. The hidden gradients
/// `dfch` and `dfchAct` are accumulated too, so they must be zero on entry (the encoder zeroes
/// all activation gradients in one place).
@inlinable
public func feedForwardBackward<Scalar: KernelScalar>(
    dinp: UnsafeMutablePointer<Scalar>,  // (N, C)
    grads: FeedForwardWeights<Scalar>,
    dfch: UnsafeMutablePointer<Scalar>,  // (N, F), zero on entry
    dfchAct: UnsafeMutablePointer<Scalar>,  // (N, F), zero on entry
    dout: UnsafePointer<Scalar>,  // (N, C)
    inp: UnsafePointer<Scalar>,  // (N, C)
    fch: UnsafePointer<Scalar>,  // (N, F)
    fchAct: UnsafePointer<Scalar>,  // (N, F)
    weights w: FeedForwardWeights<Scalar>,
    N: Int, C: Int, F: Int
) {
    linearBackward(
        dinp: dfchAct, dweight: grads.fc2Weight, dbias: grads.fc2Bias,
        dout: dout, inp: fchAct, weight: w.fc2Weight, N: N, C: F, OC: C)
    siluBackward(dinp: dfch, dout: dfchAct, inp: fch, count: N * F)
    linearBackward(
        dinp: dinp, dweight: grads.fc1Weight, dbias: grads.fc1Bias,
        dout: dfch, inp: inp, weight: w.fc1Weight, N: N, C: C, OC: F)
}
