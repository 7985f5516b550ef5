import TestFixtures
import XCTest
@testable import Bounds
import Elimination

/// ReductionRules.passThrough against its claim, on the game: wherever it names a vertex, going
/// there first is optimal (the brute-force optimum from the set equals the vertex's cost plus the
/// optimum after it), for each of its three conditions; and the search starts after the vertices
/// the rules force from the empty set, with the same optimum.
final class PassThroughTests: XCTestCase {
    func testAPassThroughVertexFirstIsOptimalAtEverySet() throws {
        var fired: [ReductionRules.PassThrough: Int] = [:]
        var sets = 0
        for seed in 0..<260 as Range<UInt64> {
            // Every tenth graph has output copies (ScalarGraph's identity edges).
            let spec = BoundsFixtures.randomScalar(seed: 47000 + seed, maxEliminable: 11, outputCopies: seed % 10 == 0)
            let graph = try ScalarGraph(spec: spec)
            let optimum = BoundsFixtures.optimumFromEverySet(spec)
            var state = SetGraph(graph: graph)
            for (set, value) in optimum where set.count < spec.eliminable.count {
                state.load(set)
                // The rule's contract: only where no vertex is free.
                guard ReductionRules.freeVertex(state, among: spec.eliminable) == nil else { continue }
                state.loadSuccessorSets()
                guard let (v, why) = ReductionRules.passThrough(state, among: spec.eliminable) else { continue }
                sets += 1
                fired[why, default: 0] += 1
                XCTAssertEqual(state.cost(v), 1, "\(spec.name) v\(v)")
                XCTAssertEqual(
                    value, state.cost(v) + optimum[set.inserting(v)]!, "\(spec.name) at \(set): v\(v) first (\(why))")
            }
        }
        // Each condition must be met often enough for its case of the proof to be tested.
        for why in [ReductionRules.PassThrough.fixedNeighbour, .noFill, .chain] {
            XCTAssertGreaterThan(fired[why] ?? 0, 100, "\(why)")
        }
        print("pass-through vertices checked at \(sets) sets: \(fired)")
    }

    func testTheSearchStartsAfterTheForcedVerticesAndKeepsTheOptimum() throws {
        var forcedGraphs = 0
        for seed in 0..<120 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 52000 + seed, maxEliminable: 12)
            let optimum = BoundsFixtures.optimumFromEverySet(spec)
            let search = try OptimalOrderSearch(
                graph: try ScalarGraph(spec: spec), start: spec.eliminable, config: OptimalOrderSearch.Config())
            let forced = search.forced
            // The forced vertices cost what the game says, and the optimum after them is the optimum.
            var state = EliminationState(spec: spec)
            var paid = 0
            for v in forced.order { paid += state.eliminateUnchecked(v) }
            XCTAssertEqual(paid, forced.cost, spec.name)
            XCTAssertEqual(VertexSet(forced.order), forced.set, spec.name)
            XCTAssertEqual(forced.cost + optimum[forced.set]!, optimum[VertexSet()]!, spec.name)
            if !forced.order.isEmpty { forcedGraphs += 1 }
            let outcome = try BoundsFixtures.assertProvesTheOptimum(
                spec, optimum[VertexSet()]!, OptimalOrderSearch.Config(), "forced \(forced.order)")
            XCTAssertEqual(outcome.forcedStart.order, forced.order, spec.name)
            XCTAssertEqual(outcome.forcedStart.cost, forced.cost, spec.name)
        }
        XCTAssertGreaterThan(forcedGraphs, 30)
    }

    /// A chain of unary operations: every vertex passes through, so the rules force the whole order
    /// and the search has nothing left to do.
    func testAChainIsForcedWhole() throws {
        let spec = try BoundsFixtures.chain(6)
        let search = try OptimalOrderSearch(
            graph: try ScalarGraph(spec: spec), start: Array(spec.eliminable.reversed()),
            config: OptimalOrderSearch.Config())
        XCTAssertEqual(search.forced.order.count, 5)
        XCTAssertEqual(search.forced.cost, 5)
        let outcome = search.run(clock: SteppingClock(step: 1).read)
        XCTAssertEqual(outcome.lowerBound, 5)
        XCTAssertEqual(outcome.bestCost, 5)
        XCTAssertEqual(outcome.expanded, 0)
    }
}
