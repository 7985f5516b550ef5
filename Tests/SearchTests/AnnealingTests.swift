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
