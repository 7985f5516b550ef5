import XCTest
@testable import AlphaZero

final class PolicyImprovementTests: XCTestCase {
    func testEachStepAgainstHandCalculation() {
        // Three actions, logits [ln 2, 0, 0] → π = [2/4, 1/4, 1/4]. Actions 0 and 1 visited
        // (N = [3, 1, 0]) with q = [−6, −10, _]; the network's value v̂ = −9.
        let logits = [log(2.0), 0, 0]
        let prior = PolicyImprovement.softmax(logits)
        XCTAssertEqual(prior[0], 0.5, accuracy: 1e-15)
        XCTAssertEqual(prior[2], 0.25, accuracy: 1e-15)
        let q = [-6.0, -10, 0], visits = [3, 1, 0]
        // v_mix = (v̂ + ΣN · (π0·q0 + π1·q1)/(π0 + π1)) / (1 + ΣN)
        //       = (−9 + 4 · (0.5·(−6) + 0.25·(−10)) / 0.75) / 5 = (−9 + 4 · (−22/3)) / 5 = −115/15 = −7.6667
        let mixed = PolicyImprovement.mixedValue(rawValue: -9, q: q, visits: visits, prior: prior)
        XCTAssertEqual(mixed, -115.0 / 15, accuracy: 1e-12)
        let completed = PolicyImprovement.completedQ(q: q, visits: visits, mixedValue: mixed)
        XCTAssertEqual(completed, [-6, -10, mixed])
        // Min −10, max −6, range 4: [1, 0, (−7.6667 + 10)/4 = 0.58333].
        let normalised = PolicyImprovement.rescaled(completed)
        XCTAssertEqual(normalised[0], 1, accuracy: 1e-12)
        XCTAssertEqual(normalised[1], 0, accuracy: 1e-12)
        XCTAssertEqual(normalised[2], (35.0 / 15) / 4, accuracy: 1e-12)
        // σ = (c_visit + max N) · c_scale · q̂ = (50 + 3) · 0.1 · q̂ = 5.3 · q̂.
        let sigma = PolicyImprovement.sigma(normalised, visits: visits, cVisit: 50, cScale: 0.1)
        XCTAssertEqual(sigma[0], 5.3, accuracy: 1e-12)
        XCTAssertEqual(sigma[2], 5.3 * 35 / 60, accuracy: 1e-12)
        // π' = softmax([ln 2 + 5.3, 0, 3.091667]): e^5.993147 = 400.67, e^0 = 1, e^3.091667 = 22.013;
        // sum 423.68 → [0.94568, 0.0023603, 0.051957].
        let improved = PolicyImprovement.improvedPolicy(logits: logits, transformedQ: sigma)
        XCTAssertEqual(improved[0], 0.94568, accuracy: 1e-5)
        XCTAssertEqual(improved[1], 0.0023603, accuracy: 1e-6)
        XCTAssertEqual(improved[2], 0.051957, accuracy: 1e-5)
        XCTAssertEqual(improved.reduce(0, +), 1, accuracy: 1e-12)
        // Interior choice: π' − N/(1 + ΣN) = [0.94568 − 3/5, 0.00236 − 1/5, 0.05196 − 0] → action 0.
        XCTAssertEqual(PolicyImprovement.interiorChoice(improvedPolicy: improved, visits: visits), 0)
        XCTAssertEqual(PolicyImprovement.interiorChoice(improvedPolicy: [0.5, 0.3, 0.2], visits: [9, 0, 0]), 1)
    }

    func testNothingVisitedLeavesThePriorUnchanged() {
        // All Q complete to v̂, normalise to 0, σ = 0: π' = π.
        let logits = [0.3, -1.2, 2.0]
        let sigma = PolicyImprovement.transformedQ(
            rawValue: -4, q: [0, 0, 0], visits: [0, 0, 0],
            prior: PolicyImprovement.softmax(logits), cVisit: 50, cScale: 1)
        XCTAssertEqual(sigma, [0, 0, 0])
        let improved = PolicyImprovement.improvedPolicy(logits: logits, transformedQ: sigma)
        for (a, b) in zip(improved, PolicyImprovement.softmax(logits)) { XCTAssertEqual(a, b, accuracy: 1e-15) }
        XCTAssertEqual(
            PolicyImprovement.mixedValue(
                rawValue: -4, q: [0, 0, 0], visits: [0, 0, 0], prior: [1.0 / 3, 1.0 / 3, 1.0 / 3]), -4)
    }
}
