import Foundation
import TestFixtures
import XCTest
import Elimination
@testable import Jacobian

/// Every corpus program's Jacobian, for the forward, reverse and Markowitz orders, against the
/// `jax.jacrev` values stored with it (Datasets/corpus/values.json, the layout of the reference
/// values.json) and against each other.
final class CorpusValuesTests: XCTestCase {
    /// As ReferenceValuesTests: relative to 1 + |value|. The corpus values are float64 at float32
    /// points, so this is a wide margin over the Float64 interpreter's rounding.
    let tolerance = 2e-4
    let orderTolerance = 1e-9

    func testEveryProgramMatchesJacrevForForwardReverseAndMarkowitzOrders() throws {
        let corpus = Fixtures.root.appendingPathComponent("Datasets/corpus")
        let data = try Data(contentsOf: corpus.appendingPathComponent("values.json"))
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let tasks = try XCTUnwrap(root["tasks"] as? [String: [String: Any]])
        XCTAssertGreaterThanOrEqual(tasks.count, 40)
        for name in tasks.keys.sorted() {
            let started = Date()
            let point = try XCTUnwrap((tasks[name]?["points"] as? [[String: Any]])?.first, name)
            let inputs = try XCTUnwrap(point["inputs"] as? [Any]).map(TestFixtures.flatten)
            let outputs = try XCTUnwrap(point["outputs"] as? [Any]).map(TestFixtures.flatten)
            let jacobian = try XCTUnwrap(point["jacobian_jacrev[out][in]"] as? [Any]).map {
                try XCTUnwrap($0 as? [Any]).map(TestFixtures.flatten)
            }
            let text = try String(contentsOf: corpus.appendingPathComponent("jaxpr/\(name).jaxpr"), encoding: .utf8)
            let graph = try ComputationalGraph.fromJaxpr(text, name: name)
            let spec = GameSpec(graph: graph)
            var first: JacobianResult?
            for (label, order) in [
                ("forward", Baselines.forwardOrder(spec)), ("reverse", Baselines.reverseOrder(spec)),
                ("markowitz", Baselines.markowitzOrder(spec)),
            ] {
                let r = try CompiledJacobian(graph: graph, order: order).evaluate(inputs: inputs)
                XCTAssertEqual(outputs.count, graph.outputs.count, name)
                var worst = 0.0
                for o in 0..<outputs.count {
                    worst = max(worst, maxRelativeDifference(r.output(o, sample: 0), outputs[o]))
                    for k in 0..<inputs.count {
                        worst = max(worst, maxRelativeDifference(r.block(o, k, sample: 0), jacobian[o][k]))
                    }
                }
                XCTAssertLessThan(worst, tolerance, "\(name) \(label) against jacrev")
                print("\(name) \(label): max rel diff vs jacrev \(worst)")
                if let first {
                    XCTAssertLessThanOrEqual(
                        r.maxJacobianDifference(to: first), orderTolerance * (1 + maxAbs(first)),
                        "\(name) \(label) against forward")
                } else {
                    first = r
                }
            }
            print("\(name): \(String(format: "%.2f", Date().timeIntervalSince(started))) s for three orders")
        }
    }

    func maxAbs(_ r: JacobianResult) -> Double {
        r.jacobian.flatMap { $0.flatMap { $0 } }.filter(\.isFinite).map(abs).max() ?? 0
    }
}
