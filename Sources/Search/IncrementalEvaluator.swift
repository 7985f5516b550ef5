import Elimination

/// Scores orders that differ from a current order only in a window of positions, replaying from
/// the last checkpoint before the window instead of from the initial graph.
///
/// It keeps the state after every `interval` steps of the current order (checkpoints) and the
/// per-step costs. After the window the candidate's remaining positions are the current order's,
/// so once its state is the current order's state again, its remaining steps cost what they cost
/// now. On a set-determined graph (SetDeterminedGraphs) that holds right after the window, so only
/// the window is replayed. On other graphs the replay goes on past the window and compares its
/// state with the current order's checkpoint at checkpoint positions
/// (`EliminationState.hasSameGraph`; at growing gaps after a mismatch) and stops at the first
/// match: a few fill-in labels differ for a while at most, not for the rest of the order. In the
/// dense layout too (search9): a comparison of the packed labels is cheaper than the steps it
/// saves (1.2–2.9× less CPU for 20,000 annealing moves on typed train programs of 100–250
/// vertices, 1.0–1.7× on five paper tasks, about the same on the smallest programs).
/// Either way a replay stops as soon as its running cost exceeds the caller's bound (step costs
/// are never negative), and every cost equals a full replay's (tests check it against one).
///
/// Dense layout (anneal14): a candidate is replayed on its checkpoint in place, every step
/// journaled (`EliminationJournal`) and taken back afterwards, instead of on a copy of the
/// checkpoint (a copy is the whole label matrix: 220 KB at 230 vertices); and states are compared
/// by `GraphFingerprint`s kept per checkpoint, not entry by entry. A profile of 60-s-style
/// annealing on a 212-vertex typed train program had 52 % of the time in `hasSameGraph` and 38 %
/// in copying states before this. Equal fingerprints are trusted (false equality about 2⁻⁶⁴ per
/// comparison, GraphFingerprint): a cost here could then be wrong, so the searches that use this
/// re-score every order they return from scratch.
struct IncrementalEvaluator {
    let spec: GameSpec
    let interval: Int
    let reusesSuffix: Bool
    /// Whether replays past the window stop where the state agrees with a checkpoint again.
    let resynchronises: Bool
    private(set) var order: [Int]
    /// stepCosts[i]: the cost of eliminating order[i].
    private(set) var stepCosts: [Int]
    /// prefixCost[i] = stepCosts[0..<i].sum(); count n + 1.
    private var prefixCost: [Int]
    /// checkpoints[c]: the state after the first c·interval steps of `order`.
    private(set) var checkpoints: [EliminationState]
    /// Dense layout: prints[c], checkpoints[c]'s graph fingerprint (kept only when `resynchronises`:
    /// on set-determined graphs nothing compares states); sparse: empty.
    private(set) var prints: [GraphFingerprint] = []
    /// Dense layout: the take-backs of a candidate's replay on its checkpoint (buffers reused).
    private var journal = EliminationJournal()
    /// Dense layout: segmentLabels[j] and segmentWords[j], the label and bitset-word entries the
    /// steps of segment j (from checkpoint j to checkpoint j + 1) write; the last segment's are
    /// not kept (no checkpoint follows it).
    private var segmentLabels: [[Int32]] = [], segmentWords: [[Int32]] = []
    /// Dense layout: the entries a refreshed checkpoint may differ in (`acceptDense`); nil: sparse.
    private var touched: TouchedEntries?
    private let dense: Bool
    /// Accepted candidates whose replay stopped at a checkpoint before the end (resynchronising).
    private(set) var acceptsStoppedEarly = 0

    /// Bytes the checkpoints may take together, in either layout; the interval grows past the
    /// caller's where they would exceed it. Costs never depend on the interval, only replay work
    /// does.
    /// - Dense: a checkpoint is a whole state (`GameLimits.stateBytes`, up to 4 MB). With the
    ///   annealer's interval of 4, a 958-vertex program (3.7 MB a state) held 240 of them, 886 MB
    ///   per evaluator, and filling them took a quarter of a second on every cooling run:
    ///   `optimize --seconds 2` ran 4.2 s and 1.9 GB there.
    /// - Sparse (large graphs): a checkpoint holds its own top-level lists (16 bytes per vertex and
    ///   node) and shares the edge lists the steps after it did not touch (copy-on-write), so its
    ///   interval is also at least √(order length).
    static let checkpointBytes = 64 << 20

    init(spec: GameSpec, order: [Int], interval: Int, reusesSuffix: Bool) {
        self.spec = spec
        let n = order.count
        let sparse = spec.layout == .sparse
        let perCheckpoint =
            sparse
            ? 16 * (spec.vertexCount + spec.inputCount + spec.vertexCount)
            : GameLimits.stateBytes(inputs: spec.inputCount, vertices: spec.vertexCount)
        let maxCheckpoints = max(1, Self.checkpointBytes / max(perCheckpoint, 1))
        var floor = (n + maxCheckpoints - 1) / maxCheckpoints
        if sparse { floor = max(floor, Int(Double(n).squareRoot().rounded(.up))) }
        self.interval = max(interval, floor, 1)
        self.reusesSuffix = reusesSuffix
        resynchronises = !reusesSuffix
        self.order = order
        stepCosts = [Int](repeating: 0, count: n)
        prefixCost = [Int](repeating: 0, count: n + 1)
        let initial = EliminationState(spec: spec)
        dense = initial.layout == .dense
        let count = max(n - 1, 0) / self.interval + 1
        checkpoints = [EliminationState](repeating: initial, count: count)
        if dense {
            prints = [GraphFingerprint](repeating: GraphFingerprint(of: initial), count: count)
            touched = TouchedEntries(spec: spec)
            segmentLabels = [[Int32]](repeating: [], count: count - 1)
            segmentWords = segmentLabels
            replayDense()
        } else {
            replay(fromCheckpoint: 0, through: n - 1)
        }
    }

    /// The dense layout's first replay of `order`: step costs, checkpoints, fingerprints and each
    /// segment's written entries.
    private mutating func replayDense() {
        let n = order.count
        guard n > 0 else { return }
        var state = checkpoints[0], fingerprint = prints[0]
        var consumed = journal.recordCounts
        for i in 0..<n {
            stepCosts[i] =
                resynchronises
                ? state.eliminate(order[i], journal: &journal, fingerprint: &fingerprint)
                : state.eliminate(order[i], journal: &journal)
            let k = (i + 1) / interval
            guard (i + 1) % interval == 0, k < checkpoints.count else { continue }
            keepSegmentWrites(k - 1, from: consumed)
            journal.forget()
            consumed = journal.recordCounts
            checkpoints[k] = state
            prints[k] = fingerprint
        }
        journal.forget()
        for i in 0..<n { prefixCost[i + 1] = prefixCost[i] + stepCosts[i] }
    }

    /// Eliminates v on checkpoint c, journaled; the fingerprint follows only where states are
    /// compared (not on set-determined graphs, where nothing reads it).
    @inline(__always)
    private mutating func journaledStep(onCheckpoint c: Int, _ v: Int, _ fingerprint: inout GraphFingerprint) -> Int {
        resynchronises
            ? checkpoints[c].eliminate(v, journal: &journal, fingerprint: &fingerprint)
            : checkpoints[c].eliminate(v, journal: &journal)
    }

    /// Makes the journal's records from `start` on segment j's written entries.
    private mutating func keepSegmentWrites(_ j: Int, from start: (labels: Int, words: Int)) {
        segmentLabels[j].removeAll(keepingCapacity: true)
        segmentWords[j].removeAll(keepingCapacity: true)
        journal.forEachRecord(
            from: start, label: { segmentLabels[j].append(Int32($0)) }, word: { segmentWords[j].append(Int32($0)) })
    }

    var cost: Int { prefixCost[order.count] }

    /// The cost of `candidate`, which agrees with `order` outside `changed`; nil as soon as it is
    /// known to exceed `bound`. (Mutating only in that the dense replay borrows a checkpoint and
    /// gives it back as it was.)
    mutating func cost(of candidate: [Int], changed: ClosedRange<Int>, bound: Int) -> Int? {
        if dense { return denseCost(of: candidate, changed: changed, bound: bound) }
        let n = order.count
        let c = changed.lowerBound / interval
        if reusesSuffix {
            let end = changed.upperBound + 1
            var total = prefixCost[c * interval] + prefixCost[n] - prefixCost[end]
            var state = checkpoints[c]
            for i in (c * interval)..<end {
                total += state.eliminateUnchecked(candidate[i])
                if total > bound { return nil }
            }
            return total
        }
        var total = prefixCost[c * interval]
        var state = checkpoints[c]
        var schedule = ComparisonSchedule(after: changed.upperBound, interval: interval)
        var i = c * interval
        while i < n {
            total += state.eliminateUnchecked(candidate[i])
            if total > bound { return nil }
            i += 1
            if resynchronises, let k = schedule.checkpoint(afterSteps: i), k < checkpoints.count {
                if state.hasSameGraph(as: checkpoints[k]) {
                    total += prefixCost[n] - prefixCost[i]
                    return total > bound ? nil : total
                }
                schedule.missed(k)
            }
        }
        return total
    }

    /// The dense `cost(of:changed:bound:)`: the replay runs on checkpoint c itself, journaled, and
    /// is taken back before returning; the state is compared with later checkpoints by fingerprint.
    private mutating func denseCost(of candidate: [Int], changed: ClosedRange<Int>, bound: Int) -> Int? {
        let n = order.count
        let c = changed.lowerBound / interval
        let end = reusesSuffix ? changed.upperBound + 1 : n
        var total = prefixCost[c * interval] + (reusesSuffix ? prefixCost[n] - prefixCost[end] : 0)
        var fingerprint = prints[c]
        var schedule = ComparisonSchedule(after: changed.upperBound, interval: interval)
        var result: Int? = nil
        var i = c * interval
        replay: while true {
            guard i < end else {
                result = total
                break
            }
            total += journaledStep(onCheckpoint: c, candidate[i], &fingerprint)
            if total > bound { break }
            i += 1
            if resynchronises, let k = schedule.checkpoint(afterSteps: i), k < checkpoints.count {
                if fingerprint == prints[k] {
                    total += prefixCost[n] - prefixCost[i]
                    if total <= bound { result = total }
                    break replay
                }
                schedule.missed(k)
            }
        }
        checkpoints[c].undoAll(&journal)
        return result
    }

    /// Makes `candidate` the current order and refreshes the checkpoints and costs it changed.
    mutating func accept(_ candidate: [Int], changed: ClosedRange<Int>) {
        if dense {
            acceptDense(candidate, changed: changed)
            return
        }
        order = candidate
        let c = changed.lowerBound / interval
        if reusesSuffix {
            replay(fromCheckpoint: c, through: changed.upperBound)
            return
        }
        guard resynchronises else {
            replay(fromCheckpoint: c, through: order.count - 1)
            return
        }
        // Replay until the state agrees with an old checkpoint past the window: from there on the
        // old checkpoints and step costs hold for the new order too.
        let n = order.count
        var state = checkpoints[c]
        var schedule = ComparisonSchedule(after: changed.upperBound, interval: interval)
        var i = c * interval
        while i < n {
            stepCosts[i] = state.eliminateUnchecked(order[i])
            i += 1
            guard i % interval == 0, i / interval < checkpoints.count else { continue }
            let k = i / interval
            if schedule.checkpoint(afterSteps: i) == k {
                if state.hasSameGraph(as: checkpoints[k]) {
                    acceptsStoppedEarly += 1
                    break
                }
                schedule.missed(k)
            }
            checkpoints[k] = state
        }
        for j in (c * interval)..<n { prefixCost[j + 1] = prefixCost[j] + stepCosts[j] }
    }

    /// The dense `accept`: the new order is replayed on checkpoint c itself (journaled, taken back
    /// at the end), and each later checkpoint it changes is brought to its new state by writing
    /// only the entries either order's steps since checkpoint c wrote (`TouchedEntries`: outside
    /// them both states still hold checkpoint c's values; the old order's are the kept segment
    /// writes), not by a copy of the whole state; the fingerprints are compared instead of the
    /// states. On a set-determined graph the replay runs to the checkpoint after the window (the
    /// states agree from there), so that every segment it rewrites is whole.
    private mutating func acceptDense(_ candidate: [Int], changed: ClosedRange<Int>) {
        order = candidate
        let c = changed.lowerBound / interval
        let n = order.count
        let last = reusesSuffix ? min((changed.upperBound / interval + 1) * interval, n) - 1 : n - 1
        var fingerprint = prints[c]
        var schedule = ComparisonSchedule(after: changed.upperBound, interval: interval)
        touched!.removeAll()
        var consumed = journal.recordCounts
        var i = c * interval
        while i <= last {
            stepCosts[i] = journaledStep(onCheckpoint: c, order[i], &fingerprint)
            i += 1
            guard i % interval == 0, i / interval < checkpoints.count else { continue }
            let k = i / interval
            // Segment k − 1: its old writes join the set, then its new ones replace them.
            touched!.add(labels: segmentLabels[k - 1], words: segmentWords[k - 1])
            touched!.add(journal, from: consumed)
            keepSegmentWrites(k - 1, from: consumed)
            consumed = journal.recordCounts
            if resynchronises, schedule.checkpoint(afterSteps: i) == k {
                if fingerprint == prints[k] {
                    acceptsStoppedEarly += 1
                    break
                }
                schedule.missed(k)
            }
            if reusesSuffix && i > changed.upperBound { break }  // the old checkpoint k holds
            do {
                let working = checkpoints[c]  // shares storage; released before the next step
                checkpoints[k].assignEntries(from: working, touched!)
            }
            prints[k] = fingerprint
        }
        checkpoints[c].undoAll(&journal)
        for j in (c * interval)..<n { prefixCost[j + 1] = prefixCost[j] + stepCosts[j] }
    }

    private mutating func replay(fromCheckpoint c: Int, through last: Int) {
        guard last >= 0 else { return }
        var state = checkpoints[c]
        for i in (c * interval)...last {
            stepCosts[i] = state.eliminateUnchecked(order[i])
            let stepsDone = i + 1
            if stepsDone % interval == 0 && stepsDone / interval < checkpoints.count {
                checkpoints[stepsDone / interval] = state
            }
        }
        for i in (c * interval)..<order.count { prefixCost[i + 1] = prefixCost[i] + stepCosts[i] }
    }
}

/// Which checkpoints a replay past a window compares its state with: the first one after the
/// window, then at gaps of 1, 2, 4, … checkpoints after each mismatch, so a candidate whose graph
/// stays different costs O(log) comparisons, not one per checkpoint.
private struct ComparisonSchedule {
    private var next: Int
    private var gap = 1
    private let interval: Int

    /// For a window ending at position `last`.
    init(after last: Int, interval: Int) {
        self.interval = interval
        next = last / interval + 1
    }

    /// The checkpoint to compare with after `steps` steps, nil if none is due.
    func checkpoint(afterSteps steps: Int) -> Int? {
        steps == next * interval ? next : nil
    }

    mutating func missed(_ k: Int) {
        next = k + gap
        gap *= 2
    }
}
