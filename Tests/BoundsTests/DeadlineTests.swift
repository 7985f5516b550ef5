import TestFixtures
import XCTest
@testable import Bounds
import Elimination
import Search

/// `--seconds` covers everything `bound` does: the start GroupBound stops at the deadline with a
/// bound that is still valid, and the search and BoundRun return in time. Clocks are injected (no
/// sleeps): a clock that jumps past the deadline after a number of reads.
final class DeadlineTests: XCTestCase {
    /// Reads 0 for the first `limit` reads, then 10^9 (far past any deadline).
    final class JumpingClock: @unchecked Sendable {
        var reads = 0
        let limit: Int
        init(limit: Int) { self.limit = limit }
        func read() -> Double {
            reads += 1
            return reads > limit ? 1e9 : 0
        }
    }

    func testAStartBoundCutShortNeverExceedsTheOptimum() throws {
        var cutShort = 0
        for seed in 0..<120 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 7000 + seed, maxEliminable: 12)
            let graph = try ScalarGraph(spec: spec)
            var sets = SetGraph(graph: graph)
            sets.load(VertexSet())
            let optimum = BoundsFixtures.optimumFromEverySet(spec)[VertexSet()]!
            var groups = GroupBound(graph: graph, maxSize: 4, mergeSize: 10, restarts: 3)
            groups.deadline = Deadline(clock: JumpingClock(limit: Int(seed % 6)).read, at: 1)
            let bound = groups.evaluate(sets)
            let cuts = groups.cutBound(sets)
            XCTAssertLessThanOrEqual(bound, optimum, spec.name)
            XCTAssertGreaterThanOrEqual(bound, cuts, spec.name)
            if groups.timedOut { cutShort += 1 }
        }
        XCTAssertGreaterThan(cutShort, 30, "the deadline should cut most of these evaluations short")
    }

    func testTheStartBoundOnGStopsAtTheDeadline() throws {
        // g's full start bound (groups of 5 merged to 16, 8 packings) solves tens of thousands of
        // groups (38 s in release on a loaded machine); past the deadline it stops within a few.
        let graph = try ScalarGraph(spec: GameSpec(graph: try BoundsFixtures.graph("g")))
        var sets = SetGraph(graph: graph)
        sets.load(VertexSet())
        var groups = GroupBound(graph: graph, maxSize: 5, mergeSize: 16, restarts: 8)
        let clock = JumpingClock(limit: 10)
        groups.deadline = Deadline(clock: clock.read, at: 1)
        let bound = groups.evaluate(sets)
        XCTAssertTrue(groups.timedOut)
        XCTAssertLessThan(groups.groupsSolved, 10 * 16 + 16)
        XCTAssertGreaterThanOrEqual(bound, groups.cutBound(sets))
        XCTAssertLessThanOrEqual(bound, 409)  // g's best known order costs 409
    }

    func testTheSearchWithABudgetStaysBelowTheOptimum() throws {
        for seed in 0..<120 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 7500 + seed, maxEliminable: 12)
            let optimum = BoundsFixtures.optimumFromEverySet(spec)[VertexSet()]!
            var config = OptimalOrderSearch.Config()
            config.startGroupSize = 4
            config.startMergeSize = 10
            config.stateGroupSize = 3
            config.seconds = 1
            let clock = JumpingClock(limit: 1 + Int(seed % 5))
            let outcome = try OptimalOrderSearch(
                graph: try ScalarGraph(spec: spec), start: spec.eliminable, config: config
            ).run(clock: clock.read)
            XCTAssertLessThanOrEqual(outcome.lowerBound, optimum, spec.name)
            XCTAssertGreaterThanOrEqual(outcome.bestCost, optimum, spec.name)
            if outcome.startBoundTimedOut {
                XCTAssertEqual(outcome.stop, .timeLimit)
                XCTAssertEqual(outcome.expanded, 0)
            }
        }
    }

    func testBoundOnGHonoursSeconds() throws {
        // Before, the start bound ran to its end whatever --seconds said (38 s on g).
        var run = BoundRun(clock: SteppingClock(step: 0.01).read)
        run.seconds = 1
        run.annealIterations = 400
        let report = try run.run(on: GameSpec(graph: try BoundsFixtures.graph("g")))
        XCTAssertEqual(report.stop, "time-limit")
        XCTAssertEqual(report.status, .bounded)
        XCTAssertLessThanOrEqual(report.lowerBound, report.bestCost)
        XCTAssertTrue(report.notes.contains { $0.contains("start bound") }, "\(report.notes)")
        XCTAssertLessThan(report.seconds, 1.5)
    }
}
