import XCTest
@testable import Bounds
import Elimination
import Randomness

/// SetGraph rebuilds the graph after a set of eliminations from the set alone: it must agree with
/// the game after any order of that set (edges and step costs), which is what lets the search key
/// its states by the set.
final class SetGraphTests: XCTestCase {
    func testAgreesWithTheGameAfterTwoOrdersOfTheSameSet() throws {
        var rng = SplitMix64(seed: 11)
        var checked = 0
        for seed in 0..<150 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: seed, maxEliminable: 14)
            let graph = try ScalarGraph(spec: spec)
            var sets = SetGraph(graph: graph)
            var order = spec.eliminable
            order.shuffle(using: &rng)
            let k = Int(rng.next() % UInt64(order.count + 1))
            let prefix = Array(order.prefix(k))
            let a = BoundsFixtures.state(spec, prefix)
            let b = BoundsFixtures.state(spec, prefix.shuffled(using: &rng))
            sets.load(VertexSet(prefix))
            for v in spec.eliminable where !a.isEliminated(v) {
                let predecessors = a.predecessors(of: v).map { p -> Int in
                    switch p {
                    case .input(let i): return i - 1
                    case .vertex(let u): return spec.node(ofVertex: u)
                    }
                }
                XCTAssertEqual(sets.predecessors(of: v), predecessors, "\(spec.name) v\(v) after \(prefix)")
                XCTAssertEqual(sets.cost(v), a.previewCost(v), "\(spec.name) v\(v)")
                XCTAssertEqual(a.previewCost(v), b.previewCost(v), "order inside the set changed v\(v)'s cost")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 500)
    }

    func testTheScalarTasksAreAcceptedAndTheTypedOnesRefused() throws {
        for task in ["RoeFlux_1d", "RobotArm_6DOF", "HumanHeartDipole", "PropaneCombustion", "g"] {
            XCTAssertTrue(ScalarGraph.accepts(GameSpec(graph: try BoundsFixtures.graph(task))), task)
        }
        for task in ["RoeFlux_3d", "BlackScholes_Jacobian", "Perceptron", "Encoder", "f"] {
            let spec = GameSpec(graph: try BoundsFixtures.graph(task))
            XCTAssertThrowsError(try ScalarGraph(spec: spec), task) { error in
                guard case BoundsError.notScalar = error else { return XCTFail("\(task): \(error)") }
            }
        }
    }

    func testAScalarGraphLargerThanAVertexSetIsRefusedWithTheLimit() {
        XCTAssertEqual(VertexSet.capacity, 512)
        let spec = GameSpec(graph: RandomGraphs.scalar(seed: 1, inputs: 3, equations: 513, outputs: 1))
        XCTAssertThrowsError(try ScalarGraph(spec: spec)) { error in
            guard case BoundsError.tooManyVertices(_, let vertices, let limit) = error else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(vertices, 513)
            XCTAssertEqual(limit, VertexSet.capacity)
            XCTAssertTrue("\(error)".contains("more than the 512"), "\(error)")
        }
        // One below the limit fits.
        let fits = GameSpec(graph: RandomGraphs.scalar(seed: 1, inputs: 3, equations: 512, outputs: 1))
        XCTAssertNoThrow(try ScalarGraph(spec: fits))
    }

    func testVertexSetInsertRemoveAndCountAcrossWords() {
        let all = [1, 64, 65, 128, 129, 256, 257, 320, 321, 384, 385, 448, 449, 512]
        var s = VertexSet(all)
        XCTAssertEqual(s.count, all.count)
        for v in 1...VertexSet.capacity { XCTAssertEqual(s.contains(v), all.contains(v), "\(v)") }
        s.remove(65)
        s.remove(449)
        XCTAssertFalse(s.contains(65) || s.contains(449))
        XCTAssertEqual(s.inserting(65).inserting(449), VertexSet(all))
        XCTAssertEqual(s.union(VertexSet([65, 449])), VertexSet(all))
        XCTAssertEqual(VertexSet(all).intersection(VertexSet([2, 449, 512])), VertexSet([449, 512]))
        XCTAssertEqual(VertexSet(all).subtracting(s), VertexSet([65, 449]))
        // Sets that differ in one word only are different keys, in every word.
        for w in 0..<8 {
            XCTAssertNotEqual(VertexSet([1]), VertexSet([64 * w + 2]))
            XCTAssertNotEqual(VertexSet([64 * w + 1]), VertexSet([64 * w + 2]))
        }
        XCTAssertEqual(Set((1...VertexSet.capacity).map { VertexSet([$0]) }).count, VertexSet.capacity)
    }
}
