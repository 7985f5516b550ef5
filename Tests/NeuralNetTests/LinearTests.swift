import Randomness
import XCTest
@testable import NeuralNet

final class LinearTests: XCTestCase {
    let N = 5, C = 4, OC = 3

    func testGradientsMatchFiniteDifferences() {
        var rng = Xoshiro256StarStar(seed: 1)
        let inp = Buffer<Double>.random(N * C, &rng), weight = Buffer<Double>.random(OC * C, &rng)
        let bias = Buffer<Double>.random(OC, &rng), probe = Buffer<Double>.random(N * OC, &rng)
        let out = Buffer<Double>(N * OC, repeating: 0)
        // loss = probe · out, so dloss/dout = probe.
        func loss() -> Double {
            linearForward(out: out.p, inp: inp.p, weight: weight.p, bias: bias.p, N: N, C: C, OC: OC)
            return dot(out.p, probe.p, N * OC)
        }
        let dinp = Buffer<Double>(N * C, repeating: 0), dweight = Buffer<Double>(OC * C, repeating: 0)
        let dbias = Buffer<Double>(OC, repeating: 0)
        linearBackward(
            dinp: dinp.p, dweight: dweight.p, dbias: dbias.p, dout: probe.p,
            inp: inp.p, weight: weight.p, N: N, C: C, OC: OC)
        assertClose(
            "linear dinp", dinp.p, numericalGradient(of: inp.p, count: N * C, loss: loss), tolerance: gradientTolerance)
        assertClose(
            "linear dweight", dweight.p, numericalGradient(of: weight.p, count: OC * C, loss: loss),
            tolerance: gradientTolerance)
        assertClose(
            "linear dbias", dbias.p, numericalGradient(of: bias.p, count: OC, loss: loss), tolerance: gradientTolerance)
    }

    func testBackwardAddsIntoExistingGradients() {
        var rng = Xoshiro256StarStar(seed: 2)
        let inp = Buffer<Double>.random(N * C, &rng), weight = Buffer<Double>.random(OC * C, &rng)
        let dout = Buffer<Double>.random(N * OC, &rng)
        let once = Buffer<Double>(OC * C, repeating: 0), twice = Buffer<Double>(OC * C, repeating: 0)
        linearBackward(
            dinp: nil, dweight: once.p, dbias: nil, dout: dout.p, inp: inp.p, weight: weight.p, N: N, C: C, OC: OC)
        for _ in 0..<2 {
            linearBackward(
                dinp: nil, dweight: twice.p, dbias: nil, dout: dout.p, inp: inp.p, weight: weight.p, N: N, C: C, OC: OC)
        }
        assertClose("linear accumulate dweight", twice.p, once.array.map { 2 * $0 }, tolerance: 1e-12)
    }

    /// The CBLAS path in Float against plain loops in Float, at a size where BLAS blocks matter.
    func testBlasMatchesNaiveLoops() {
        let N = 37, C = 29, OC = 41
        var rng = Xoshiro256StarStar(seed: 3)
        let inp = Buffer<Float>.random(N * C, &rng), weight = Buffer<Float>.random(OC * C, &rng)
        let bias = Buffer<Float>.random(OC, &rng), dout = Buffer<Float>.random(N * OC, &rng)
        let out = Buffer<Float>(N * OC, repeating: 0), outNaive = Buffer<Float>(N * OC, repeating: 0)
        linearForward(out: out.p, inp: inp.p, weight: weight.p, bias: bias.p, N: N, C: C, OC: OC)
        linearForwardNaive(out: outNaive.p, inp: inp.p, weight: weight.p, bias: bias.p, N: N, C: C, OC: OC)
        assertClose("linear blas vs naive out", out.p, outNaive.array, tolerance: 1e-5)

        let dinp = Buffer<Float>(N * C, repeating: 0.5), dweight = Buffer<Float>(OC * C, repeating: 0.5)
        let dbias = Buffer<Float>(OC, repeating: 0.5)
        let dinpNaive = Buffer<Float>(N * C, repeating: 0.5), dweightNaive = Buffer<Float>(OC * C, repeating: 0.5)
        let dbiasNaive = Buffer<Float>(OC, repeating: 0.5)
        linearBackward(
            dinp: dinp.p, dweight: dweight.p, dbias: dbias.p, dout: dout.p,
            inp: inp.p, weight: weight.p, N: N, C: C, OC: OC)
        linearBackwardNaive(
            dinp: dinpNaive.p, dweight: dweightNaive.p, dbias: dbiasNaive.p, dout: dout.p,
            inp: inp.p, weight: weight.p, N: N, C: C, OC: OC)
        assertClose("linear blas vs naive dinp", dinp.p, dinpNaive.array, tolerance: 1e-5)
        assertClose("linear blas vs naive dweight", dweight.p, dweightNaive.array, tolerance: 1e-5)
        assertClose("linear blas vs naive dbias", dbias.p, dbiasNaive.array, tolerance: 1e-5)
    }

    func testEmptyBatchLeavesGradientsAlone() {
        let weight = Buffer<Float>(OC * C, repeating: 1), dweight = Buffer<Float>(OC * C, repeating: 3)
        let none = Buffer<Float>(1, repeating: 0)
        linearBackward(
            dinp: nil, dweight: dweight.p, dbias: nil, dout: none.p, inp: none.p,
            weight: weight.p, N: 0, C: C, OC: OC)
        XCTAssertEqual(dweight.array, [Float](repeating: 3, count: OC * C))
    }
}
