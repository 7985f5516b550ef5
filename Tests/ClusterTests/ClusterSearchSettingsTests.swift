import AlphaZero
import Elimination
import TestFixtures
import Wire
import XCTest
@testable import Cluster

/// The search settings cluster.toml gives AlphaZero's actors. `[learner] rollout_weight`
/// (`ccelim train --rollout-weight` on the cluster): the learner's settings take it, the welcome's
/// search settings carry it (protocol 5) and an actor built from the welcome values its leaves
/// with exact greedy rollouts at that λ. `[learner] c_scale` (`--c-scale`) travels the same way.
final class ClusterSearchSettingsTests: XCTestCase {
    /// A network stand-in: zero logits for every legal action and a value of 0, counting what it
    /// was asked for.
    private final class CountingNetwork: LeafEvaluator {
        var policyRequests = 0
        var valueRequests = 0

        func evaluate(_ requests: [LeafRequest]) throws -> [LeafEvaluation] {
            requests.map { r in
                if r.wantsPolicy { policyRequests += 1 }
                if r.wantsValue { valueRequests += 1 }
                let legal = r.state.spec.eliminable.count - r.state.steps
                return LeafEvaluation(
                    logits: r.wantsPolicy ? [Double](repeating: 0, count: legal) : nil, value: r.wantsValue ? 0 : nil)
            }
        }
    }

    private func welcome(_ config: ClusterConfig) throws -> Welcome {
        let played = try config.welcomeAlgorithm()
        let message = Welcome(
            actorId: 3, heartbeatIntervalMs: 1000, environmentsPerActor: 2, seed: 5, weightsVersion: 0,
            algorithm: played.algorithm, search: played.search, tasks: [])
        // Through the codec, as an actor receives it.
        guard case let .welcome(received) = try decode(frames: encode(.welcome(message))) else {
            throw WireError.invalidValue(field: "welcome", reason: "decoded as another kind")
        }
        return received
    }

    func testRolloutWeightTravelsFromClusterTomlThroughTheWelcome() throws {
        let config = try ClusterConfig.parse("[learner]\nalgorithm = \"alphazero\"\nrollout_weight = 0.5\n")
        XCTAssertEqual(config.learner.rolloutWeight, 0.5)
        XCTAssertEqual(config.alphaZeroHyperparameters.rolloutWeight, 0.5)
        XCTAssertTrue(config.tomlText.contains("rollout_weight = 0.5"), config.tomlText)
        XCTAssertEqual(try ClusterConfig.parse(config.tomlText), config, "the written text reads back the same")
        let received = try welcome(config)
        XCTAssertEqual(received.search.rolloutWeight, 0.5)
        XCTAssertEqual(AlphaZeroHyperparameters().applying(received.search).rolloutWeight, 0.5)
    }

    func testRolloutRulesAndEndgameTravelFromClusterTomlThroughTheWelcome() throws {
        let config = try ClusterConfig.parse(
            "[learner]\nalgorithm = \"alphazero\"\nrollout_weight = 1\nrollout_rules = 3\nrollout_endgame = 4\n")
        XCTAssertEqual([config.learner.rolloutRules, config.learner.rolloutEndgame], [3, 4])
        let hp = config.alphaZeroHyperparameters
        XCTAssertEqual([hp.rolloutRules, hp.rolloutEndgame], [3, 4])
        XCTAssertTrue(config.tomlText.contains("rollout_rules = 3\nrollout_endgame = 4"), config.tomlText)
        XCTAssertEqual(try ClusterConfig.parse(config.tomlText), config, "the written text reads back the same")
        let received = try welcome(config)
        XCTAssertEqual([received.search.rolloutRules, received.search.rolloutEndgame], [3, 4])
        let rollouts = try XCTUnwrap(
            try SelfPlay.playing(received, network: CountingNetwork()).evaluator as? RolloutLeafEvaluator)
        XCTAssertEqual([rollouts.rules, rollouts.endgame], [3, 4], "the actor rolls out as the solo run")
        // Without the keys: one rule, no exact endgame (AlphaZero's defaults), nothing written.
        let plain = try ClusterConfig.parse("[learner]\nalgorithm = \"alphazero\"\n")
        XCTAssertNil(plain.learner.rolloutRules)
        XCTAssertNil(plain.learner.rolloutEndgame)
        XCTAssertFalse(plain.tomlText.contains("rollout_rules") || plain.tomlText.contains("rollout_endgame"))
        XCTAssertEqual([try welcome(plain).search.rolloutRules, try welcome(plain).search.rolloutEndgame], [1, 0])
        for (key, bad) in [
            ("rollout_rules", "0"), ("rollout_rules", "7"), ("rollout_endgame", "-1"),
            ("rollout_endgame", "13"), ("rollout_rules", "2.5"),
        ] {
            XCTAssertThrowsError(
                try ClusterConfig.parse("[learner]\nalgorithm = \"alphazero\"\n\(key) = \(bad)\n")
            ) {
                XCTAssertTrue("\($0)".contains("learner.\(key)"), "\(key) = \(bad): \($0)")
            }
        }
    }

    func testWithoutTheKeyTheNetworkAloneAndValuesOutside0To1AreRefusedByName() throws {
        let config = try ClusterConfig.parse("[learner]\nalgorithm = \"alphazero\"\n")
        XCTAssertNil(config.learner.rolloutWeight)
        XCTAssertEqual(config.alphaZeroHyperparameters.rolloutWeight, 0)
        XCTAssertFalse(config.tomlText.contains("rollout_weight"))
        XCTAssertEqual(try welcome(config).search.rolloutWeight, 0)
        XCTAssertEqual(
            try ClusterConfig.parse("[learner]\nalgorithm = \"alphazero\"\nrollout_weight = 1\n").learner.rolloutWeight,
            1, "an integer is a number")
        for bad in ["-0.1", "1.5", "\"half\""] {
            XCTAssertThrowsError(
                try ClusterConfig.parse("[learner]\nalgorithm = \"alphazero\"\nrollout_weight = \(bad)\n")
            ) {
                XCTAssertTrue("\($0)".contains("learner.rollout_weight"), "\(bad): \($0)")
            }
        }
    }

    func testAnActorWelcomedWithWeightOneValuesLeavesByRolloutsAndNeverAsksTheNetworkForAValue() throws {
        let config = try ClusterConfig.parse(
            "[learner]\nalgorithm = \"alphazero\"\nsimulations = 8\nrollout_weight = 1\n")
        let network = CountingNetwork()
        let selfPlay = try SelfPlay.playing(try welcome(config), network: network)
        XCTAssertEqual(selfPlay.hp.rolloutWeight, 1)
        XCTAssertEqual(selfPlay.hp.simulations, 8)
        XCTAssertEqual(selfPlay.hp.gamesInLockstep, 2, "the welcome's environments per actor")
        let rollouts = try XCTUnwrap(selfPlay.evaluator as? RolloutLeafEvaluator)
        XCTAssertIdentical(rollouts.inner, network)
        let spec = GameSpec(graph: try TestFixtures.chain())
        let played = try selfPlay.play(spec, task: 0, count: 2, policyVersion: 0)
        XCTAssertEqual(played.episodes.count, 2)
        XCTAssertGreaterThan(rollouts.rollouts, 0)
        XCTAssertGreaterThan(network.policyRequests, 0, "priors still come from the network")
        XCTAssertEqual(network.valueRequests, 0, "with λ = 1 every value is a rollout's")
    }

    func testAnActorWelcomedWithWeightZeroSearchesWithTheNetworkAlone() throws {
        let network = CountingNetwork()
        let selfPlay = try SelfPlay.playing(
            try welcome(try ClusterConfig.parse("[learner]\nalgorithm = \"alphazero\"\nsimulations = 8\n")),
            network: network)
        XCTAssertIdentical(selfPlay.evaluator, network, "no rollout wrapper at λ = 0")
        _ = try selfPlay.play(GameSpec(graph: try TestFixtures.chain()), task: 0, count: 1, policyVersion: 0)
        XCTAssertGreaterThan(network.valueRequests, 0)
    }

    func testCScaleTravelsFromClusterTomlThroughTheWelcomeToTheActorsSearch() throws {
        // No new message field: `SearchSettings.cScale` was always on the wire.
        let config = try ClusterConfig.parse("[learner]\nalgorithm = \"alphazero\"\nc_scale = 0.1\n")
        XCTAssertEqual(config.learner.cScale, 0.1)
        XCTAssertEqual(config.alphaZeroHyperparameters.cScale, 0.1)
        XCTAssertTrue(config.tomlText.contains("c_scale = 0.1"), config.tomlText)
        XCTAssertEqual(try ClusterConfig.parse(config.tomlText), config, "the written text reads back the same")
        XCTAssertEqual(try config.welcomeAlgorithm().search.cScale, 0.1)
        let received = try welcome(config)
        XCTAssertEqual(AlphaZeroHyperparameters().applying(received.search).cScale, 0.1)
    }

    func testWithoutTheCScaleKeyTheDefaultAndABadValueIsRefusedByName() throws {
        let config = try ClusterConfig.parse("[learner]\nalgorithm = \"alphazero\"\n")
        XCTAssertNil(config.learner.cScale)
        XCTAssertEqual(config.alphaZeroHyperparameters.cScale, AlphaZeroHyperparameters().cScale)
        XCTAssertFalse(config.tomlText.contains("c_scale"))
        XCTAssertThrowsError(try ClusterConfig.parse("[learner]\nalgorithm = \"alphazero\"\nc_scale = -1\n")) {
            XCTAssertTrue("\($0)".contains("learner.c_scale"), "\($0)")
        }
    }
}
