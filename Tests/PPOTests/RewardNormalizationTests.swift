import XCTest
import Elimination
import NeuralNet
@testable import PPO

/// Joint training's per-task reward scale (`TaskRewardScale`) and the batch layout for mixed
/// graph sizes.
final class RewardNormalizationTests: XCTestCase {
    /// A small and a larger program, a few episodes of each, played by a tiny network.
    private func jointBatch(envs: Int = 3) throws -> (specs: [GameSpec], episodes: [Episode], costs: [Int]) {
        let specs = [GameSpec(graph: try SmallGraphs.chain()), GameSpec(graph: try PPOFixtures.graph("RoeFlux_1d"))]
        let network = try PolicyNetwork(
            config: PPOFixtures.tiny, maxBatch: envs, maxTokens: specs.map(\.vertexCount).max()!, seed: 9)
        let actor = Actor(network: network, seed: 9, id: 0)
        var episodes: [Episode] = [], costs: [Int] = []
        for (task, spec) in specs.enumerated() {
            let played = try actor.play(spec, task: task, count: envs, policyVersion: 0)
            episodes += played.episodes
            costs += played.costs
        }
        return (specs, episodes, costs)
    }

    /// Step 0's return of every episode, through `Learner.plan` with γ = λ = 1 (then the return
    /// is the sum of the scaled rewards whatever the value network says).
    private func firstReturns(_ specs: [GameSpec], _ episodes: [Episode], normalize: Bool) throws -> [Float] {
        var hp = PPOFixtures.tinyHyperparameters()
        hp.gamma = 1
        hp.gaeLambda = 1
        hp.normalizeRewardsPerTask = normalize
        let network = try PolicyNetwork(
            config: PPOFixtures.tiny, maxBatch: episodes.count, maxTokens: specs.map(\.vertexCount).max()!, seed: 4)
        let learner = Learner(network: network, hp: hp, seed: 4)
        var batch = try RolloutBatch(episodes: episodes, specs: specs)
        _ = try learner.plan(&batch)
        return batch.placement.map { p in batch.blocks[batch.blockIndex(task: p.task, step: 0)!].returns[p.row] }
    }

    func testJointReturnsArePercentOfEachTasksBestBaseline() throws {
        let (specs, episodes, costs) = try jointBatch()
        let best = specs.map { BaselineSummary(spec: $0).best }
        XCTAssertGreaterThan(Double(best[1]) / Double(best[0]), 5, "the two programs must differ in size")
        let returns = try firstReturns(specs, episodes, normalize: true)
        for (i, e) in episodes.enumerated() {
            let expected = -100 * Float(costs[i]) / Float(best[e.task])
            XCTAssertEqual(returns[i], expected, accuracy: 1e-3 * abs(expected), "episode \(i) of task \(e.task)")
        }
        // Both tasks' returns are now about −100 (random play is somewhat above the baseline) …
        for r in returns { XCTAssertTrue((-1000 ... -50).contains(r), "\(r)") }
        // … where raw costs differ by the programs' size.
        let raw = try firstReturns(specs, episodes, normalize: false)
        for (i, e) in episodes.enumerated() {
            XCTAssertEqual(raw[i], -Float(costs[i]), accuracy: 1e-3 * Float(costs[i]), "\(e.task)")
        }
    }

    /// One task: nothing to balance, so the flag changes nothing, bit for bit (single-task runs
    /// keep their numbers).
    func testASingleTaskRunKeepsRawCosts() throws {
        let (specs, episodes, costs) = try jointBatch()
        let one = episodes.filter { $0.task == 1 }
        let on = try firstReturns(
            [specs[1]],
            one.map {
                var e = $0; e.task = 0; return e
            }, normalize: true)
        let off = try firstReturns(
            [specs[1]],
            one.map {
                var e = $0; e.task = 0; return e
            }, normalize: false)
        XCTAssertEqual(on.map(\.bitPattern), off.map(\.bitPattern))
        for (r, c) in zip(on, costs.suffix(one.count)) { XCTAssertEqual(r, -Float(c), accuracy: 1e-3 * Float(c)) }
        XCTAssertEqual(TaskRewardScale(specs: [specs[1]], enabled: true).factors, [1])
    }

    func testFactorIsPercentOfTheReference() {
        XCTAssertEqual(TaskRewardScale.factor(reference: 200), 0.5)
        XCTAssertEqual(TaskRewardScale.factor(reference: 0), 1)
        XCTAssertEqual(TaskRewardScale(specs: [], enabled: true).factor(task: 3), 1)
    }

    /// Blocks are one per (task, step), dense: the network computes over exactly the tokens of the
    /// replayed states, however the graph sizes mix; padding every step to the largest graph would
    /// compute several times as much.
    func testMixedSizesAreNotPadded() throws {
        let (specs, episodes, _) = try jointBatch(envs: 2)
        let batch = try RolloutBatch(episodes: episodes, specs: specs)
        var tokens = 0
        for e in episodes {
            var state = EliminationState(spec: specs[e.task])
            for v in e.order {
                tokens += TokenFeatures.tokenCount(state)
                _ = state.eliminateUnchecked(v)
            }
        }
        XCTAssertEqual(batch.tokenSlots, tokens)
        for block in batch.blocks { XCTAssertEqual(block.B, 2) }
        let waste = 1 - Double(batch.tokenSlots) / Double(batch.paddedTokenSlots)
        print(
            "mixed chain + RoeFlux_1d batch: \(batch.tokenSlots) token slots, \(batch.paddedTokenSlots) if padded (waste avoided \(Int(waste * 100)) %)"
        )
        XCTAssertGreaterThan(waste, 0.3)
    }
}
