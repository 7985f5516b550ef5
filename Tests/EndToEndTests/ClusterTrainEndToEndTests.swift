import Foundation
import XCTest

/// `ccelim train` in cluster mode (needs the hook in TrainCommand.run: `guard solo else { … ClusterTrain … }`):
/// a whole local cluster as child processes, its files, its reproducible synchronous mode, and
/// no orphans even when the parent is SIGKILLed.
final class ClusterTrainEndToEndTests: ClusterTestCase {
    func testTrainRunsALocalClusterAndLeavesNoChildren() throws {
        let config = try writeConfig()
        let run = directory.appendingPathComponent("run").path
        let r = try runCLI([
            "train", "--config", config, "--task", "PropaneCombustion", "--actors", "1", "--updates", "2", "--run-dir",
            run, "--json",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try jsonObject(r.stdout.split(separator: "\n").last.map(String.init) ?? "")
        XCTAssertEqual(o["task"] as? String, "PropaneCombustion")
        XCTAssertEqual(o["updates"] as? Int, 2)
        XCTAssertEqual(o["episodes"] as? Int, 8)
        let order = try XCTUnwrap(o["best_order"] as? [Int])
        XCTAssertEqual(order.count, 51)
        XCTAssertGreaterThan(o["best_cost"] as? Int ?? 0, 0)
        for file in ["cluster.toml", "updates.jsonl", "summary.json", "checkpoint.h5", "episodes.h5"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(run)/\(file)"), file)
        }
        // The learner's HDF5 episode log holds every trained episode and update.
        let log = try jsonObject(try runCLI(["inspect", "\(run)/episodes.h5", "--json"]).stdout)
        XCTAssertEqual(log["episodes"] as? Int, 8)
        XCTAssertEqual(log["updates"] as? Int, 2)
        XCTAssertTrue(
            r.stderr.contains("coordinator: ") && r.stderr.contains("learner: ") && r.stderr.contains("actor 1: "))
        XCTAssertEqual(ClusterTestCase.processes(mentioning: run), [], "no ccelim child outlives `ccelim train`")
    }

    /// Synchronous mode (one actor, max_policy_lag 0): two runs with the same seed end with
    /// bit-identical weights (FNV-1a of the whole parameter buffer) and the same best order.
    func testSynchronousRunsAreBitReproducible() throws {
        let config = try writeConfig()
        var results: [[String: Any]] = []
        for i in 0..<2 {
            let r = try runCLI([
                "train", "--config", config, "--sync", "--updates", "2", "--run-dir",
                directory.appendingPathComponent("sync\(i)").path, "--json",
            ])
            XCTAssertEqual(r.status, 0, r.stderr)
            results.append(try jsonObject(r.stdout.split(separator: "\n").last.map(String.init) ?? ""))
        }
        XCTAssertEqual(results[0]["weights_checksum"] as? String, results[1]["weights_checksum"] as? String)
        XCTAssertEqual(results[0]["best_order"] as? [Int], results[1]["best_order"] as? [Int])
        XCTAssertEqual(results[0]["updates"] as? Int, 2)
        let lines = try (0..<2).map {
            try String(
                contentsOfFile: directory.appendingPathComponent("sync\($0)/updates.jsonl").path, encoding: .utf8)
        }
        let checksums = lines.map {
            $0.split(separator: "\n").map { line in
                line.components(separatedBy: "weights_checksum").last?.prefix(22) ?? ""
            }
        }
        XCTAssertEqual(checksums[0], checksums[1], "every update's weights agree, not only the last")

        // The same run with every gradient computed by the learner: the actor's shard (here the
        // whole batch) gives bit for bit the learner's own gradient, so the weights agree.
        let local = try writeConfig(extra: "gradients = \"learner\"")
        let r = try runCLI([
            "train", "--config", local, "--sync", "--updates", "2", "--run-dir",
            directory.appendingPathComponent("local").path, "--json",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let localLines = try String(
            contentsOfFile: directory.appendingPathComponent("local/updates.jsonl").path, encoding: .utf8)
        let localChecksums = localLines.split(separator: "\n").map { line in
            line.components(separatedBy: "weights_checksum").last?.prefix(22) ?? ""
        }
        XCTAssertEqual(localChecksums.count, 2)
        XCTAssertTrue(localChecksums.allSatisfy { $0.count == 22 }, "\(localChecksums)")
        XCTAssertEqual(
            localChecksums, checksums[0], "gradients computed by the actor or by the learner: the same update")
    }

    func testKillingTrainWithSIGKILLTakesItsChildrenDown() throws {
        let config = try writeConfig(updates: 1000)
        let run = directory.appendingPathComponent("run").path
        let train = try start(
            ["train", "--config", config, "--actors", "1", "--updates", "1000", "--run-dir", run], log: "train")
        XCTAssertTrue(
            waitFor("the children to start", seconds: 20) { ClusterTestCase.processes(mentioning: run).count >= 3 })
        // Issue 12: `train` itself holds the run folder's lock for the run's life (its learner child
        // writes under it), so there is no window for a second writer.
        let lockText = try String(contentsOfFile: "\(run)/lock", encoding: .utf8)
        XCTAssertTrue(lockText.contains("pid \(train.processIdentifier)\n"), lockText)
        let second = try runCLI(["train", "--solo", "--task", "PropaneCombustion", "--updates", "1", "--run-dir", run])
        XCTAssertNotEqual(second.status, 0)
        XCTAssertTrue(
            second.stderr.contains("in use by") && second.stderr.contains("pid \(train.processIdentifier)"),
            second.stderr)
        let learner = try runCLI([
            "learner", "--config", config, "--connect", "tcp://127.0.0.1:1", "--run-dir", run,
            "--run-folder-locked-by-parent",
        ])
        XCTAssertNotEqual(learner.status, 0, "only train's own child may write under its lock")
        XCTAssertTrue(learner.stderr.contains("not by this process's parent"), learner.stderr)
        kill(train.processIdentifier, SIGKILL)
        XCTAssertTrue(
            waitFor("PR_SET_PDEATHSIG to end every child", seconds: 15) {
                ClusterTestCase.processes(mentioning: run).isEmpty
            },
            "survivors: \(ClusterTestCase.processes(mentioning: run))")
    }

}
