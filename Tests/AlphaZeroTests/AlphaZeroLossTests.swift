import XCTest
import NeuralNet
import PPO
import Randomness
@testable import AlphaZero

/// The AlphaZero loss against central finite differences in Double, through the very kernels the
/// learner runs (they are generic).
final class AlphaZeroLossTests: XCTestCase {
    func testValueLossDerivativeMatchesFiniteDifferences() {
        var maxDiff = 0.0
        let h = 1e-6
        for v in stride(from: -6.0, through: 1.0, by: 0.41) {
            for y in [-5.7, -2.0, 0.0] {
                for coef in [0.25, 1.0] {
                    let f = { (x: Double) in alphaZeroValueLoss(value: x, target: y, coef: coef).loss }
                    let fd = (f(v + h) - f(v - h)) / (2 * h)
                    maxDiff = max(maxDiff, abs(fd - alphaZeroValueLoss(value: v, target: y, coef: coef).dValue))
                }
            }
        }
        print("alphaZeroValueLoss dValue maxdiff", maxDiff)
        XCTAssertLessThan(maxDiff, 1e-7)
        XCTAssertEqual(alphaZeroValueLoss(value: 1.5, target: -0.5, coef: 0.5).loss, 2)
    }

    /// loss = Σ_b CE(π'_b, softmax(logits_b over legal)) as a function of the logits.
    func testCrossEntropyGradientMatchesFiniteDifferences() {
        let B = 3, T = 5
        let mask: [Bool] = [
            true, true, false, true, true,
            true, true, true, true, true,
            false, true, false, false, true,
        ]
        // Targets: distributions over each row's legal actions (a zero among them in row 1).
        let target: [Double] = [
            0.1, 0.2, 0, 0.3, 0.4,
            0.5, 0, 0.25, 0.125, 0.125,
            0, 0.9, 0, 0, 0.1,
        ]
        var rng = Xoshiro256StarStar(seed: 3)
        let logits = (0..<(B * T)).map { _ in rng.nextGaussian() * 1.5 }
        func loss(_ z: [Double]) -> Double {
            var logp = [Double](repeating: 0, count: B * T), out = [Double](repeating: 0, count: B)
            maskedLogSoftmaxForward(logp: &logp, logits: z, actionMask: mask, B: B, T: T)
            crossEntropyForward(out: &out, logp: logp, target: target, actionMask: mask, B: B, T: T)
            return out.reduce(0, +)
        }
        var logp = [Double](repeating: 0, count: B * T), dlogp = [Double](repeating: 0, count: B * T)
        var dlogits = [Double](repeating: 0, count: B * T)
        maskedLogSoftmaxForward(logp: &logp, logits: logits, actionMask: mask, B: B, T: T)
        crossEntropyBackward(dlogp: &dlogp, dout: [1, 1, 1], target: target, actionMask: mask, B: B, T: T)
        maskedLogSoftmaxBackward(dlogits: &dlogits, dlogp: dlogp, logp: logp, actionMask: mask, B: B, T: T)
        var maxDiff = 0.0
        let h = 1e-6
        for k in 0..<(B * T) {
            var up = logits, down = logits
            up[k] += h
            down[k] -= h
            let fd = (loss(up) - loss(down)) / (2 * h)
            maxDiff = max(maxDiff, abs(fd - dlogits[k]))
            if !mask[k] { XCTAssertEqual(dlogits[k], 0, "an illegal action gets no gradient") }
        }
        print("cross-entropy dlogits maxdiff", maxDiff)
        XCTAssertLessThan(maxDiff, 1e-8)
        // Targets summing to 1: dlogits = p − π' on legal actions.
        for j in 0..<T where mask[T + j] {
            XCTAssertEqual(dlogits[T + j], exp(logp[T + j]) - target[T + j], accuracy: 1e-12)
        }
    }
}
