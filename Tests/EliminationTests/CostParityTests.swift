import XCTest
@testable import Elimination

/// Every figure of tasks.json, random_orders.json and micro_cases.json, reproduced exactly from
/// the project's own Datasets/*.graph.
final class CostParityTests: XCTestCase {
    func testTaskSizesAndBaselines() throws {
        let tasks = try Fixtures.tasks()
        for name in Fixtures.taskNames {
            let ref = tasks[name]!
            let graph = try Fixtures.dataset(name)
            let spec = GameSpec(graph: graph)
            XCTAssertEqual(graph.inputCount, ref.int("num_inputs"), name)
            XCTAssertEqual(graph.vertexCount, ref.int("num_eqns"), name)
            XCTAssertEqual(spec.eliminable.count, ref.int("num_eliminable"), name)
            XCTAssertEqual(graph.outputs.count, ref.int("num_outputs"), name)
            XCTAssertEqual(graph.outputs.sorted(), ref.ints("output_vertices"), name)
            XCTAssertEqual(graph.edges.count, ref.int("num_edges"), name)

            let b = BaselineSummary(spec: spec)
            XCTAssertEqual(b.forward, ref.int("forward"), "\(name) forward")
            XCTAssertEqual(b.reverse, ref.int("reverse"), "\(name) reverse")
            XCTAssertEqual(b.markowitz, ref.int("min_markowitz"), "\(name) Markowitz")
            XCTAssertEqual(b.markowitzOrder, ref.ints("min_markowitz_order"), "\(name) Markowitz order")
            let steps = ref["per_step_costs"] as! [String: Any]
            XCTAssertEqual(b.forwardSteps, steps.ints("forward"), "\(name) forward steps")
            XCTAssertEqual(b.reverseSteps, steps.ints("reverse"), "\(name) reverse steps")
            XCTAssertEqual(b.markowitzSteps, steps.ints("min_markowitz"), "\(name) Markowitz steps")
        }
    }

    func testEveryPublishedOrder() throws {
        let tasks = try Fixtures.tasks()
        var scored = 0, refused = 0
        for name in Fixtures.taskNames {
            let spec = GameSpec(graph: try Fixtures.dataset(name))
            for published in tasks[name]!["published_orders"] as! [[String: Any]] {
                let label = "\(name) \(published["name"]!)"
                if published["applicable"] as? Bool == true {
                    let result = try Baselines.score(published.ints("order"), on: spec)
                    XCTAssertEqual(result.cost, published.int("cost"), label)
                    XCTAssertEqual(result.steps, published.ints("per_step_costs"), label)
                    scored += 1
                } else if let original = published["original_order"] as? [Any] {
                    // Orders made for other graph variants are refused, never scored.
                    let ids = original.map { ($0 as! NSNumber).intValue }
                    XCTAssertThrowsError(try Baselines.score(ids, on: spec), label)
                    refused += 1
                }
            }
        }
        print("published orders scored: \(scored), refused: \(refused)")
        XCTAssertEqual(scored, 30)
        XCTAssertGreaterThan(refused, 0)
    }

    func testRandomOrders() throws {
        let tasks = try Fixtures.json("random_orders.json")["tasks"] as! [String: [String: Any]]
        var checked = 0
        for name in Fixtures.taskNames {
            let spec = GameSpec(graph: try Fixtures.dataset(name))
            for entry in tasks[name]!["orders"] as! [[String: Any]] {
                let result = try Baselines.score(entry.ints("order"), on: spec)
                XCTAssertEqual(result.cost, entry.int("cost"), name)
                if entry["per_step_costs"] != nil {
                    XCTAssertEqual(result.steps, entry.ints("per_step_costs"), name)
                }
                checked += 1
            }
        }
        XCTAssertEqual(checked, 200)
    }

    func testMicroCases() throws {
        for c in try Fixtures.microCases() {
            let name = c["name"] as! String
            let spec = GameSpec(graph: try ComputationalGraph.fromJaxpr(c["jaxpr"] as! String, name: name))
            XCTAssertEqual(spec.eliminable.count, c.int("num_eliminable"), name)
            let b = BaselineSummary(spec: spec)
            XCTAssertEqual(b.forward, c.int("forward"), "\(name) forward")
            XCTAssertEqual(b.reverse, c.int("reverse"), "\(name) reverse")
            XCTAssertEqual(b.markowitz, c.int("min_markowitz"), "\(name) Markowitz")
            XCTAssertEqual(b.markowitzOrder, c.ints("min_markowitz_order"), "\(name) Markowitz order")
            let steps = c["per_step_costs"] as! [String: Any]
            XCTAssertEqual(b.forwardSteps, steps.ints("forward"), "\(name) forward steps")
            XCTAssertEqual(b.reverseSteps, steps.ints("reverse"), "\(name) reverse steps")
            XCTAssertEqual(b.markowitzSteps, steps.ints("min_markowitz"), "\(name) Markowitz steps")
        }
    }
}
