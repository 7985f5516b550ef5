import XCTest
@testable import Elimination
@testable import Search

final class AnnealingTests: XCTestCase {
    func testReproducibleHonestAndNoWorseThanItsStart() throws {
        for task in ["RoeFlux_1d", "f"] {
            let spec = try SearchFixtures.spec(task)
            let start = Baselines.markowitzOrder(spec)
            let startCost = try Baselines.score(start, on: spec).cost
            let config = SimulatedAnnealing.Config(iterations: 5_000, seed: 3)
            let a = try SimulatedAnnealing(spec: spec, start: start, config: config).run()
            let b = try SimulatedAnnealing(spec: spec, start: start, config: config).run()
            SearchFixtures.assertHonest(a, spec)
            XCTAssertEqual(a, b, task)
            XCTAssertEqual(a.evaluations, 5_000)
            XCTAssertLessThan(
                a.cost, startCost, "\(task): annealing from Markowitz (\(startCost)) found nothing cheaper")
            var other = config
            other.seed = 4
            XCTAssertNotEqual(
                try SimulatedAnnealing(spec: spec, start: start, config: other).run().order, a.order, task)
        }
    }

    /// A target (a proven lower bound, from `ccelim bound`) ends the run at the first move whose
    /// order costs at most that much: the run without a target passes through the same moves, so
    /// the stopped run returns that run's order at that point, after fewer candidates.
    func testATargetStopsTheRunAtTheFirstOrderThatReachesIt() throws {
        for task in ["RoeFlux_1d", "f"] {
            let spec = try SearchFixtures.spec(task)
            let start = Baselines.markowitzOrder(spec)
            let startCost = try Baselines.score(start, on: spec).cost
            let config = SimulatedAnnealing.Config(iterations: 5_000, seed: 3)
            let full = try SimulatedAnnealing(spec: spec, start: start, config: config).run()
            XCTAssertLessThan(full.cost, startCost, task)
            func stopped(at target: Int) throws -> SearchResult {
                var targeted = config
                targeted.target = target
                return try SimulatedAnnealing(spec: spec, start: start, config: targeted).run()
            }
            // The full run's best cost: its best order is the first one of that cost, found before the end.
            let atBest = try stopped(at: full.cost)
            SearchFixtures.assertHonest(atBest, spec)
            XCTAssertEqual(atBest.order, full.order, task)
            XCTAssertLessThan(atBest.evaluations, full.evaluations, task)
            // Halfway between the start and the best: stops earlier still, at a cost in between.
            let halfway = (startCost + full.cost) / 2
            let early = try stopped(at: halfway)
            XCTAssertLessThanOrEqual(early.cost, halfway, task)
            XCTAssertGreaterThanOrEqual(early.cost, full.cost, task)
            XCTAssertLessThan(early.evaluations, atBest.evaluations, task)
            // A start that already reaches the target: no candidate at all.
            let none = try stopped(at: startCost)
            XCTAssertEqual(none.order, start, task)
            XCTAssertEqual(none.evaluations, 0, task)
        }
    }

    /// The schedule: the start temperature at progress 0, the end one at 1, falling strictly in
    /// between by the same factor per equal step (geometric), and clamped outside [0, 1].
    func testTheScheduleFallsGeometricallyFromStartToEnd() {
        let t = { (p: Double) in SimulatedAnnealing.temperature(progress: p, start: 5, end: 0.1) }
        XCTAssertEqual(t(0), 5, accuracy: 1e-12)
        XCTAssertEqual(t(1), 0.1, accuracy: 1e-12)
        XCTAssertEqual(t(-0.5), t(0))
        XCTAssertEqual(t(7), t(1))
        let points = stride(from: 0.0, through: 1.0, by: 0.125).map(t)
        for (a, b) in zip(points, points.dropFirst()) {
            XCTAssertLessThan(b, a)
            XCTAssertEqual(b / a, pow(0.1 / 5, 0.125), accuracy: 1e-12)
        }
        XCTAssertEqual(t(0.5), (5 * 0.1).squareRoot(), accuracy: 1e-12)
    }

    /// A clock-driven run on a fake clock (2⁻¹⁰ s a reading, exact in binary) is fixed work: each of
    /// the 4 cycles of a 1-s budget reads the clock every `clockInterval` moves and ends at its
    /// quarter second — 255 readings of 16 moves — so the run scores 4 × 255 × 16 candidates,
    /// ends exactly at its deadline, and repeats itself; with no time it returns its start.
    func testAFakeClockDrivesARunToItsDeadline() throws {
        let spec = try SearchFixtures.spec("RoeFlux_1d")
        let start = Baselines.markowitzOrder(spec)
        let startCost = try Baselines.score(start, on: spec).cost
        let annealer = try SimulatedAnnealing(spec: spec, start: start, config: .init(iterations: 0, seed: 3))
        XCTAssertEqual(annealer.config.cycles, 4)
        func run(seconds: Double) throws -> (SearchResult, Double) {
            var now = 0.0
            let r = try annealer.run(seconds: seconds) {
                now += 1.0 / 1024
                return now
            }
            return (r, now)
        }
        let (a, end) = try run(seconds: 1), (b, _) = try run(seconds: 1)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.evaluations, 4 * 255 * SimulatedAnnealing.clockInterval)
        XCTAssertEqual(end, 1 + 1.0 / 1024, "the first reading is the start")
        SearchFixtures.assertHonest(a, spec)
        XCTAssertLessThan(a.cost, startCost)
        let (idle, _) = try run(seconds: 0)
        XCTAssertEqual(idle.evaluations, 0)
        XCTAssertEqual(idle.order, start)
        XCTAssertThrowsError(try run(seconds: -1))
    }

    func testRefusesAnInvalidStartOrder() throws {
        let spec = try SearchFixtures.spec("PropaneCombustion")
        XCTAssertThrowsError(
            try SimulatedAnnealing(
                spec: spec, start: Array(spec.eliminable.dropLast()), config: .init(iterations: 10, seed: 1))
        ) {
            guard case .invalidOrder = $0 as? SearchError else { return XCTFail("\($0)") }
        }
    }
}
