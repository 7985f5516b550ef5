import Console
import Elimination
import XCTest

@testable import Jacobian

/// `jacobian --check` compares with finite differences where they mean something: an output that
/// is NaN at the point (the input outside its domain) has NaN differences even against the inputs
/// it does not depend on, where the Jacobian holds an exact 0.
final class CheckReportTests: XCTestCase {
    // c = log a is NaN at a = −1 and does not depend on b; d = sin b·a is finite.
    let text = """
        { lambda ; a:f64[] b:f64[]. let
            c:f64[] = log a
            e:f64[] = sin b
            d:f64[] = mul e a
          in (c, d) }
        """

    private func report(at point: [[Double]]) throws -> (JSON, [String]) {
        let graph = try ComputationalGraph.fromJaxpr(text, name: "domain")
        let spec = GameSpec(graph: graph)
        let result = try CompiledJacobian(graph: graph, order: graph.eliminable).evaluate(inputs: point)
        let check = try JacobianReport.check(graph, spec: spec, result: result, point: point)
        print("check at \(point): \(check.json.text)")
        return (check.json, check.lines)
    }

    private func field(_ json: JSON, _ key: String) -> JSON? {
        guard case .object(let fields) = json,
            case .object(let fd)? = fields.first(where: { $0.0 == "finite_differences" })?.1
        else { return nil }
        return fd.first { $0.0 == key }?.1
    }

    func testAnOutputThatIsNotFiniteAtThePointIsSkippedNotAnInfiniteDifference() throws {
        let (json, lines) = try report(at: [[-1], [0.3]])
        guard case .double(let relative)? = field(json, "max_rel_diff") else { return XCTFail("\(json.text)") }
        // d's row alone: ∂d/∂a = sin b, ∂d/∂b = a·cos b, by central differences to ~1e-10.
        XCTAssertLessThan(relative, 1e-6, "before the skip: infinite (∂c/∂b is an exact 0, its difference NaN)")
        XCTAssertEqual(field(json, "skipped_outputs")?.text, "1")
        XCTAssertTrue(lines[0].contains("1 output values not finite at the point"), lines[0])
    }

    func testInsideTheDomainNothingIsSkipped() throws {
        let (json, lines) = try report(at: [[2], [0.3]])
        guard case .double(let relative)? = field(json, "max_rel_diff") else { return XCTFail("\(json.text)") }
        XCTAssertLessThan(relative, 1e-6)
        XCTAssertEqual(field(json, "skipped_outputs")?.text, "0")
        XCTAssertFalse(lines[0].contains("skipped"), lines[0])
    }
}
