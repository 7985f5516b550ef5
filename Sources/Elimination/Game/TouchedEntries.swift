/// A set of dense-state entries (label indices and bitset-word indices), gathered from journals:
/// the places where two states that grew from the same state by different steps can differ. With
/// it `EliminationState.assignEntries(from:_:)` turns one state into another by writing those
/// entries only, instead of copying the whole label matrix — how `IncrementalEvaluator` refreshes
/// its checkpoints after an accepted move.
///
/// Claim. If states A and B both grew from a state S by dense steps, and T holds every entry any of
/// those steps wrote, then A and B agree outside T (each entry outside T still holds S's value), so
/// writing B's values at T into A makes A's labels and bitsets B's.
public struct TouchedEntries {
    /// stamp[i] == generation: label i is in the set (words: the same with wordStamp).
    private var labelStamp: [UInt32]
    private var wordStamp: [UInt32]
    private var generation: UInt32 = 1
    public private(set) var labels: [Int] = []
    public private(set) var words: [Int] = []

    /// An empty set for the states of `spec` (dense layout).
    public init(spec: GameSpec) {
        precondition(spec.layout == .dense, "TouchedEntries: dense states only")
        labelStamp = [UInt32](repeating: 0, count: spec.initialLabels.count)
        wordStamp = [UInt32](repeating: 0, count: spec.initialBits.count)
    }

    /// Empties the set (a new generation; the stamps are cleared only when it would wrap).
    public mutating func removeAll() {
        labels.removeAll(keepingCapacity: true)
        words.removeAll(keepingCapacity: true)
        if generation == .max {
            for i in labelStamp.indices { labelStamp[i] = 0 }
            for i in wordStamp.indices { wordStamp[i] = 0 }
            generation = 0
        }
        generation += 1
    }

    /// Adds label entries `labels` and bitset words `words`.
    public mutating func add(labels: [Int32], words: [Int32]) {
        for i in labels { insertLabel(Int(i)) }
        for i in words { insertWord(Int(i)) }
    }

    /// Adds every entry `journal` recorded from `start` on (`EliminationJournal.recordCounts`).
    public mutating func add(_ journal: EliminationJournal, from start: (labels: Int, words: Int)) {
        journal.forEachRecord(from: start, label: { insertLabel($0) }, word: { insertWord($0) })
    }

    @inline(__always) private mutating func insertLabel(_ i: Int) {
        guard labelStamp[i] != generation else { return }
        labelStamp[i] = generation
        labels.append(i)
    }

    @inline(__always) private mutating func insertWord(_ i: Int) {
        guard wordStamp[i] != generation else { return }
        wordStamp[i] = generation
        words.append(i)
    }
}

extension EliminationState {
    /// Writes `source`'s labels and bitset words at the entries of `touched` into this state, and
    /// its cost and step count (both dense states of the same spec; `TouchedEntries`' claim says
    /// when that makes the two equal).
    public mutating func assignEntries(from source: EliminationState, _ touched: TouchedEntries) {
        precondition(isDense && source.isDense, "assignEntries: dense states only")
        labels.withUnsafeMutableBufferPointer { L in
            source.labels.withUnsafeBufferPointer { S in
                for i in touched.labels { L[i] = S[i] }
            }
        }
        bits.withUnsafeMutableBufferPointer { B in
            source.bits.withUnsafeBufferPointer { S in
                for i in touched.words { B[i] = S[i] }
            }
        }
        cost = source.cost
        steps = source.steps
    }
}
