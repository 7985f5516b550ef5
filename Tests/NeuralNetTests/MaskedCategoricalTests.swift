import Randomness
import XCTest
@testable import NeuralNet

final class MaskedCategoricalTests: XCTestCase {
    // Row 0: actions 1 and 3 illegal. Row 1: all legal. Row 2: only action 2 legal.
    let B = 3, T = 4
    let mask = Buffer<Bool>([
        true, false, true, false,
        true, true, true, true,
        false, false, true, false,
    ])
    let actions = Buffer<Int>([2, 1, 2])

    func testProbabilitiesSumToOneAndIllegalActionsAreExactlyZero() {
        var rng = Xoshiro256StarStar(seed: 40)
        let logits = Buffer<Float>.random(B * T, &rng, scale: 3)
        logits.p[1] = .nan  // illegal logits are never read, whatever they hold
        logits.p[3] = .infinity
        let logp = Buffer<Float>(B * T, repeating: 0)
        maskedLogSoftmaxForward(logp: logp.p, logits: logits.p, actionMask: mask.p, B: B, T: T)
        for b in 0..<B {
            var total = 0.0
            for j in 0..<T {
                let p = exp(Double(logp.p[b * T + j]))
                if !mask.p[b * T + j] {
                    XCTAssertEqual(logp.p[b * T + j], -.infinity)
                    XCTAssertEqual(p, 0)
                }
                total += p
            }
            XCTAssertEqual(total, 1, accuracy: 1e-6)
        }
        XCTAssertEqual(logp.p[2 * T + 2], 0, "the only legal action has probability 1")
    }

    /// loss = Σ_b coefA[b] * logp(action_b) + coefH[b] * entropy_b, differentiated w.r.t. logits.
    func testLogProbAndEntropyGradientsMatchFiniteDifferences() {
        var rng = Xoshiro256StarStar(seed: 41)
        let logits = Buffer<Double>.random(B * T, &rng, scale: 2)
        let coefA = Buffer<Double>.random(B, &rng), coefH = Buffer<Double>.random(B, &rng)
        let logp = Buffer<Double>(B * T, repeating: 0), chosen = Buffer<Double>(B, repeating: 0)
        let entropy = Buffer<Double>(B, repeating: 0)
        func loss() -> Double {
            maskedLogSoftmaxForward(logp: logp.p, logits: logits.p, actionMask: mask.p, B: B, T: T)
            chosenLogProbForward(out: chosen.p, logp: logp.p, actions: actions.p, B: B, T: T)
            entropyForward(out: entropy.p, logp: logp.p, actionMask: mask.p, B: B, T: T)
            return dot(coefA.p, chosen.p, B) + dot(coefH.p, entropy.p, B)
        }
        _ = loss()
        let dlogp = Buffer<Double>(B * T, repeating: 0), dlogits = Buffer<Double>(B * T, repeating: 0)
        chosenLogProbBackward(dlogp: dlogp.p, dout: coefA.p, actions: actions.p, B: B, T: T)
        entropyBackward(dlogp: dlogp.p, dout: coefH.p, logp: logp.p, actionMask: mask.p, B: B, T: T)
        maskedLogSoftmaxBackward(dlogits: dlogits.p, dlogp: dlogp.p, logp: logp.p, actionMask: mask.p, B: B, T: T)
        assertClose(
            "maskedCategorical dlogits", dlogits.p, numericalGradient(of: logits.p, count: B * T, loss: loss),
            tolerance: gradientTolerance)
        for i in 0..<(B * T) where !mask.p[i] { XCTAssertEqual(dlogits.p[i], 0, "illegal logit \(i) gets no gradient") }
    }

    func testEntropyMatchesClosedForm() {
        // Two legal actions with equal logits: entropy log 2. One legal action: entropy 0.
        let logits = Buffer<Double>([0.3, 5, 0.3, -7, 1, 2, 3, 4, 9, 9, 9, 9])
        let logp = Buffer<Double>(B * T, repeating: 0), entropy = Buffer<Double>(B, repeating: 0)
        maskedLogSoftmaxForward(logp: logp.p, logits: logits.p, actionMask: mask.p, B: B, T: T)
        entropyForward(out: entropy.p, logp: logp.p, actionMask: mask.p, B: B, T: T)
        XCTAssertEqual(entropy.p[0], log(2), accuracy: 1e-12)
        XCTAssertEqual(entropy.p[2], 0)
    }

    func testRowWithNoLegalActionOrMinusInfinityLogitsStaysFinite() {
        let noneLegal = Buffer<Bool>([false, false, false, true, true, true])
        let logits = Buffer<Float>([1, 2, 3, -.infinity, 0, -.infinity])
        let logp = Buffer<Float>(6, repeating: 0), entropy = Buffer<Float>(2, repeating: .nan)
        maskedLogSoftmaxForward(logp: logp.p, logits: logits.p, actionMask: noneLegal.p, B: 2, T: 3)
        entropyForward(out: entropy.p, logp: logp.p, actionMask: noneLegal.p, B: 2, T: 3)
        XCTAssertEqual(Array(logp.array[0..<3]), [-.infinity, -.infinity, -.infinity])
        XCTAssertEqual(Array(logp.array[3..<6]), [-.infinity, 0, -.infinity])
        XCTAssertEqual(entropy.array, [0, 0])

        let dout = Buffer<Float>([1, 1]), dlogp = Buffer<Float>(6, repeating: 0),
            dlogits = Buffer<Float>(6, repeating: 0)
        entropyBackward(dlogp: dlogp.p, dout: dout.p, logp: logp.p, actionMask: noneLegal.p, B: 2, T: 3)
        maskedLogSoftmaxBackward(dlogits: dlogits.p, dlogp: dlogp.p, logp: logp.p, actionMask: noneLegal.p, B: 2, T: 3)
        XCTAssertFalse(dlogits.array.contains { $0.isNaN })
        XCTAssertNil(sampleMaskedCategorical(logp: logp.p, actionMask: noneLegal.p, T: 3, uniform: 0.5))
        XCTAssertEqual(sampleMaskedCategorical(logp: logp.p + 3, actionMask: noneLegal.p + 3, T: 3, uniform: 0.999), 1)
    }

    func testSamplingNeverPicksIllegalActionsAndMatchesProbabilities() {
        let logits = Buffer<Double>([0.5, 100, -1, 100, 2])  // the huge logits are illegal
        let legal = Buffer<Bool>([true, false, true, false, true])
        let logp = Buffer<Double>(5, repeating: 0)
        maskedLogSoftmaxForward(logp: logp.p, logits: logits.p, actionMask: legal.p, B: 1, T: 5)
        var rng = Xoshiro256StarStar(seed: 42)
        var counts = [Int](repeating: 0, count: 5)
        let draws = 200_000
        for _ in 0..<draws {
            counts[sampleMaskedCategorical(logp: logp.p, actionMask: legal.p, T: 5, uniform: rng.nextUniform())!] += 1
        }
        XCTAssertEqual(counts[1], 0)
        XCTAssertEqual(counts[3], 0)
        var worst = 0.0
        for j in [0, 2, 4] { worst = max(worst, abs(Double(counts[j]) / Double(draws) - exp(logp.p[j]))) }
        print("sampling frequency maxdiff", worst)
        XCTAssertLessThan(worst, 0.005)  // about 5 standard errors at 200k draws
        // Rounding: a uniform just below 1 still lands on a legal action.
        XCTAssertEqual(sampleMaskedCategorical(logp: logp.p, actionMask: legal.p, T: 5, uniform: 1 - 1e-17), 4)
    }
}
