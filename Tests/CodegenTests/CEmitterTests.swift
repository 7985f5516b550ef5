import Console
import Elimination
import Foundation
import Jacobian
import TaskFiles
import TestFixtures
import XCTest

@testable import Codegen

/// Generated C, compiled by the system compiler, against the interpreter (`CompiledJacobian`) on
/// the ten tasks: Float64 and Float32, a batch of 40 (one full tile of 32 and a partial one), read
/// and printed through the generated driver (NAME_main.c) as a user would.
final class CEmitterTests: XCTestCase {
    let batch = 40
    /// Same formulas, same order of operations, same libm: only the compiler's freedom differs.
    let float64Tolerance = 1e-12
    let float32Tolerance = 1e-5

    func testTenTasksMatchTheInterpreter() throws {
        try CodegenFixtures.requireCC()
        for task in CodegenFixtures.taskNames {
            // -O0: this test checks the generated semantics; -O2 (slower to compile) is checked below.
            try checkAgainstInterpreter(task, order: "best", optimisation: "-O0")
        }
    }

    func testBaselineOrdersAtO2MatchTheInterpreter() throws {
        try CodegenFixtures.requireCC()
        for order in ["fwd", "rev"] {
            try checkAgainstInterpreter("PropaneCombustion", order: order, optimisation: "-O2")
        }
    }

    /// The control-flow fixtures: selects, comparisons, expm1 and reduce_prod, and unrolled scans.
    func testControlFlowProgramsMatchTheInterpreter() throws {
        try CodegenFixtures.requireCC()
        for name in CodegenFixtures.controlFlowPrograms {
            try checkAgainstInterpreter(
                "\(CodegenFixtures.controlFlow)/\(name).jaxpr", order: "rev", optimisation: "-O0")
        }
    }

    func testLoopsVectorise() throws {
        try CodegenFixtures.requireCC()
        let directory = try CodegenFixtures.temporaryDirectory("c-vec")
        defer { try? FileManager.default.removeItem(at: directory) }
        let layout = try CodegenFixtures.layout("RoeFlux_1d", order: "best", target: .c)
        for file in CEmitter.files(layout, driver: false) {
            try file.text.write(to: directory.appendingPathComponent(file.name), atomically: true, encoding: .utf8)
        }
        let source = directory.appendingPathComponent("RoeFlux_1d.c").path
        let compiled = try CodegenFixtures.run([
            "cc", "-O2", "-fopt-info-vec-optimized", "-c", source, "-o", "/dev/null",
        ])
        guard compiled.status == 0 else { return XCTFail(compiled.stderr) }
        let vectorised = compiled.stderr.components(separatedBy: "loop vectorized").count - 1
        let loops =
            try String(contentsOfFile: source, encoding: .utf8).components(separatedBy: "for (int i = 0; i < TILE")
            .count - 1
        print("codegen c: \(vectorised) of \(loops) tile loops vectorised (gcc -O2)")
        if compiled.stderr.isEmpty && vectorised == 0 { throw XCTSkip("the compiler does not report vectorisation") }
        XCTAssertGreaterThan(Double(vectorised), 0.8 * Double(loops))
    }

    private func checkAgainstInterpreter(_ task: String, order: String, optimisation: String) throws {
        let layout = try CodegenFixtures.layout(task, order: order, target: .c)
        let compiled = layout.compiled
        let directory = try CodegenFixtures.temporaryDirectory("c-\(task)")
        defer { try? FileManager.default.removeItem(at: directory) }
        for file in CEmitter.files(layout, driver: true) {
            try file.text.write(to: directory.appendingPathComponent(file.name), atomically: true, encoding: .utf8)
        }
        let program = directory.appendingPathComponent("program").path
        let sources = [layout.name + ".c", layout.name + "_main.c"].map { directory.appendingPathComponent($0).path }
        let build = try CodegenFixtures.run(
            ["cc", optimisation, "-Wall", "-Werror"] + sources + ["-lm", "-o", program])
        XCTAssertEqual(build.status, 0, "\(task): \(build.stderr.prefix(2000))")
        guard build.status == 0 else { return }

        // The task's sample point, scaled a little per sample.
        let graph = try GraphSource.load(task, datasets: CodegenFixtures.datasets)
        let point = try JacobianInputs.load(nil, graph: graph, datasets: CodegenFixtures.datasets).samples[0]
        let samples = (0..<batch).map { b in point.map { $0.map { $0 * (1 + 1e-3 * Double(b)) } } }
        let file = JSON.object([
            (
                "samples",
                .array(
                    samples.map { s in
                        .array(s.enumerated().map { k, v in NestedArray.json(v, shape: compiled.inputShapes[k]) })
                    })
            )
        ])
        let inputs = directory.appendingPathComponent("inputs.json")
        try file.text.write(to: inputs, atomically: true, encoding: .utf8)
        let sampleMajor = compiled.inputShapes.indices.map { k in samples.flatMap { $0[k] } }

        for (precision, flag, tolerance) in [
            (Precision.float64, [String](), float64Tolerance), (.float32, ["--float32"], float32Tolerance),
        ] {
            let run = try CodegenFixtures.run([program, inputs.path] + flag)
            XCTAssertEqual(run.status, 0, "\(task): \(run.stderr)")
            let printed = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
            let reference = try compiled.evaluate(inputs: sampleMajor, batch: batch, precision: precision)
            let printedSamples = printed["samples"] as! [[String: Any]]
            XCTAssertEqual(printedSamples.count, batch)
            var worst = 0.0
            for (b, sample) in printedSamples.enumerated() {
                let outputs = sample["outputs"] as! [Any], jacobian = sample["jacobian"] as! [[Any]]
                for o in compiled.outputShapes.indices {
                    worst = max(
                        worst,
                        maxRelativeDifference(
                            TestFixtures.flatten(outputs[o]), Array(reference.output(o, sample: b))))
                    for k in compiled.inputShapes.indices {
                        worst = max(
                            worst,
                            maxRelativeDifference(
                                TestFixtures.flatten(jacobian[o][k]), Array(reference.block(o, k, sample: b))))
                    }
                }
            }
            print("codegen c \(task) \(order) \(precision.rawValue) \(optimisation): max relative difference \(worst)")
            XCTAssertLessThan(worst, tolerance, "\(task) \(order) \(precision.rawValue)")
        }
    }
}
