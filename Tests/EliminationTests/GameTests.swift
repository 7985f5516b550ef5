import Randomness
import XCTest
@testable import Elimination

final class GameTests: XCTestCase {
    private func roe() throws -> GameSpec { GameSpec(graph: try Fixtures.dataset("RoeFlux_1d")) }

    func testInvalidOrdersAreNamedNotScored() throws {
        let spec = try roe()
        let full = spec.eliminable
        XCTAssertThrowsError(try Baselines.score([0] + full.dropFirst(), on: spec)) {
            XCTAssertEqual($0 as? GameError, .unknownVertex(0, vertexCount: 101))
        }
        XCTAssertThrowsError(try Baselines.score([102] + full.dropFirst(), on: spec)) {
            XCTAssertEqual($0 as? GameError, .unknownVertex(102, vertexCount: 101))
        }
        XCTAssertThrowsError(try Baselines.score([97] + full.dropFirst(), on: spec)) {
            XCTAssertEqual($0 as? GameError, .outputVertex(97))
        }
        XCTAssertThrowsError(try Baselines.score(full + [full[3]], on: spec)) {
            XCTAssertEqual($0 as? GameError, .repeated(full[3], position: full.count + 1))
        }
        XCTAssertThrowsError(try Baselines.score(Array(full.dropLast(2)), on: spec)) {
            XCTAssertEqual($0 as? GameError, .incomplete(missing: Array(full.suffix(2))))
            XCTAssertTrue("\($0)".contains("2 eliminable vertices are missing"))
        }
    }

    func testIllegalActionsAreRefusedAndStateUnchanged() throws {
        var state = EliminationState(spec: try roe())
        try state.eliminate(5)
        let before = state.clone()
        XCTAssertThrowsError(try state.eliminate(5)) { XCTAssertEqual($0 as? GameError, .alreadyEliminated(5)) }
        XCTAssertThrowsError(try state.eliminate(101)) { XCTAssertEqual($0 as? GameError, .outputVertex(101)) }
        XCTAssertEqual(state.cost, before.cost)
        XCTAssertEqual(state.steps, before.steps)
        XCTAssertEqual(state.edgeCount, before.edgeCount)
    }

    func testLegalMaskAndTerminal() throws {
        let spec = try roe()
        var state = EliminationState(spec: spec)
        XCTAssertEqual(state.legalMask.filter { $0 }.count, 98)
        XCTAssertFalse(state.legalMask[96])  // vertex 97 is an output
        var rng = SplitMix64(seed: 7)
        for v in RandomOrders.order(spec, using: &rng) {
            XCTAssertTrue(state.isLegal(v))
            XCTAssertFalse(state.isTerminal)
            try state.eliminate(v)
            XCTAssertFalse(state.isLegal(v))
        }
        XCTAssertTrue(state.isTerminal)
        XCTAssertEqual(state.legalMask.filter { $0 }.count, 0)
        // Only input→output edges remain: every remaining edge starts at an input.
        for s in spec.eliminable { XCTAssertTrue(state.predecessors(of: s).isEmpty) }
    }

    func testPreviewCostEqualsTheStepCost() throws {
        for name in ["RoeFlux_1d", "f", "Encoder", "RoeFlux_3d"] {
            let spec = GameSpec(graph: try Fixtures.dataset(name))
            var state = EliminationState(spec: spec)
            var rng = SplitMix64(seed: 11)
            for v in RandomOrders.order(spec, using: &rng) {
                let preview = state.previewCost(v)
                XCTAssertEqual(try state.eliminate(v), preview, "\(name) v\(v)")
            }
        }
    }

    func testCopiesAreIndependent() throws {
        let spec = try roe()
        var a = EliminationState(spec: spec)
        for v in spec.eliminable.prefix(40) { try a.eliminate(v) }
        let deep = a.clone()
        var cow = a
        let rest = Array(spec.eliminable.dropFirst(40))
        for v in rest { try cow.eliminate(v) }
        XCTAssertTrue(cow.isTerminal)
        XCTAssertEqual(a.steps, 40)
        XCTAssertEqual(deep.steps, 40)
        // Finishing the original and the deep copy gives the same total as the shared-storage copy.
        var b = deep
        for v in rest { try b.eliminate(v) }
        for v in rest { try a.eliminate(v) }
        XCTAssertEqual(a.cost, cow.cost)
        XCTAssertEqual(b.cost, cow.cost)
        XCTAssertEqual(cow.cost, BaselineSummary(spec: spec).forward)
    }

    func testAllScalarGraphCostIsClassicalMarkowitz() throws {
        // On scalar graphs a step costs |pred(v)|·|succ(v)| of the current graph.
        let spec = try roe()
        var state = EliminationState(spec: spec)
        var rng = SplitMix64(seed: 3)
        for v in RandomOrders.order(spec, using: &rng) {
            let expected = state.predecessors(of: v).count * state.successors(of: v).count
            XCTAssertEqual(try state.eliminate(v), expected)
        }
    }

    func testSeededOrdersAreReproducible() throws {
        let spec = try roe()
        var r1 = SplitMix64(seed: 42), r2 = SplitMix64(seed: 42), r3 = SplitMix64(seed: 43)
        let a = RandomOrders.order(spec, using: &r1)
        XCTAssertEqual(a, RandomOrders.order(spec, using: &r2))
        XCTAssertNotEqual(a, RandomOrders.order(spec, using: &r3))
        XCTAssertEqual(a.sorted(), spec.eliminable)
    }
}
