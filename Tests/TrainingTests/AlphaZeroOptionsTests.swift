import AlphaZero
import PPO
import XCTest

@testable import Training

/// `AlphaZeroOptions.problem`, the one check of the AlphaZero-only options: every rule refuses
/// what it must with the flag and the value in the message, and a valid AlphaZero set passes.
final class AlphaZeroOptionsTests: XCTestCase {
    /// Every option given, each valid, with a final decode inside 2 minutes.
    let valid = AlphaZeroOptions(
        simulations: 8, cScale: 0.1, rolloutWeight: 0.5, rolloutRules: 6, rolloutEndgame: 12, finalDecodeSeconds: 30,
        decodeSimulations: 0)

    func testAValidAlphaZeroSetPasses() {
        for algorithm in [nil, AlgorithmKind.alphaZero] {
            XCTAssertNil(valid.problem(algorithm: algorithm, minutes: 2))
            XCTAssertNil(valid.problem(algorithm: algorithm, minutes: nil))
        }
        XCTAssertNil(AlphaZeroOptions().problem(algorithm: .ppo, minutes: 1), "nothing given: PPO runs")
        XCTAssertNil(
            AlphaZeroOptions().problem(algorithm: nil, minutes: 0), "no final decode: the minutes rule is not asked")
    }

    func testPPORefusesEachOptionGiven() {
        let given: [(AlphaZeroOptions, String)] = [
            (AlphaZeroOptions(simulations: 4), "--simulations 4"),
            (AlphaZeroOptions(cScale: 0.1), "--c-scale 0.1"),
            (AlphaZeroOptions(rolloutWeight: 1), "--rollout-weight 1.0"),
            (AlphaZeroOptions(rolloutRules: 2), "--rollout-rules 2"),
            (AlphaZeroOptions(rolloutEndgame: 3), "--rollout-endgame 3"),
            (AlphaZeroOptions(finalDecodeSeconds: 1), "--final-decode-seconds 1.0"),
            (AlphaZeroOptions(finalDecodeSeconds: 1, decodeSimulations: 5), "--final-decode-seconds 1.0"),
        ]
        for (options, flag) in given {
            XCTAssertEqual(
                options.problem(algorithm: .ppo, minutes: nil),
                "\(flag) applies to --algorithm alphazero; PPO does not search")
            XCTAssertNil(options.problem(algorithm: nil, minutes: nil), "\(flag): parse time checks ranges only")
            XCTAssertNil(options.problem(algorithm: .alphaZero, minutes: nil), flag)
        }
        // `ccelim learner` has no --algorithm: its refusal names the cluster.toml key instead.
        XCTAssertEqual(
            AlphaZeroOptions(finalDecodeSeconds: 5).problem(algorithm: .ppo, minutes: nil, choice: .clusterConfig),
            "--final-decode-seconds 5.0 applies to cluster.toml's [learner] algorithm = \"alphazero\"; PPO does not search"
        )
        XCTAssertEqual(
            AlphaZeroOptions(finalDecodeSeconds: 5, decodeSimulations: 2).problem(
                algorithm: .ppo, minutes: nil, choice: .clusterConfig),
            "--final-decode-seconds 5.0 applies to cluster.toml's [learner] algorithm = \"alphazero\"; PPO does not search"
        )
        XCTAssertNil(
            AlphaZeroOptions(finalDecodeSeconds: 5).problem(algorithm: .alphaZero, minutes: nil, choice: .clusterConfig)
        )
        // The benchmark's decode without a final decode is still AlphaZero's alone.
        XCTAssertEqual(
            AlphaZeroOptions(decodeSimulations: 5).problem(algorithm: .ppo, minutes: nil, decodeAlone: true),
            "--decode-simulations 5 applies to --algorithm alphazero; PPO does not search")
    }

    func testEachRangeIsRefusedWithTheFlagAndTheValue() {
        func refused(_ change: (inout AlphaZeroOptions) -> Void, _ message: String, line: UInt = #line) {
            var options = valid
            change(&options)
            for algorithm in [nil, AlgorithmKind.alphaZero] {
                XCTAssertEqual(options.problem(algorithm: algorithm, minutes: 2), message, line: line)
            }
        }
        refused({ $0.simulations = 0 }, "--simulations must be at least 1, not 0")
        refused({ $0.cScale = -0.5 }, "--c-scale must be a finite number ≥ 0, not -0.5")
        refused({ $0.cScale = .infinity }, "--c-scale must be a finite number ≥ 0, not inf")
        refused({ $0.cScale = .nan }, "--c-scale must be a finite number ≥ 0, not nan")
        refused({ $0.rolloutWeight = 1.5 }, "--rollout-weight must be a number between 0 and 1, not 1.5")
        refused({ $0.rolloutWeight = -0.1 }, "--rollout-weight must be a number between 0 and 1, not -0.1")
        refused({ $0.rolloutRules = 0 }, "--rollout-rules must be between 1 and 6 (the greedy rules), not 0")
        refused({ $0.rolloutRules = 7 }, "--rollout-rules must be between 1 and 6 (the greedy rules), not 7")
        refused(
            { $0.rolloutEndgame = -1 },
            "--rollout-endgame must be between 0 and 12 (vertices ordered exactly at the end), not -1")
        refused(
            { $0.rolloutEndgame = 13 },
            "--rollout-endgame must be between 0 and 12 (vertices ordered exactly at the end), not 13")
        refused({ $0.finalDecodeSeconds = -1 }, "--final-decode-seconds must be a finite number ≥ 0, not -1.0")
        refused({ $0.finalDecodeSeconds = .nan }, "--final-decode-seconds must be a finite number ≥ 0, not nan")
        refused({ $0.finalDecodeSeconds = .infinity }, "--final-decode-seconds must be a finite number ≥ 0, not inf")
        refused({ $0.decodeSimulations = -2 }, "--decode-simulations must be ≥ 0, not -2")
        // The limits are the settings' own (`AlphaZeroHyperparameters.validate` agrees at each edge).
        var hp = AlphaZeroHyperparameters()
        valid.apply(to: &hp)
        XCTAssertNoThrow(try hp.validate())
    }

    func testTheFinalDecodeMustLeaveTrainingSomeOfTheMinutes() {
        var options = AlphaZeroOptions(finalDecodeSeconds: 60)
        XCTAssertEqual(
            options.problem(algorithm: nil, minutes: 1),
            "--final-decode-seconds must be below --minutes × 60 = 60.0 (training needs some of the budget), not 60.0")
        XCTAssertNotNil(options.problem(algorithm: .alphaZero, minutes: 0.5))
        XCTAssertNil(options.problem(algorithm: .alphaZero, minutes: 1.01))
        XCTAssertNil(options.problem(algorithm: .alphaZero, minutes: nil), "without --minutes it follows the training")
        options.finalDecodeSeconds = 59.9
        XCTAssertNil(options.problem(algorithm: nil, minutes: 1))
    }

    func testDecodeSimulationsNeedTheFinalDecodeUnlessTheyDecodeAlone() {
        let alone = AlphaZeroOptions(decodeSimulations: 8)
        XCTAssertEqual(
            alone.problem(algorithm: nil, minutes: nil),
            "--decode-simulations 8 applies to the final decode: give --final-decode-seconds too")
        XCTAssertEqual(
            alone.problem(algorithm: .alphaZero, minutes: nil),
            "--decode-simulations 8 applies to the final decode: give --final-decode-seconds too")
        XCTAssertNil(
            alone.problem(algorithm: nil, minutes: nil, decodeAlone: true), "the benchmark decodes with them alone")
        XCTAssertEqual(
            AlphaZeroOptions(decodeSimulations: -1).problem(algorithm: nil, minutes: nil, decodeAlone: true),
            "--decode-simulations must be ≥ 0, not -1")
        XCTAssertNil(
            AlphaZeroOptions(finalDecodeSeconds: 1, decodeSimulations: 8).problem(algorithm: nil, minutes: nil))
    }

    func testOverridesReplaceThePresetsValuesAndNameTheirKeys() {
        var hp = AlphaZeroHyperparameters.preset(task: "Encoder")
        let preset = hp
        AlphaZeroOptions().apply(to: &hp)
        XCTAssertEqual(hp, preset, "nothing given: the preset's")
        valid.apply(to: &hp)
        XCTAssertEqual(hp.simulations, 8)
        XCTAssertEqual(hp.cScale, 0.1)
        XCTAssertEqual(hp.rolloutWeight, 0.5)
        XCTAssertEqual(hp.rolloutRules, 6)
        XCTAssertEqual(hp.rolloutEndgame, 12)
        XCTAssertEqual(hp.gamesInLockstep, preset.gamesInLockstep, "only the search overrides")
        XCTAssertEqual(
            valid.searchOverrides.map(\.key),
            ["simulations", "c_scale", "rollout_weight", "rollout_rules", "rollout_endgame"])
        XCTAssertEqual(AlphaZeroOptions(cScale: 2).searchOverrides.map(\.flag), ["--c-scale"])
    }
}
