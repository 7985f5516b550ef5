import Foundation
import XCTest

/// `ccelim train --solo --algorithm alphazero` through the real binary on the 8-vertex chain:
/// the JSON summary's keys, a best order the game confirms, the checkpoint and log showing the
/// algorithm, the curve report, and every bad flag or checkpoint refused with its reason.
final class AlphaZeroCLITests: XCTestCase {
    private var directory: URL!
    private var task: String!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-e2e-az-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        task = try writeChainJaxpr(in: directory)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func object(_ r: CLIResult, line: UInt = #line) throws -> [String: Any] {
        XCTAssertEqual(r.status, 0, r.stderr, line: line)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], line: line)
    }

    func testASoloAlphaZeroRunReportsAConfirmedOrderAndRecordsItsAlgorithm() throws {
        let run = path("az")
        let o = try object(
            try runCCElim([
                "train", "--solo", "--algorithm", "alphazero", "--task", task, "--simulations", "4", "--envs", "2",
                "--updates", "1", "--seed", "5", "--run-dir", run, "--json",
            ]))
        for key in ["task", "algorithm", "updates", "episodes", "seconds", "best_cost", "best_order"] {
            XCTAssertNotNil(o[key], "missing \(key) in \(o.keys.sorted())")
        }
        XCTAssertEqual(o["algorithm"] as? String, "alphazero")
        XCTAssertEqual(o["updates"] as? Int, 1)
        XCTAssertEqual(o["episodes"] as? Int, 2)
        let bestCost = try XCTUnwrap(o["best_cost"] as? Int)
        let order = try XCTUnwrap(o["best_order"] as? [Int])
        // The game, not the trainer, says what the order costs.
        let cost = try object(
            try runCCElim(["cost", task, "--order", order.map(String.init).joined(separator: ","), "--json"]))
        XCTAssertEqual(cost["cost"] as? Int, bestCost)

        let checkpoint = try object(try runCCElim(["inspect", "\(run)/checkpoint.h5", "--json"]))
        XCTAssertEqual(checkpoint["algorithm"] as? String, "alphazero")
        // The replay buffer holds the update's 2 games.
        let replay = try XCTUnwrap(checkpoint["replay"] as? [String: Any], "\(checkpoint.keys.sorted())")
        XCTAssertEqual(replay["games"] as? Int, 2)
        XCTAssertEqual(replay["added"] as? Int, 2)
        let text = try runCCElim(["inspect", "\(run)/checkpoint.h5"]).stdout
        XCTAssertTrue(text.contains("algorithm: alphazero"), text)
        XCTAssertTrue(text.contains("replay buffer: 2 games ("), text)
        let log = try object(try runCCElim(["inspect", "\(run)/episodes.h5", "--json"]))
        XCTAssertEqual(log["algorithm"] as? String, "alphazero")
        let report = try runCCElim(["report", "--output", path("RESULTS.md"), "--curve", "\(run)/episodes.h5"])
        XCTAssertEqual(report.status, 0, report.all)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("plots/training-chain.svg")))

        // A checkpoint of one algorithm is refused by the other, with the reason.
        let refused = try runCCElim([
            "train", "--solo", "--algorithm", "ppo", "--resume", "\(run)/checkpoint.h5", "--task", task, "--updates",
            "3",
        ])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("--algorithm ppo differs from the checkpoint's alphazero"), refused.all)
    }

    func testBadAlgorithmFlagsExitNonZeroWithTheReason() throws {
        let cluster = try runCCElim(["train", "--simulations", "4", "--task", task, "--updates", "1"])
        XCTAssertNotEqual(cluster.status, 0)
        XCTAssertTrue(cluster.stderr.contains("--simulations 4 applies to --algorithm alphazero"), cluster.all)
        // The cluster takes the rollouts' k and E (protocol 6), with AlphaZero and in range only.
        let clusterRules = try runCCElim(["train", "--rollout-rules", "3", "--task", task, "--updates", "1"])
        XCTAssertNotEqual(clusterRules.status, 0)
        XCTAssertTrue(
            clusterRules.stderr.contains("--rollout-rules 3 applies to --algorithm alphazero"), clusterRules.all)
        let clusterEndgame = try runCCElim([
            "train", "--algorithm", "alphazero", "--rollout-endgame", "13", "--task", task, "--updates", "1",
        ])
        XCTAssertNotEqual(clusterEndgame.status, 0)
        XCTAssertTrue(
            clusterEndgame.stderr.contains(
                "--rollout-endgame must be between 0 and 12 (vertices ordered exactly at the end), not 13"),
            clusterEndgame.all)
        let unknown = try runCCElim(["train", "--solo", "--algorithm", "foo", "--task", task, "--updates", "1"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("--algorithm 'foo' is unknown; use ppo or alphazero"), unknown.all)
        let zero = try runCCElim([
            "train", "--solo", "--algorithm", "alphazero", "--simulations", "0", "--task", task, "--updates", "1",
        ])
        XCTAssertNotEqual(zero.status, 0)
        XCTAssertTrue(zero.stderr.contains("--simulations must be at least 1, not 0"), zero.all)
        let ppo = try runCCElim(["train", "--solo", "--simulations", "4", "--task", task, "--updates", "1"])
        XCTAssertNotEqual(ppo.status, 0)
        XCTAssertTrue(ppo.stderr.contains("--simulations 4 applies to --algorithm alphazero"), ppo.all)
        let config = path("cluster.toml")
        try "[learner]\nalgorithm = \"alphazero\"\nsimulations = 0\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        let fromConfig = try runCCElim(["train", "--config", config, "--task", task, "--updates", "1"])
        XCTAssertNotEqual(fromConfig.status, 0)
        XCTAssertTrue(fromConfig.stderr.contains("learner.simulations"), fromConfig.all)
    }
}
