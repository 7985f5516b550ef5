// A pre-LayerNorm transformer encoder composed from the kernels, over a batch (B, T, C) of token
// vectors with a key mask (false = padding token, never attended to).
//
// Each block:  x → LN1 → self-attention → + x = res1 → LN2 → feed-forward → + res1 = res2,
// and a final LayerNorm after the last block. Activations live in preallocated buffers, so
// forward and backward allocate nothing.

public final class TransformerEncoder<Scalar: KernelScalar> {
    public let parameters: EncoderParameters
    /// The forward pass's intermediate tensors; the output is `activations.view(.lnf)`.
    public let activations: EncoderActivations<Scalar>
    /// Gradients of the activations, filled by `backward`.
    public let activationGradients: EncoderActivations<Scalar>

    public var config: EncoderConfig { parameters.config }

    /// Preallocates activations for batches of up to maxBatch rows of up to maxTokens tokens.
    /// Memory grows with maxBatch * heads * maxTokens² * layers (the attention weights).
    public init(parameters: EncoderParameters, maxBatch: Int, maxTokens: Int) throws {
        self.parameters = parameters
        activations = try EncoderActivations(config: parameters.config, maxBatch: maxBatch, maxTokens: maxTokens)
        activationGradients = try EncoderActivations(
            config: parameters.config, maxBatch: maxBatch, maxTokens: maxTokens)
    }

    /// Runs the encoder and returns its output (B, T, C), a view into `activations`: valid until
    /// the next forward and only while this encoder is alive. Outputs at masked tokens are
    /// computed but meaningless.
    @inlinable
    @discardableResult
    public func forward(
        params: UnsafeMutablePointer<Scalar>,  // (layout.count) the flat parameter buffer
        input: UnsafePointer<Scalar>,  // (B, T, C)
        keyMask: UnsafePointer<Bool>,  // (B, T) true = real token
        B: Int, T: Int
    ) throws -> UnsafeMutablePointer<Scalar> {
        try activations.checkCapacity(B: B, T: T)
        let cfg = config, acts = activations
        let C = cfg.width, NH = cfg.heads, HD = cfg.headDim, F = cfg.ffnWidth, BT = B * T
        for l in 0..<cfg.layers {
            let o = parameters.layers[l]
            let x = l == 0 ? input : UnsafePointer(acts.view(.res2, layer: l - 1))
            layerNormForward(
                out: acts.view(.ln1, layer: l), mean: acts.view(.ln1Mean, layer: l),
                rstd: acts.view(.ln1Rstd, layer: l), inp: x,
                weight: params + o.ln1Weight, bias: params + o.ln1Bias, N: BT, C: C)
            selfAttentionForward(
                out: acts.view(.attproj, layer: l), qkv: acts.view(.qkv, layer: l),
                atty: acts.view(.atty, layer: l), att: acts.view(.att, layer: l),
                inp: acts.view(.ln1, layer: l), keyMask: keyMask,
                weights: parameters.attention(l, in: params),
                B: B, T: T, C: C, NH: NH, HD: HD)
            residualForward(out: acts.view(.res1, layer: l), a: x, b: acts.view(.attproj, layer: l), count: BT * C)
            layerNormForward(
                out: acts.view(.ln2, layer: l), mean: acts.view(.ln2Mean, layer: l),
                rstd: acts.view(.ln2Rstd, layer: l), inp: acts.view(.res1, layer: l),
                weight: params + o.ln2Weight, bias: params + o.ln2Bias, N: BT, C: C)
            feedForwardForward(
                out: acts.view(.fcproj, layer: l), fch: acts.view(.fch, layer: l),
                fchAct: acts.view(.fchAct, layer: l), inp: acts.view(.ln2, layer: l),
                weights: parameters.feedForward(l, in: params), N: BT, C: C, F: F)
            residualForward(
                out: acts.view(.res2, layer: l), a: acts.view(.res1, layer: l),
                b: acts.view(.fcproj, layer: l), count: BT * C)
        }
        let last = UnsafePointer(acts.view(.res2, layer: cfg.layers - 1))
        layerNormForward(
            out: acts.view(.lnf), mean: acts.view(.lnfMean), rstd: acts.view(.lnfRstd),
            inp: last, weight: params + parameters.finalNormWeight,
            bias: params + parameters.finalNormBias, N: BT, C: C)
        return acts.view(.lnf)
    }

    /// Adds the gradients of the last `forward` (same params, input, mask and sizes) into `grads`
    /// (the flat gradient buffer) and `dinput`. Activation gradients are zeroed here, once.
    @inlinable
    public func backward(
        params: UnsafeMutablePointer<Scalar>,  // (layout.count)
        grads: UnsafeMutablePointer<Scalar>,  // (layout.count)
        dinput: UnsafeMutablePointer<Scalar>,  // (B, T, C)
        dout: UnsafePointer<Scalar>,  // (B, T, C) gradient of the loss w.r.t. the output
        input: UnsafePointer<Scalar>,  // (B, T, C)
        keyMask: UnsafePointer<Bool>,  // (B, T)
        B: Int, T: Int
    ) throws {
        try activations.checkCapacity(B: B, T: T)
        let cfg = config, acts = activations, dacts = activationGradients
        let C = cfg.width, NH = cfg.heads, HD = cfg.headDim, F = cfg.ffnWidth, BT = B * T
        dacts.zeroForBackward(B: B, T: T)

        let last = cfg.layers - 1
        layerNormBackward(
            dinp: dacts.view(.res2, layer: last), dweight: grads + parameters.finalNormWeight,
            dbias: grads + parameters.finalNormBias, dout: dout,
            inp: acts.view(.res2, layer: last), weight: params + parameters.finalNormWeight,
            mean: acts.view(.lnfMean), rstd: acts.view(.lnfRstd), N: BT, C: C)
        for l in stride(from: last, through: 0, by: -1) {
            let o = parameters.layers[l]
            let x = l == 0 ? input : UnsafePointer(acts.view(.res2, layer: l - 1))
            let dx = l == 0 ? dinput : dacts.view(.res2, layer: l - 1)
            residualBackward(
                da: dacts.view(.res1, layer: l), db: dacts.view(.fcproj, layer: l),
                dout: dacts.view(.res2, layer: l), count: BT * C)
            feedForwardBackward(
                dinp: dacts.view(.ln2, layer: l), grads: parameters.feedForward(l, in: grads),
                dfch: dacts.view(.fch, layer: l), dfchAct: dacts.view(.fchAct, layer: l),
                dout: dacts.view(.fcproj, layer: l), inp: acts.view(.ln2, layer: l),
                fch: acts.view(.fch, layer: l), fchAct: acts.view(.fchAct, layer: l),
                weights: parameters.feedForward(l, in: params), N: BT, C: C, F: F)
            layerNormBackward(
                dinp: dacts.view(.res1, layer: l), dweight: grads + o.ln2Weight,
                dbias: grads + o.ln2Bias, dout: dacts.view(.ln2, layer: l),
                inp: acts.view(.res1, layer: l), weight: params + o.ln2Weight,
                mean: acts.view(.ln2Mean, layer: l), rstd: acts.view(.ln2Rstd, layer: l), N: BT, C: C)
            residualBackward(
                da: dx, db: dacts.view(.attproj, layer: l), dout: dacts.view(.res1, layer: l), count: BT * C)
            selfAttentionBackward(
                dinp: dacts.view(.ln1, layer: l), grads: parameters.attention(l, in: grads),
                dqkv: dacts.view(.qkv, layer: l), datty: dacts.view(.atty, layer: l),
                datt: dacts.view(.att, layer: l), dout: dacts.view(.attproj, layer: l),
                inp: acts.view(.ln1, layer: l), qkv: acts.view(.qkv, layer: l),
                atty: acts.view(.atty, layer: l), att: acts.view(.att, layer: l),
                weights: parameters.attention(l, in: params),
                B: B, T: T, C: C, NH: NH, HD: HD)
            layerNormBackward(
                dinp: dx, dweight: grads + o.ln1Weight, dbias: grads + o.ln1Bias,
                dout: dacts.view(.ln1, layer: l), inp: x, weight: params + o.ln1Weight,
                mean: acts.view(.ln1Mean, layer: l), rstd: acts.view(.ln1Rstd, layer: l), N: BT, C: C)
        }
    }
}
