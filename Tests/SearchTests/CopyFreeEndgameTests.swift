import Elimination
import Randomness
import XCTest

@testable import Search

/// The endgame's copy-free children (`EliminationJournal`): a journaled step is the plain step,
/// `undo` gives back every earlier state exactly, and the exact endgame on typed graphs (whose
/// children are now stepped in place and taken back) gives the copying implementation's costs,
/// orders and expanded states, bit for bit, on random scalar and typed programs and paper tasks.
final class CopyFreeEndgameTests: XCTestCase {
    private func specs(paper: [String]) throws -> [GameSpec] {
        try (1...12).map { GameSpec(graph: RandomPrograms.graph(seed: $0, equations: 9, tensors: $0 % 3 != 0)) }
            + paper.map { try SearchFixtures.spec($0) }
    }

    func testAJournaledStepIsThePlainStepAndUndoRestoresEveryEarlierState() throws {
        var typed = 0
        for spec in try specs(paper: ["RoeFlux_3d", "f"]) {
            if !SetDeterminedGraphs.holds(for: spec) { typed += 1 }
            var rng = SplitMix64(seed: UInt64(spec.vertexCount))
            let order = spec.eliminable.shuffled(using: &rng)
            var plain = EliminationState(spec: spec), journaled = plain
            var journal = EliminationJournal()
            var history: [EliminationState] = [plain]
            for v in order {
                let step = journaled.eliminate(v, journal: &journal)
                XCTAssertEqual(step, plain.eliminateUnchecked(v), "\(spec.name) step \(v)")
                XCTAssertTrue(journaled.hasSameGraph(as: plain), "\(spec.name) after \(v)")
                XCTAssertEqual(journaled.cost, plain.cost)
                history.append(plain)
            }
            XCTAssertEqual(journal.depth, order.count)
            for earlier in history.dropLast().reversed() {
                journaled.undo(&journal)
                XCTAssertTrue(journaled.hasSameGraph(as: earlier), "\(spec.name) undone to step \(earlier.steps)")
                XCTAssertEqual(journaled.cost, earlier.cost)
                XCTAssertEqual(journaled.steps, earlier.steps)
            }
            XCTAssertEqual(journal.depth, 0)
            // The undone state plays on as a fresh one would.
            var fresh = EliminationState(spec: spec)
            for v in order.reversed() {
                XCTAssertEqual(journaled.eliminate(v, journal: &journal), fresh.eliminateUnchecked(v))
            }
            XCTAssertTrue(journaled.hasSameGraph(as: fresh))
        }
        XCTAssertGreaterThan(typed, 4, "typed graphs among them")
    }

    func testTheCopyFreeEndgameIsTheCopyingOneBitForBit() throws {
        var checked = 0
        for spec in try specs(paper: ["RoeFlux_3d", "f", "BlackScholes_Jacobian"]) {
            let rule = GreedyCompletion.cheapestRule(spec).rule
            var along = EliminationState(spec: spec)
            let order = GreedyCompletion(spec: spec, rule: rule).complete(&along)
            for stepIndex in stride(from: 0, to: order.count, by: max(1, order.count / 3)) {
                var state = EliminationState(spec: spec)
                for v in order[..<stepIndex] { state.eliminateUnchecked(v) }
                for e in 2...6 {
                    // The rule's order up to its last e vertices, then both searches from there.
                    var mid = state
                    for v in order[stepIndex..<max(stepIndex, order.count - e)] { mid.eliminateUnchecked(v) }
                    guard !mid.isTerminal else { continue }
                    // The keyed (typed) search, also on scalar graphs, against the reference.
                    let search = ExactElimination(remainingOf: mid, setDetermined: false)
                    let found = try search.cheapestCompletion(from: mid)
                    var reference = CopyingEndgame(start: mid)
                    let expected = reference.completion(from: mid)
                    XCTAssertEqual(found.cost, expected.cost, "\(spec.name) step \(stepIndex) E \(e)")
                    XCTAssertEqual(found.order, expected.order, "\(spec.name) step \(stepIndex) E \(e)")
                    XCTAssertEqual(found.expanded, reference.expanded, "\(spec.name) step \(stepIndex) E \(e)")
                    XCTAssertEqual(try search.cheapestCost(from: mid), expected.cost)
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 150)
    }
}

/// The endgame as it was before the journal: every child a copy of the state, memo keyed by the
/// eliminated set and every remaining edge with its label, the walk down the memo taking the
/// first child (in vertex order) whose step and memoised rest make the value.
private struct CopyingEndgame {
    struct Key: Hashable {
        var set: UInt64
        var edges: [Int]
        var labels: [EdgeLabel]
    }

    let ordered: [Int]
    let full: UInt64
    var memo: [Key: Int] = [:]
    var expanded = 0

    init(start: EliminationState) {
        ordered = start.spec.eliminable.filter { !start.isEliminated($0) }
        full = UInt64.max >> UInt64(64 - ordered.count)
    }

    func key(_ state: EliminationState, _ set: UInt64) -> Key {
        var key = Key(set: set, edges: [], labels: [])
        for t in 1...state.spec.vertexCount where !state.isEliminated(t) {
            for p in state.predecessors(of: t) {
                guard let label = state.label(from: p, to: t) else { continue }
                switch p {
                case .input(let i): key.edges += [t, -i]
                case .vertex(let v): key.edges += [t, v]
                }
                key.labels.append(label)
            }
        }
        return key
    }

    mutating func best(_ state: EliminationState, _ set: UInt64) -> Int {
        if set == full { return 0 }
        let k = key(state, set)
        if let known = memo[k] { return known }
        expanded += 1
        var best = Int.max
        for i in ordered.indices where set & (1 << UInt64(i)) == 0 {
            var child = state
            let step = child.eliminateUnchecked(ordered[i])
            if step >= best { continue }
            best = min(best, step + self.best(child, set | 1 << UInt64(i)))
        }
        memo[k] = best
        return best
    }

    mutating func completion(from start: EliminationState) -> (cost: Int, order: [Int]) {
        let optimum = best(start, 0)
        var state = start, set: UInt64 = 0, remaining = optimum, order: [Int] = []
        while set != full {
            var next: (index: Int, state: EliminationState, rest: Int)?
            for i in ordered.indices where set & (1 << UInt64(i)) == 0 {
                var child = state
                let step = child.eliminateUnchecked(ordered[i])
                let childSet = set | 1 << UInt64(i)
                let rest = childSet == full ? 0 : memo[key(child, childSet)]
                if let rest, step + rest == remaining {
                    next = (i, child, rest)
                    break
                }
            }
            guard let next else { return (-1, order) }
            order.append(ordered[next.index])
            set |= 1 << UInt64(next.index)
            state = next.state
            remaining = next.rest
        }
        return (optimum, order)
    }
}
