import Foundation
import XCTest

/// `ccelim train --solo --algorithm alphazero --final-decode-seconds S` through the binary: the
/// JSON's best order is the one `ccelim cost` prices, `best_from` and `final_decode` say what the
/// decode found, and bad values or PPO (solo or cluster) are refused with the reason.
final class FinalDecodeCLITests: XCTestCase {
    private var directory: URL!
    private var task: String!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-e2e-fd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        task = try writeChainJaxpr(in: directory)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func object(_ r: CLIResult, line: UInt = #line) throws -> [String: Any] {
        XCTAssertEqual(r.status, 0, r.stderr, line: line)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], line: line)
    }

    func testTheFinalDecodesBestIsWhatCostPrices() throws {
        let o = try object(
            try runCCElim([
                "train", "--solo", "--algorithm", "alphazero", "--task", task, "--simulations", "4", "--envs", "2",
                "--updates", "1", "--seed", "5", "--final-decode-seconds", "0.5", "--decode-simulations", "6", "--json",
            ]))
        let bestCost = try XCTUnwrap(o["best_cost"] as? Int)
        let order = try XCTUnwrap(o["best_order"] as? [Int])
        let from = try XCTUnwrap(o["best_from"] as? String)
        XCTAssertTrue(["self-play", "final-decode"].contains(from), from)
        let final = try XCTUnwrap(o["final_decode"] as? [String: Any], "\(o.keys.sorted())")
        XCTAssertEqual(final["simulations"] as? Int, 6)
        let decoded = min(try XCTUnwrap(final["search_cost"] as? Int), try XCTUnwrap(final["deviation_cost"] as? Int))
        XCTAssertLessThanOrEqual(bestCost, decoded)
        if from == "final-decode" { XCTAssertEqual(bestCost, decoded) }
        let cost = try object(
            try runCCElim(["cost", task, "--order", order.map(String.init).joined(separator: ","), "--json"]))
        XCTAssertEqual(cost["cost"] as? Int, bestCost)
    }

    func testBadValuesAndTheClusterAreRefused() throws {
        let base = ["train", "--solo", "--algorithm", "alphazero", "--task", task!, "--updates", "1"]
        for (flags, message) in [
            (["--final-decode-seconds=-1"], "--final-decode-seconds must be a finite number ≥ 0"),
            (
                ["--minutes", "1", "--final-decode-seconds", "60"],
                "--final-decode-seconds must be below --minutes × 60"
            ),
            (["--decode-simulations", "5"], "give --final-decode-seconds too"),
            (["--final-decode-seconds", "1", "--decode-simulations=-2"], "--decode-simulations must be ≥ 0"),
        ] {
            let r = try runCCElim(base + flags)
            XCTAssertNotEqual(r.status, 0, "\(flags)")
            XCTAssertTrue(r.stderr.contains(message), "\(flags): \(r.stderr)")
        }
        let ppo = try runCCElim(["train", "--solo", "--task", task!, "--updates", "1", "--final-decode-seconds", "1"])
        XCTAssertNotEqual(ppo.status, 0)
        XCTAssertTrue(
            ppo.stderr.contains("--final-decode-seconds 1.0 applies to --algorithm alphazero; PPO does not search"),
            ppo.stderr)
        // The cluster decodes on the learner (ClusterFinalDecodeEndToEndTests); PPO is refused there too.
        let cluster = try runCCElim(["train", "--task", task!, "--updates", "1", "--final-decode-seconds", "1"])
        XCTAssertNotEqual(cluster.status, 0)
        XCTAssertTrue(
            cluster.stderr.contains("--final-decode-seconds 1.0 applies to --algorithm alphazero; PPO does not search"),
            cluster.stderr)
        // `ccelim learner` has no --algorithm (it trains cluster.toml's, PPO by default): its refusal
        // names the key to change, before it connects anywhere.
        let learner = try runCCElim([
            "learner", "--connect", "tcp://127.0.0.1:1", "--final-decode-seconds", "1", "--decode-simulations", "2",
        ])
        XCTAssertNotEqual(learner.status, 0)
        XCTAssertTrue(
            learner.stderr.contains(
                "--final-decode-seconds 1.0 applies to cluster.toml's [learner] algorithm = \"alphazero\"; PPO does not search"
            ), learner.stderr)
        XCTAssertFalse(learner.stderr.contains("--algorithm"), learner.stderr)
    }
}
