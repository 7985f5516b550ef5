import AlphaZero
import HDF5
import PPO
import TestFixtures
import XCTest
@testable import Checkpoint

/// `rollout_weight` (λ of leaf values mixed with greedy rollouts) is an AlphaZero hyperparameter
/// like the others: a run with rollouts stores it and a resumed run gets it back; a file written
/// before the field existed searched with the network's values alone and reads as 0.
final class AlphaZeroRolloutWeightCheckpointTests: CheckpointTestCase {
    func testTheRolloutWeightRoundTripsAndAnOlderFileReadsAsZero() throws {
        var hp = AlphaZeroCheckpointTests.tinySettings()
        hp.rolloutWeight = 0.5
        let run = try AlphaZeroSoloRun(graphs: [try Fixtures.chain()], network: Fixtures.tiny, settings: hp, seed: 3)
        run.trainer.configText = "algorithm = alphazero"
        _ = try run.runUpdate()  // self-play with rollouts, end to end
        let snapshot = run.snapshot()
        let file = path("rollouts.h5")
        try CheckpointFile.write(snapshot, to: file, codeVersion: "test")
        let back = try CheckpointFile.read(file)
        XCTAssertEqual(back, snapshot)
        XCTAssertEqual((back.algorithmState as? AlphaZeroState)?.settings.rolloutWeight, 0.5)
        do {
            let f = try HDF5File.open(file, mode: .readWrite)
            XCTAssertEqual(
                try f.root.openGroup("hyperparameters").attributes.read("rollout_weight", as: Double.self), 0.5)
            try f.root.openGroup("hyperparameters").attributes.delete("rollout_weight")
            try f.close()
        }
        let older = try XCTUnwrap(try CheckpointFile.read(file).algorithmState as? AlphaZeroState)
        var expected = hp
        expected.rolloutWeight = 0
        XCTAssertEqual(older.settings, expected)
    }
}
