import Randomness
import TestFixtures
import XCTest
import Elimination
@testable import Jacobian

/// Every task's Jacobian, for forward, reverse, Markowitz, every applicable published order and a
/// few random orders, against `jax.jacrev` (values.json) and against each other.
final class ReferenceValuesTests: XCTestCase {
    /// values.json holds float32 results; we evaluate in Float64, so the tolerance is float32's
    /// rounding accumulated through ~100 operations, relative to 1 + |value|.
    let tolerance = 2e-4
    /// Different orders sum the same products in a different order: Float64 rounding only.
    let orderTolerance = 1e-9

    func orders(_ graph: ComputationalGraph, _ task: String) throws -> [(String, [Int])] {
        let spec = GameSpec(graph: graph)
        var rng = SplitMix64(seed: 6)
        var out: [(String, [Int])] = [
            ("forward", Baselines.forwardOrder(spec)), ("reverse", Baselines.reverseOrder(spec)),
            ("markowitz", Baselines.markowitzOrder(spec)),
        ]
        out += try Fixtures.publishedOrders(task).map { ($0.name, $0.order) }
        for k in 0..<3 { out.append(("random\(k)", RandomOrders.order(spec, using: &rng))) }
        return out
    }

    func testEveryTaskMatchesJaxAtBothPointsForEveryOrder() throws {
        for task in Fixtures.taskNames {
            let graph = try Fixtures.dataset(task)
            let points = try Fixtures.points(task)
            XCTAssertEqual(points.count, 2)
            var first: [JacobianResult] = []
            for (name, order) in try orders(graph, task) {
                let compiled = try CompiledJacobian(graph: graph, order: order)
                var worstOutput = 0.0, worstJacobian = 0.0
                for (p, point) in points.enumerated() {
                    let r = try compiled.evaluate(inputs: point.inputs)
                    // g's example point yields NaNs (README of values.json). jacrev's Jacobian is
                    // NaN everywhere there, while elimination leaves some entries finite, and which
                    // ones depends on the order (a NaN partial on a path that another order never
                    // multiplies in). So at such a point outputs are compared NaN-aware and Jacobian
                    // entries only where JAX's is finite; the safe second point checks everything.
                    let lenient = point.jacobian.contains { $0.contains { $0.contains(where: \.isNaN) } }
                    for o in 0..<point.outputs.count {
                        worstOutput = max(worstOutput, maxRelativeDifference(r.output(o, sample: 0), point.outputs[o]))
                        for k in 0..<point.inputs.count {
                            worstJacobian = max(
                                worstJacobian,
                                maxRelativeDifference(
                                    r.block(o, k, sample: 0), point.jacobian[o][k], skippingNaNInReference: lenient))
                        }
                    }
                    if first.count <= p {
                        first.append(r)
                    } else if !lenient {
                        let d = r.maxJacobianDifference(to: first[p])
                        XCTAssertLessThanOrEqual(
                            d, orderTolerance * (1 + maxAbs(first[p])),
                            "\(task) \(name) point \(p) disagrees with the forward order")
                    }
                }
                print(
                    "\(task) \(name): max rel diff vs jax outputs \(worstOutput), jacobian \(worstJacobian), multiplications \(compiled.multiplications)"
                )
                XCTAssertLessThan(worstOutput, tolerance, "\(task) \(name) outputs")
                XCTAssertLessThan(worstJacobian, tolerance, "\(task) \(name) jacobian")
            }
        }
    }

    func maxAbs(_ r: JacobianResult) -> Double {
        r.jacobian.flatMap { $0.flatMap { $0 } }.filter(\.isFinite).map(abs).max() ?? 0
    }
}
