import XCTest
import Elimination
@testable import Jacobian

/// Sizes from outside (the batch, the program's shapes) are checked against the memory they need
/// before anything of that size is allocated (issue 12 finding 6: `--batch 1000000000` passed 3 GB
/// and aborted).
final class SizeLimitTests: XCTestCase {
    let roe = { try! Fixtures.dataset("RoeFlux_1d") }()

    func testAHugeBatchIsRefusedWithTheLargestThatFits() throws {
        let c = try CompiledJacobian(graph: roe, order: roe.eliminable)
        let limit = 1 << 30
        do {
            _ = try c.makeWorkspace(batch: 1_000_000_000, precision: .float64, maxBytes: limit)
            XCTFail("a billion samples were accepted")
        } catch {
            print("error: \(error)")
            guard case let .batchTooLarge(batch, bytes, reportedLimit, largest) = error else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(batch, 1_000_000_000)
            XCTAssertEqual(reportedLimit, limit)
            XCTAssertEqual(bytes, c.evaluationBytes(batch: batch, precision: .float64))
            XCTAssertGreaterThan(largest, 1_000)
            XCTAssertLessThanOrEqual(c.evaluationBytes(batch: largest, precision: .float64), limit)
            XCTAssertGreaterThan(c.evaluationBytes(batch: largest + 1, precision: .float64), limit)
            XCTAssertTrue(error.description.contains("use a batch of at most \(largest)"), error.description)
        }
        // The largest batch that fits is accepted (and evaluates).
        let fits = try c.makeWorkspace(batch: 1_000, precision: .float32, maxBytes: limit)
        XCTAssertEqual(fits.batch, 1_000)
    }

    /// Beyond one tile the size grows by the same amount per sample: inputs (Float64 + staged),
    /// outputs and blocks (evaluation precision + their Float64 copy).
    func testEvaluationBytesFollowTheBuffers() throws {
        let c = try CompiledJacobian(graph: roe, order: roe.eliminable)
        let inputs = c.inputShapes.map { $0.reduce(1, *) }.reduce(0, +)
        let outputs = c.outputShapes.map { $0.reduce(1, *) }.reduce(0, +)
        for (precision, scalar) in [(Precision.float32, 4), (.float64, 8)] {
            let perSample = inputs * (8 + scalar) + (outputs + outputs * inputs) * (8 + scalar)
            XCTAssertEqual(
                c.evaluationBytes(batch: 2_000, precision: precision)
                    - c.evaluationBytes(batch: 1_000, precision: precision), 1_000 * perSample)
            XCTAssertEqual(
                c.evaluationBytes(batch: 1, precision: precision), perSample + c.rowCount * scalar,
                "one sample: one arena column")
        }
        XCTAssertEqual(c.evaluationBytes(batch: .max / 2, precision: .float64), .max, "overflow saturates")
    }

    func testAProgramTooLargeToInterpretIsRefusedBeforeCompiling() throws {
        let g = try ComputationalGraph.fromJaxpr(
            "{ lambda ; a:f32[3000,3000]. let\n  b:f32[3000,3000] = sin a\n  in (b,) }", name: "big")
        XCTAssertThrowsError(try CompiledJacobian(graph: g, order: g.eliminable)) { error in
            guard case .programTooLarge(18_000_000, CompiledJacobian.maxScalars) = error as! JacobianError else {
                return XCTFail("\(error)")
            }
        }
    }
}
