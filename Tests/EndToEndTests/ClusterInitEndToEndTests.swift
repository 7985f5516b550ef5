import Foundation
import XCTest

/// `ccelim train --init CKPT` in cluster mode: the learner loads the checkpoint's weights before it
/// publishes anything, so the first games the actors play are the checkpoint's policy's; the run
/// records where its weights came from as the solo run does.
final class ClusterInitEndToEndTests: ClusterTestCase {
    /// The shipped generalist (preset small, trained: far from the seed's near-uniform policy).
    var generalist: String { CLITests.root.appendingPathComponent("Datasets/policies/generalist.h5").path }

    func testTheFirstPublishedWeightsAreTheCheckpoints() throws {
        let config = try writeConfig(updates: 1)
        let run = directory.appendingPathComponent("run").path
        let r = try runCLI([
            "train", "--config", config, "--actors", "2", "--updates", "1", "--minutes", "1", "--init", generalist,
            "--run-dir", run,
            "--json",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try jsonObject(r.stdout.split(separator: "\n").last.map(String.init) ?? "")
        let from = try XCTUnwrap(o["initialized_from"] as? [String: Any], "\(o)")
        XCTAssertEqual(from["path"] as? String, generalist)
        let checksum = try XCTUnwrap(from["weights_checksum"] as? String)
        // The learner's network after loading (what it publishes first) has the file's weights.
        XCTAssertTrue(r.stderr.contains("publishing them as v1 (checksum \(checksum))"), r.stderr)
        XCTAssertEqual(o["updates"] as? Int, 1)
        XCTAssertEqual(o["policy_version"] as? Int, 2, "v1 is the checkpoint's weights, v2 the first update's")
        XCTAssertNotEqual(o["weights_checksum"] as? String, checksum, "the run trained")

        // Every game of the update was played by exactly the weights the learner started from: the
        // behaviour policy's log-probabilities are the learner's own (one epoch, one minibatch), so
        // PPO's approximate KL is 0 (seed-initialised actors give about 2 here).
        let updates = try String(contentsOfFile: "\(run)/updates.jsonl", encoding: .utf8)
        let first = try jsonObject(String(try XCTUnwrap(updates.split(separator: "\n").first)))
        XCTAssertEqual(first["episodes"] as? Int, 4)
        let kl = try XCTUnwrap(first["losses/approx_kl"] as? Double)
        XCTAssertLessThan(abs(kl), 1e-6, "actors played other weights than the learner's first: \(first)")
        XCTAssertEqual((first["dropped"] as? [String: Int])?["stale"], 0, "no actor played the seed's policy")

        // The learner's summary and checkpoint record it as a solo run's do.
        let summary = try jsonObject(try String(contentsOfFile: "\(run)/summary.json", encoding: .utf8))
        XCTAssertEqual((summary["initialized_from"] as? [String: Any])?["weights_checksum"] as? String, checksum)
        let stored = try jsonObject(try runCLI(["inspect", "\(run)/checkpoint.h5", "--json"]).stdout)
        let text = try XCTUnwrap(stored["config"] as? String)
        XCTAssertTrue(text.contains("initialized_from = \(generalist)"), text)
        XCTAssertTrue(text.contains("initialized_from_weights_checksum = \(checksum)"), text)
        XCTAssertEqual(stored["policy_version"] as? Int, 2)
    }

    func testACheckpointOfAnotherPresetIsRefusedBeforeAnythingStarts() throws {
        let config = try writeConfig(updates: 1)
        let run = directory.appendingPathComponent("paper").path
        let r = try runCLI([
            "train", "--config", config, "--preset", "paper", "--actors", "1", "--init", generalist, "--run-dir", run,
        ])
        XCTAssertEqual(r.status, 1, r.all)
        XCTAssertTrue(r.stderr.contains("holds a small"), r.stderr)
        XCTAssertTrue(r.stderr.contains("this run's is paper"), r.stderr)
        XCTAssertTrue(r.stderr.contains("--preset"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(run)/cluster.toml"), "no cluster was started")
    }
}
