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
}
