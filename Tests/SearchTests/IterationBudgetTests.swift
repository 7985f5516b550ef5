import XCTest
@testable import Search

/// The budget rule on a simulated clock: a probe of n iterations advances it by a fixed cost (the
/// search's setup) plus n times the per-iteration cost, and the final run of the fitted count
/// would take the same. Probes plus that run must stay within the budget whatever the speed.
final class IterationBudgetTests: XCTestCase {
    func testProbesAndTheFittedRunStayWithinTheBudget() throws {
        for seconds in [0.5, 2, 60] {
            for perIteration in [1e-7, 1e-5, 1e-3, 0.023] {
                for setup in [0.0, 0.01] {
                    var now = 0.0
                    var probes: [Int] = []
                    let (count, spent) = try IterationBudget.fit(
                        seconds: seconds, firstProbe: 16, maxProbeSeconds: 1, clock: { now }
                    ) { (n: Int) throws(SearchError) in
                        probes.append(n)
                        now += setup + Double(n) * perIteration
                    }
                    let label = "budget \(seconds) s, \(perIteration) s per iteration, setup \(setup) s"
                    XCTAssertEqual(spent, now, accuracy: 1e-9, label)
                    XCTAssertEqual(probes.first, 16, label)
                    let total = spent + setup + Double(count) * perIteration
                    // Within the budget up to the run's own setup (the rate spreads it over the iterations).
                    XCTAssertLessThanOrEqual(total, seconds + setup + 1e-9, label)
                    // And it fills the budget: to one iteration without setup; the probes' setup makes
                    // the rate look slower, so with it at least half.
                    XCTAssertGreaterThanOrEqual(total, setup == 0 ? seconds - perIteration - 1e-9 : seconds / 2, label)
                }
            }
        }
    }

    /// The issue-17 overrun: 2,000-iteration probes of 23 ms iterations took 46 s of a 1 s budget.
    func testASlowFirstProbeDoesNotDouble() throws {
        var now = 0.0
        var probes: [Int] = []
        let (count, spent) = try IterationBudget.fit(seconds: 1, firstProbe: 30, maxProbeSeconds: 1, clock: { now }) {
            (n: Int) throws(SearchError) in
            probes.append(n)
            now += Double(n) * 0.023
        }
        XCTAssertEqual(probes, [30], "a 0.69 s probe is already past half of a 1 s budget")
        XCTAssertEqual(spent, 0.69, accuracy: 1e-9)
        XCTAssertEqual(count, 13, "the 0.31 s left at 23 ms per iteration")
    }
}
