import XCTest
@testable import Elimination

/// The cheapest of forward, reverse and minimal Markowitz, offered only when it beats what was
/// found: `optimize --seconds 0`'s and a training run's "use it" line.
final class CheaperBaselineTests: XCTestCase {
    func testTheCheapestBaselineIsOfferedOnlyWhenItBeatsTheCostFound() throws {
        for task in ["RoeFlux_1d", "Perceptron", "HumanHeartDipole"] {
            let spec = GameSpec(graph: try Fixtures.dataset(task))
            let baselines = BaselineSummary(spec: spec)
            let cheapest = try XCTUnwrap(baselines.cheaper(than: nil, on: spec), "\(task): nothing found, any baseline")
            XCTAssertEqual(cheapest.cost, baselines.best, task)
            XCTAssertEqual(
                try Baselines.score(cheapest.order, on: spec).cost, cheapest.cost, "\(task): \(cheapest.name)")
            XCTAssertEqual(
                cheapest.cost,
                ["forward": baselines.forward, "reverse": baselines.reverse, "markowitz": baselines.markowitz][
                    cheapest.name],
                task)
            XCTAssertEqual(baselines.cheaper(than: baselines.best + 1, on: spec), cheapest, task)
            XCTAssertNil(baselines.cheaper(than: baselines.best, on: spec), "\(task): as cheap is not cheaper")
            XCTAssertNil(baselines.cheaper(than: baselines.best - 1, on: spec), task)
        }
    }

    func testTiesGoToForwardThenReverse() {
        let order = [1, 2, 3]
        let tie = BaselineSummary.cheaper(
            than: 10, forward: 5, reverse: 5, markowitz: 5, forwardOrder: order, markowitzOrder: [2, 1, 3])
        XCTAssertEqual(tie, CheaperBaseline(name: "forward", cost: 5, order: order))
        let reverse = BaselineSummary.cheaper(
            than: 10, forward: 6, reverse: 5, markowitz: 5, forwardOrder: order, markowitzOrder: [2, 1, 3])
        XCTAssertEqual(reverse, CheaperBaseline(name: "reverse", cost: 5, order: [3, 2, 1]))
    }
}
