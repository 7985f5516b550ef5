import TestFixtures
import XCTest
@testable import Bounds
import Elimination
import Randomness
import Search

/// The integer program: without a solver, every order's point is feasible and its objective is the
/// order's cost (so the optimum is never above the optimal cost), with and without the
/// strengthening rows; with CBC, the optimum equals the brute-force optimum on small random graphs.
final class EliminationProgramTests: XCTestCase {
    private func shuffled(_ order: [Int], seed: UInt64) -> [Int] {
        var rng = SplitMix64(seed: seed)
        var out = order
        for i in stride(from: out.count - 1, to: 0, by: -1) { out.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        return out
    }

    private func strengthening(_ graph: ScalarGraph, start: [Int]) throws -> EliminationProgram.Strengthening {
        var config = OptimalOrderSearch.Config()
        config.startGroupSize = 4
        config.startMergeSize = 8
        let bound = try OptimalOrderSearch(graph: graph, start: start, config: config).startBound(deadline: .none)
        var rows = EliminationProgram.Strengthening()
        rows.lambdaIn = bound.lambdaIn
        rows.lambdaOut = bound.lambdaOut
        rows.groups = bound.groups?.costs ?? []
        rows.conditional = IntegerProgramSearch.conditionalLambdas(graph)
        rows.transitivity = true
        rows.total = bound.bound
        return rows
    }

    func testEveryOrderIsAFeasiblePointWhoseObjectiveIsItsCost() throws {
        var groupRows = 0, checked = 0
        for seed in 0..<60 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 7000 + seed, maxEliminable: 12)
            let graph = try ScalarGraph(spec: spec)
            let rows = try strengthening(graph, start: spec.eliminable)
            groupRows += rows.groups.count
            for program in [EliminationProgram(graph: graph), EliminationProgram(graph: graph, strengthening: rows)] {
                for k in 0..<5 as Range<UInt64> {
                    let order = shuffled(spec.eliminable, seed: seed * 31 + k)
                    let cost = try Baselines.score(order, on: spec).cost
                    let point = program.point(for: order)
                    XCTAssertLessThanOrEqual(program.model.violation(point), 1e-9, "\(spec.name) \(order)")
                    XCTAssertEqual(program.model.objectiveValue(point), Double(cost), accuracy: 1e-9, spec.name)
                    // Decoding the point gives an order of the same cost (y fixes every comparable pair).
                    XCTAssertEqual(try Baselines.score(program.order(from: point), on: spec).cost, cost, spec.name)
                    checked += 1
                }
            }
        }
        XCTAssertEqual(checked, 600)
        XCTAssertGreaterThan(groupRows, 0)  // the group rows were really exercised (5 groups here)
    }

    func testOnlyTheOrderVariablesAreIntegerAndTheyCoverTheComparablePairs() throws {
        let spec = BoundsFixtures.randomScalar(seed: 42, maxEliminable: 10)
        let graph = try ScalarGraph(spec: spec)
        let program = EliminationProgram(graph: graph)
        let integers = program.model.isInteger.enumerated().filter(\.element).map(\.offset)
        XCTAssertEqual(Set(integers), Set(program.orderColumns.values))
        var comparable = 0
        let nodes = spec.eliminable.map { graph.node(ofVertex: $0) }
        for a in nodes {
            for b in nodes where a < b && graph.ancestors[b * graph.words + a >> 6] & (1 << UInt64(a & 63)) != 0 {
                comparable += 1
            }
        }
        XCTAssertEqual(integers.count, comparable)
    }

    func testColumnMajorHoldsTheSameEntriesAsTheRows() {
        var model = MixedIntegerModel()
        let x = model.addColumn(lower: 0, upper: 1), y = model.addColumn(lower: 0, upper: 5, integer: true)
        let z = model.addColumn(lower: 0, upper: .infinity, objective: 2)
        model.addRow(.variable(x) + .variable(z).scaled(3) + .constant(1), atLeast: 4)
        model.addRow(.variable(y) - .variable(x), lower: -1, upper: 2)
        model.addRow(.constant(2), atLeast: 1)  // a constant row that holds adds nothing
        XCTAssertEqual(model.rowCount, 2)
        XCTAssertEqual(model.rowLower, [3, -1])
        let (starts, rows, values) = model.columnMajor()
        XCTAssertEqual(starts, [0, 2, 3, 4])
        XCTAssertEqual(rows, [0, 1, 1, 0])
        XCTAssertEqual(values, [1, -1, 1, 3])
        XCTAssertEqual(model.violation([0, 0, 1]), 0)
        XCTAssertEqual(model.violation([0, 0.5, 1]), 0.5)
        XCTAssertEqual(model.objectiveValue([0, 0, 1]), 2)
    }

    func testTheSolvedProgramFindsTheBruteForceOptimum() throws {
        var improved = 0
        for seed in 0..<30 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 9000 + seed, maxEliminable: 8)
            let optimum = try ExactElimination(spec: spec).run().cost
            let graph = try ScalarGraph(spec: spec)
            for (strengthen, transitivity) in [(false, false), (true, true)] {
                var config = IntegerProgramSearch.Config()
                config.strengthen = strengthen
                config.transitivity = transitivity
                // No start groups: the start bound alone must not close it, CBC has to.
                config.start.startGroupSize = 0
                let outcome = try IntegerProgramSearch(graph: graph, start: spec.eliminable, config: config)
                    .run(clock: SteppingClock(step: 0).read)
                XCTAssertEqual(outcome.stop, .proven, spec.name)
                XCTAssertEqual(outcome.lowerBound, optimum, "\(spec.name) strengthen \(strengthen)")
                XCTAssertEqual(outcome.bestCost, optimum, spec.name)
                XCTAssertEqual(try Baselines.score(outcome.bestOrder, on: spec).cost, optimum, spec.name)
            }
            if try Baselines.score(spec.eliminable, on: spec).cost > optimum { improved += 1 }
        }
        // The forward start order is often not optimal, so CBC really had to find better ones.
        XCTAssertGreaterThan(improved, 10)
    }
}
