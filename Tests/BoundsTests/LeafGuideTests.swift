import TestFixtures
import XCTest
@testable import Bounds
import Elimination
import Randomness

/// LeafGuide and PrecedenceSplit's leaf guides (bounds10): a guide respects its precedences and
/// costs what a replay says, never more than the repaired start order and never less than the
/// cheapest respecting order (brute force); the split with guides never exceeds the brute-force
/// optimum, its records are real orders, and the search with it returns the optimum.
final class LeafGuideTests: XCTestCase {
    /// Random precedences that some random order respects (so acyclic): up to `count` pairs.
    private func randomPrecedences(_ spec: GameSpec, count: Int, _ rng: inout SplitMix64) -> [(u: Int, v: Int)] {
        let hidden = spec.eliminable.shuffled(using: &rng)
        let n = hidden.count
        guard n >= 2 else { return [] }
        return (0..<count).map { _ in
            let i = Int(rng.next() % UInt64(n - 1))
            let j = i + 1 + Int(rng.next() % UInt64(n - 1 - i))
            return (hidden[i], hidden[j])
        }
    }

    /// The cheapest order respecting `precedences`, by dynamic programming over eliminated sets.
    private func respectingOptimum(_ spec: GameSpec, _ precedences: [(u: Int, v: Int)]) -> Int {
        var memo: [VertexSet: Int] = [:]
        func best(_ state: EliminationState, _ set: VertexSet) -> Int {
            if state.isTerminal { return 0 }
            if let known = memo[set] { return known }
            var value = Int.max
            for v in spec.eliminable where !state.isEliminated(v) {
                guard precedences.allSatisfy({ $0.v != v || set.contains($0.u) }) else { continue }
                var child = state
                let step = child.eliminateUnchecked(v)
                let rest = best(child, set.inserting(v))
                if rest < Int.max { value = min(value, step + rest) }
            }
            memo[set] = value
            return value
        }
        return best(EliminationState(spec: spec), VertexSet())
    }

    private func respects(_ order: [Int], _ precedences: [(u: Int, v: Int)]) -> Bool {
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        return precedences.allSatisfy { position[$0.u]! < position[$0.v]! }
    }

    func testARepairRespectsThePrecedencesAndKeepsAnOrderThatAlreadyDoes() throws {
        var rng = SplitMix64(seed: 3)
        for seed in 0..<160 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 21000 + seed, maxEliminable: 12)
            let precedences = randomPrecedences(spec, count: 1 + Int(rng.next() % 6), &rng)
            let order = spec.eliminable.shuffled(using: &rng)
            for forward in [true, false] {
                let repaired = try XCTUnwrap(LeafGuide.repaired(order, precedences, forward: forward))
                XCTAssertEqual(repaired.sorted(), order.sorted())
                XCTAssertTrue(respects(repaired, precedences), "\(spec.name) \(repaired) \(precedences)")
                XCTAssertEqual(LeafGuide.repaired(repaired, precedences, forward: forward), repaired)
            }
            // A cycle has no repair.
            if let p = precedences.first {
                XCTAssertNil(LeafGuide.repaired(order, precedences + [(p.v, p.u)], forward: true))
            }
        }
    }

    func testAGuideRespectsItsPrecedencesAndCostsNoMoreThanTheRepairs() throws {
        var rng = SplitMix64(seed: 4)
        var optimal = 0, checked = 0
        for seed in 0..<150 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 22000 + seed, maxEliminable: 10)
            let precedences = randomPrecedences(spec, count: 1 + Int(rng.next() % 5), &rng)
            let start = spec.eliminable.shuffled(using: &rng)
            let guide = LeafGuide(graph: try ScalarGraph(spec: spec))
            let found = try XCTUnwrap(guide.order(respecting: precedences, from: [start]))
            XCTAssertTrue(respects(found.order, precedences), "\(spec.name)")
            let replay = try Baselines.score(found.order, on: spec)
            XCTAssertEqual(found.cost, replay.cost, spec.name)
            XCTAssertEqual(found.steps, replay.steps, spec.name)
            for forward in [true, false] {
                let repaired = try XCTUnwrap(LeafGuide.repaired(start, precedences, forward: forward))
                XCTAssertLessThanOrEqual(found.cost, try Baselines.score(repaired, on: spec).cost, spec.name)
            }
            let floor = respectingOptimum(spec, precedences)
            XCTAssertGreaterThanOrEqual(found.cost, floor, spec.name)
            if found.cost == floor { optimal += 1 }
            checked += 1
        }
        // Not void: the descent reaches the respecting optimum on most of these small graphs.
        XCTAssertGreaterThan(optimal, checked / 2)
        print("LeafGuide: the respecting optimum on \(optimal) of \(checked) graphs")
    }

    func testTheSplitWithLeafGuidesNeverExceedsTheOptimumAndItsRecordsAreOrders() throws {
        var records = 0, raised = 0, closed = 0, graphs = 0
        for seed in 0..<120 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 23000 + seed, maxEliminable: 12)
            let optimum = BoundsFixtures.optimumFromEverySet(spec)[VertexSet()]!
            let (graph, sets, groups, start, blocks) = try BoundsFixtures.splitStart(spec, maxSize: 3)
            var bounds = groups
            guard !blocks.isEmpty else { continue }
            // A poor start (program order) and its cost as the target, so that guides find records.
            let startCost = try Baselines.score(spec.eliminable, on: spec).cost
            var split = PrecedenceSplit(nodeLimit: 40)
            split.pathEnds = true
            split.candidates = 4
            split.guide = LeafGuide(graph: graph)
            split.guideStart = spec.eliminable
            let value = split.run(&bounds, sets, blocks: blocks, upper: startCost)
            XCTAssertLessThanOrEqual(value, optimum, "\(spec.name): split with guides \(value) > optimum \(optimum)")
            XCTAssertGreaterThanOrEqual(value, min(start, startCost), spec.name)
            if value > start { raised += 1 }
            if let record = split.record {
                XCTAssertLessThan(record.cost, startCost, spec.name)
                XCTAssertGreaterThanOrEqual(record.cost, optimum, spec.name)
                XCTAssertEqual(try Baselines.score(record.order, on: spec).cost, record.cost, spec.name)
                XCTAssertGreaterThanOrEqual(record.cost, value, spec.name)
                records += 1
            }
            // A leaf below the target is guided before it is split.
            if start < startCost { XCTAssertFalse(split.guideLog.isEmpty, spec.name) }
            // The tight case (the target is the optimum, as when the best known order is optimal):
            // a deeper tree whose leaves close at the optimum; never above it.
            var tight = PrecedenceSplit(nodeLimit: 400)
            tight.pathEnds = true
            tight.candidates = 4
            tight.guide = LeafGuide(graph: graph)
            tight.guideStart = spec.eliminable
            let proven = tight.run(&bounds, sets, blocks: blocks, upper: optimum)
            XCTAssertLessThanOrEqual(proven, optimum, "\(spec.name): split with guides \(proven) > optimum \(optimum)")
            XCTAssertNil(tight.record, spec.name)
            if proven == optimum && start < optimum { closed += 1 }
            graphs += 1
        }
        XCTAssertGreaterThan(records, 20)
        XCTAssertGreaterThan(raised, 5)
        XCTAssertGreaterThan(closed, 5)
        print(
            "PrecedenceSplit with leaf guides: records on \(records), above the start groups on \(raised), the optimum proven from below on \(closed) of \(graphs) graphs"
        )
    }

    func testTheSearchWithLeafGuidesReturnsTheOptimum() throws {
        for seed in 0..<120 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 24000 + seed, maxEliminable: 12)
            let optimum = BoundsFixtures.optimumFromEverySet(spec)[VertexSet()]!
            var config = OptimalOrderSearch.Config()
            config.startGroupSize = 3
            config.startMergeSize = 0
            config.precedenceSplitNodes = 30
            config.splitPathEnds = true
            config.splitFocusRadius = 1
            config.splitLeafGuides = true
            try BoundsFixtures.assertProvesTheOptimum(spec, optimum, config)
        }
    }
}
