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

    func testSoloOnlyRolloutSettingsAreRefusedNotDropped() throws {
        // A solo checkpoint trained with k rules or an exact endgame, resumed on the cluster,
        // must not become a welcome whose actors roll out with one rule.
        var hp = AlphaZeroHyperparameters()
        hp.rolloutWeight = 1
        XCTAssertEqual(try SearchSettings(hp).rolloutWeight, 1)
        hp.rolloutRules = 3
        XCTAssertThrowsError(try SearchSettings(hp)) { error in
            XCTAssertTrue("\(error)".contains("rollout_rules 3"), "\(error)")
        }
        hp.rolloutRules = 1
        hp.rolloutEndgame = 4
        XCTAssertThrowsError(try SearchSettings(hp)) { error in
            XCTAssertTrue("\(error)".contains("rollout_endgame 4"), "\(error)")
        }
        XCTAssertThrowsError(try SearchAgreement.welcome(resuming: hp))
    }

    func testAlgorithmKindsMapOneToOneOntoWelcomeCodes() {
        for kind in AlgorithmKind.allCases {
            XCTAssertEqual(AlgorithmKind(AlgorithmCode(kind)), kind)
        }
        XCTAssertEqual(Set(AlgorithmKind.allCases.map { AlgorithmCode($0) }), Set(AlgorithmCode.allCases))
        XCTAssertEqual(AlgorithmCode(.alphaZero).rawValue, 2)
    }
}
