import TestFixtures
import XCTest
@testable import Bounds
import Elimination
import Search

/// The fractional packing of the groups (FractionalPacking): exact rounding, the LP by hand on a
/// triangle, at least the disjoint packing and never above the brute-force optimum at the start
/// and, carried on (InheritedGroups' weighted form), from every set of random graphs.
final class FractionalPackingTests: XCTestCase {
    /// Three pairs on a triangle of vertices, each gaining 2: any two overlap, so a disjoint
    /// packing takes one (2); weights ½ on all three load each vertex 1 and gain 3, the LP optimum
    /// (the dual y = 1 per vertex covers every pair: 1 + 1 ≥ 2, total 3).
    let triangle: [(gain: Int, members: [Int])] = [(2, [1, 2]), (2, [2, 3]), (2, [1, 3])]

    func testTheLPBeatsTheDisjointPackingOnATriangleByHand() throws {
        let chosen = GroupBound.pack(triangle, vertexCount: 3)
        XCTAssertEqual(chosen.reduce(0) { $0 + triangle[$1].gain }, 2)
        let weights = try XCTUnwrap(
            CbcSolver(seconds: 10).solveRelaxation(FractionalPacking.model(triangle, vertexCount: 3)))
        for w in weights { XCTAssertEqual(w, 0.5, accuracy: 1e-6) }
        let packed = FractionalPacking.rounded(triangle, vertexCount: 3, weights: weights)
        XCTAssertEqual(packed.gain, 3)
        XCTAssertTrue(packed.isFeasible)
        XCTAssertEqual(packed.denominator, 2)
        XCTAssertEqual(packed.groups.map(\.weight), [1, 1, 1])
    }

    func testRoundingRepairsInfeasibleWeightsAndNeverClaimsMore() {
        // 0.6 each overloads every vertex (1.2): the rounding must lower weights until every row
        // holds exactly, and then its value cannot exceed the LP optimum 3.
        let packed = FractionalPacking.rounded(triangle, vertexCount: 3, weights: [0.6, 0.6, 0.6])
        XCTAssertTrue(packed.isFeasible)
        XCTAssertLessThanOrEqual(packed.gain, 3)
        XCTAssertGreaterThanOrEqual(packed.gain, 2)
        // Just off ½ (a solver's tolerance): the 10⁻⁶ slack rounds each to 1 of 2, and the rows
        // hold exactly, so the value is the LP's 3.
        let nearly = FractionalPacking.rounded(triangle, vertexCount: 3, weights: [0.4999999, 0.4999999, 0.5000001])
        XCTAssertTrue(nearly.isFeasible)
        XCTAssertEqual(nearly.gain, 3)
        // Negative and zero weights count for nothing.
        XCTAssertEqual(FractionalPacking.rounded(triangle, vertexCount: 3, weights: [-1, 0, 0]).gain, 0)
    }

    /// The start bound with and without the LP on random graphs ≤ 12 eliminable vertices: the LP's
    /// is at least the disjoint one and at most the brute-force optimum (pairs, groups of 3, groups
    /// of 4 merged to 8). On these small graphs the groups rarely gain at all (most gains are 0) and
    /// the LP never beat the disjoint packing; the triangle above and the generated programs in
    /// Docs/RESULTS.md are where it does.
    func testTheFractionalStartBoundIsBetweenTheDisjointOneAndTheOptimum() throws {
        var graphs = 0, raised = 0
        for seed in 0..<100 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 11_000 + seed, maxEliminable: 12)
            let graph = try ScalarGraph(spec: spec)
            var sets = SetGraph(graph: graph)
            sets.load(VertexSet())
            let optimum = BoundsFixtures.optimumFromEverySet(spec)[VertexSet()]!
            for (size, merge) in [(2, 0), (3, 0), (4, 8)] {
                var disjoint = GroupBound(graph: graph, maxSize: size, mergeSize: merge, restarts: 2)
                var fractional = disjoint
                fractional.relaxation = { CbcSolver(seconds: 10).solveRelaxation($0) }
                let d = disjoint.evaluate(sets), f = fractional.evaluate(sets)
                XCTAssertGreaterThanOrEqual(f, d, "\(spec.name) groups \(size)/\(merge)")
                XCTAssertLessThanOrEqual(f, optimum, "\(spec.name) groups \(size)/\(merge): \(f) > optimum \(optimum)")
                if let packing = fractional.fractional { XCTAssertTrue(packing.isFeasible) }
                graphs += 1
                if f > d { raised += 1 }
            }
        }
        print("FractionalPacking: above the disjoint packing on \(raised) of \(graphs) start bounds")
    }

    /// The weighted InheritedGroups from every set of random graphs: never above the optimum.
    func testTheWeightedInheritedGroupsNeverExceedTheOptimumFromAnySet() throws {
        var sets = 0, above = 0
        for seed in 0..<30 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 12_000 + seed, maxEliminable: 11)
            let graph = try ScalarGraph(spec: spec)
            var workspace = SetGraph(graph: graph)
            workspace.load(VertexSet())
            var start = GroupBound(graph: graph, maxSize: 3, mergeSize: 6, restarts: 2)
            start.relaxation = { CbcSolver(seconds: 10).solveRelaxation($0) }
            _ = start.evaluate(workspace)
            guard let weighted = start.inheritedFractionalGroups(workspace) else { continue }
            var pairs = GroupBound(graph: graph, maxSize: 2)
            for (set, optimum) in BoundsFixtures.optimumFromEverySet(spec) {
                workspace.load(set)
                let p = pairs.evaluate(workspace)
                let h = weighted.evaluate(set: set, terms: pairs.cuts.terms)
                XCTAssertLessThanOrEqual(h, optimum, "\(spec.name) at \(set)")
                sets += 1
                if h > p { above += 1 }
            }
        }
        XCTAssertGreaterThan(sets, 1000)
        XCTAssertGreaterThan(above, 10, "the weighted groups should beat the pairs on some sets")
        print("InheritedGroups (weighted): above the pairs on \(above) of \(sets) sets")
    }

    /// The A* with the fractional start packing carried to every state (`fractionalStart`) finds
    /// the brute-force optimum from a bad start order, with a start bound below it.
    func testTheSearchWithTheFractionalPackingFindsTheOptimum() throws {
        for seed in 0..<40 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 14_000 + seed, maxEliminable: 11)
            let optimum = try ExactElimination(spec: spec).run().cost
            var config = OptimalOrderSearch.Config()
            config.startGroupSize = 3
            config.startMergeSize = 6
            config.fractionalStart = true
            let clock = SteppingClock(step: 1)
            let outcome = try OptimalOrderSearch(
                graph: try ScalarGraph(spec: spec), start: spec.eliminable, config: config
            )
            .run(clock: clock.read)
            XCTAssertEqual(outcome.stop, .proven, spec.name)
            XCTAssertEqual(outcome.lowerBound, optimum, spec.name)
            XCTAssertEqual(try Baselines.score(outcome.bestOrder, on: spec).cost, optimum, spec.name)
            XCTAssertLessThanOrEqual(outcome.rootBound, optimum, spec.name)
        }
    }
}
