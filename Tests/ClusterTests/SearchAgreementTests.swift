import AlphaZero
import Wire
import XCTest
@testable import Cluster

/// A resumed AlphaZero run on a multi-host cluster: the checkpoint decides the search. The
/// coordinator (`ccelim coordinator --resume`) and the learner both settle cluster.toml against
/// the checkpoint's hyperparameters, so the welcome says what the learner restored; a cluster.toml
/// that names other values is refused by key; a learner refuses a welcome with another search.
final class SearchAgreementTests: XCTestCase {
    /// What a run started with `--simulations 12 --c-scale 0.1 --rollout-weight 0.5 --rollout-rules 3
    /// --rollout-endgame 2 --envs 4` stored.
    private var stored: AlphaZeroHyperparameters {
        var hp = AlphaZeroHyperparameters.preset(task: "RoeFlux_1d")
        hp.simulations = 12
        hp.cScale = 0.1
        hp.rolloutWeight = 0.5
        hp.rolloutRules = 3
        hp.rolloutEndgame = 2
        hp.gamesInLockstep = 4
        return hp
    }

    private func parse(_ learner: String) throws -> ClusterConfig {
        try ClusterConfig.parse("[learner]\nalgorithm = \"alphazero\"\n" + learner)
    }

    func testKeysClusterTomlLeavesOutTakeTheCheckpointsValuesAndTheWelcomeSaysThem() throws {
        let config = try parse("")
        XCTAssertNotEqual(try config.welcomeAlgorithm().search, try SearchSettings(stored), "before: the preset's")
        let settled = try SearchAgreement.config(config, resuming: stored)
        XCTAssertEqual(settled.learner.simulations, 12)
        XCTAssertEqual(settled.learner.cScale, 0.1)
        XCTAssertEqual(settled.learner.rolloutWeight, 0.5)
        XCTAssertEqual(settled.learner.rolloutRules, 3)
        XCTAssertEqual(settled.learner.rolloutEndgame, 2)
        XCTAssertEqual(settled.gamesPerUpdate, 4)
        let welcome = try settled.welcomeAlgorithm()
        XCTAssertEqual(welcome.algorithm, .alphazero)
        XCTAssertEqual(welcome.search, try SearchSettings(stored))
        XCTAssertEqual([welcome.search.rolloutRules, welcome.search.rolloutEndgame], [3, 2])
        XCTAssertEqual(welcome.search, try SearchAgreement.welcome(resuming: stored).search)
        // The run folder's cluster.toml (written from it) reads back as the checkpoint's run.
        XCTAssertEqual(try ClusterConfig.parse(settled.tomlText), settled)
        XCTAssertNil(
            SearchAgreement.welcomeProblem(
                algorithm: welcome.algorithm, search: welcome.search,
                expected: try SearchAgreement.welcome(resuming: stored)))
    }

    func testKeysThatNameTheCheckpointsValuesAreAccepted() throws {
        let config = try parse(
            "simulations = 12\nc_scale = 0.1\nrollout_weight = 0.5\nrollout_rules = 3\nrollout_endgame = 2\nnum_envs = 4\n"
        )
        XCTAssertEqual(try SearchAgreement.config(config, resuming: stored), config)
    }

    func testAKeyThatNamesAnotherValueIsRefusedByKeyWithTheCheckpointsValue() throws {
        let cases: [(String, String, String, String, String)] = [
            ("simulations = 50\n", "simulations", "--simulations", "50", "12"),
            ("c_scale = 1.0\n", "c_scale", "--c-scale", "1.0", "0.1"),
            ("rollout_weight = 0.0\n", "rollout_weight", "--rollout-weight", "0.0", "0.5"),
            ("rollout_rules = 1\n", "rollout_rules", "--rollout-rules", "1", "3"),
            ("rollout_endgame = 4\n", "rollout_endgame", "--rollout-endgame", "4", "2"),
            ("num_envs = 8\n", "num_envs", "--envs", "8", "4"),
        ]
        for (line, key, flag, named, kept) in cases {
            let config = try parse(line)
            XCTAssertThrowsError(try SearchAgreement.config(config, resuming: stored), line) { error in
                guard let conflict = error as? SearchAgreement.Conflict else { return XCTFail("\(error)") }
                XCTAssertEqual(conflict, SearchAgreement.Conflict(key: key, flag: flag, named: named, stored: kept))
                XCTAssertEqual(
                    conflict.description,
                    "[learner] \(key) = \(named) differs from the checkpoint's \(kept); a resumed run keeps its checkpoint's settings (remove the key or set it to \(kept))"
                )
                XCTAssertTrue(conflict.flagDescription.hasPrefix("\(flag) \(named) differs"), conflict.flagDescription)
            }
        }
    }

    func testALearnerRefusesAWelcomeWithAnotherSearchNamingTheFields() throws {
        let expected = try SearchAgreement.welcome(resuming: stored)
        // A coordinator started from a cluster.toml without the keys, not told --resume.
        let other = try parse("").welcomeAlgorithm()
        let problem = try XCTUnwrap(
            SearchAgreement.welcomeProblem(algorithm: other.algorithm, search: other.search, expected: expected))
        XCTAssertTrue(
            problem.contains(
                "searches with simulations 50, c_scale 1.0, rollout_weight 0.0, rollout_rules 1, rollout_endgame 0"),
            problem)
        XCTAssertTrue(
            problem.contains(
                "this learner's run has simulations 12, c_scale 0.1, rollout_weight 0.5, rollout_rules 3, rollout_endgame 2"
            ), problem)
        XCTAssertFalse(problem.contains("c_visit"), "only the fields that differ: \(problem)")
        let ppo = try XCTUnwrap(
            SearchAgreement.welcomeProblem(algorithm: .ppo, search: .none, expected: expected))
        XCTAssertTrue(ppo.contains("play ppo but this learner trains alphazero"), ppo)
        XCTAssertNil(SearchAgreement.welcomeProblem(algorithm: .ppo, search: .none, expected: (.ppo, .none)))
    }

    func testALearnerRefusesAWelcomeThatRollsOutWithOtherRulesOrEndgame() throws {
        // A coordinator whose cluster.toml names everything but k (or E) as the learner's run.
        let expected = try SearchAgreement.welcome(resuming: stored)
        for (changed, field) in [
            ("rollout_rules = 1\nrollout_endgame = 2\n", "rollout_rules"),
            ("rollout_rules = 3\nrollout_endgame = 0\n", "rollout_endgame"),
        ] {
            let other = try parse("simulations = 12\nc_scale = 0.1\nrollout_weight = 0.5\nnum_envs = 4\n" + changed)
                .welcomeAlgorithm()
            let problem = try XCTUnwrap(
                SearchAgreement.welcomeProblem(algorithm: other.algorithm, search: other.search, expected: expected),
                changed)
            let (named, kept) = field == "rollout_rules" ? ("1", "3") : ("0", "2")
            XCTAssertTrue(problem.contains("searches with \(field) \(named) but"), problem)
            XCTAssertTrue(problem.contains("this learner's run has \(field) \(kept);"), problem)
        }
    }
}
