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
        // The actors stopped on the learner's word (protocol 7), not on `train`'s signal at the end.
        for i in 0..<2 {
            let actorLog = try String(contentsOfFile: "\(run)/logs/actor-\(i).log", encoding: .utf8)
            XCTAssertTrue(
                actorLog.contains(
                    "stopped (training is over: the learner stopped training for its final decode (last weights v2)"),
                actorLog + learnerLog)
        }
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

    /// Protocol 7 on separate processes, as on several hosts: a coordinator, a learner with a
    /// final decode and a worker of two actors. When the learner's updates are done it says
    /// training is over; the coordinator tells both actors, which abandon their batch, say goodbye
    /// and exit 0, so the worker ends by itself (before version 7 it played on until signalled).
    func testEveryActorStopsWhenTheLearnerSaysTrainingIsOver() throws {
        let config = try writeAlphaZeroConfig(updates: 2)
        let endpoint = try startCoordinator(config)
        let learner = try start(
            [
                "learner", "--config", config, "--connect", endpoint, "--run-dir",
                directory.appendingPathComponent("run").path, "--final-decode-seconds", "2",
            ],
            log: "learner")
        let worker = try start(["worker", "--config", config, "--connect", endpoint, "--actors", "2"], log: "worker")
        guard waitFor("the worker to end by itself", seconds: 40, { !worker.isRunning }) else {
            return XCTFail(log("worker") + log("learner") + log("coordinator"))
        }
        XCTAssertEqual(worker.terminationStatus, 0, log("worker"))
        let stopped =
            log("worker").components(
                separatedBy:
                    "stopped (training is over: the learner stopped training for its final decode (last weights v2)"
            ).count - 1
        XCTAssertEqual(stopped, 2, log("worker"))
        XCTAssertFalse(log("worker").contains("stopped (signal"), log("worker"))
        XCTAssertTrue(log("worker").contains("all actors stopped\n"), log("worker"))
        let coordinator = log("coordinator")
        XCTAssertTrue(
            coordinator.contains(
                "training is over: the learner stopped training for its final decode (last weights v2); telling 2 actor(s) to stop"
            ), coordinator)
        // Both actors said goodbye and were forgotten as leaving, also when the worker's process
        // exits right behind the goodbye (the coordinator reads a queued goodbye before it reports
        // a failed send, `CoordinatorServer.settleUnreachable`): nobody was declared dead.
        let left = coordinator.split(separator: "\n").filter { $0.contains(": actor ") && $0.hasSuffix(" left") }
        XCTAssertEqual(left.count, 2, "both actors said goodbye: \(coordinator)")
        XCTAssertFalse(coordinator.contains("declared dead"), coordinator)
        XCTAssertFalse(coordinator.contains("needs a hello first"), coordinator)
        guard waitFor("the learner's decode", seconds: 30, { !learner.isRunning }) else { return }
        XCTAssertEqual(learner.terminationStatus, 0, log("learner"))
        let learnerLog = log("learner")
        let told = try XCTUnwrap(learnerLog.range(of: "told the coordinator, which stops the actors"), learnerLog)
        let decode = try XCTUnwrap(learnerLog.range(of: "final decode begins"), learnerLog)
        XCTAssertLessThan(told.lowerBound, decode.lowerBound, "the actors are told before the decode begins")
    }
}
