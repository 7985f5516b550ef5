import Randomness
import XCTest
@testable import Elimination
@testable import Search

/// The incremental evaluator against its naive twin: replaying every candidate from scratch.
final class IncrementalEvaluatorTests: XCTestCase {
    func testCandidateCostsMatchAFullReplay() throws {
        for task in ["RoeFlux_1d", "Encoder", "f", "Perceptron"] {
            let spec = try SearchFixtures.spec(task)
            var rng = SplitMix64(seed: 4)
            for interval in [1, 3, 8] {
                var evaluator = IncrementalEvaluator(
                    spec: spec, order: Baselines.markowitzOrder(spec), interval: interval,
                    reusesSuffix: SetDeterminedGraphs.holds(for: spec))
                var maxDifference = 0
                for step in 0..<300 {
                    let move = OrderMove.random(count: spec.eliminable.count, maxShortSpan: 8, rng: &rng)
                    var candidate = evaluator.order
                    move.apply(to: &candidate)
                    let truth = try Baselines.score(candidate, on: spec).cost
                    let unbounded = evaluator.cost(of: candidate, changed: move.range, bound: Int.max)
                    maxDifference = max(maxDifference, abs((unbounded ?? -1) - truth))
                    // A bound just below the truth must refuse; at the truth it must answer.
                    XCTAssertNil(evaluator.cost(of: candidate, changed: move.range, bound: truth - 1))
                    XCTAssertEqual(evaluator.cost(of: candidate, changed: move.range, bound: truth), truth)
                    if step % 3 == 0 {
                        evaluator.accept(candidate, changed: move.range)
                        XCTAssertEqual(evaluator.cost, truth)
                    }
                }
                print("\(task) interval \(interval): max |incremental − replay| = \(maxDifference)")
                XCTAssertEqual(maxDifference, 0, "\(task) interval \(interval)")
            }
        }
    }

    func testMovesTouchOnlyTheirRange() {
        var rng = SplitMix64(seed: 2)
        let original = Array(0..<30)
        for _ in 0..<500 {
            let move = OrderMove.random(count: original.count, maxShortSpan: 5, rng: &rng)
            var moved = original
            move.apply(to: &moved)
            XCTAssertEqual(moved.sorted(), original)
            for i in original.indices where !move.range.contains(i) { XCTAssertEqual(moved[i], original[i], "\(move)") }
            XCTAssertNotEqual(moved, original, "\(move) changed nothing")
        }
    }
}
