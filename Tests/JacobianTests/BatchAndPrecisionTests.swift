import TestFixtures
import XCTest
import Elimination
@testable import Jacobian

/// A batch is the same as its samples one by one (across tile boundaries), and Float32 agrees with
/// Float64 to float32 accuracy.
final class BatchAndPrecisionTests: XCTestCase {
    func testBatchEqualsSamplesOneByOne() throws {
        for task in ["RoeFlux_1d", "Perceptron"] {
            let graph = try Fixtures.dataset(task)
            let point = try Fixtures.points(task)[1].inputs
            let compiled = try CompiledJacobian(graph: graph, order: Baselines.markowitzOrder(GameSpec(graph: graph)))
            // 300 samples: two tiles of the runner (256 + 44), each sample scaled differently.
            let b = 300
            let samples = (0..<b).map { s in point.map { $0.map { $0 * (0.9 + 0.2 * Double(s) / Double(b)) } } }
            let inputs = point.indices.map { k in samples.flatMap { $0[k] } }
            let batched = try compiled.evaluate(inputs: inputs, batch: b)
            var worst = 0.0
            for s in [0, 1, 255, 256, 299] {
                let single = try compiled.evaluate(inputs: samples[s])
                worst = max(worst, batched.maxJacobianDifference(to: single, sample: s, otherSample: 0))
                for o in 0..<graph.outputs.count {
                    XCTAssertEqual(Array(batched.output(o, sample: s)), Array(single.output(o, sample: 0)))
                }
            }
            print("\(task): batch vs one by one, max diff \(worst)")
            XCTAssertEqual(worst, 0)
        }
    }

    func testFloat32AgreesWithFloat64() throws {
        for task in Fixtures.taskNames {
            let graph = try Fixtures.dataset(task)
            let point = try Fixtures.points(task)[1]
            let compiled = try CompiledJacobian(graph: graph, order: Baselines.reverseOrder(GameSpec(graph: graph)))
            let single = try compiled.evaluate(inputs: point.inputs, precision: .float32)
            let double = try compiled.evaluate(inputs: point.inputs, precision: .float64)
            var worst = 0.0
            for o in 0..<point.outputs.count {
                for k in 0..<point.inputs.count {
                    worst = max(
                        worst, maxRelativeDifference(single.block(o, k, sample: 0), double.block(o, k, sample: 0)))
                }
            }
            print("\(task): float32 vs float64 max rel diff \(worst)")
            XCTAssertLessThan(worst, 1e-3, task)
            XCTAssertGreaterThan(worst, 0, "\(task): float32 should round somewhere")
        }
    }

    /// The row allocator reuses rows: the packed arena is much smaller than one row per value.
    func testRowsAreReused() throws {
        let graph = try Fixtures.dataset("RoeFlux_1d")
        let compiled = try CompiledJacobian(graph: graph, order: graph.eliminable)
        XCTAssertLessThan(compiled.rowCount, compiled.instructionCount / 2)
    }
}
