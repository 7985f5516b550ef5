import XCTest
import Elimination
@testable import Jacobian

/// The interpreter's own count of the products it forms, against the paper's cost model.
final class MultiplicationCountTests: XCTestCase {
    /// On graphs whose edges are all dense scalars, every (predecessor, successor) pair of an
    /// elimination is exactly one product, so the count must equal the model's, order by order.
    func testScalarTasksFormExactlyTheModelsProducts() throws {
        for task in ["RoeFlux_1d", "RobotArm_6DOF", "HumanHeartDipole", "PropaneCombustion", "g"] {
            let graph = try Fixtures.dataset(task)
            let spec = GameSpec(graph: graph)
            var orders = [Baselines.forwardOrder(spec), Baselines.reverseOrder(spec), Baselines.markowitzOrder(spec)]
            orders += try Fixtures.publishedOrders(task).map(\.order)
            for order in orders {
                let compiled = try CompiledJacobian(graph: graph, order: order)
                let model = try Baselines.score(order, on: spec).cost
                XCTAssertEqual(compiled.products, model, "\(task)")
                // Partials that are constants ±1 (add, sub, neg) turn products into additions.
                XCTAssertLessThanOrEqual(compiled.multiplications, compiled.products, "\(task)")
            }
        }
    }

    /// A product with a constant ±1 is an addition; constant × constant folds away; c · a with
    /// c ≠ ±1 is one multiplication; a · b one; c · a · b two.
    func testCountingRules() throws {
        // d = sin(a) * 3 ; e = d + b ; output e.  J(e←a) = 1 · 3 · cos(a): one multiplication
        // (3 · cos a) when eliminating d (and none at the addition).
        let g = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[] b:f32[]. let
                c:f32[] = sin a
                d:f32[] = mul c 3.0
                e:f32[] = add d b
              in (e,) }
            """, name: "count")
        let forward = try CompiledJacobian(graph: g, order: [1, 2])
        XCTAssertEqual(forward.products, 2)
        XCTAssertEqual(forward.multiplications, 1)  // eliminating 1: 3·cos a; eliminating 2: 1·(3 cos a) is an alias
        let reverse = try CompiledJacobian(graph: g, order: [2, 1])
        XCTAssertEqual(reverse.products, 2)
        XCTAssertEqual(reverse.multiplications, 1)  // 1·3 folds; then 3·cos a
    }

    func testTensorTasksReportBothCounts() throws {
        for task in ["RoeFlux_3d", "BlackScholes_Jacobian", "Perceptron", "Encoder", "f"] {
            let graph = try Fixtures.dataset(task)
            let spec = GameSpec(graph: graph)
            for (name, order) in [
                ("fwd", Baselines.forwardOrder(spec)), ("rev", Baselines.reverseOrder(spec)),
                ("mM", Baselines.markowitzOrder(spec)),
            ] {
                let compiled = try CompiledJacobian(graph: graph, order: order)
                let model = try Baselines.score(order, on: spec).cost
                print(
                    "\(task) \(name): model \(model), products \(compiled.products), multiplications \(compiled.multiplications)"
                )
                XCTAssertGreaterThan(compiled.products, 0)
                XCTAssertLessThanOrEqual(compiled.multiplications, 2 * compiled.products)
            }
        }
    }
}
