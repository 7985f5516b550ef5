import Randomness
import XCTest

@testable import Elimination

/// GraphFingerprint kept step by step against one computed from scratch; journals taken back
/// whole; TouchedEntries turning one state into another.
final class GraphFingerprintTests: XCTestCase {
    private func graphs() -> [(String, ComputationalGraph)] {
        var out: [(String, ComputationalGraph)] = []
        for seed in UInt64(1)...2 {
            for preset in [GraphPreset.scalar, .mixed, .stencil1d, .reduction] {
                out.append(
                    ("\(preset.rawValue) \(seed)", preset.generate(equations: 60, seed: seed, inputs: 5, outputs: 1)))
            }
        }
        return out
    }

    private func shuffled(_ order: [Int], _ rng: inout SplitMix64) -> [Int] {
        var order = order
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        return order
    }

    func testTheKeptFingerprintIsTheFingerprintOfTheState() {
        var rng = SplitMix64(seed: 5)
        for (name, graph) in graphs() {
            let spec = GameSpec(graph: graph, layout: .dense)
            var state = EliminationState(spec: spec)
            var fingerprint = GraphFingerprint(of: state)
            var journal = EliminationJournal()
            for (i, v) in shuffled(spec.eliminable, &rng).enumerated() {
                let expected = state.previewCost(v)
                let cost =
                    i % 2 == 0
                    ? state.eliminate(v, fingerprint: &fingerprint)
                    : state.eliminate(v, journal: &journal, fingerprint: &fingerprint)
                XCTAssertEqual(cost, expected, name)
                XCTAssertEqual(fingerprint, GraphFingerprint(of: state), "\(name) step \(i)")
            }
        }
    }

    /// Different states get different fingerprints (every state along 6 random orders of 8
    /// graphs, by graph content), and the same graph reached by two orders the same one.
    func testFingerprintsSeparateStatesAndIgnoreTheRoute() {
        var rng = SplitMix64(seed: 9)
        var sameGraphByTwoRoutes = 0
        for (name, graph) in graphs() {
            let spec = GameSpec(graph: graph, layout: .dense)
            var seen: [UInt64: EliminationState] = [:]
            var distinctGraphs = 0
            for _ in 0..<6 {
                var state = EliminationState(spec: spec)
                for v in shuffled(spec.eliminable, &rng) {
                    state.eliminateUnchecked(v)
                    let value = GraphFingerprint(of: state).value
                    if let other = seen[value] {
                        XCTAssertTrue(other.hasSameGraph(as: state), "\(name): two graphs share a fingerprint")
                    } else {
                        seen[value] = state
                        distinctGraphs += 1
                    }
                }
            }
            XCTAssertGreaterThan(distinctGraphs, spec.eliminable.count, name)
            // Two routes to the same eliminated set: where they reach the same graph (always on
            // all-scalar graphs), the same fingerprint.
            let half = Array(spec.eliminable.prefix(spec.eliminable.count / 2))
            var a = EliminationState(spec: spec), b = EliminationState(spec: spec)
            for v in half { a.eliminateUnchecked(v) }
            for v in half.reversed() { b.eliminateUnchecked(v) }
            if a.hasSameGraph(as: b) {
                XCTAssertEqual(GraphFingerprint(of: a), GraphFingerprint(of: b), name)
                sameGraphByTwoRoutes += 1
            }
        }
        XCTAssertGreaterThan(sameGraphByTwoRoutes, 0, "no graph reached the same state by two routes: nothing checked")
    }

    func testUndoAllRestoresTheStateAndEmptiesTheJournal() {
        var rng = SplitMix64(seed: 3)
        for (name, graph) in graphs() {
            for layout in StateLayout.allCases {
                let spec = GameSpec(graph: graph, layout: layout)
                var state = EliminationState(spec: spec)
                let order = shuffled(spec.eliminable, &rng)
                for v in order.prefix(order.count / 3) { state.eliminateUnchecked(v) }
                let before = state.clone()
                var journal = EliminationJournal()
                for v in order.dropFirst(order.count / 3).prefix(10) { state.eliminate(v, journal: &journal) }
                XCTAssertFalse(state.hasSameGraph(as: before), name)
                state.undoAll(&journal)
                XCTAssertEqual(journal.depth, 0, name)
                XCTAssertTrue(state.hasSameGraph(as: before), "\(name) \(layout)")
                XCTAssertEqual(state.cost, before.cost, name)
                XCTAssertEqual(state.steps, before.steps, name)
            }
        }
    }

    /// Two states grown from one by different steps: writing the second's values at the entries
    /// either journal recorded makes the first equal to it (TouchedEntries' claim).
    func testAssigningTheTouchedEntriesMakesTheStatesEqual() {
        var rng = SplitMix64(seed: 13)
        var ownWritesMattered = 0
        for (name, graph) in graphs() {
            let spec = GameSpec(graph: graph, layout: .dense)
            let order = shuffled(spec.eliminable, &rng)
            var common = EliminationState(spec: spec)
            for v in order.prefix(order.count / 4) { common.eliminateUnchecked(v) }
            let rest = Array(order.dropFirst(order.count / 4))
            var a = common.clone(), b = common.clone()
            var journalA = EliminationJournal(), journalB = EliminationJournal()
            for v in rest.prefix(8) { a.eliminate(v, journal: &journalA) }
            for v in shuffled(Array(rest.prefix(12)), &rng) { b.eliminate(v, journal: &journalB) }
            XCTAssertFalse(a.hasSameGraph(as: b), name)
            var touched = TouchedEntries(spec: spec)
            touched.add(journalA, from: (0, 0))
            touched.add(journalB, from: (0, 0))
            a.assignEntries(from: b, touched)
            XCTAssertTrue(a.hasSameGraph(as: b), name)
            XCTAssertEqual(a.cost, b.cost, name)
            var onlyB = TouchedEntries(spec: spec)
            onlyB.add(journalB, from: (0, 0))
            var c = common.clone()
            for v in rest.prefix(8) { c.eliminateUnchecked(v) }
            c.assignEntries(from: b, onlyB)
            if !c.hasSameGraph(as: b) { ownWritesMattered += 1 }
        }
        // Fewer entries than both journals wrote would not do: the claim needs the first state's
        // own writes too (b's writes cover a's on some graphs, where its 12 steps include a's 8).
        XCTAssertGreaterThan(ownWritesMattered, 0, "b's entries alone always sufficed: the control checks nothing")
    }
}
