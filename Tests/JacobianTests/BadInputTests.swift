import XCTest
import Elimination
@testable import Jacobian

/// Wrong inputs, orders and programs give a typed error that says what to fix; NaN inputs give
/// NaN results that are counted, never a crash.
final class BadInputTests: XCTestCase {
    let roe = { try! Fixtures.dataset("RoeFlux_1d") }()

    func expectError(
        _ expected: (JacobianError) -> Bool, _ body: () throws(JacobianError) -> Void, file: StaticString = #filePath,
        line: UInt = #line
    ) {
        do {
            try body()
            XCTFail("no error", file: file, line: line)
        } catch {
            print("error: \(error)")
            XCTAssertTrue(expected(error), "unexpected error \(error)", file: file, line: line)
        }
    }

    func testWrongNumberOfInputs() throws {
        let c = try CompiledJacobian(graph: roe, order: roe.eliminable)
        expectError({
            if case .inputCount(6, 5) = $0 { return true }; return false
        }) { () throws(JacobianError) in
            _ = try c.evaluate(inputs: [[1], [1], [1], [1], [1]])
        }
    }

    func testWrongShapes() throws {
        let c = try CompiledJacobian(graph: roe, order: roe.eliminable)
        expectError({
            if case .inputSize(input: 3, name: "c", shape: [], batch: 1, givenValues: 2) = $0 { return true };
            return false
        }) { () throws(JacobianError) in
            _ = try c.evaluate(inputs: [[1], [1], [1, 2], [1], [1], [1]])
        }
        // Batch of 4 but input 1 holds 3 samples.
        expectError({
            if case .inputSize(input: 1, name: _, shape: [], batch: 4, givenValues: 3) = $0 { return true };
            return false
        }) { () throws(JacobianError) in
            _ = try c.evaluate(inputs: [[1, 1, 1]] + [[Double]](repeating: [1, 1, 1, 1], count: 5), batch: 4)
        }
        expectError({
            if case .invalidBatch(0) = $0 { return true }; return false
        }) { () throws(JacobianError) in
            _ = try c.makeWorkspace(batch: 0, precision: .float32)
        }
    }

    func testNaNInputsGiveCountedNaNs() throws {
        let c = try CompiledJacobian(graph: roe, order: Baselines.reverseOrder(GameSpec(graph: roe)))
        let point = try Fixtures.points("RoeFlux_1d")[1].inputs
        var bad = point
        bad[2] = [.nan]
        for precision in Precision.allCases {
            let r = try c.evaluate(inputs: bad, precision: precision)
            XCTAssertGreaterThan(r.nonFiniteCount, 0)
            XCTAssertTrue(r.outputs.contains { $0.contains(where: \.isNaN) })
            // The clean point in the same API stays finite.
            XCTAssertEqual(try c.evaluate(inputs: point, precision: precision).nonFiniteCount, 0)
        }
    }

    func testInvalidOrders() throws {
        expectError({
            if case .invalidOrder(.outputVertex(97)) = $0 { return true }; return false
        }) { () throws(JacobianError) in
            _ = try CompiledJacobian(graph: roe, order: [97])
        }
        expectError({
            if case .invalidOrder(.incomplete) = $0 { return true }; return false
        }) { () throws(JacobianError) in
            _ = try CompiledJacobian(graph: roe, order: Array(roe.eliminable.dropLast()))
        }
        expectError({
            if case .invalidOrder(.repeated(1, position: 2)) = $0 { return true }; return false
        }) { () throws(JacobianError) in
            _ = try CompiledJacobian(graph: roe, order: [1, 1])
        }
    }

    func testProgramsTheInterpreterRefuses() throws {
        // A sort of a run longer than the interpreter sorts (its work grows with the square).
        let long = try ComputationalGraph.fromJaxpr(
            """
            { lambda ; a:f32[513]. let b:f32[513] = sin a; c:f32[513] = sort[dimension=0 is_stable=True num_keys=1] b in (c,) }
            """, name: "long")
        expectError({
            if case .unsupported(vertex: 2, primitive: "sort", reason: let reason) = $0 {
                return reason.contains("513")
            }
            return false
        }) { () throws(JacobianError) in
            _ = try CompiledJacobian(graph: long, order: long.eliminable)
        }
        // Closed-over constants have no values in a graph.
        let k = try ComputationalGraph.fromJaxpr(
            "{ lambda w:f32[3]; b:f32[3]. let c:f32[3] = mul w b in (c,) }", name: "k")
        expectError({
            if case .constantsMissing(["w"]) = $0 { return true }; return false
        }) { () throws(JacobianError) in
            _ = try CompiledJacobian(graph: k, order: [])
        }
        expectError({
            if case .constantSize(constant: 1, name: "w", expectedValues: 3, givenValues: 2) = $0 { return true };
            return false
        }) { () throws(JacobianError) in
            _ = try CompiledJacobian(graph: k, order: [], constants: [[1, 2]])
        }
        let withValues = try CompiledJacobian(graph: k, order: [], constants: [[1, 2, 3]]).evaluate(inputs: [[1, 1, 1]])
        XCTAssertEqual(Array(withValues.block(0, 0, sample: 0)), [1, 0, 0, 0, 2, 0, 0, 0, 3])
        // A custom_jvp_call body that is not a jaxpr.
        var program = k.program
        program.constants = []
        program.equations = [
            Equation(
                name: "c", type: ArrayType(dtype: "f32", shape: [3]), primitive: "custom_jvp_call",
                params: [Parameter(key: "call_jaxpr", value: "{ lambda ; x. oops }")], operands: [.input(1)])
        ]
        program.outputs = [1]
        let body = try ComputationalGraph.build(name: "body", program: program)
        expectError({
            if case .unreadableBody(vertex: 1, reason: _) = $0 { return true }; return false
        }) { () throws(JacobianError) in
            _ = try CompiledJacobian(graph: body, order: [])
        }
    }
}
