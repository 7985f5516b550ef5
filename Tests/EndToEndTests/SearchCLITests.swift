import Foundation
import XCTest

/// `ccelim search` end to end on tiny budgets: the JSON keys, honest costs, the exact search's
/// polite refusal.
final class SearchCLITests: XCTestCase {
    private func ccelim(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try runCCElim(arguments)
        return (r.status, r.stdout, r.stderr)
    }

    func testAllMethodsJSONAndEveryCostReplays() throws {
        let r = try ccelim(["search", "PropaneCombustion", "--method", "all", "--iterations", "3000", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(o["task"] as? String, "PropaneCombustion")
        let results = o["results"] as! [[String: Any]]
        XCTAssertEqual(
            results.map { $0["method"] as! String },
            [
                "markowitz-fwd", "markowitz-rev", "relative-markowitz-fwd", "relative-markowitz-rev", "cost-now-fwd",
                "cost-now-rev",
                "lookahead-fwd", "lookahead-rev", "random-greedy", "anneal",
            ])
        XCTAssertEqual((o["skipped"] as? [[String: Any]])?.first?["method"] as? String, "exact")
        for result in results {
            for key in ["cost", "order", "seconds", "evaluations"] { XCTAssertNotNil(result[key], key) }
            let order = (result["order"] as! [Int]).map(String.init).joined(separator: ",")
            let cost = try ccelim(["cost", "PropaneCombustion", "--order", order, "--json"])
            let replayed = try JSONSerialization.jsonObject(with: Data(cost.stdout.utf8)) as! [String: Any]
            XCTAssertEqual(replayed["cost"] as? Int, result["cost"] as? Int, result["method"] as? String ?? "")
        }
        XCTAssertEqual(o["best_cost"] as? Int, results.map { $0["cost"] as! Int }.min())
        XCTAssertLessThanOrEqual(o["best_cost"] as! Int, 88)
    }

    func testAnnealingAloneReproducesTheAnnealingOfAnAllRun() throws {
        func anneal(_ method: String) throws -> [String: Any] {
            let r = try ccelim([
                "search", "RoeFlux_1d", "--method", method, "--iterations", "4000", "--seed", "7", "--json",
            ])
            XCTAssertEqual(r.status, 0, r.stderr)
            let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
            return (o["results"] as! [[String: Any]]).first { $0["method"] as? String == "anneal" }!
        }
        let alone = try anneal("anneal"), inAll = try anneal("all")
        XCTAssertEqual(alone["order"] as? [Int], inAll["order"] as? [Int])
        XCTAssertEqual(alone["cost"] as? Int, inAll["cost"] as? Int)
    }

    func testExactOnATruncatedTaskAndRefusalOnAFullOne() throws {
        let small = try ccelim(["search", "RoeFlux_1d", "--truncate", "14", "--method", "exact", "--json"])
        XCTAssertEqual(small.status, 0, small.stderr)
        let o = try JSONSerialization.jsonObject(with: Data(small.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((o["results"] as! [[String: Any]]).map { $0["method"] as! String }, ["exact"])

        let big = try ccelim(["search", "RoeFlux_1d", "--method", "exact"])
        XCTAssertNotEqual(big.status, 0)
        XCTAssertTrue(big.stderr.contains("2^98"), big.stderr)
    }

    /// Ctrl-C on a long search prints every method's best order (exit 130) instead of losing it: g
    /// with a minute a method, interrupted once its first status line is out (after a second, in
    /// random greedy unless the machine is very slow; the handler is in place before the run starts).
    func testAnInterruptPrintsEveryMethodsBestOrder() throws {
        let (first, r) = try runCCElimInterrupted(["search", "g", "--seconds", "60", "--json"])
        XCTAssertTrue(first.hasPrefix("search g: ") && first.contains(", best so far "), first)
        XCTAssertEqual(r.status, 130, r.stderr)
        let report = try parseJSONObject(r.stdout)
        XCTAssertEqual(report["interrupted"] as? Bool, true)
        let results = try XCTUnwrap(report["results"] as? [[String: Any]])
        XCTAssertEqual(Array(results.map { $0["method"] as? String }.suffix(2)), ["random-greedy", "anneal"])
        let best = try XCTUnwrap(report["best_cost"] as? Int)
        XCTAssertGreaterThanOrEqual(best, 409, "g's proven optimum")
        let order = try XCTUnwrap(report["best_order"] as? [Int]).map(String.init).joined(separator: ",")
        let cost = try ccelim(["cost", "g", "--order", order, "--json"])
        XCTAssertEqual(try parseJSONObject(cost.stdout)["cost"] as? Int, best)
    }
}
