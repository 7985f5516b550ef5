import Elimination
import Foundation
import TestFixtures
import XCTest

@testable import Jacobian

/// Datasets/policies/random-programs.py (train8's generator of random structured JAX programs):
/// the text it prints imports, has 20–300 equations, and its Jacobian by vertex elimination
/// (forward and reverse order) matches the `jax.jacrev` values the script prints (`--values`, float64
/// at the program's float32 sample point). Lives with the codegen tests for their Python runner
/// (`CodegenFixtures.run`, `requireJax`). One small program (seed 17) with a vector and scalar inputs,
/// to keep the test fast (most of its time is importing JAX).
final class RandomProgramsTests: XCTestCase {
    /// As CorpusValuesTests: relative to 1 + |value|; the literals in the text are float32.
    let tolerance = 2e-4

    func testGeneratedProgramsImportAndMatchJacrev() throws {
        try CodegenFixtures.requireJax()
        let script = CodegenFixtures.root.appendingPathComponent("Datasets/policies/random-programs.py").path
        let result = try CodegenFixtures.run(["python3", script, "--values", "17"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one line per seed")
        var sawTensor = false, sawScalar = false
        for line in lines {
            let r = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let seed = try XCTUnwrap(r["seed"] as? Int)
            let text = try XCTUnwrap(r["text"] as? String)
            let graph = try ComputationalGraph.fromJaxpr(text, name: "rprog_\(seed)")
            let equations = try XCTUnwrap(r["equations"] as? Int)
            XCTAssertEqual(graph.vertexCount, equations, "seed \(seed): one vertex per equation")
            XCTAssertTrue((20...300).contains(equations), "seed \(seed): \(equations) equations")
            let rawInputs = try XCTUnwrap(r["inputs"] as? [Any])
            let inputs = rawInputs.map(TestFixtures.flatten)
            if rawInputs.contains(where: { $0 is [Any] }) { sawTensor = true }
            if rawInputs.contains(where: { !($0 is [Any]) }) { sawScalar = true }
            let outputs = try XCTUnwrap(r["outputs"] as? [Any]).map(TestFixtures.flatten)
            let jacobian = try XCTUnwrap(r["jacobian"] as? [[Any]]).map { $0.map(TestFixtures.flatten) }
            XCTAssertEqual(outputs.count, graph.outputs.count, "seed \(seed)")
            let spec = GameSpec(graph: graph)
            for (label, order) in [
                ("forward", Baselines.forwardOrder(spec)), ("reverse", Baselines.reverseOrder(spec)),
            ] {
                let e = try CompiledJacobian(graph: graph, order: order).evaluate(inputs: inputs)
                var worst = 0.0
                for o in 0..<outputs.count {
                    worst = max(worst, maxRelativeDifference(Array(e.output(o, sample: 0)), outputs[o]))
                    for k in 0..<inputs.count {
                        worst = max(worst, maxRelativeDifference(Array(e.block(o, k, sample: 0)), jacobian[o][k]))
                    }
                }
                XCTAssertLessThan(worst, tolerance, "seed \(seed) \(label) against jax.jacrev")
            }
        }
        XCTAssertTrue(sawTensor && sawScalar, "tensor and scalar inputs")
    }
}
