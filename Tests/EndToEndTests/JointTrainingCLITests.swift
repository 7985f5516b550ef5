import Foundation
import XCTest

/// `ccelim train --solo --task a,b`: one policy trained on two graphs; each task keeps its own
/// best order (re-scored here by `ccelim cost`), and the joint run resumes from its checkpoint.
final class JointTrainingCLITests: XCTestCase {
    func testJointTrainingOnTwoTasksAndResume() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-e2e-joint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let chain = try writeChainJaxpr(in: dir)
        let run = dir.appendingPathComponent("run").path
        let tasks = "\(chain),PropaneCombustion"
        let r = try runCCElim([
            "train", "--solo", "--task", tasks, "--envs", "2", "--updates", "1", "--run-dir", run, "--json",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try parseJSONObject(r.stdout)
        XCTAssertEqual(o["task"] as? String, "chain,PropaneCombustion")
        XCTAssertEqual(o["episodes"] as? Int, 4)
        let best = try XCTUnwrap(o["best"] as? [String: [String: Any]])
        XCTAssertEqual(Set(best.keys), ["chain", "PropaneCombustion"])
        for (name, graph) in [("chain", chain), ("PropaneCombustion", "PropaneCombustion")] {
            let order = try XCTUnwrap(best[name]?["order"] as? [Int]).map(String.init).joined(separator: ",")
            let scored = try parseJSONObject(try runCCElim(["cost", graph, "--order", order, "--json"]).stdout)
            XCTAssertEqual(scored["cost"] as? Int, best[name]?["cost"] as? Int, name)
        }
        let resumed = try runCCElim([
            "train", "--solo", "--resume", "\(run)/checkpoint.h5", "--task", tasks, "--updates", "2", "--json",
        ])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try parseJSONObject(resumed.stdout)["updates"] as? Int, 2)
        let twice = try runCCElim([
            "train", "--solo", "--task", "PropaneCombustion,PropaneCombustion", "--updates", "1",
        ])
        XCTAssertNotEqual(twice.status, 0)
        XCTAssertTrue(twice.stderr.contains("same task twice"), twice.stderr)
    }
}
