import XCTest
@testable import Bounds
import Elimination
import Randomness

/// ScalarElimination plays the game on bit rows; every step must cost what the game charges
/// (EliminationState), on random scalar graphs with and without output copies and on the scalar
/// tasks, whatever the order: LeafGuide's guides and records are its replays.
final class ScalarEliminationTests: XCTestCase {
    private func assertStepsAreTheGames(
        _ spec: GameSpec, _ order: [Int], file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let graph = try ScalarGraph(spec: spec)
        var rows = ScalarElimination(graph: graph)
        var game = EliminationState(spec: spec)
        for v in order {
            XCTAssertEqual(
                rows.cost(v), game.eliminateUnchecked(v), "\(spec.name): v\(v) in \(order)", file: file, line: line)
            rows.eliminate(v)
        }
    }

    func testEveryStepCostsWhatTheGameChargesOnRandomGraphs() throws {
        var rng = SplitMix64(seed: 27)
        for seed in 0..<200 as Range<UInt64> {
            for copies in [false, true] {
                let spec = BoundsFixtures.randomScalar(seed: 27000 + seed, maxEliminable: 14, outputCopies: copies)
                for _ in 0..<3 { try assertStepsAreTheGames(spec, spec.eliminable.shuffled(using: &rng)) }
            }
        }
    }

    func testEveryStepCostsWhatTheGameChargesOnTheScalarTasks() throws {
        var rng = SplitMix64(seed: 28)
        for task in ["RoeFlux_1d", "g", "RobotArm_6DOF", "HumanHeartDipole", "PropaneCombustion"] {
            let spec = GameSpec(graph: try BoundsFixtures.graph(task))
            try assertStepsAreTheGames(spec, spec.eliminable)
            try assertStepsAreTheGames(spec, spec.eliminable.reversed())
            for _ in 0..<5 { try assertStepsAreTheGames(spec, spec.eliminable.shuffled(using: &rng)) }
        }
    }

    func testAWholeOrderCostsItsBaselineScore() throws {
        let spec = GameSpec(graph: try BoundsFixtures.graph("RoeFlux_1d"))
        let guide = LeafGuide(graph: try ScalarGraph(spec: spec))
        let markowitz = Baselines.markowitzOrder(spec)
        let scored = guide.score(markowitz)
        let game = try Baselines.score(markowitz, on: spec)
        XCTAssertEqual(scored.cost, game.cost)
        XCTAssertEqual(scored.steps, game.steps)
    }
}
