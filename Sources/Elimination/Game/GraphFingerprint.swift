/// A 64-bit summary of a dense state's graph — its edge labels and its eliminated set — kept up to
/// date step by step, so that two states can be told apart without comparing their whole label
/// matrices (`EliminationState.hasSameGraph` reads every entry: at 200 vertices 200 KB).
///
/// The value is the XOR, over every present edge (label index i, packed label ℓ ≠ 0), of
/// `key(i, ℓ)`, and over every eliminated vertex column c of `eliminatedKey(c)`; a step changes it
/// by the keys of the entries it writes (`eliminate(_:fingerprint:)`), whatever the order the
/// entries were reached in, so it is a function of the graph only: equal graphs give equal values.
/// Unequal graphs give unequal values unless the XORs of the keys where they differ cancel, which
/// for a good 64-bit mixer (the SplitMix64 finaliser) has probability about 2⁻⁶⁴ per comparison —
/// the Zobrist hashing of game engines. Who trusts an equal fingerprint without the full comparison
/// (`IncrementalEvaluator`) must therefore only ever use it to choose what to search next, never to
/// report a cost: every order such a search returns is re-scored from scratch.
///
/// Dense layout only: the sparse layout's steps do not maintain it (they share unchanged lists
/// between states, and `hasSameGraph` compares those by identity).
public struct GraphFingerprint: Equatable, Sendable {
    public private(set) var value: UInt64

    /// The fingerprint of `state`'s graph, from scratch (every entry); dense states only.
    public init(of state: EliminationState) {
        precondition(state.isDense, "GraphFingerprint: dense states only")
        var value: UInt64 = 0
        state.labels.withUnsafeBufferPointer { L in
            for i in 0..<L.count where L[i] != 0 { value ^= Self.key(i, L[i]) }
        }
        for c in 0..<state.spec.vertexCount where state.isEliminated(c + 1) { value ^= Self.eliminatedKey(c) }
        self.value = value
    }

    /// The key of label `label` at index `index` of the dense label matrix; 0 for no edge, so an
    /// entry written from `a` to `b` changes the value by key(i, a) ^ key(i, b).
    @inline(__always) static func key(_ index: Int, _ label: UInt32) -> UInt64 {
        label == 0 ? 0 : mix(UInt64(truncatingIfNeeded: index) << 32 | UInt64(label))
    }

    /// The key of an eliminated vertex column (distinct from every label key's input: bit 63 set
    /// there is never set by `key`'s input, whose index is below 2³¹).
    @inline(__always) static func eliminatedKey(_ column: Int) -> UInt64 {
        mix(1 << 63 | UInt64(truncatingIfNeeded: column))
    }

    /// SplitMix64's finaliser: a bijection of 64-bit words whose outputs for nearby inputs look
    /// independent.
    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always) mutating func toggle(_ key: UInt64) { value ^= key }
}

/// Keeps a `GraphFingerprint` up to date through the entries a dense step writes.
struct FingerprintRecorder: DenseStepRecorder {
    var fingerprint: GraphFingerprint

    @inline(__always) mutating func label(_ index: Int, was old: UInt32, now new: UInt32) {
        fingerprint.toggle(GraphFingerprint.key(index, old) ^ GraphFingerprint.key(index, new))
    }
    @inline(__always) mutating func word(_ index: Int, was value: UInt64) {}
    @inline(__always) mutating func eliminated(column: Int) {
        fingerprint.toggle(GraphFingerprint.eliminatedKey(column))
    }
}

/// A journal and a fingerprint told of the same step.
struct JournalAndFingerprint: DenseStepRecorder {
    var journal: EliminationJournal
    var fingerprint: FingerprintRecorder

    @inline(__always) mutating func label(_ index: Int, was old: UInt32, now new: UInt32) {
        journal.label(index, was: old, now: new)
        fingerprint.label(index, was: old, now: new)
    }
    @inline(__always) mutating func word(_ index: Int, was value: UInt64) { journal.word(index, was: value) }
    @inline(__always) mutating func eliminated(column: Int) { fingerprint.eliminated(column: column) }
}

extension EliminationState {
    /// `eliminateUnchecked(v)` (v must be legal) on a dense state, with `fingerprint` (this state's,
    /// before the step) brought up to date.
    @discardableResult
    public mutating func eliminate(_ v: Int, fingerprint: inout GraphFingerprint) -> Int {
        precondition(isDense, "fingerprinted steps: dense states only")
        var recorder = FingerprintRecorder(fingerprint: fingerprint)
        let step = eliminateDense(v, recording: &recorder)
        fingerprint = recorder.fingerprint
        return step
    }

    /// `eliminate(v, journal:)` and `eliminate(v, fingerprint:)` in one step (dense states only):
    /// `undo` takes the step back; the fingerprint is the caller's to restore.
    @discardableResult
    public mutating func eliminate(
        _ v: Int, journal: inout EliminationJournal, fingerprint: inout GraphFingerprint
    ) -> Int {
        precondition(isDense, "fingerprinted steps: dense states only")
        journal.begin(self)
        var both = JournalAndFingerprint(journal: journal, fingerprint: FingerprintRecorder(fingerprint: fingerprint))
        journal = EliminationJournal()  // `both` holds the journal's buffers uniquely during the step
        let step = eliminateDense(v, recording: &both)
        journal = both.journal
        fingerprint = both.fingerprint.fingerprint
        return step
    }
}
