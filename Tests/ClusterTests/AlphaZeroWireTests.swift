import AlphaZero
import Elimination
import PPO
import TestFixtures
import Wire
import XCTest
@testable import Cluster

/// AlphaZero+Wire.swift: a real self-played game survives actor → wire → learner unchanged, and
/// the welcome's search settings carry the search hyperparameters both ways.
final class AlphaZeroWireTests: XCTestCase {
    func testSelfPlayedGamesRoundTripThroughTheWireBitForBit() throws {
        var hp = AlphaZeroHyperparameters()
        hp.simulations = 8
        hp.maxConsideredActions = 4
        for graph in [try TestFixtures.chain(), RandomGraphs.scalar(seed: 3, inputs: 3, equations: 16, outputs: 2)] {
            let spec = GameSpec(graph: graph)
            let network = try PolicyNetwork(
                config: TestFixtures.tinyNetwork, maxBatch: 2, maxTokens: spec.vertexCount, seed: 4)
            let selfPlay = SelfPlay(evaluator: NetworkLeafEvaluator(network: network), hp: hp, seed: 9, id: 5)
            let played = try selfPlay.play(spec, task: 2, count: 2, policyVersion: 7)
            let records = zip(played.episodes, played.costs).map { SearchGameRecord($0, cost: $1, actorId: 5) }
            guard case let .searchGames(received) = try decode(frames: encode(.searchGames(records))) else {
                return XCTFail("searchGames decoded as another kind")
            }
            XCTAssertEqual(received, records)
            var replay = ReplayBuffer(capacity: 4, specs: [spec, spec, spec])
            for (record, (episode, cost)) in zip(received, zip(played.episodes, played.costs)) {
                let back = SearchEpisode(record)
                XCTAssertEqual(back, episode)
                XCTAssertEqual(back.improvedPolicies.map(\.bitPattern), episode.improvedPolicies.map(\.bitPattern))
                XCTAssertEqual(record.cost, UInt64(cost))
                XCTAssertEqual(record.policies.count, SearchEpisode.policyCount(eliminable: spec.eliminable.count))
                XCTAssertEqual(try replay.add(back), cost, "the learner's replay re-scores the claimed cost")
            }
        }
    }

    func testSearchSettingsCarryTheSearchHyperparameters() throws {
        var hp = AlphaZeroHyperparameters.preset(task: "Encoder")
        hp.cVisit = 30
        hp.cScale = 0.1
        hp.gumbelScale = 0
        hp.maxConsideredActions = 8
        let settings = try SearchSettings(hp)
        XCTAssertEqual(
            settings, SearchSettings(simulations: 250, maxConsideredActions: 8, cVisit: 30, cScale: 0.1, gumbelScale: 0)
        )
        let welcome = Welcome(
            actorId: 1, heartbeatIntervalMs: 1000, environmentsPerActor: 8, seed: 1, weightsVersion: 0,
            algorithm: .alphazero, search: settings, tasks: [])
        guard case let .welcome(received) = try decode(frames: encode(.welcome(welcome))) else {
            return XCTFail("welcome decoded as another kind")
        }
        // An actor's own defaults take the welcome's search; its learning fields stay.
        var actorDefaults = AlphaZeroHyperparameters()
        actorDefaults.learningRate = 5e-4
        let applied = actorDefaults.applying(received.search)
        XCTAssertEqual(applied.simulations, 250)
        XCTAssertEqual(applied.maxConsideredActions, 8)
        XCTAssertEqual(applied.cVisit, 30)
        XCTAssertEqual(applied.cScale, 0.1)
        XCTAssertEqual(applied.gumbelScale, 0)
        XCTAssertEqual(applied.learningRate, 5e-4)
        XCTAssertEqual(try SearchSettings(applied), settings)
    }

    func testSettingsTheWireCannotCarryAreRefusedNotClamped() {
        var hp = AlphaZeroHyperparameters()
        hp.simulations = WireLimits.maxSimulations + 1
        XCTAssertThrowsError(try SearchSettings(hp)) { error in
            XCTAssertTrue("\(error)".contains("simulations 4097"), "\(error)")
        }
        hp.simulations = 0
        XCTAssertThrowsError(try SearchSettings(hp)) { error in
            XCTAssertEqual(error as? AlphaZeroError, .invalidSetting("simulations must be at least 1"))
        }
    }

    func testRolloutRulesAndEndgameTravelToTheActorsSearch() throws {
        // A solo checkpoint trained with k rules and an exact endgame, resumed on the cluster,
        // becomes a welcome whose actors roll out exactly as the solo run did (protocol 6).
        var hp = AlphaZeroHyperparameters()
        hp.simulations = 4
        hp.maxConsideredActions = 4
        hp.rolloutWeight = 1
        hp.rolloutRules = 3
        hp.rolloutEndgame = 2
        let settings = try SearchSettings(hp)
        XCTAssertEqual(settings.rolloutRules, 3)
        XCTAssertEqual(settings.rolloutEndgame, 2)
        XCTAssertEqual(try SearchAgreement.welcome(resuming: hp).search, settings)
        let welcome = Welcome(
            actorId: 3, heartbeatIntervalMs: 1000, environmentsPerActor: 2, seed: 5, weightsVersion: 0,
            algorithm: .alphazero, search: settings, tasks: [])
        guard case let .welcome(received) = try decode(frames: encode(.welcome(welcome))) else {
            return XCTFail("welcome decoded as another kind")
        }
        let applied = AlphaZeroHyperparameters().applying(received.search)
        XCTAssertEqual(applied.rolloutRules, 3)
        XCTAssertEqual(applied.rolloutEndgame, 2)
        XCTAssertEqual(try SearchSettings(applied), settings)
        // The actor's self-play runs with them (its rollouts, `RolloutLeafEvaluator`, read hp).
        let graph = RandomGraphs.scalar(seed: 3, inputs: 3, equations: 16, outputs: 2)
        let network = try PolicyNetwork(
            config: TestFixtures.tinyNetwork, maxBatch: 2, maxTokens: GameSpec(graph: graph).vertexCount, seed: 4)
        let selfPlay = try SelfPlay.playing(received, network: NetworkLeafEvaluator(network: network))
        XCTAssertEqual(selfPlay.hp.rolloutRules, 3)
        XCTAssertEqual(selfPlay.hp.rolloutEndgame, 2)
        XCTAssertEqual(selfPlay.hp.gamesInLockstep, 2)
        let rollouts = try XCTUnwrap(selfPlay.evaluator as? RolloutLeafEvaluator)
        XCTAssertEqual([rollouts.rules, rollouts.endgame], [3, 2])
        XCTAssertEqual(rollouts.weight, 1)
    }

    func testTheWiresRolloutBoundsAreTheSearchsOwn() {
        // WireLimits (the Wire module cannot see GreedyRule or GreedyCompletion) must accept
        // exactly what `AlphaZeroHyperparameters.validate` accepts.
        var hp = AlphaZeroHyperparameters()
        hp.rolloutRules = WireLimits.maxRolloutRules
        hp.rolloutEndgame = WireLimits.maxRolloutEndgame
        XCTAssertNoThrow(try SearchSettings(hp))
        hp.rolloutRules = WireLimits.maxRolloutRules + 1
        XCTAssertThrowsError(try hp.validate()) { XCTAssertTrue("\($0)".contains("rollout_rules"), "\($0)") }
        hp.rolloutRules = 1
        hp.rolloutEndgame = WireLimits.maxRolloutEndgame + 1
        XCTAssertThrowsError(try hp.validate()) { XCTAssertTrue("\($0)".contains("rollout_endgame"), "\($0)") }
    }

    func testAlgorithmKindsMapOneToOneOntoWelcomeCodes() {
        for kind in AlgorithmKind.allCases {
            XCTAssertEqual(AlgorithmKind(AlgorithmCode(kind)), kind)
        }
        XCTAssertEqual(Set(AlgorithmKind.allCases.map { AlgorithmCode($0) }), Set(AlgorithmCode.allCases))
        XCTAssertEqual(AlgorithmCode(.alphaZero).rawValue, 2)
    }
}
