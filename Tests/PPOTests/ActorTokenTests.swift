import XCTest
import Elimination
import NeuralNet
@testable import PPO

/// The actor writes its steps' tokens through `TokenBatch`; the learner's `RolloutBatch` rebuilds
/// the same states with its own per-block writer. For the learner's first PPO ratio to be 1 the
/// two must agree bit for bit: the actor's recorded log-probability of every move is the masked
/// log-softmax of the policy's logits over the learner's features of that step.
final class ActorTokenTests: XCTestCase {
    func testTheActorsLogProbsAreTheLearnersForTheSameStatesBitForBit() throws {
        let graph = try PPOFixtures.graph("PropaneCombustion")
        let spec = GameSpec(graph: graph)
        let network = try PolicyNetwork(config: PPOFixtures.tiny, maxBatch: 4, maxTokens: graph.vertexCount, seed: 5)
        let actor = Actor(network: network, seed: 5, id: 2)
        for greedy in [false, true] {
            let played = try actor.play(spec, task: 0, count: 4, policyVersion: 1, greedy: greedy)
            let rollout = try RolloutBatch(episodes: played.episodes, specs: [spec])
            XCTAssertEqual(rollout.costs, played.costs)
            for block in rollout.blocks {
                let mask = [Bool](repeating: true, count: block.B * block.T)
                try network.forwardPolicy(features: block.features, tokenMask: mask, B: block.B, T: block.T)
                var logp = [Float](repeating: 0, count: block.B * block.T)
                block.legal.withUnsafeBufferPointer { l in
                    maskedLogSoftmaxForward(
                        logp: &logp, logits: network.logits, actionMask: l.baseAddress!, B: block.B, T: block.T)
                }
                for row in 0..<block.B {
                    let recorded = played.episodes[row].logProbs[block.step]
                    XCTAssertEqual(
                        logp[row * block.T + block.actions[row]].bitPattern, recorded.bitPattern,
                        "greedy \(greedy), step \(block.step), row \(row)")
                    if greedy {
                        // The greedy move is the most likely legal token.
                        let best = (0..<block.T).filter { block.legal[row * block.T + $0] }.map {
                            logp[row * block.T + $0]
                        }.max()
                        XCTAssertEqual(recorded, best)
                    }
                }
            }
        }
    }
}
