import Randomness
import XCTest
@testable import NeuralNet

final class ValueHeadTests: XCTestCase {
    // Row 0 has tokens 0 and 2 real; row 1 has no real token at all.
    let B = 2, T = 3, C = 4
    let mask = Buffer<Bool>([true, false, true, false, false, false])

    func testGradientsMatchFiniteDifferences() {
        var rng = Xoshiro256StarStar(seed: 50)
        let inp = Buffer<Double>.random(B * T * C, &rng), weight = Buffer<Double>.random(C, &rng)
        let bias = Buffer<Double>.random(1, &rng), probe = Buffer<Double>.random(B, &rng)
        let value = Buffer<Double>(B, repeating: 0), pooled = Buffer<Double>(B * C, repeating: 0)
        func loss() -> Double {
            valueHeadForward(
                value: value.p, pooled: pooled.p, inp: inp.p, mask: mask.p, weight: weight.p,
                bias: bias.p, B: B, T: T, C: C)
            return dot(value.p, probe.p, B)
        }
        _ = loss()
        let dinp = Buffer<Double>(B * T * C, repeating: 0), dweight = Buffer<Double>(C, repeating: 0)
        let dbias = Buffer<Double>(1, repeating: 0)
        valueHeadBackward(
            dinp: dinp.p, dweight: dweight.p, dbias: dbias.p, dvalue: probe.p, pooled: pooled.p,
            mask: mask.p, weight: weight.p, B: B, T: T, C: C)
        assertClose(
            "valueHead dinp", dinp.p, numericalGradient(of: inp.p, count: inp.count, loss: loss),
            tolerance: gradientTolerance)
        assertClose(
            "valueHead dweight", dweight.p, numericalGradient(of: weight.p, count: C, loss: loss),
            tolerance: gradientTolerance)
        assertClose(
            "valueHead dbias", dbias.p, numericalGradient(of: bias.p, count: 1, loss: loss),
            tolerance: gradientTolerance)
        _ = loss()  // the finite differences left value computed at a perturbed bias
        XCTAssertEqual(value.p[1], bias.p[0], "a row with no real token pools to zero")
    }

    func testMeanPoolGradientMatchesFiniteDifferences() {
        var rng = Xoshiro256StarStar(seed: 51)
        let inp = Buffer<Double>.random(B * T * C, &rng), probe = Buffer<Double>.random(B * C, &rng)
        let out = Buffer<Double>(B * C, repeating: 0)
        func loss() -> Double {
            maskedMeanPoolForward(out: out.p, inp: inp.p, mask: mask.p, B: B, T: T, C: C)
            return dot(out.p, probe.p, B * C)
        }
        let dinp = Buffer<Double>(B * T * C, repeating: 0)
        maskedMeanPoolBackward(dinp: dinp.p, dout: probe.p, mask: mask.p, B: B, T: T, C: C)
        assertClose(
            "meanPool dinp", dinp.p, numericalGradient(of: inp.p, count: inp.count, loss: loss),
            tolerance: gradientTolerance)
        _ = loss()
        for c in 0..<C {
            XCTAssertEqual(out.p[c], (inp.p[c] + inp.p[2 * C + c]) / 2, accuracy: 1e-15)
            XCTAssertEqual(out.p[C + c], 0)
        }
    }
}
