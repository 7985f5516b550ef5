import TestFixtures
import XCTest
@testable import Bounds
import Elimination
import Search

/// Scalar graphs with output copies (an output that a later equation reads gets a copy vertex with
/// an identity edge; ScalarGraph's one typed edge): the game charges the copy's owner for its other
/// successors only, SetGraph's costs replay the game exactly, the bounds stay below the brute-force
/// optimum (played on the game itself) from every set, and the search proves that optimum.
final class OutputCopyTests: XCTestCase {
    private func shuffled(_ order: [Int], seed: UInt64) -> [Int] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var out = order
        for i in stride(from: out.count - 1, to: 0, by: -1) {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            out.swapAt(i, Int(state % UInt64(i + 1)))
        }
        return out
    }

    func testSetGraphCostsReplayTheGameAndTheOwnerPaysNothingForItsCopy() throws {
        var orders = 0, discounted = 0
        for seed in 0..<120 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 21000 + seed, maxEliminable: 12, outputCopies: true)
            let graph = try ScalarGraph(spec: spec)
            XCTAssertTrue(graph.hasOutputCopies, spec.name)
            var sets = SetGraph(graph: graph)
            for k in 0..<4 as Range<UInt64> {
                let order = shuffled(spec.eliminable, seed: seed * 7 + k)
                var state = EliminationState(spec: spec)
                var set = VertexSet()
                var plain = 0, total = 0
                for v in order {
                    sets.load(set)
                    let step = state.eliminateUnchecked(v)
                    XCTAssertEqual(sets.cost(v), step, "\(spec.name) v\(v) after \(set)")
                    plain += sets.predecessorCount[v - 1] * sets.successorCount[v - 1]
                    total += step
                    set.insert(v)
                }
                XCTAssertEqual(total, try Baselines.score(order, on: spec).cost, spec.name)
                if plain > total { discounted += 1 }
                orders += 1
            }
        }
        XCTAssertEqual(orders, 480)
        // The discount is real: counting the copy's pairs would have charged more on most orders.
        XCTAssertGreaterThan(discounted, 240)
    }

    func testTheBoundsStayBelowTheOptimumFromEverySet() throws {
        var sets = 0, tight = 0
        for seed in 0..<80 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 22000 + seed, maxEliminable: 9, outputCopies: true)
            let graph = try ScalarGraph(spec: spec)
            var setGraph = SetGraph(graph: graph), child = SetGraph(graph: graph)
            var cuts = CutBound(graph: graph)
            var groups = GroupBound(graph: graph, maxSize: 3, mergeSize: 9)
            groups.remainingEnds = true
            for (set, optimum) in BoundsFixtures.optimumFromEverySet(spec) {
                setGraph.load(set)
                let h = cuts.evaluate(setGraph)
                let g = groups.evaluate(setGraph)
                XCTAssertLessThanOrEqual(g, optimum, "\(spec.name): groups \(g) > optimum \(optimum) after \(set)")
                for v in spec.eliminable where !set.contains(v) {
                    child.load(set.inserting(v))
                    XCTAssertLessThanOrEqual(h, setGraph.cost(v) + cuts.evaluate(child), "\(spec.name) at v\(v)")
                }
                if g == optimum { tight += 1 }
                sets += 1
            }
        }
        XCTAssertGreaterThan(sets, 2000)
        XCTAssertGreaterThan(tight, 0)
    }

    func testTheSearchProvesTheBruteForceOptimum() throws {
        var improved = 0
        for seed in 0..<150 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 23000 + seed, maxEliminable: 12, outputCopies: true)
            let optimum = BoundsFixtures.optimumFromEverySet(spec)[VertexSet()]!
            var plain = OptimalOrderSearch.Config()
            plain.precedenceSplitNodes = 0
            plain.reductions = false
            for config in [OptimalOrderSearch.Config(), plain] {
                try BoundsFixtures.assertProvesTheOptimum(spec, optimum, config)
            }
            if try Baselines.score(spec.eliminable, on: spec).cost > optimum { improved += 1 }
        }
        XCTAssertGreaterThan(improved, 30)
    }

    /// One value copied into two outputs (JAX's own `copy`, twice) has two free successors: the
    /// owner pays |P|·(|succ| − 2), and the bound must not charge it for either copy.
    func testAValueCopiedTwiceHasTwoFreeSuccessors() throws {
        let scalar = ArrayType(dtype: "f32", shape: [])
        func eq(_ name: String, _ primitive: String, _ operands: [Operand]) -> Equation {
            Equation(name: name, type: scalar, primitive: primitive, params: [], operands: operands)
        }
        let program = Program(
            inputs: [Variable(name: "x", type: scalar), Variable(name: "y", type: scalar)], constants: [],
            equations: [
                eq("a", "mul", [.input(1), .input(2)]), eq("b", "copy", [.vertex(1)]),
                eq("c", "copy", [.vertex(1)]), eq("d", "sin", [.vertex(1)]), eq("e", "cos", [.vertex(4)]),
            ],
            outputs: [2, 3, 5])
        let spec = GameSpec(graph: try ComputationalGraph.build(name: "twice", program: program))
        let graph = try ScalarGraph(spec: spec)
        XCTAssertEqual(graph.freeSuccessors[0], 2)
        for order in [[1, 4], [4, 1]] {
            var sets = SetGraph(graph: graph)
            var state = EliminationState(spec: spec)
            var set = VertexSet()
            for v in order {
                sets.load(set)
                XCTAssertEqual(sets.cost(v), state.eliminateUnchecked(v), "v\(v) of \(order)")
                set.insert(v)
            }
        }
        var run = BoundRun(clock: SteppingClock(step: 0.001).read)
        run.annealIterations = 50
        let report = try run.run(on: spec)
        XCTAssertEqual(report.lowerBound, try ExactElimination(spec: spec).run().cost)
        XCTAssertEqual(report.status, .optimal)
    }

    /// `bound` proves such a graph with the search (it used to get only the typed model's exact
    /// search, or nothing above 21 vertices); the integer program, whose rows count every pair,
    /// refuses it by name.
    func testBoundSearchesThemAndTheIntegerProgramRefusesThem() throws {
        let spec = BoundsFixtures.randomScalar(seed: 24000, maxEliminable: 12, outputCopies: true)
        var run = BoundRun(clock: SteppingClock(step: 0.001).read)
        run.annealIterations = 200
        let report = try run.run(on: spec)
        XCTAssertEqual(report.method, "a-star")
        XCTAssertEqual(report.status, .optimal)
        XCTAssertEqual(report.lowerBound, try ExactElimination(spec: spec).run().cost)

        run.method = .ilp
        XCTAssertThrowsError(try run.run(on: spec)) { error in
            XCTAssertTrue("\(error)".contains("output copies"), "\(error)")
        }
    }
}
