import XCTest
import Elimination
import Randomness
@testable import Search

/// `ExactWindowPolish`: windows of an order re-ordered exactly never make the order dearer, its
/// cost is what the game says, a window as large as the game is the exact optimum, and the
/// time-ruled polish is deterministic for a deterministic budget.
final class ExactWindowPolishTests: XCTestCase {
    /// Scalar and tensor (typed: not set-determined) random programs, and a random order of each.
    private func cases() -> [(spec: GameSpec, order: [Int])] {
        (300..<312 as Range<UInt64>).map { seed in
            let spec = GameSpec(graph: RandomPrograms.graph(seed: seed, equations: 10, tensors: seed % 2 == 0))
            var rng = SplitMix64(seed: seed)
            return (spec, RandomOrders.order(spec, using: &rng))
        }
    }

    func testEveryWindowIsNeverDearerAndCostsWhatTheGameSays() throws {
        var improved = 0, typed = 0
        for (spec, order) in cases() {
            let polish = ExactWindowPolish(spec: spec)
            let cost = try Baselines.score(order, on: spec).cost
            if !SetDeterminedGraphs.holds(for: spec) { typed += 1 }
            for size in [2, 3, 5] where size <= order.count {
                for start in 0...(order.count - size) {
                    let step = try polish.window(order, cost: cost, start: start, size: size)
                    XCTAssertEqual(try Baselines.score(step.order, on: spec).cost, step.cost, "\(spec.name) \(start)")
                    XCTAssertEqual(step.order.sorted(), order.sorted())
                    // Outside the window nothing moves.
                    XCTAssertEqual(Array(step.order[..<start]), Array(order[..<start]))
                    XCTAssertEqual(Array(step.order[(start + size)...]), Array(order[(start + size)...]))
                    XCTAssertEqual(step.improved, step.cost < cost)
                    XCTAssertLessThanOrEqual(step.cost, cost)
                    if step.improved { improved += 1 }
                }
            }
        }
        XCTAssertGreaterThan(improved, 0, "some window of a random order can be re-ordered cheaper")
        XCTAssertGreaterThan(typed, 0, "typed graphs are among the cases")
    }

    func testAWindowAsLargeAsTheGameIsTheExactOptimum() throws {
        for (spec, order) in cases().prefix(6) {
            let exact = try ExactElimination(spec: spec).run()
            let cost = try Baselines.score(order, on: spec).cost
            let step = try ExactWindowPolish(spec: spec).window(order, cost: cost, start: 0, size: order.count)
            XCTAssertEqual(step.cost, min(cost, exact.cost), spec.name)
        }
        XCTAssertThrowsError(try ExactWindowPolish(spec: cases()[0].spec).window([1, 2], cost: 0, start: 1, size: 2))
    }

    /// With a budget counted in states expanded, the polish is reproducible, never dearer, and a
    /// larger budget reaches an endgame at least as large; a zero budget changes nothing.
    func testPolishIsDeterministicAndGrowsItsEndgameWithTheBudget() throws {
        let spec = GameSpec(graph: RandomPrograms.graph(seed: 9, equations: 40, tensors: false))
        var rng = SplitMix64(seed: 9)
        let order = RandomOrders.order(spec, using: &rng)
        let cost = try Baselines.score(order, on: spec).cost
        let polish = ExactWindowPolish(spec: spec)
        func run(_ states: Double) throws -> ExactWindowPolish.Outcome {
            try polish.polish(order, cost: cost, seconds: 1) { Double($0) / states }
        }
        let small = try run(2_000), again = try run(2_000), large = try run(20_000)
        XCTAssertEqual(small, again)
        for out in [small, large] {
            XCTAssertEqual(try Baselines.score(out.order, on: spec).cost, out.cost)
            XCTAssertLessThan(out.cost, cost, "a random order's endgame and windows can be improved")
            XCTAssertGreaterThan(out.windows, 1)
        }
        XCTAssertGreaterThanOrEqual(large.endgame, small.endgame)
        XCTAssertGreaterThan(large.expanded, small.expanded)
        let none = try polish.polish(order, cost: cost, seconds: 0) { _ in 0 }
        XCTAssertEqual(none, ExactWindowPolish.Outcome(order: order, cost: cost, windows: 0, expanded: 0, endgame: 0))
    }
}
