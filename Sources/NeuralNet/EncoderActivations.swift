// Every intermediate tensor of a `TransformerEncoder` forward pass, in one preallocated flat
// buffer with named views, so that forward and backward allocate nothing. The same type holds the
// gradients of those activations during the backward.
//
// Each tensor gets a slot sized for (maxBatch, maxTokens); a smaller batch (B, T) uses the first
// part of each slot, packed as (B, T, ...), so views stay valid whatever the batch size.

public final class EncoderActivations<Scalar: KernelScalar> {
    /// The activation tensors. Per-layer kinds have one slot per layer; the final LayerNorm's one.
    public enum Kind: Int, CaseIterable, Sendable {
        case ln1, ln1Mean, ln1Rstd  // (B, T, C), (B, T), (B, T): first LayerNorm of the block
        case qkv  // (B, T, 3A)
        case atty  // (B, T, A) attention output before the projection
        case att  // (B, NH, T, T) attention weights
        case attproj  // (B, T, C)
        case res1  // (B, T, C) input + attention branch
        case ln2, ln2Mean, ln2Rstd  // (B, T, C), (B, T), (B, T)
        case fch, fchAct  // (B, T, F) feed-forward hidden, before and after SiLU
        case fcproj  // (B, T, C)
        case res2  // (B, T, C) block output = res1 + feed-forward branch
        case lnf, lnfMean, lnfRstd  // (B, T, C), (B, T), (B, T): final LayerNorm, the output

        @inlinable
        public var isPerLayer: Bool {
            switch self {
            case .lnf, .lnfMean, .lnfRstd: return false
            default: return true
            }
        }

        /// Numbers one slot of this kind needs for a batch of B rows of T tokens.
        @inlinable
        public func count(config: EncoderConfig, B: Int, T: Int) -> Int {
            let BT = B * T
            switch self {
            case .ln1, .attproj, .res1, .ln2, .fcproj, .res2, .lnf: return BT * config.width
            case .ln1Mean, .ln1Rstd, .ln2Mean, .ln2Rstd, .lnfMean, .lnfRstd: return BT
            case .qkv: return BT * 3 * config.attentionWidth
            case .atty: return BT * config.attentionWidth
            case .att: return B * config.heads * T * T
            case .fch, .fchAct: return BT * config.ffnWidth
            }
        }
    }

    public let config: EncoderConfig
    public let maxBatch: Int
    public let maxTokens: Int
    /// Total numbers allocated, for logging memory use.
    public let count: Int
    @usableFromInline let memory: UnsafeMutablePointer<Scalar>
    @usableFromInline let offsets: [Int]  // by Kind.rawValue: where the kind's first slot starts
    @usableFromInline let slotSizes: [Int]  // by Kind.rawValue: numbers per slot at the maximum size

    public init(config: EncoderConfig, maxBatch: Int, maxTokens: Int) throws {
        try config.validate()
        guard maxBatch >= 1, maxTokens >= 1 else {
            throw NeuralNetError.invalidEncoderConfig(
                "maxBatch \(maxBatch) and maxTokens \(maxTokens) must be at least 1")
        }
        self.config = config
        self.maxBatch = maxBatch
        self.maxTokens = maxTokens
        var offsets: [Int] = [], slotSizes: [Int] = [], total = 0
        for kind in Kind.allCases {
            let slot = kind.count(config: config, B: maxBatch, T: maxTokens)
            offsets.append(total)
            slotSizes.append(slot)
            total += slot * (kind.isPerLayer ? config.layers : 1)
        }
        self.offsets = offsets
        self.slotSizes = slotSizes
        count = total
        memory = .allocate(capacity: total)
        memory.initialize(repeating: 0, count: total)
    }

    deinit { memory.deallocate() }

    /// The slot of `kind` for block `layer` (ignored for the final LayerNorm's kinds).
    @inlinable
    public func view(_ kind: Kind, layer: Int = 0) -> UnsafeMutablePointer<Scalar> {
        memory + offsets[kind.rawValue] + (kind.isPerLayer ? layer * slotSizes[kind.rawValue] : 0)
    }

    /// Zeroes the parts of every slot a (B, T) batch uses, except `att`, whose gradient slot is
    /// scratch that `attentionBackward` overwrites (and by far the largest tensor).
    @inlinable
    public func zeroForBackward(B: Int, T: Int) {
        for kind in Kind.allCases where kind != .att {
            let n = kind.count(config: config, B: B, T: T)
            for l in 0..<(kind.isPerLayer ? config.layers : 1) {
                view(kind, layer: l).update(repeating: 0, count: n)
            }
        }
    }

    /// Throws unless a (B, T) batch fits the preallocated slots.
    @inlinable
    public func checkCapacity(B: Int, T: Int) throws {
        guard B >= 0, T >= 0, B <= maxBatch, T <= maxTokens else {
            throw NeuralNetError.batchExceedsCapacity(batch: B, tokens: T, maxBatch: maxBatch, maxTokens: maxTokens)
        }
    }
}
