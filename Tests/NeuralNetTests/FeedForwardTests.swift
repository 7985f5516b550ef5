import Randomness
import XCTest
@testable import NeuralNet

final class FeedForwardTests: XCTestCase {
    let N = 4, C = 3, F = 5

    func testSiluGradientMatchesFiniteDifferences() {
        var rng = Xoshiro256StarStar(seed: 30)
        let inp = Buffer<Double>.random(N * F, &rng, scale: 4), probe = Buffer<Double>.random(N * F, &rng)
        let out = Buffer<Double>(N * F, repeating: 0)
        func loss() -> Double {
            siluForward(out: out.p, inp: inp.p, count: N * F)
            return dot(out.p, probe.p, N * F)
        }
        let dinp = Buffer<Double>(N * F, repeating: 0)
        siluBackward(dinp: dinp.p, dout: probe.p, inp: inp.p, count: N * F)
        assertClose(
            "silu dinp", dinp.p, numericalGradient(of: inp.p, count: N * F, loss: loss), tolerance: gradientTolerance)
    }

    func testSiluIsFiniteForHugeInputs() {
        let inp = Buffer<Float>([-1000, -100, 0, 100, 1000]), out = Buffer<Float>(5, repeating: .nan)
        let dinp = Buffer<Float>(5, repeating: 0), dout = Buffer<Float>(5, repeating: 1)
        siluForward(out: out.p, inp: inp.p, count: 5)
        siluBackward(dinp: dinp.p, dout: dout.p, inp: inp.p, count: 5)
        print("silu extremes out", out.array, "dinp", dinp.array)
        XCTAssertEqual(out.array, [-0, -0, 0, 100, 1000])
        XCTAssertFalse(dinp.array.contains { !$0.isFinite })
    }

    func testFeedForwardBlockGradientsMatchFiniteDifferences() {
        var rng = Xoshiro256StarStar(seed: 31)
        let inp = Buffer<Double>.random(N * C, &rng, scale: 2), probe = Buffer<Double>.random(N * C, &rng)
        let w1 = Buffer<Double>.random(F * C, &rng), b1 = Buffer<Double>.random(F, &rng)
        let w2 = Buffer<Double>.random(C * F, &rng), b2 = Buffer<Double>.random(C, &rng)
        let weights = FeedForwardWeights(fc1Weight: w1.p, fc1Bias: b1.p, fc2Weight: w2.p, fc2Bias: b2.p)
        let out = Buffer<Double>(N * C, repeating: 0)
        let fch = Buffer<Double>(N * F, repeating: 0), fchAct = Buffer<Double>(N * F, repeating: 0)
        func loss() -> Double {
            feedForwardForward(out: out.p, fch: fch.p, fchAct: fchAct.p, inp: inp.p, weights: weights, N: N, C: C, F: F)
            return dot(out.p, probe.p, N * C)
        }
        _ = loss()
        let dinp = Buffer<Double>(N * C, repeating: 0)
        let dw1 = Buffer<Double>(F * C, repeating: 0), db1 = Buffer<Double>(F, repeating: 0)
        let dw2 = Buffer<Double>(C * F, repeating: 0), db2 = Buffer<Double>(C, repeating: 0)
        let dfch = Buffer<Double>(N * F, repeating: 0), dfchAct = Buffer<Double>(N * F, repeating: 0)
        feedForwardBackward(
            dinp: dinp.p, grads: FeedForwardWeights(fc1Weight: dw1.p, fc1Bias: db1.p, fc2Weight: dw2.p, fc2Bias: db2.p),
            dfch: dfch.p, dfchAct: dfchAct.p, dout: probe.p, inp: inp.p, fch: fch.p, fchAct: fchAct.p,
            weights: weights, N: N, C: C, F: F)
        assertClose(
            "feedForward dinp", dinp.p, numericalGradient(of: inp.p, count: inp.count, loss: loss),
            tolerance: gradientTolerance)
        assertClose(
            "feedForward dfc1Weight", dw1.p, numericalGradient(of: w1.p, count: w1.count, loss: loss),
            tolerance: gradientTolerance)
        assertClose(
            "feedForward dfc1Bias", db1.p, numericalGradient(of: b1.p, count: b1.count, loss: loss),
            tolerance: gradientTolerance)
        assertClose(
            "feedForward dfc2Weight", dw2.p, numericalGradient(of: w2.p, count: w2.count, loss: loss),
            tolerance: gradientTolerance)
        assertClose(
            "feedForward dfc2Bias", db2.p, numericalGradient(of: b2.p, count: b2.count, loss: loss),
            tolerance: gradientTolerance)
    }

    func testResidualGradientMatchesFiniteDifferences() {
        var rng = Xoshiro256StarStar(seed: 32)
        let a = Buffer<Double>.random(7, &rng), b = Buffer<Double>.random(7, &rng),
            probe = Buffer<Double>.random(7, &rng)
        let out = Buffer<Double>(7, repeating: 0)
        func loss() -> Double {
            residualForward(out: out.p, a: a.p, b: b.p, count: 7)
            return dot(out.p, probe.p, 7)
        }
        let da = Buffer<Double>(7, repeating: 0), db = Buffer<Double>(7, repeating: 0)
        residualBackward(da: da.p, db: db.p, dout: probe.p, count: 7)
        assertClose("residual da", da.p, numericalGradient(of: a.p, count: 7, loss: loss), tolerance: gradientTolerance)
        assertClose("residual db", db.p, numericalGradient(of: b.p, count: 7, loss: loss), tolerance: gradientTolerance)
    }
}
