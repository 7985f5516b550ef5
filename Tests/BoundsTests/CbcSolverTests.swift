import Elimination
import Foundation
import XCTest
@testable import Bounds

/// The shell over CBC: a solve asked to stop returns at once, leaving CBC to its own limit, and
/// solves after it still work (they wait for it on the lock); a solve not stopped returns what
/// `solve` returns.
final class CbcSolverTests: XCTestCase {
    /// A random scalar graph of `equations` equations that the integer program models (no output
    /// copies), the first from `seed` on.
    private func graph(seed: UInt64, equations: Int) throws -> (spec: GameSpec, graph: ScalarGraph) {
        for s in seed... {
            let spec = GameSpec(graph: RandomGraphs.scalar(seed: s, inputs: 5, equations: equations, outputs: 1))
            let graph = try ScalarGraph(spec: spec)
            if !graph.hasOutputCopies { return (spec, graph) }
        }
        fatalError("unreachable")
    }

    /// Its integer program without the strengthening rows (weak: CBC does not close it at once).
    private func model(seed: UInt64, equations: Int) throws -> MixedIntegerModel {
        EliminationProgram(graph: try graph(seed: seed, equations: equations).graph).model
    }

    func testAStopLeavesTheSolveAtOnceAndSolvesGoOnAfterIt() throws {
        let large = try model(seed: 11, equations: 70)
        // CBC's own limit: two seconds of this process's CPU time, the longest the left solve runs.
        let solver = CbcSolver(seconds: 2)
        var asked = 0
        let started = Date()
        let stopped = solver.solve(
            large,
            stop: {
                asked += 1
                return true
            })
        XCTAssertNil(stopped)
        XCTAssertEqual(asked, 1, "asked once, after the first wait")
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, "returned at the first question, not at CBC's limit")

        // A small program solved next, stop never said: the same result as `solve` gives.
        let small = try model(seed: 3, equations: 9)
        let waited = try XCTUnwrap(CbcSolver(seconds: 10).solve(small, stop: { false }))
        let direct = CbcSolver(seconds: 10).solve(small)
        XCTAssertTrue(waited.exhausted)
        XCTAssertEqual(waited.objective, direct.objective)
        XCTAssertEqual(waited.bestPossible, direct.bestPossible, accuracy: 1e-9)
    }

    /// `bound --method ilp` interrupted while CBC runs: the search returns at CBC's first look with
    /// what it knew before CBC (the start bound, the start order), saying CBC was left.
    func testAStoppedIntegerProgramSearchKeepsItsStartBound() throws {
        let (spec, graph) = try graph(seed: 11, equations: 70)
        var config = IntegerProgramSearch.Config()
        config.start.startGroupSize = 0
        config.seconds = 2
        config.wallClock = true
        let search = try IntegerProgramSearch(graph: graph, start: spec.eliminable, config: config)
        let clock = { Date().timeIntervalSince1970 }
        let started = clock()
        let outcome = search.run(clock: clock, stop: { true })
        XCTAssertLessThan(clock() - started, 1.5, "returned at the first question, not at CBC's limit")
        XCTAssertTrue(outcome.solverAbandoned)
        XCTAssertEqual(outcome.stop, .timeLimit)
        XCTAssertEqual(outcome.expanded, 0)
        XCTAssertEqual(outcome.bestOrder, search.startOrder)
        XCTAssertEqual(outcome.bestCost, search.startCost)
        XCTAssertLessThan(outcome.lowerBound, outcome.bestCost, "CBC had something to do")
        XCTAssertEqual(outcome.lowerBound, outcome.rootBound, "the start bound, nothing from CBC")
    }
}
