import AlphaZero
import HDF5
import PPO
import TestFixtures
import XCTest
@testable import Checkpoint

/// `rollout_weight` (λ of leaf values mixed with greedy rollouts), `rollout_rules` (k, the
/// rollout the cheapest of k greedy rules) and `rollout_endgame` (E, its last E vertices exact) are AlphaZero hyperparameters like the others: a run
/// with rollouts stores them and a resumed run gets them back; a file written before a field
/// existed searched without it and reads as what it searched with: λ 0 (the network's values
/// alone), k 1 (the single cheapest rule), E 0 (the rules alone).
final class AlphaZeroRolloutWeightCheckpointTests: CheckpointTestCase {
    func testTheRolloutSettingsRoundTripAndAnOlderFileReadsAsBeforeThem() throws {
        var hp = AlphaZeroCheckpointTests.tinySettings()
        hp.rolloutWeight = 0.5
        hp.rolloutRules = 3
        hp.rolloutEndgame = 4
        let run = try AlphaZeroSoloRun(graphs: [try Fixtures.chain()], network: Fixtures.tiny, settings: hp, seed: 3)
        run.trainer.configText = "algorithm = alphazero"
        _ = try run.runUpdate()  // self-play with rollouts, end to end
        let snapshot = run.snapshot()
        let file = path("rollouts.h5")
        try CheckpointFile.write(snapshot, to: file, codeVersion: "test")
        let back = try CheckpointFile.read(file)
        XCTAssertEqual(back, snapshot)
        XCTAssertEqual((back.algorithmState as? AlphaZeroState)?.settings.rolloutWeight, 0.5)
        XCTAssertEqual((back.algorithmState as? AlphaZeroState)?.settings.rolloutRules, 3)
        var expected = hp
        XCTAssertEqual((back.algorithmState as? AlphaZeroState)?.settings.rolloutEndgame, 4)
        for (name, older) in [
            ("rollout_endgame", { (hp: inout AlphaZeroHyperparameters) in hp.rolloutEndgame = 0 }),
            ("rollout_rules", { (hp: inout AlphaZeroHyperparameters) in hp.rolloutRules = 1 }),
            ("rollout_weight", { (hp: inout AlphaZeroHyperparameters) in hp.rolloutWeight = 0 }),
        ] {
            do {
                let f = try HDF5File.open(file, mode: .readWrite)
                let group = try f.root.openGroup("hyperparameters")
                if name != "rollout_weight" {
                    XCTAssertEqual(try group.attributes.read(name, as: Int64.self), name == "rollout_rules" ? 3 : 4)
                } else {
                    XCTAssertEqual(try group.attributes.read(name, as: Double.self), 0.5)
                }
                try group.attributes.delete(name)
                try f.close()
            }
            older(&expected)
            let read = try XCTUnwrap(try CheckpointFile.read(file).algorithmState as? AlphaZeroState)
            XCTAssertEqual(read.settings, expected, "without \(name)")
        }
        XCTAssertEqual(expected.rolloutWeight, 0)
        XCTAssertEqual(expected.rolloutRules, 1)
        XCTAssertEqual(expected.rolloutEndgame, 0)
    }
}
