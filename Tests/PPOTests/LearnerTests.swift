import XCTest
import Elimination
import NeuralNet
@testable import PPO

final class LearnerTests: XCTestCase {
    /// The whole PPO loss (policy + value + entropy, through both networks) against central
    /// finite differences of the Float pipeline: a coarse check that every piece is wired right.
    func testMinibatchGradientMatchesFiniteDifferences() throws {
        let graph = try SmallGraphs.chain()
        let spec = GameSpec(graph: graph)
        let network = try PolicyNetwork(config: PPOFixtures.tiny, maxBatch: 4, maxTokens: graph.vertexCount, seed: 5)
        let actor = Actor(network: network, seed: 5, id: 0)
        var hp = PPOFixtures.tinyHyperparameters()
        hp.clipCoef = 10  // keep every ratio inside the trust region: no kinks for finite differences
        let learner = Learner(network: network, hp: hp, seed: 5)
        let played = try actor.play(spec, task: 0, count: 4, policyVersion: 0)
        var batch = try RolloutBatch(episodes: played.episodes, specs: [spec])
        try learner.evaluateValues(&batch)
        batch.computeAdvantages(gamma: 1, lambda: 0.95)
        // Move the weights a little so that new and old policies differ (ratios ≠ 1).
        for i in 0..<network.store.count { network.store.parameters[i] += 0.01 * Float((i * 7919) % 13 - 6) / 6 }
        let minibatch = Array(batch.blocks.indices)
        _ = try learner.lossAndGradients(batch, minibatch)
        let analytic = Array(UnsafeBufferPointer(start: network.store.gradients, count: network.store.count))

        var worst: Float = 0
        var checked = 0
        let h: Float = 1e-2
        for i in stride(from: 0, to: network.store.count, by: 17) {
            let saved = network.store.parameters[i]
            network.store.parameters[i] = saved + h
            let plus = try learner.lossAndGradients(batch, minibatch).total
            network.store.parameters[i] = saved - h
            let minus = try learner.lossAndGradients(batch, minibatch).total
            network.store.parameters[i] = saved
            let fd = (plus - minus) / (2 * h)
            let diff = abs(fd - analytic[i]) / max(1e-2, abs(fd) + abs(analytic[i]))
            worst = max(worst, diff)
            checked += 1
        }
        print("PPO loss gradient vs finite differences (Float, \(checked) parameters): max relative diff", worst)
        XCTAssertGreaterThan(checked, 50)
        XCTAssertLessThan(worst, 0.05)
    }

    func testMaskedActionsAreNeverPlayedAndCostsReplayExactly() throws {
        let graph = try PPOFixtures.graph("PropaneCombustion")
        let spec = GameSpec(graph: graph)
        let network = try PolicyNetwork(config: PPOFixtures.tiny, maxBatch: 8, maxTokens: graph.vertexCount, seed: 3)
        let actor = Actor(network: network, seed: 3, id: 0)
        let played = try actor.play(spec, task: 0, count: 8, policyVersion: 7)
        for (episode, cost) in zip(played.episodes, played.costs) {
            // Valid permutation of the eliminable vertices: no output, no repeat, nothing missing.
            let scored = try Baselines.score(episode.order, on: spec)
            XCTAssertEqual(scored.cost, cost)
            XCTAssertTrue(episode.logProbs.allSatisfy { $0.isFinite && $0 <= 0 })
            XCTAssertEqual(episode.policyVersion, 7)
        }
        let batch = try RolloutBatch(episodes: played.episodes, specs: [spec])
        XCTAssertEqual(batch.costs, played.costs)
        XCTAssertEqual(batch.blocks.count, spec.eliminable.count)
        // Every chosen token is legal in the replayed state.
        for block in batch.blocks {
            for row in 0..<block.B { XCTAssertTrue(block.legal[row * block.T + block.actions[row]]) }
        }
    }

    func testBadEpisodesAreRefused() throws {
        let spec = GameSpec(graph: try PPOFixtures.graph("PropaneCombustion"))
        let order = spec.eliminable
        let good = Episode(task: 0, order: order, logProbs: order.map { _ in -1 }, policyVersion: 0, actor: 0)
        var short = good; short.logProbs.removeLast()
        var repeated = good; repeated.order[1] = repeated.order[0]
        var unknownTask = good; unknownTask.task = 3
        for bad in [short, repeated, unknownTask] {
            XCTAssertThrowsError(try RolloutBatch(episodes: [good, bad], specs: [spec]))
        }
        XCTAssertNoThrow(try RolloutBatch(episodes: [good], specs: [spec]))
    }

    func testNaNWeightsAreReportedAsDegenerate() throws {
        let graph = try SmallGraphs.chain()
        let spec = GameSpec(graph: graph)
        let network = try PolicyNetwork(config: PPOFixtures.tiny, maxBatch: 2, maxTokens: graph.vertexCount, seed: 1)
        for i in 0..<network.store.count { network.store.parameters[i] = .nan }
        let actor = Actor(network: network, seed: 1, id: 0)
        XCTAssertThrowsError(try actor.play(spec, task: 0, count: 2, policyVersion: 0)) { error in
            guard case PPOError.degenerate = error else { return XCTFail("expected degenerate, got \(error)") }
        }
    }

    func testSameSeedGivesBitIdenticalTraining() throws {
        let graph = try SmallGraphs.chain()
        func run(seed: UInt64) throws -> ([Float], Int?) {
            let run = try SoloRun(
                graph: graph, network: PPOFixtures.tiny, hp: PPOFixtures.tinyHyperparameters(), seed: seed)
            for _ in 0..<2 { _ = try run.runUpdate() }
            return (run.trainer.network.parameterArray(), run.trainer.best?.cost)
        }
        let a = try run(seed: 11), b = try run(seed: 11), c = try run(seed: 12)
        XCTAssertEqual(a.0.map(\.bitPattern), b.0.map(\.bitPattern))
        XCTAssertEqual(a.1, b.1)
        XCTAssertNotEqual(a.0.map(\.bitPattern), c.0.map(\.bitPattern))
    }

    func testTrainingMovesTheWeightsAndKeepsMetricsFinite() throws {
        let run = try SoloRun(
            graph: try SmallGraphs.chain(), network: PPOFixtures.tiny, hp: PPOFixtures.tinyHyperparameters(), seed: 2)
        let trainer = run.trainer
        let before = trainer.network.parameterArray()
        let report = try run.runUpdate()
        XCTAssertNotEqual(before, trainer.network.parameterArray())
        for (name, value) in report.metrics.named where name != "losses/explained_variance" {
            XCTAssertTrue(value.isFinite, name)
        }
        XCTAssertEqual(trainer.episodes, 4)
        XCTAssertEqual(trainer.policyVersion, 1)
        XCTAssertNotNil(trainer.best)
    }
}

final class JointTrainingTests: XCTestCase {
    /// One policy trains on two graphs of different sizes at once; each task keeps its own best.
    func testJointTrainingOnTwoGraphs() throws {
        let graphs = [try SmallGraphs.chain(), try PPOFixtures.graph("PropaneCombustion")]
        let run = try SoloRun(
            graphs: graphs, network: PPOFixtures.tiny, hp: PPOFixtures.tinyHyperparameters(envs: 2), seed: 8)
        let trainer = run.trainer
        let report = try run.runUpdate()
        XCTAssertEqual(report.episodes, 4)
        XCTAssertEqual(Set(report.played.map(\.task)), [0, 1])
        XCTAssertEqual(report.bestByTask.keys.sorted(), [0, 1])
        for (task, best) in trainer.bestByTask {
            XCTAssertEqual(try Baselines.score(best.order, on: trainer.specs[task]).cost, best.cost)
        }
        let snapshot = run.snapshot()
        XCTAssertEqual(snapshot.tasks, ["chain", "PropaneCombustion"])
        XCTAssertEqual(snapshot.best.count, 2)
    }
}
