import Elimination
import XCTest
@testable import PPO

/// `ccelim eval`'s decoding, without the binary: which methods run, in which order, with what
/// batch, each order re-scored, and the time read from the injected clock.
final class PolicyEvaluationTests: XCTestCase {
    func testMethodsRunInOrderWithRescoredOrdersAndClockTime() throws {
        let graph = try SmallGraphs.chain()
        let spec = GameSpec(graph: graph)
        var evaluation = PolicyEvaluation()
        evaluation.greedy = true
        evaluation.samples = 3
        evaluation.beam = 2
        evaluation.mcts = 4
        XCTAssertEqual(evaluation.maxBatch, 4, "beam 2 × 2 children")
        let network = try PolicyNetwork(
            config: PPOFixtures.tiny, maxBatch: evaluation.maxBatch, maxTokens: graph.vertexCount, seed: 4)
        var now = 0.0
        let results = try evaluation.run(network: network, spec: spec, policyVersion: 0) {
            now += 0.5
            return now
        }
        XCTAssertEqual(results.map(\.method), ["greedy", "samples 3", "beam 2x2", "mcts 4"])
        for r in results {
            XCTAssertEqual(r.best.cost, try Baselines.score(r.best.order, on: spec).cost, r.method)
            XCTAssertEqual(Set(r.best.order), Set(spec.eliminable), r.method)
            XCTAssertEqual(r.seconds, 0.5, r.method)
        }
        XCTAssertEqual(results[0].best, try PolicyDecoder(network: network, spec: spec).greedy())
    }

    func testGreedyWhenNoMethodIsGiven() throws {
        let graph = try SmallGraphs.chain()
        let evaluation = PolicyEvaluation()
        XCTAssertEqual(evaluation.maxBatch, 1)
        let network = try PolicyNetwork(config: PPOFixtures.tiny, maxBatch: 1, maxTokens: graph.vertexCount, seed: 4)
        let results = try evaluation.run(network: network, spec: GameSpec(graph: graph), policyVersion: 0) { 0 }
        XCTAssertEqual(results.map(\.method), ["greedy"])
    }
}
