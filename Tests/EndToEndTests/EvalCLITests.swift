import Foundation
import XCTest

/// `ccelim eval` on a checkpoint the real binary trained: greedy, sampled and beam orders, each
/// re-scored by the game; a better order is recorded in a best-orders file.
final class EvalCLITests: XCTestCase {
    func testEvalDecodesVerifiedOrdersAndRecordsTheBest() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-e2e-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let task = try writeChainJaxpr(in: dir)
        let cli = CLIRunner()
        let run = dir.appendingPathComponent("run").path
        let trained = try cli.run([
            "train", "--solo", "--task", task, "--preset", "small", "--envs", "2", "--updates", "1", "--run-dir", run,
        ])
        XCTAssertEqual(trained.status, 0, trained.stderr)

        let best = dir.appendingPathComponent("best-orders.json").path
        let r = try cli.run([
            "eval", "\(run)/checkpoint.h5", "--task", task, "--greedy", "--samples", "3", "--beam", "2", "--mcts", "4",
            "--save", best, "--json",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try cli.jsonObject(r.stdout)
        XCTAssertEqual(o["task"] as? String, "chain")
        let results = try XCTUnwrap(o["results"] as? [[String: Any]])
        XCTAssertEqual(results.map { $0["method"] as? String }, ["greedy", "samples 3", "beam 2x2", "mcts 4"])
        let cost = try XCTUnwrap(o["best_cost"] as? Int)
        XCTAssertEqual(cost, results.compactMap { $0["cost"] as? Int }.min())
        // The order re-scores to the reported cost through `ccelim cost`.
        let order = try XCTUnwrap(o["best_order"] as? [Int]).map(String.init).joined(separator: ",")
        let scored = try cli.jsonObject(try cli.run(["cost", task, "--order", order, "--json"]).stdout)
        XCTAssertEqual(scored["cost"] as? Int, cost)
        let saved =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: best)))
            as? [String: [String: Any]]
        XCTAssertEqual(saved?["chain"]?["cost"] as? Int, cost)

        let bad = try cli.run(["eval", "\(dir.path)/missing.h5"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("missing.h5"), bad.stderr)
    }
}

/// `ccelim report` writes the comparison table between its markers (keeping the rest of the file)
/// and an SVG training curve for every episode log it is given.
final class ReportCLITests: XCTestCase {
    func testReportWritesTheTableAndATrainingCurve() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ccelim-e2e-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("run").path
        let trained = try runCCElim([
            "train", "--solo", "--task", "PropaneCombustion", "--envs", "2", "--updates", "1", "--run-dir", run,
        ])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let results = dir.appendingPathComponent("RESULTS.md").path
        try "# Results\n\nkept text\n".write(toFile: results, atomically: true, encoding: .utf8)
        let r = try runCCElim(["report", "--output", results, "--curve", "\(run)/episodes.h5"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try String(contentsOfFile: results, encoding: .utf8)
        XCTAssertTrue(text.contains("kept text"))
        XCTAssertTrue(text.contains("| RoeFlux_1d | 620 | 364 | 407 | 320 |"), text)
        XCTAssertTrue(text.contains("![PropaneCombustion training curve](plots/training-PropaneCombustion.svg)"))
        let svg = try String(
            contentsOf: dir.appendingPathComponent("plots/training-PropaneCombustion.svg"), encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg") && svg.contains("best so far") && svg.contains("AlphaGrad 88"))
        // Running it again replaces the section instead of adding a second one.
        XCTAssertEqual(try runCCElim(["report", "--output", results]).status, 0)
        XCTAssertEqual(
            try String(contentsOfFile: results, encoding: .utf8).components(separatedBy: "ccelim report: begin").count,
            2)
    }
}
