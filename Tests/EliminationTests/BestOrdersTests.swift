import Foundation
import XCTest
@testable import Elimination

/// Every order stored in Datasets/best-orders.json is a valid order of its task and re-scores to
/// its stored cost (orders in the repo must stay valid and keep their cost).
final class BestOrdersTests: XCTestCase {
    func testStoredOrdersReScoreToTheirCost() throws {
        let url = Fixtures.datasets.appendingPathComponent("best-orders.json")
        let data = try Data(contentsOf: url)
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
        XCTAssertFalse(entries.isEmpty)
        let published = try Fixtures.json("tasks.json")["tasks"] as! [String: [String: Any]]
        for (task, entry) in entries.sorted(by: { $0.key < $1.key }) {
            let spec = GameSpec(graph: try Fixtures.dataset(task))
            let order = try XCTUnwrap(entry["order"] as? [Int], task)
            let cost = try XCTUnwrap(entry["cost"] as? Int, task)
            XCTAssertEqual(try Baselines.score(order, on: spec).cost, cost, task)
            XCTAssertNotNil(entry["method"] as? String, task)
            XCTAssertNotNil(entry["found"] as? String, task)
            let paper = (published[task]?["published_orders"] as? [[String: Any]] ?? []).compactMap {
                $0["cost"] as? Int
            }.min()
            print("best-orders \(task): \(cost) (AlphaGrad's best published order: \(paper.map(String.init) ?? "-"))")
        }
    }
}
