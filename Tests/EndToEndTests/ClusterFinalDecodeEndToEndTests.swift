import Foundation
import XCTest

/// `ccelim train --algorithm alphazero --final-decode-seconds S` on the local cluster (127.0.0.1,
/// two actors): the learner decodes on its final weights after its last update, the summary says
/// what the decode found (`final_decode`, `best_from`, `best_method`), its best is never dearer
/// than self-play's and is what `ccelim cost` prices.
extension AlphaZeroClusterEndToEndTests {
    func testTheLearnersFinalDecodeJoinsTheSummary() throws {
        let config = try writeAlphaZeroConfig(updates: 2)
        let graph = directory.appendingPathComponent("chain.graph").path
        let run = directory.appendingPathComponent("decoded").path
        let r = try runCLI([
            "train", "--config", config, "--task", graph, "--actors", "2", "--updates", "2", "--final-decode-seconds",
            "0.5", "--decode-simulations", "3", "--run-dir", run, "--json",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let result = try jsonObject(r.stdout.split(separator: "\n").last.map(String.init) ?? "")
        XCTAssertEqual(result["updates"] as? Int, 2)
        let final = try XCTUnwrap(result["final_decode"] as? [String: Any], "\(result.keys.sorted())")
        XCTAssertEqual(final["simulations"] as? Int, 3)
        let decoded = try XCTUnwrap(final["search_cost"] as? Int)
        let greedy = try XCTUnwrap(final["greedy_cost"] as? Int)
        let bestCost = try XCTUnwrap(result["best_cost"] as? Int)
        XCTAssertLessThanOrEqual(bestCost, min(decoded, greedy))
        // Self-play's best is what the learner's log reported before the decode.
        let learnerLog = try String(contentsOfFile: "\(run)/logs/learner.log", encoding: .utf8)
        XCTAssertTrue(learnerLog.contains("final decode begins"), learnerLog)
        let selfPlay = try XCTUnwrap(
            learnerLog.split(separator: "\n").last { $0.contains("update 2 v") }.flatMap { line in
                line.split(separator: " ").split(separator: "best").last.flatMap { $0.first }.flatMap { Int($0) }
            }, learnerLog)
        XCTAssertLessThanOrEqual(bestCost, selfPlay)
        let from = try XCTUnwrap(result["best_from"] as? String)
        if bestCost < selfPlay {
            XCTAssertEqual(from, "final-decode")
            XCTAssertNotNil(result["best_method"] as? String)
        }
        let order = try XCTUnwrap(result["best_order"] as? [Int])
        let cost = try jsonObject(
            try runCLI(["cost", graph, "--order", order.map(String.init).joined(separator: ","), "--json"]).stdout)
        XCTAssertEqual(cost["cost"] as? Int, bestCost)
        // summary.json holds the same figures.
        let summary = try jsonObject(try String(contentsOfFile: "\(run)/summary.json", encoding: .utf8))
        XCTAssertEqual((summary["final_decode"] as? [String: Any])?["search_cost"] as? Int, decoded)
    }
}
