import TestFixtures
import XCTest
@testable import Bounds
import Elimination
import Randomness
import Search

/// `OptimalOrderSearch.shares` (what `bound --shares` reports): the blocks of the start packing, each
/// with its share of the start bound and what an order pays for its members.
final class ShareTests: XCTestCase {
    private func config() -> OptimalOrderSearch.Config {
        var config = OptimalOrderSearch.Config()
        config.startGroupSize = 4
        config.startMergeSize = 8
        return config
    }

    /// On random scalar graphs (a quarter with output copies) and random orders: the blocks are
    /// disjoint and hold every vertex that pays; what they pay adds up to the order's cost (the
    /// game's); no block pays less than its share (each share is a lower bound on its members'
    /// cost in any order); the shares add up to the start bound, which is below the brute-force optimum.
    func testSharesAddUpToTheCostAndNoBlockPaysLessThanItsShare() throws {
        var excess = 0
        for seed in 0..<120 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 4200 + seed, maxEliminable: 10, outputCopies: seed % 4 == 0)
            let graph = try ScalarGraph(spec: spec)
            let optimum = BoundsFixtures.optimumFromEverySet(spec)[VertexSet()]!
            var rng = SplitMix64(seed: seed)
            var order = spec.eliminable
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            let cost = try Baselines.score(order, on: spec).cost
            let search = try OptimalOrderSearch(graph: graph, start: order, config: config())
            let rows = try XCTUnwrap(search.shares(of: order), spec.name)

            var seen = Set<Int>()
            for row in rows {
                for v in row.members { XCTAssertTrue(seen.insert(v).inserted, "\(spec.name): v\(v) in two blocks") }
                XCTAssertGreaterThanOrEqual(row.paid, row.bound, "\(spec.name) \(row.members)")
                excess += row.paid - row.bound
            }
            XCTAssertEqual(rows.reduce(0) { $0 + $1.paid }, cost, spec.name)
            var sets = SetGraph(graph: graph)
            sets.load(VertexSet())
            var start = GroupBound(graph: graph, maxSize: 4, mergeSize: 8, restarts: config().startRestarts)
            let startBound = start.evaluate(sets)
            XCTAssertEqual(rows.reduce(0) { $0 + $1.bound }, startBound, spec.name)
            XCTAssertLessThanOrEqual(startBound, optimum, spec.name)
            // Most paying first.
            let excesses = rows.map { $0.paid - $0.bound }
            XCTAssertEqual(excesses, excesses.sorted(by: >), spec.name)
        }
        XCTAssertGreaterThan(excess, 0, "random orders should pay more than the bound somewhere")
    }

    func testNoSharesForANonOrderOrPastTheDeadline() throws {
        let spec = BoundsFixtures.randomScalar(seed: 77, maxEliminable: 10)
        let search = try OptimalOrderSearch(
            graph: try ScalarGraph(spec: spec), start: spec.eliminable, config: config())
        XCTAssertNil(search.shares(of: Array(spec.eliminable.dropLast())))
        XCTAssertNil(search.shares(of: spec.eliminable + [spec.eliminable[0]]))
        XCTAssertNotNil(search.shares(of: spec.eliminable))
        let passed = Deadline(clock: { 1 }, at: 0)
        XCTAssertNil(search.shares(of: spec.eliminable, deadline: passed))
    }
}
