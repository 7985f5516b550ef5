// The transformer's self-attention block: qkv projection, masked multi-head attention, output
// projection. The attention inner width A = NH * HD need not equal the model width C: the paper's
// 6 heads over width 64 use HD = 16, so A = 96 is projected back to 64 by the output projection.

/// Weights of one self-attention block; the same struct points at parameters or at their gradients.
public struct SelfAttentionWeights<Scalar: KernelScalar> {
    public var qkvWeight: UnsafeMutablePointer<Scalar>  // (3A, C)
    public var qkvBias: UnsafeMutablePointer<Scalar>  // (3A)
    public var projWeight: UnsafeMutablePointer<Scalar>  // (C, A)
    public var projBias: UnsafeMutablePointer<Scalar>  // (C)

    @inlinable
    public init(
        qkvWeight: UnsafeMutablePointer<Scalar>, qkvBias: UnsafeMutablePointer<Scalar>,
        projWeight: UnsafeMutablePointer<Scalar>, projBias: UnsafeMutablePointer<Scalar>
    ) {
        self.qkvWeight = qkvWeight
        self.qkvBias = qkvBias
        self.projWeight = projWeight
        self.projBias = projBias
    }
}

/// out = proj(attention(qkv(inp))). Overwrites `out`, `qkv`, `atty` and `att` (saved for the backward).
@inlinable
public func selfAttentionForward<Scalar: KernelScalar>(
    out: UnsafeMutablePointer<Scalar>,  // (B, T, C)
    qkv: UnsafeMutablePointer<Scalar>,  // (B, T, 3A)
    atty: UnsafeMutablePointer<Scalar>,  // (B, T, A) attention output before the projection
    att: UnsafeMutablePointer<Scalar>,  // (B, NH, T, T)
    inp: UnsafePointer<Scalar>,  // (B, T, C)
    keyMask: UnsafePointer<Bool>,  // (B, T) true = may be attended to
    weights w: SelfAttentionWeights<Scalar>,
    B: Int, T: Int, C: Int, NH: Int, HD: Int
) {
    let A = NH * HD
    linearForward(out: qkv, inp: inp, weight: w.qkvWeight, bias: w.qkvBias, N: B * T, C: C, OC: 3 * A)
    attentionForward(out: atty, att: att, qkv: qkv, keyMask: keyMask, B: B, T: T, NH: NH, HD: HD)
    linearForward(out: out, inp: atty, weight: w.projWeight, bias: w.projBias, N: B * T, C: A, OC: C)
}

/// Adds the gradients of `selfAttentionForward` into `dinp` and `grads`. `dqkv` and `datty` are
/// accumulated, so they must be zero on entry; `datt` is scratch and is overwritten.
@inlinable
public func selfAttentionBackward<Scalar: KernelScalar>(
    dinp: UnsafeMutablePointer<Scalar>,  // (B, T, C)
    grads: SelfAttentionWeights<Scalar>,
    dqkv: UnsafeMutablePointer<Scalar>,  // (B, T, 3A), zero on entry
    datty: UnsafeMutablePointer<Scalar>,  // (B, T, A), zero on entry
    datt: UnsafeMutablePointer<Scalar>,  // (B, NH, T, T) scratch
    dout: UnsafePointer<Scalar>,  // (B, T, C)
    inp: UnsafePointer<Scalar>,  // (B, T, C)
    qkv: UnsafePointer<Scalar>,  // (B, T, 3A)
    atty: UnsafePointer<Scalar>,  // (B, T, A)
    att: UnsafePointer<Scalar>,  // (B, NH, T, T)
    weights w: SelfAttentionWeights<Scalar>,
    B: Int, T: Int, C: Int, NH: Int, HD: Int
) {
    let A = NH * HD
    linearBackward(
        dinp: datty, dweight: grads.projWeight, dbias: grads.projBias,
        dout: dout, inp: atty, weight: w.projWeight, N: B * T, C: A, OC: C)
    attentionBackward(
        dqkv: dqkv, datt: datt, dout: datty, qkv: qkv, att: att,
        B: B, T: T, NH: NH, HD: HD)
    linearBackward(
        dinp: dinp, dweight: grads.qkvWeight, dbias: grads.qkvBias,
        dout: dqkv, inp: inp, weight: w.qkvWeight, N: B * T, C: C, OC: 3 * A)
}
