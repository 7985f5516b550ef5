import XCTest
@testable import PPO

/// The per-transition loss terms against central finite differences in Double.
final class PPOLossTests: XCTestCase {
    func testPolicyLossDerivativeMatchesFiniteDifferences() {
        var maxDiff = 0.0
        let h = 1e-6
        for newLP in stride(from: -2.0, through: -0.1, by: 0.173) {
            for oldLP in [-1.7, -0.9, -0.3] {
                for adv in [-1.3, -0.2, 0.4, 2.0] {
                    let ratio = exp(newLP - oldLP)
                    // Finite differences are meaningless at the kinks of the clip.
                    if abs(ratio - 0.8) < 1e-3 || abs(ratio - 1.2) < 1e-3 { continue }
                    let f = { (x: Double) in
                        ppoPolicyLoss(newLogProb: x, oldLogProb: oldLP, advantage: adv, clip: 0.2).loss
                    }
                    let fd = (f(newLP + h) - f(newLP - h)) / (2 * h)
                    let analytic = ppoPolicyLoss(newLogProb: newLP, oldLogProb: oldLP, advantage: adv, clip: 0.2)
                        .dNewLogProb
                    maxDiff = max(maxDiff, abs(fd - analytic))
                }
            }
        }
        print("ppoPolicyLoss dNewLogProb maxdiff", maxDiff)
        XCTAssertLessThan(maxDiff, 1e-7)
    }

    func testValueLossDerivativeMatchesFiniteDifferences() {
        var maxDiff = 0.0
        let h = 1e-6
        for v in stride(from: -3.0, through: 3.0, by: 0.37) {
            for old in [-1.0, 0.3, 2.2] {
                for y in [-2.5, 0.0, 1.7] {
                    for clipped in [true, false] {
                        if clipped && (abs(abs(v - old) - 0.2) < 1e-3) { continue }
                        let f = { (x: Double) in
                            ppoValueLoss(value: x, oldValue: old, target: y, clip: 0.2, clipped: clipped).loss
                        }
                        let fd = (f(v + h) - f(v - h)) / (2 * h)
                        let analytic = ppoValueLoss(value: v, oldValue: old, target: y, clip: 0.2, clipped: clipped)
                            .dValue
                        maxDiff = max(maxDiff, abs(fd - analytic))
                    }
                }
            }
        }
        print("ppoValueLoss dValue maxdiff", maxDiff)
        XCTAssertLessThan(maxDiff, 1e-6)
    }

    func testClippedSurrogateIsFlatOutsideTheTrustRegion() {
        // Positive advantage, ratio far above 1 + ε: the clipped branch wins and has no gradient.
        let r = ppoPolicyLoss(newLogProb: 0.0, oldLogProb: -1.0, advantage: 1.0, clip: 0.2)
        XCTAssertEqual(r.loss, -1.2, accuracy: 1e-12)
        XCTAssertEqual(r.dNewLogProb, 0)
        // Negative advantage with a large ratio: the unclipped branch is the max and keeps pushing down.
        let s = ppoPolicyLoss(newLogProb: 0.0, oldLogProb: -1.0, advantage: -1.0, clip: 0.2)
        XCTAssertEqual(s.loss, exp(1.0), accuracy: 1e-12)
        XCTAssertEqual(s.dNewLogProb, exp(1.0), accuracy: 1e-12)
    }
}
