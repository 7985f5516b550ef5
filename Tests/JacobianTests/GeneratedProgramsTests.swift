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

/// The random scalar preset's programs are finite where `ccelim jacobian` evaluates them by
/// default (inputs in [0.2, 0.8)): before session 42 they drew `log`, `sqrt` and `div` whatever
/// their operands, and from about 45 equations most outputs were NaN at every such point (12 of 15
/// programs of 50-300 equations, seeds 1-5). Now outputs and Jacobians are finite at the corners of
/// that box and inside it, and reverse mode agrees with central differences.
final class ScalarPresetDomainTests: XCTestCase {
    func testScalarProgramsAreFiniteOnTheDefaultBoxAndMatchFiniteDifferences() throws {
        for (seed, equations) in [(1, 60), (2, 120), (3, 300), (4, 1000), (5, 200), (6, 450)] as [(UInt64, Int)] {
            let inputs = 2 + Int(seed % 5)
            let graph = RandomGraphs.scalar(seed: seed, inputs: inputs, equations: equations, outputs: 3)
            var rng = SplitMix64(seed: seed)
            let inside = (0..<inputs).map { _ in [0.2 + 0.6 * Double(rng.next() % 1000) / 1000] }
            let corners = [Array(repeating: [0.2], count: inputs), Array(repeating: [0.8], count: inputs)]
            let spec = GameSpec(graph: graph)
            let compiled = try CompiledJacobian(graph: graph, order: Baselines.reverseOrder(spec))
            for point in corners + [inside] {
                let r = try compiled.evaluate(inputs: point)
                XCTAssertEqual(r.nonFiniteCount, 0, "\(graph.name) at \(point)")
            }
            let fd = try FiniteDifferences.jacobian(of: graph, at: inside)
            let r = try compiled.evaluate(inputs: inside)
            var worst = 0.0
            for o in fd.indices {
                for k in fd[o].indices { worst = max(worst, maxRelativeDifference(r.block(o, k, sample: 0), fd[o][k])) }
            }
            XCTAssertLessThan(worst, 1e-5, "\(graph.name) against finite differences")
        }
    }
}
