import XCTest
@testable import Elimination

/// The cheapest of forward, reverse and minimal Markowitz, offered only when it beats what was
/// found: `optimize --seconds 0`'s and a training run's "use it" line.
final class CheaperBaselineTests: XCTestCase {
    func testTheCheapestBaselineIsOfferedOnlyWhenItBeatsTheCostFound() throws {
        for task in ["RoeFlux_1d", "Perceptron", "HumanHeartDipole"] {
            let spec = GameSpec(graph: try Fixtures.dataset(task))
            let baselines = BaselineSummary(spec: spec)
            let cheapest = try XCTUnwrap(baselines.cheaper(than: nil), "\(task): nothing found, any baseline")
            XCTAssertEqual(cheapest.cost, baselines.best, task)
            XCTAssertEqual(
                try Baselines.score(cheapest.order, on: spec).cost, cheapest.cost, "\(task): \(cheapest.name)")
            XCTAssertEqual(
                cheapest.cost,
                ["forward": baselines.forward, "reverse": baselines.reverse, "markowitz": baselines.markowitz][
                    cheapest.name],
                task)
            XCTAssertEqual(baselines.cheaper(than: baselines.best + 1), cheapest, task)
            XCTAssertNil(baselines.cheaper(than: baselines.best), "\(task): as cheap is not cheaper")
            XCTAssertNil(baselines.cheaper(than: baselines.best - 1), task)
        }
    }

    func testTiesGoToForwardThenReverse() {
        let order = [1, 2, 3]
        func summary(_ forward: Int, _ reverse: Int, _ markowitz: Int) -> BaselineSummary {
            BaselineSummary(
                forward: forward, reverse: reverse, markowitz: markowitz, forwardSteps: [], reverseSteps: [],
                markowitzSteps: [], forwardOrder: order, markowitzOrder: [2, 1, 3])
        }
        let tie = summary(5, 5, 5).cheaper(than: 10)
        XCTAssertEqual(tie, CheaperBaseline(name: "forward", cost: 5, order: order))
        let reverse = summary(6, 5, 5).cheaper(than: 10)
        XCTAssertEqual(reverse, CheaperBaseline(name: "reverse", cost: 5, order: [3, 2, 1]))
    }
}
