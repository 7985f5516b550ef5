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
            let point = try XCTUnwrap(try Fixtures.points(name, in: root).first, name)
            let text = try String(contentsOf: corpus.appendingPathComponent("jaxpr/\(name).jaxpr"), encoding: .utf8)
            let graph = try ComputationalGraph.fromJaxpr(text, name: name)
            var first: JacobianResult?
            for (label, r) in try Fixtures.baselineResults(graph, at: point.inputs) {
                XCTAssertEqual(point.outputs.count, graph.outputs.count, name)
                let worst = point.worstDifference(to: r)
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
