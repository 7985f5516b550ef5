import Foundation
import TestFixtures
import Elimination
@testable import Jacobian

/// The project's Datasets and the reference values (Tests/Fixtures/reference/values.json: inputs,
/// outputs and `jax.jacrev` Jacobians of every task at two points, float32, from the reference run).
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let reference = root.appendingPathComponent("Tests/Fixtures/reference")

    static let taskNames = [
        "RoeFlux_1d", "RoeFlux_3d", "RobotArm_6DOF", "HumanHeartDipole", "PropaneCombustion",
        "BlackScholes_Jacobian", "Perceptron", "Encoder", "f", "g",
    ]

    static func dataset(_ name: String) throws -> ComputationalGraph {
        let url = root.appendingPathComponent("Datasets/\(name).graph")
        return try GraphFile.read(try String(contentsOf: url, encoding: .utf8), path: url.path)
    }

    static func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: reference.appendingPathComponent(relative))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// One point of values.json, flattened row-major (NaN/±Infinity strings decoded).
    struct Point {
        var label: String
        var inputs: [[Double]]
        var outputs: [[Double]]
        /// jacobian[o][k], row-major over output shape + input shape.
        var jacobian: [[[Double]]]

        /// The largest `maxRelativeDifference` of r's outputs and Jacobian blocks (sample 0) from
        /// this point's.
        func worstDifference(to r: JacobianResult) -> Double {
            var worst = 0.0
            for o in outputs.indices {
                worst = max(worst, maxRelativeDifference(r.output(o, sample: 0), outputs[o]))
                for k in inputs.indices {
                    worst = max(worst, maxRelativeDifference(r.block(o, k, sample: 0), jacobian[o][k]))
                }
            }
            return worst
        }
    }

    /// The points of `task` in the reference values.json, or in `values`, another file of its
    /// layout as parsed.
    static func points(_ task: String, in values: [String: Any]? = nil) throws -> [Point] {
        let tasks = try (values ?? json("values.json"))["tasks"] as! [String: Any]
        let entry = tasks[task] as! [String: Any]
        return (entry["points"] as! [[String: Any]]).map { p in
            Point(
                label: p["label"] as? String ?? "",
                inputs: (p["inputs"] as! [Any]).map(TestFixtures.flatten),
                outputs: (p["outputs"] as! [Any]).map(TestFixtures.flatten),
                jacobian: (p["jacobian_jacrev[out][in]"] as! [Any]).map { ($0 as! [Any]).map(TestFixtures.flatten) })
        }
    }

    /// The graph's Jacobian at `inputs` (one sample) for its forward, reverse and minimal-Markowitz orders.
    static func baselineResults(
        _ graph: ComputationalGraph, at inputs: [[Double]]
    ) throws -> [(label: String, result: JacobianResult)] {
        let spec = GameSpec(graph: graph)
        return try [
            ("forward", Baselines.forwardOrder(spec)), ("reverse", Baselines.reverseOrder(spec)),
            ("markowitz", Baselines.markowitzOrder(spec)),
        ].map { label, order in (label, try CompiledJacobian(graph: graph, order: order).evaluate(inputs: inputs)) }
    }

    /// Published orders that apply to our graphs (tasks.json, `applicable: true`).
    static func publishedOrders(_ task: String) throws -> [(name: String, order: [Int])] {
        let tasks = try json("tasks.json")["tasks"] as! [String: Any]
        let entry = tasks[task] as! [String: Any]
        return (entry["published_orders"] as! [[String: Any]]).compactMap { o in
            guard o["applicable"] as? Bool == true, let order = o["order"] as? [Any] else { return nil }
            return (o["name"] as! String, order.map { ($0 as! NSNumber).intValue })
        }
    }
}
