import Benchmarks
import Foundation
import TestFixtures
import XCTest
@testable import Bounds
import Elimination

/// `ccelim bench bound`'s cases: a structured preset's case is the generator's program as it is
/// (the command it names rebuilds it), bounded like any scalar program; the tensor preset's is
/// skipped, not bounded; the JSON names the presets and each row's.
final class BoundBenchmarkTests: XCTestCase {
    func testStructuredPresetsAreTheGeneratorsProgramsAndTensorsAreSkipped() throws {
        var run = BoundRun(clock: SteppingClock(step: 0.001).read)
        run.seconds = 1  // 1,000 reads of the stepping clock: a bound, not necessarily the optimum
        run.annealIterations = 200
        let bench = BoundBenchmark(run: run)
        var results: [BoundBenchmark.Result] = []
        for preset in [GraphPreset.blocks, .stencil2d, .mixed] {
            let c = BoundBenchmark.Case(preset: preset, equations: 50, inputs: 0, seed: 3)
            XCTAssertEqual(c.command, "ccelim generate --preset \(preset.rawValue) --equations 50 --seed 3")
            let generated = preset.generate(equations: 50, seed: 3)
            XCTAssertEqual(c.graph().name, generated.name)
            XCTAssertEqual(c.graph().edges.count, generated.edges.count)
            let result = try bench.measure(c)
            if preset == .mixed {
                XCTAssertNil(result.report)
                XCTAssertEqual(result.skipped, "not all-dense-scalar")
            } else {
                let report = try XCTUnwrap(result.report, preset.rawValue)
                XCTAssertGreaterThan(report.lowerBound, 0, preset.rawValue)
                XCTAssertLessThanOrEqual(report.lowerBound, report.bestCost, preset.rawValue)
                XCTAssertEqual(result.eliminable, GameSpec(graph: generated).eliminable.count)
            }
            results.append(result)
        }
        // The scalar preset keeps its command and its sinks as outputs.
        let scalar = BoundBenchmark.Case(equations: 20, inputs: 4, seed: 1)
        XCTAssertTrue(scalar.command.hasPrefix("ccelim generate --preset scalar --equations 20 --inputs 4 --outputs 1"))
        XCTAssertTrue(scalar.command.hasSuffix("(unread values as outputs)"))
        results.append(try bench.measure(scalar))

        let text = bench.json(results, load: nil, clock: "cpu").text
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(json["presets"] as? [String], ["blocks", "mixed", "scalar", "stencil2d"])
        let rows = try XCTUnwrap(json["cases"] as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["preset"] as? String }, ["blocks", "stencil2d", "mixed", "scalar"])
    }
}
