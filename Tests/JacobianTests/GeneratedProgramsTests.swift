import TestFixtures
import XCTest
import Elimination
import Randomness
@testable import Jacobian

/// The structured presets of `ccelim generate` are real programs: the interpreter runs them, and
/// their Jacobians in forward, reverse and Markowitz order agree with central finite differences.
final class GeneratedProgramsTests: XCTestCase {
    func testStructuredPresetsRunAndMatchFiniteDifferences() throws {
        for preset in GraphPreset.allCases where preset != .scalar {
            let graph = preset.generate(equations: preset.minimumEquations + 30, seed: 2)
            // Small positive values keep exp/div and the stencils' growth well conditioned.
            var rng = SplitMix64(seed: 11)
            let point = graph.program.inputs.map { v in
                (0..<v.type.elementCount).map { _ in 0.1 + 0.3 * Double(rng.next() % 1000) / 1000 }
            }
            let fd = try FiniteDifferences.jacobian(of: graph, at: point)
            let spec = GameSpec(graph: graph)
            for order in [Baselines.forwardOrder(spec), Baselines.reverseOrder(spec), Baselines.markowitzOrder(spec)] {
                let r = try CompiledJacobian(graph: graph, order: order).evaluate(inputs: point)
                XCTAssertEqual(r.nonFiniteCount, 0, preset.rawValue)
                var worst = 0.0
                for o in fd.indices {
                    for k in fd[o].indices {
                        worst = max(worst, maxRelativeDifference(r.block(o, k, sample: 0), fd[o][k]))
                    }
                }
                XCTAssertLessThan(worst, 1e-5, "\(preset.rawValue) against finite differences")
            }
        }
    }
}
