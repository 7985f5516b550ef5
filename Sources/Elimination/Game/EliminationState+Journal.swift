/// Told every entry a dense step is about to overwrite (`EliminationState.eliminateDense`): a
/// label's old and new value, a bitset word's old value, and the vertex column the step eliminates.
protocol DenseStepRecorder {
    mutating func label(_ index: Int, was old: UInt32, now new: UInt32)
    mutating func word(_ index: Int, was value: UInt64)
    mutating func eliminated(column: Int)
}

extension DenseStepRecorder {
    @inline(__always) mutating func eliminated(column: Int) {}
}

/// Records nothing: the ordinary step (`eliminateUnchecked`), specialised to no extra work.
struct NoStepRecorder: DenseStepRecorder {
    @inline(__always) mutating func label(_ index: Int, was old: UInt32, now new: UInt32) {}
    @inline(__always) mutating func word(_ index: Int, was value: UInt64) {}
}

/// What journaled steps changed, so that `EliminationState.undo` can take the last one back
/// exactly: a copy-free child for searches that visit a state's children one after the other
/// (`ExactElimination`'s endgame). A dense step lists every label and bitset word before it is
/// written (the same writes as `eliminateUnchecked`: a journaled step leaves the state, cost and
/// steps that step would); a sparse one keeps the whole state before it (a copy, as without the
/// journal). Steps are undone last first; one journal serves one state at a time.
public struct EliminationJournal: DenseStepRecorder {
    private var labelIndices: [Int] = []
    private var labelValues: [UInt32] = []
    private var wordIndices: [Int] = []
    private var wordValues: [UInt64] = []
    /// Per journaled step: where its entries start, and the cost and step count before it.
    private var marks: [(labels: Int, words: Int, cost: Int, steps: Int)] = []
    private var sparseStates: [EliminationState] = []

    public init() {}

    /// Journaled steps not undone yet.
    public var depth: Int { marks.count }

    @inline(__always) mutating func label(_ index: Int, was old: UInt32, now new: UInt32) {
        labelIndices.append(index)
        labelValues.append(old)
    }

    @inline(__always) mutating func word(_ index: Int, was value: UInt64) {
        wordIndices.append(index)
        wordValues.append(value)
    }

    mutating func begin(_ state: EliminationState) {
        marks.append((labelIndices.count, wordIndices.count, state.cost, state.steps))
        if !state.isDense { sparseStates.append(state) }
    }

    /// Puts back, last written first, what every step changed, and empties the journal.
    fileprivate mutating func restoreAll(_ state: inout EliminationState) {
        if state.isDense { rewind(&state, to: marks[0]) } else { state = sparseStates[0] }
        forget()
    }

    /// Drops every record without taking anything back (the steps stay done).
    public mutating func forget() {
        labelIndices.removeAll(keepingCapacity: true)
        labelValues.removeAll(keepingCapacity: true)
        wordIndices.removeAll(keepingCapacity: true)
        wordValues.removeAll(keepingCapacity: true)
        marks.removeAll(keepingCapacity: true)
        sparseStates.removeAll(keepingCapacity: true)
    }

    /// Puts back, last written first, what the newest step changed.
    fileprivate mutating func restore(_ state: inout EliminationState) {
        let mark = marks.removeLast()
        if state.isDense { rewind(&state, to: mark) } else { state = sparseStates.removeLast() }
    }

    /// Writes back, last written first, every dense record from `mark` on, drops those records, and
    /// gives `state` the mark's cost and step count.
    private mutating func rewind(
        _ state: inout EliminationState, to mark: (labels: Int, words: Int, cost: Int, steps: Int)
    ) {
        state.labels.withUnsafeMutableBufferPointer { L in
            var i = labelIndices.count
            while i > mark.labels {
                i -= 1
                L[labelIndices[i]] = labelValues[i]
            }
        }
        state.bits.withUnsafeMutableBufferPointer { B in
            var i = wordIndices.count
            while i > mark.words {
                i -= 1
                B[wordIndices[i]] = wordValues[i]
            }
        }
        labelIndices.removeSubrange(mark.labels...)
        labelValues.removeSubrange(mark.labels...)
        wordIndices.removeSubrange(mark.words...)
        wordValues.removeSubrange(mark.words...)
        state.cost = mark.cost
        state.steps = mark.steps
    }
}

extension EliminationState {
    /// `eliminateUnchecked(v)` (v must be legal), recorded in `journal` so that `undo` takes it back.
    @discardableResult
    public mutating func eliminate(_ v: Int, journal: inout EliminationJournal) -> Int {
        journal.begin(self)
        guard isDense else { return eliminateUnchecked(v) }
        let step = eliminateDense(v, recording: &journal)
        return step
    }

    /// Takes back the newest step `journal` recorded on this state: labels, edges, eliminated
    /// set, cost and steps are again what they were before it.
    public mutating func undo(_ journal: inout EliminationJournal) {
        precondition(journal.depth > 0, "undo: the journal has no step to take back")
        journal.restore(&self)
    }

    /// Takes back every step `journal` recorded on this state (`undo` until it is empty, in one
    /// pass over the records).
    public mutating func undoAll(_ journal: inout EliminationJournal) {
        guard journal.depth > 0 else { return }
        journal.restoreAll(&self)
    }
}

extension EliminationJournal {
    /// Label and bitset-word records so far (dense steps; a position in the journal for
    /// `TouchedEntries.add(_:from:)`).
    public var recordCounts: (labels: Int, words: Int) { (labelIndices.count, wordIndices.count) }

    /// Calls `label` with the label index and `word` with the bitset-word index of every record from
    /// `start` on (repeats included).
    public func forEachRecord(from start: (labels: Int, words: Int), label: (Int) -> Void, word: (Int) -> Void) {
        for i in start.labels..<labelIndices.count { label(labelIndices[i]) }
        for i in start.words..<wordIndices.count { word(wordIndices[i]) }
    }
}
