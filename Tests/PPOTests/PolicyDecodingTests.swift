import XCTest
import Elimination
@testable import PPO

final class PolicyDecodingTests: XCTestCase {
    func testGreedyAndBeamReturnValidReScoredOrders() throws {
        let graph = try PPOFixtures.graph("PropaneCombustion")
        let spec = GameSpec(graph: graph)
        let network = try PolicyNetwork(config: PPOFixtures.tiny, maxBatch: 16, maxTokens: graph.vertexCount, seed: 4)
        let decoder = PolicyDecoder(network: network, spec: spec)
        let greedy = try decoder.greedy()
        XCTAssertEqual(try Baselines.score(greedy.order, on: spec).cost, greedy.cost)
        // A beam of width 1 expanding one child is greedy decoding.
        XCTAssertEqual(try decoder.beam(width: 1, expand: 1), greedy)
        let wide = try decoder.beam(width: 4, expand: 4)
        XCTAssertEqual(try Baselines.score(wide.order, on: spec).cost, wide.cost)
        XCTAssertEqual(Set(wide.order), Set(spec.eliminable))
        print("PropaneCombustion, untrained tiny policy: greedy \(greedy.cost), beam(4,4) \(wide.cost)")
    }
}
