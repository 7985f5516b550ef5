import NeuralNet
import Randomness

/// The agent: per-token features → linear embedding → transformer encoder → one logit per token
/// (policy), and a separate embedding + encoder → masked mean pool → one value per state (in
/// symlog space). All weights of both networks live in one flat buffer (`store`) with a named
/// layout — the same layout checkpoints and the wire use.
///
/// Callers always pass `TokenFeatures.count` numbers per token; the network reads the first
/// `config.features` of them (its embedding's input width), so a checkpoint trained before later
/// features were appended plays exactly as it was trained. More features than this build writes
/// are refused.
public final class PolicyNetwork {
    public let config: NetworkConfig
    public let store: ParameterStore
    public let maxBatch: Int
    public let maxTokens: Int
    /// Token rows (B × T) through `forwardPolicy` and `forwardValue` so far: the work a decoding
    /// did, whatever the machine's load (`LoadedPolicy.WorkBudget`).
    public private(set) var tokenRowsForwarded = 0

    let policyEncoder: TransformerEncoder<Float>
    let valueEncoder: TransformerEncoder<Float>
    // Offsets of the non-encoder tensors in the flat buffer.
    let policyEmbedWeight, policyEmbedBias, policyHeadWeight, policyHeadBias: Int
    let valueEmbedWeight, valueEmbedBias, valueHeadWeight, valueHeadBias: Int

    // Activations and their gradients, preallocated for (maxBatch, maxTokens).
    let policyEmbedded: UnsafeMutablePointer<Float>  // (B, T, Cp)
    let valueEmbedded: UnsafeMutablePointer<Float>  // (B, T, Cv)
    public let logits: UnsafeMutablePointer<Float>  // (B, T)
    public let values: UnsafeMutablePointer<Float>  // (B) symlog of the expected return
    let pooled: UnsafeMutablePointer<Float>  // (B, Cv)
    var policyOut: UnsafeMutablePointer<Float>?  // (B, T, Cp) view into the encoder
    var valueOut: UnsafeMutablePointer<Float>?  // (B, T, Cv) view into the encoder
    let dPolicyOut: UnsafeMutablePointer<Float>  // (B, T, Cp)
    let dValueOut: UnsafeMutablePointer<Float>  // (B, T, Cv)
    let dPolicyEmbedded: UnsafeMutablePointer<Float>  // (B, T, Cp)
    let dValueEmbedded: UnsafeMutablePointer<Float>  // (B, T, Cv)
    /// (B, T, F): the first F of every token's `TokenFeatures.count` numbers, when F is fewer.
    let narrowed: UnsafeMutablePointer<Float>?

    /// Registers every tensor, allocates, and initialises the weights from `seed` (orthogonal, as
    /// in the paper's PPO; the policy head is scaled down so the first policy is near uniform).
    public init(config: NetworkConfig, maxBatch: Int, maxTokens: Int, seed: UInt64) throws {
        self.config = config
        self.maxBatch = maxBatch
        self.maxTokens = maxTokens
        guard config.features >= 1 && config.features <= TokenFeatures.count else {
            throw PPOError.incompatible(
                "network '\(config.name)' reads \(config.features) token features; this ccelim writes \(TokenFeatures.count): use the ccelim that trained it, or retrain"
            )
        }
        let F = config.features, Cp = config.policy.width, Cv = config.value.width
        var layout = ParameterLayout()
        policyEmbedWeight = try layout.add("policy.embed.weight", shape: [Cp, F]).offset
        policyEmbedBias = try layout.add("policy.embed.bias", shape: [Cp]).offset
        let policyParameters = try EncoderParameters(config: config.policy, prefix: "policy", layout: &layout)
        policyHeadWeight = try layout.add("policy.head.weight", shape: [1, Cp]).offset
        policyHeadBias = try layout.add("policy.head.bias", shape: [1]).offset
        valueEmbedWeight = try layout.add("value.embed.weight", shape: [Cv, F]).offset
        valueEmbedBias = try layout.add("value.embed.bias", shape: [Cv]).offset
        let valueParameters = try EncoderParameters(config: config.value, prefix: "value", layout: &layout)
        valueHeadWeight = try layout.add("value.head.weight", shape: [1, Cv]).offset
        valueHeadBias = try layout.add("value.head.bias", shape: [1]).offset
        store = ParameterStore(layout: layout)
        policyEncoder = try TransformerEncoder(parameters: policyParameters, maxBatch: maxBatch, maxTokens: maxTokens)
        valueEncoder = try TransformerEncoder(parameters: valueParameters, maxBatch: maxBatch, maxTokens: maxTokens)

        let BT = maxBatch * maxTokens
        func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            return p
        }
        policyEmbedded = buffer(BT * Cp)
        valueEmbedded = buffer(BT * Cv)
        logits = buffer(BT)
        values = buffer(maxBatch)
        pooled = buffer(maxBatch * Cv)
        dPolicyOut = buffer(BT * Cp)
        dValueOut = buffer(BT * Cv)
        dPolicyEmbedded = buffer(BT * Cp)
        dValueEmbedded = buffer(BT * Cv)
        narrowed = F < TokenFeatures.count ? buffer(BT * F) : nil

        var rng = Xoshiro256StarStar(seed: seed, stream: 0x9E11C7)
        let p = store.parameters
        orthogonalInitialize(p + policyEmbedWeight, rows: Cp, cols: F, gain: 2.0.squareRoot(), rng: &rng)
        policyParameters.initialize(p, rng: &rng)
        orthogonalInitialize(p + policyHeadWeight, rows: 1, cols: Cp, gain: 0.01, rng: &rng)
        orthogonalInitialize(p + valueEmbedWeight, rows: Cv, cols: F, gain: 2.0.squareRoot(), rng: &rng)
        valueParameters.initialize(p, rng: &rng)
        orthogonalInitialize(p + valueHeadWeight, rows: 1, cols: Cv, gain: 1, rng: &rng)
    }

    deinit {
        for b in [
            policyEmbedded, valueEmbedded, logits, values, pooled, dPolicyOut, dValueOut, dPolicyEmbedded,
            dValueEmbedded,
        ] {
            b.deallocate()
        }
        narrowed?.deallocate()
    }

    public var parameterCount: Int { store.count }

    func checkCapacity(B: Int, T: Int) throws(PPOError) {
        guard B <= maxBatch, T <= maxTokens else {
            throw .capacity(
                "a batch of \(B) states with \(T) tokens exceeds the network's buffers (\(maxBatch) × \(maxTokens))")
        }
    }

    /// Policy logits (B, T) into `logits`. `tokenMask` marks real tokens (false = padding).
    public func forwardPolicy(features: UnsafePointer<Float>, tokenMask: UnsafePointer<Bool>, B: Int, T: Int) throws {
        try checkCapacity(B: B, T: T)
        let p = store.parameters, F = config.features, C = config.policy.width, BT = B * T
        tokenRowsForwarded += BT
        linearForward(
            out: policyEmbedded, inp: input(features, rows: BT), weight: p + policyEmbedWeight,
            bias: p + policyEmbedBias, N: BT, C: F,
            OC: C)
        let out = try policyEncoder.forward(params: p, input: policyEmbedded, keyMask: tokenMask, B: B, T: T)
        policyOut = out
        linearForward(out: logits, inp: out, weight: p + policyHeadWeight, bias: p + policyHeadBias, N: BT, C: C, OC: 1)
    }

    /// Values (B) into `values`, in symlog space.
    public func forwardValue(features: UnsafePointer<Float>, tokenMask: UnsafePointer<Bool>, B: Int, T: Int) throws {
        try checkCapacity(B: B, T: T)
        let p = store.parameters, F = config.features, C = config.value.width, BT = B * T
        tokenRowsForwarded += BT
        linearForward(
            out: valueEmbedded, inp: input(features, rows: BT), weight: p + valueEmbedWeight, bias: p + valueEmbedBias,
            N: BT, C: F,
            OC: C)
        let out = try valueEncoder.forward(params: p, input: valueEmbedded, keyMask: tokenMask, B: B, T: T)
        valueOut = out
        valueHeadForward(
            value: values, pooled: pooled, inp: out, mask: tokenMask, weight: p + valueHeadWeight,
            bias: p + valueHeadBias, B: B, T: T, C: C)
    }

    /// Adds into `store.gradients` the gradient of the last `forwardPolicy` given dlogits (B, T).
    public func backwardPolicy(
        dlogits: UnsafePointer<Float>, features: UnsafePointer<Float>, tokenMask: UnsafePointer<Bool>, B: Int, T: Int
    ) throws {
        guard let out = policyOut else { throw PPOError.capacity("backwardPolicy before forwardPolicy") }
        let p = store.parameters, g = store.gradients, F = config.features, C = config.policy.width, BT = B * T
        dPolicyOut.update(repeating: 0, count: BT * C)
        dPolicyEmbedded.update(repeating: 0, count: BT * C)
        linearBackward(
            dinp: dPolicyOut, dweight: g + policyHeadWeight, dbias: g + policyHeadBias, dout: dlogits,
            inp: out, weight: p + policyHeadWeight, N: BT, C: C, OC: 1)
        try policyEncoder.backward(
            params: p, grads: g, dinput: dPolicyEmbedded, dout: dPolicyOut,
            input: policyEmbedded, keyMask: tokenMask, B: B, T: T)
        linearBackward(
            dinp: nil, dweight: g + policyEmbedWeight, dbias: g + policyEmbedBias, dout: dPolicyEmbedded,
            inp: input(features, rows: BT), weight: p + policyEmbedWeight, N: BT, C: F, OC: C)
    }

    /// Adds into `store.gradients` the gradient of the last `forwardValue` given dvalues (B).
    public func backwardValue(
        dvalues: UnsafePointer<Float>, features: UnsafePointer<Float>, tokenMask: UnsafePointer<Bool>, B: Int, T: Int
    ) throws {
        guard valueOut != nil else { throw PPOError.capacity("backwardValue before forwardValue") }
        let p = store.parameters, g = store.gradients, F = config.features, C = config.value.width, BT = B * T
        dValueOut.update(repeating: 0, count: BT * C)
        dValueEmbedded.update(repeating: 0, count: BT * C)
        valueHeadBackward(
            dinp: dValueOut, dweight: g + valueHeadWeight, dbias: g + valueHeadBias, dvalue: dvalues,
            pooled: pooled, mask: tokenMask, weight: p + valueHeadWeight, B: B, T: T, C: C)
        try valueEncoder.backward(
            params: p, grads: g, dinput: dValueEmbedded, dout: dValueOut,
            input: valueEmbedded, keyMask: tokenMask, B: B, T: T)
        linearBackward(
            dinp: nil, dweight: g + valueEmbedWeight, dbias: g + valueEmbedBias, dout: dValueEmbedded,
            inp: input(features, rows: BT), weight: p + valueEmbedWeight, N: BT, C: F, OC: C)
    }

    /// The embedding's input: `features` itself (`TokenFeatures.count` per row) when the network
    /// reads them all, else the first `config.features` of each of the `rows` rows, copied.
    private func input(_ features: UnsafePointer<Float>, rows: Int) -> UnsafePointer<Float> {
        guard let narrowed else { return features }
        let F = config.features, stride = TokenFeatures.count
        for r in 0..<rows { (narrowed + r * F).update(from: features + r * stride, count: F) }
        return UnsafePointer(narrowed)
    }

    /// Copies the weights in (from a checkpoint or the wire); the count must match the layout.
    public func loadParameters(_ values: [Float]) throws(PPOError) {
        guard values.count == store.count else {
            throw .incompatible("the weights have \(values.count) numbers; network '\(config.name)' has \(store.count)")
        }
        values.withUnsafeBufferPointer { store.parameters.update(from: $0.baseAddress!, count: values.count) }
    }

    /// Copies in the weights of a network of `config`: this network's shape but fewer token
    /// features (a checkpoint from before features were appended). Every tensor is copied; the
    /// embeddings' weights for the extra features are zero, so the network computes what the old
    /// one did until training moves them (`pretrain --init` / `train --init` of an old checkpoint).
    public func loadWidening(_ parameters: [Float], from config: NetworkConfig) throws(PPOError) {
        var same = config
        same.features = self.config.features
        guard same == self.config, config.features < self.config.features else {
            throw .incompatible("\(config) cannot widen to \(self.config): only the token features may differ")
        }
        let old: PolicyNetwork
        do {
            old = try PolicyNetwork(config: config, maxBatch: 1, maxTokens: 1, seed: 0)
        } catch {
            throw .incompatible("\(error)")
        }
        try old.loadParameters(parameters)
        let from = old.store.parameters, to = store.parameters
        store.parameters.update(repeating: 0, count: store.count)
        func copyEmbedding(_ oldAt: Int, _ newAt: Int, rows: Int) {
            for r in 0..<rows {
                (to + newAt + r * self.config.features).update(
                    from: from + oldAt + r * config.features, count: config.features)
            }
        }
        copyEmbedding(old.policyEmbedWeight, policyEmbedWeight, rows: self.config.policy.width)
        (to + policyEmbedBias).update(
            from: from + old.policyEmbedBias, count: old.valueEmbedWeight - old.policyEmbedBias)
        copyEmbedding(old.valueEmbedWeight, valueEmbedWeight, rows: self.config.value.width)
        (to + valueEmbedBias).update(from: from + old.valueEmbedBias, count: old.store.count - old.valueEmbedBias)
    }

    public func parameterArray() -> [Float] {
        Array(UnsafeBufferPointer(start: store.parameters, count: store.count))
    }
}
