import Elimination
import PPO
import TestFixtures
import XCTest

@testable import AlphaZero

/// DAgger-style relabelling (issue 14): states the policy visits get the expert's continuation.
final class DAggerRelabellingTests: XCTestCase {
    private func corpusSpec(_ name: String) throws -> GameSpec {
        let path = TestFixtures.root.appendingPathComponent("Datasets/corpus/jaxpr/\(name).jaxpr").path
        return GameSpec(
            graph: try ComputationalGraph.fromJaxpr(String(contentsOfFile: path, encoding: .utf8), name: name))
    }

    private func pretraining(_ spec: GameSpec, expert: [Int]) throws -> ExpertPretraining {
        let network = try PolicyNetwork(
            config: TestFixtures.tinyNetwork, maxBatch: 16, maxTokens: spec.vertexCount, seed: 3)
        return try ExpertPretraining(
            network: network, settings: AlphaZeroHyperparameters(), experts: [(spec, expert)], returnScales: [1],
            soften: true, rowsPerStep: 16, seed: 1)
    }

    /// A costlier visited order adds `points` × `span` examples; the expert's own order, none.
    func testVisitedStatesOfACostlierOrderAreLabelled() throws {
        let spec = try corpusSpec("mlp_gelu3")
        let b = BaselineSummary(spec: spec)
        let orders = [Baselines.forwardOrder(spec), Baselines.reverseOrder(spec), b.markowitzOrder]
        let costs = try orders.map { try Baselines.score($0, on: spec).cost }
        let expert = orders[costs.indices.min { costs[$0] < costs[$1] }!]
        let visited = orders[costs.indices.max { costs[$0] < costs[$1] }!]
        XCTAssertGreaterThan(costs.max()!, costs.min()!, "the baselines differ on this program")
        let p = try pretraining(spec, expert: expert)
        let before = p.exampleCount
        XCTAssertEqual(before, spec.eliminable.count)
        XCTAssertEqual(try p.addVisitedStates([expert], points: 3, span: 4), 0, "the expert's own states")
        XCTAssertEqual(try p.addVisitedStates([visited], points: 3, span: 4), 12)
        XCTAssertEqual(p.exampleCount, before + 12)
        // The added examples train like the others.
        let m = try p.epoch(learningRate: 1e-3)
        XCTAssertTrue(m.policyLoss.isFinite && m.valueLoss.isFinite)
        XCTAssertEqual(try p.addVisitedStates([visited], points: 0, span: 4), 0)
    }

    func testMismatchedVisitedOrdersAreRefused() throws {
        let spec = GameSpec(graph: try TestFixtures.chain())
        let p = try pretraining(spec, expert: spec.eliminable)
        XCTAssertThrowsError(try p.addVisitedStates([], points: 2, span: 4))
        XCTAssertThrowsError(try p.addVisitedStates([Array(spec.eliminable.dropLast())], points: 2, span: 4))
    }
}
