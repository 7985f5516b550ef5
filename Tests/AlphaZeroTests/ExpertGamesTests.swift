import Elimination
import TestFixtures
import XCTest
@testable import AlphaZero
@testable import PPO

/// Warm start from orders found without learning: an order becomes a replay game with one-hot
/// targets on the moves it made, its returns are the game's, and bad orders are refused.
final class ExpertGamesTests: XCTestCase {
    func testAnOrderBecomesOneHotTargetsOnItsMoves() throws {
        let spec = try AlphaZeroFixtures.threeVertexGame()
        // Eliminate 2, then 1, then 3: π' rows over [1, 2, 3], then [1, 3], then [3].
        let episode = try ExpertGames.episode(order: [2, 1, 3], task: 0, spec: spec)
        XCTAssertEqual(episode.order, [2, 1, 3])
        XCTAssertEqual(episode.improvedPolicies, [0, 1, 0, 1, 0, 1])
        XCTAssertEqual(episode.actor, ExpertGames.actor)
        XCTAssertNil(episode.refusal(taskCount: 1, newestVersion: 0), "the trainer would accept it")
        var replay = ReplayBuffer(capacity: 4, specs: [spec])
        let cost = try replay.add(episode)
        XCTAssertEqual(cost, try Baselines.score([2, 1, 3], on: spec).cost)
        XCTAssertEqual(replay.games[0].returns.first, -Float(cost))
    }

    func testInvalidOrdersAreRefused() throws {
        let spec = try AlphaZeroFixtures.threeVertexGame()
        XCTAssertThrowsError(try ExpertGames.episode(order: [1, 2], task: 0, spec: spec), "incomplete")
        XCTAssertThrowsError(try ExpertGames.episode(order: [1, 1, 3], task: 0, spec: spec), "repeated")
        let learner = AlphaZeroLearner(
            network: try PolicyNetwork(config: TestFixtures.tinyNetwork, maxBatch: 8, maxTokens: 8, seed: 1),
            hp: AlphaZeroHyperparameters(), seed: 1, specs: [spec])
        XCTAssertThrowsError(try learner.addExpertGames([(task: 1, order: [1, 2, 3])]), "unknown task")
        try learner.addExpertGames([(task: 0, order: [1, 2, 3]), (task: 0, order: [3, 2, 1])])
        XCTAssertEqual(learner.replay.games.map(\.episode.order), [[1, 2, 3], [3, 2, 1]])
    }

    /// Expert games are trained on like self-played ones: after steps on a buffer holding only the
    /// reverse order of the chain, the policy puts more probability on the order's first move.
    func testStepsOnExpertGamesImitateTheOrder() throws {
        let graph = try TestFixtures.chain()
        let spec = GameSpec(graph: graph)
        var hp = AlphaZeroHyperparameters()
        hp.minibatchSize = 16
        hp.learningRate = 1e-2
        let network = try PolicyNetwork(
            config: TestFixtures.tinyNetwork, maxBatch: 16, maxTokens: graph.vertexCount, seed: 1)
        let learner = AlphaZeroLearner(network: network, hp: hp, seed: 1, specs: [spec])
        let order = Baselines.reverseOrder(spec)
        try learner.addExpertGames([(task: 0, order: order)])
        let evaluator = NetworkLeafEvaluator(network: network)
        let root = EliminationState(spec: spec)
        let first = spec.eliminable.firstIndex(of: order[0])!
        func probability() throws -> Double {
            PolicyImprovement.softmax(try XCTUnwrap(try evaluator.evaluate([root])[0].logits))[first]
        }
        let before = try probability()
        for _ in 0..<20 { _ = try learner.step(replay: learner.replay) }
        XCTAssertGreaterThan(try probability(), before + 0.1)
    }

    /// With a clock the solo run says how long the last update played and trained.
    func testTheSoloRunTimesPlayingAndTrainingWithAnInjectedClock() throws {
        var hp = AlphaZeroHyperparameters()
        hp.simulations = 2
        hp.gamesInLockstep = 1
        hp.minibatchSize = 4
        hp.stepsPerBatch = 1
        let run = try AlphaZeroSoloRun(
            graphs: [try TestFixtures.chain()], network: TestFixtures.tinyNetwork, settings: hp, seed: 1)
        _ = try run.runUpdate()
        XCTAssertTrue(run.lastTiming == (0, 0), "no clock: not timed")
        var ticks = [0.0, 2.0, 7.0][...]
        run.clock = { ticks.popFirst()! }
        _ = try run.runUpdate()
        XCTAssertTrue(run.lastTiming == (2, 5), "\(run.lastTiming)")
    }
}
