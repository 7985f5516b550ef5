import Randomness
import XCTest
@testable import NeuralNet

final class AttentionTests: XCTestCase {
    // Batch row 0 has token 2 masked; batch row 1 has every token masked.
    let B = 2, T = 3, NH = 2, HD = 3, C = 5
    let keyMask = Buffer<Bool>([true, true, false, false, false, false])
    var A: Int { NH * HD }

    func testAttentionCoreGradientMatchesFiniteDifferences() {
        var rng = Xoshiro256StarStar(seed: 20)
        let qkv = Buffer<Double>.random(B * T * 3 * A, &rng, scale: 2), probe = Buffer<Double>.random(B * T * A, &rng)
        let out = Buffer<Double>(B * T * A, repeating: 0), att = Buffer<Double>(B * NH * T * T, repeating: 0)
        func loss() -> Double {
            attentionForward(out: out.p, att: att.p, qkv: qkv.p, keyMask: keyMask.p, B: B, T: T, NH: NH, HD: HD)
            return dot(out.p, probe.p, B * T * A)
        }
        _ = loss()
        let dqkv = Buffer<Double>(B * T * 3 * A, repeating: 0), datt = Buffer<Double>(B * NH * T * T, repeating: 0)
        attentionBackward(dqkv: dqkv.p, datt: datt.p, dout: probe.p, qkv: qkv.p, att: att.p, B: B, T: T, NH: NH, HD: HD)
        assertClose(
            "attention dqkv", dqkv.p, numericalGradient(of: qkv.p, count: qkv.count, loss: loss),
            tolerance: gradientTolerance)
    }

    func testMaskedKeysGetNoWeightAndAllMaskedRowIsZeroNotNaN() {
        var rng = Xoshiro256StarStar(seed: 21)
        let qkv = Buffer<Float>.random(B * T * 3 * A, &rng, scale: 2)
        let out = Buffer<Float>(B * T * A, repeating: .nan), att = Buffer<Float>(B * NH * T * T, repeating: .nan)
        attentionForward(out: out.p, att: att.p, qkv: qkv.p, keyMask: keyMask.p, B: B, T: T, NH: NH, HD: HD)
        for h in 0..<NH {
            for t in 0..<T {
                let row0 = (0..<T).map { att.p[((0 * NH + h) * T + t) * T + $0] }
                XCTAssertEqual(row0[2], 0, "masked key must get exactly zero weight")
                XCTAssertEqual(Double(row0[0] + row0[1]), 1, accuracy: 1e-6)
                let row1 = (0..<T).map { att.p[((1 * NH + h) * T + t) * T + $0] }
                XCTAssertEqual(row1, [0, 0, 0], "a row with every key masked attends to nothing")
            }
        }
        XCTAssertFalse(out.array.contains { $0.isNaN })
        XCTAssertEqual(Array(out.array[(T * A)...]), [Float](repeating: 0, count: T * A))
    }

    /// The gemm-based forward in Float against loops straight from the definition.
    func testBlasMatchesNaiveLoops() {
        let B = 3, T = 7, NH = 3, HD = 4, A = NH * HD
        var rng = Xoshiro256StarStar(seed: 22)
        let qkv = Buffer<Float>.random(B * T * 3 * A, &rng, scale: 2)
        let mask = Buffer<Bool>((0..<(B * T)).map { $0 % 4 != 1 })
        let out = Buffer<Float>(B * T * A, repeating: 0), naive = Buffer<Float>(B * T * A, repeating: 0)
        let att = Buffer<Float>(B * NH * T * T, repeating: 0)
        attentionForward(out: out.p, att: att.p, qkv: qkv.p, keyMask: mask.p, B: B, T: T, NH: NH, HD: HD)
        attentionForwardNaive(out: naive.p, qkv: qkv.p, keyMask: mask.p, B: B, T: T, NH: NH, HD: HD)
        assertClose("attention blas vs naive out", out.p, naive.array, tolerance: 1e-5)
    }

    func testSelfAttentionBlockGradientsMatchFiniteDifferences() {
        var rng = Xoshiro256StarStar(seed: 23)
        let inp = Buffer<Double>.random(B * T * C, &rng), probe = Buffer<Double>.random(B * T * C, &rng)
        let qkvW = Buffer<Double>.random(3 * A * C, &rng), qkvB = Buffer<Double>.random(3 * A, &rng)
        let projW = Buffer<Double>.random(C * A, &rng), projB = Buffer<Double>.random(C, &rng)
        let weights = SelfAttentionWeights(qkvWeight: qkvW.p, qkvBias: qkvB.p, projWeight: projW.p, projBias: projB.p)
        let out = Buffer<Double>(B * T * C, repeating: 0), qkv = Buffer<Double>(B * T * 3 * A, repeating: 0)
        let atty = Buffer<Double>(B * T * A, repeating: 0), att = Buffer<Double>(B * NH * T * T, repeating: 0)
        func loss() -> Double {
            selfAttentionForward(
                out: out.p, qkv: qkv.p, atty: atty.p, att: att.p, inp: inp.p, keyMask: keyMask.p,
                weights: weights, B: B, T: T, C: C, NH: NH, HD: HD)
            return dot(out.p, probe.p, B * T * C)
        }
        _ = loss()
        let dinp = Buffer<Double>(B * T * C, repeating: 0)
        let dqkvW = Buffer<Double>(3 * A * C, repeating: 0), dqkvB = Buffer<Double>(3 * A, repeating: 0)
        let dprojW = Buffer<Double>(C * A, repeating: 0), dprojB = Buffer<Double>(C, repeating: 0)
        let dqkv = Buffer<Double>(B * T * 3 * A, repeating: 0), datty = Buffer<Double>(B * T * A, repeating: 0)
        let datt = Buffer<Double>(B * NH * T * T, repeating: 0)
        selfAttentionBackward(
            dinp: dinp.p,
            grads: SelfAttentionWeights(qkvWeight: dqkvW.p, qkvBias: dqkvB.p, projWeight: dprojW.p, projBias: dprojB.p),
            dqkv: dqkv.p, datty: datty.p, datt: datt.p, dout: probe.p, inp: inp.p, qkv: qkv.p,
            atty: atty.p, att: att.p, weights: weights, B: B, T: T, C: C, NH: NH, HD: HD)
        assertClose(
            "selfAttention dinp", dinp.p, numericalGradient(of: inp.p, count: inp.count, loss: loss),
            tolerance: gradientTolerance)
        assertClose(
            "selfAttention dqkvWeight", dqkvW.p, numericalGradient(of: qkvW.p, count: qkvW.count, loss: loss),
            tolerance: gradientTolerance)
        assertClose(
            "selfAttention dqkvBias", dqkvB.p, numericalGradient(of: qkvB.p, count: qkvB.count, loss: loss),
            tolerance: gradientTolerance)
        assertClose(
            "selfAttention dprojWeight", dprojW.p, numericalGradient(of: projW.p, count: projW.count, loss: loss),
            tolerance: gradientTolerance)
        assertClose(
            "selfAttention dprojBias", dprojB.p, numericalGradient(of: projB.p, count: projB.count, loss: loss),
            tolerance: gradientTolerance)
    }
}
