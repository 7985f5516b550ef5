import XCTest
import Elimination
import NeuralNet
@testable import PPO

/// The distributed update's arithmetic: shards of a batch, each with the learner's plan, give
/// gradients that add up to the whole batch's gradient, and an update taken from shard sums ends
/// where the learner's own update ends.
final class GradientShardTests: XCTestCase {
    /// Two tasks, uneven shards (one holds only one task's episodes): parts add up to the whole.
    func testShardGradientsAddUpToTheWholeBatchGradient() throws {
        let specs = [
            GameSpec(graph: try PPOFixtures.graph("PropaneCombustion")), GameSpec(graph: try SmallGraphs.chain()),
        ]
        let network = try PolicyNetwork(
            config: PPOFixtures.tiny, maxBatch: 8, maxTokens: specs.map(\.vertexCount).max()!, seed: 11)
        let actor = Actor(network: network, seed: 11, id: 0)
        let episodes =
            try actor.play(specs[0], task: 0, count: 5, policyVersion: 0).episodes
            + actor.play(specs[1], task: 1, count: 3, policyVersion: 0).episodes
        let learner = Learner(network: network, hp: PPOFixtures.tinyHyperparameters(envs: 8), seed: 11)
        var batch = try RolloutBatch(episodes: episodes, specs: specs)
        let plan = try learner.plan(&batch)
        XCTAssertEqual(plan.steps.count, learner.hp.updateEpochs * learner.hp.numMinibatches)
        // Move the weights so that ratios differ from 1 and clipping is exercised.
        for i in 0..<network.store.count { network.store.parameters[i] += 0.05 * Float((i * 7919) % 13 - 6) / 6 }
        let parameters = network.parameterArray()

        let ranges = [0..<2, 2..<6, 6..<8]
        let shards = try ranges.map { r -> GradientShard in
            let s = batch.series(of: r)
            return try GradientShard(
                config: PPOFixtures.tiny, hp: learner.hp, specs: specs, episodes: Array(episodes[r]),
                values: s.values, advantages: s.advantages, returns: s.returns, steps: plan.steps)
        }
        var checkedSteps = 0
        for (index, step) in plan.steps.enumerated() {
            let whole = try learner.lossAndGradients(batch, step: step)
            let wholeGradient = Array(UnsafeBufferPointer(start: network.store.gradients, count: network.store.count))
            var sums = Learner.MinibatchSums()
            var summed = [Float](repeating: 0, count: wholeGradient.count)
            for shard in shards {
                let part = try shard.gradient(step: index, parameters: parameters)
                sums.add(part.sums)
                for i in summed.indices { summed[i] += part.gradient[i] }
            }
            XCTAssertEqual(sums.transitions, step.transitions)
            XCTAssertEqual(sums.transitions, whole.transitions)
            XCTAssertEqual(sums.policyLoss, whole.policyLoss, accuracy: 1e-4 * max(1, abs(whole.policyLoss)))
            XCTAssertEqual(sums.valueLoss, whole.valueLoss, accuracy: 1e-4 * max(1, abs(whole.valueLoss)))
            XCTAssertEqual(sums.entropy, whole.entropy, accuracy: 1e-4 * max(1, abs(whole.entropy)))
            let scale = wholeGradient.map(abs).max()!
            XCTAssertGreaterThan(scale, 0)
            let worst = zip(summed, wholeGradient).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(worst, 1e-4 * scale, "step \(index)")
            checkedSteps += 1
        }
        XCTAssertEqual(checkedSteps, plan.steps.count)
    }

    /// A whole update taken as "sum the shards' gradients, then `applyStep`" lands on the
    /// parameters of `Learner.update` (same seed, same schedule), within float rounding.
    func testUpdateFromShardsMatchesTheLearnersUpdate() throws {
        let spec = GameSpec(graph: try PPOFixtures.graph("PropaneCombustion"))
        let hp = PPOFixtures.tinyHyperparameters(envs: 6)
        func fresh() throws -> (PolicyNetwork, Learner) {
            let n = try PolicyNetwork(config: PPOFixtures.tiny, maxBatch: 6, maxTokens: spec.vertexCount, seed: 4)
            return (n, Learner(network: n, hp: hp, seed: 4))
        }
        let (n1, local) = try fresh()
        let episodes = try Actor(network: n1, seed: 4, id: 0).play(spec, task: 0, count: 6, policyVersion: 0).episodes
        var b1 = try RolloutBatch(episodes: episodes, specs: [spec])
        _ = try local.update(&b1, learningRate: 1e-3)

        let (n2, distributed) = try fresh()
        var b2 = try RolloutBatch(episodes: episodes, specs: [spec])
        let plan = try distributed.plan(&b2)
        let shards = try [0..<4, 4..<6].map { r -> GradientShard in
            let s = b2.series(of: r)
            return try GradientShard(
                config: PPOFixtures.tiny, hp: hp, specs: [spec], episodes: Array(episodes[r]),
                values: s.values, advantages: s.advantages, returns: s.returns, steps: plan.steps)
        }
        var metrics = UpdateMetrics()
        for index in plan.steps.indices {
            let parameters = n2.parameterArray()
            var sums = Learner.MinibatchSums()
            n2.store.zeroGradients()
            for shard in shards {
                let part = try shard.gradient(step: index, parameters: parameters)
                sums.add(part.sums)
                for i in part.gradient.indices { n2.store.gradients[i] += part.gradient[i] }
            }
            try distributed.applyStep(
                sums, transitions: plan.steps[index].transitions, learningRate: 1e-3, metrics: &metrics)
        }
        let (p1, p2) = (n1.parameterArray(), n2.parameterArray())
        let moved = zip(p1, try fresh().0.parameterArray()).map { abs($0 - $1) }.max()!
        let worst = zip(p1, p2).map { abs($0 - $1) }.max()!
        XCTAssertGreaterThan(moved, 1e-3, "the update must move the weights for the comparison to mean anything")
        XCTAssertLessThan(worst, 1e-2 * moved)
    }

    func testSeriesOfTheWrongLengthAreRefused() throws {
        let spec = GameSpec(graph: try SmallGraphs.chain())
        let network = try PolicyNetwork(config: PPOFixtures.tiny, maxBatch: 2, maxTokens: spec.vertexCount, seed: 1)
        let episodes = try Actor(network: network, seed: 1, id: 0).play(spec, task: 0, count: 2, policyVersion: 0)
            .episodes
        let steps = episodes.reduce(0) { $0 + $1.order.count }
        XCTAssertThrowsError(
            try GradientShard(
                config: PPOFixtures.tiny, hp: PPOFixtures.tinyHyperparameters(), specs: [spec], episodes: episodes,
                values: [Float](repeating: 0, count: steps - 1), advantages: [Float](repeating: 0, count: steps),
                returns: [Float](repeating: 0, count: steps), steps: []))
    }
}
