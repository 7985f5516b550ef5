import XCTest
@testable import Bounds
import Elimination
import Search

/// The start groups carried to later states never exceed the optimum from any set, and they do
/// raise the bound above the per-state pairs somewhere (else they would be dead weight).
final class InheritedGroupsTests: XCTestCase {
    func testNeverExceedsTheOptimumFromAnySetOnRandomScalarGraphs() throws {
        var sets = 0, above = 0
        for seed in 0..<60 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 8000 + seed, maxEliminable: 11)
            let graph = try ScalarGraph(spec: spec)
            var workspace = SetGraph(graph: graph)
            workspace.load(VertexSet())
            var start = GroupBound(graph: graph, maxSize: 4, mergeSize: 9, restarts: 2)
            _ = start.evaluate(workspace)
            let inherited = try XCTUnwrap(start.inheritedGroups(workspace))
            var pairs = GroupBound(graph: graph, maxSize: 2)
            for (set, optimum) in BoundsFixtures.optimumFromEverySet(spec) {
                workspace.load(set)
                let p = pairs.evaluate(workspace)
                let h = inherited.evaluate(set: set, terms: pairs.cuts.terms)
                XCTAssertLessThanOrEqual(h, optimum, "\(spec.name) at \(set)")
                sets += 1
                if h > p { above += 1 }
            }
        }
        XCTAssertGreaterThan(sets, 2000)
        XCTAssertGreaterThan(above, 30, "the inherited groups should beat the pairs on some sets")
        print("InheritedGroups: above the pairs on \(above) of \(sets) sets")
    }
}
