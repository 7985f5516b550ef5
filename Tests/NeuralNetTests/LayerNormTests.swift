import Randomness
import XCTest
@testable import NeuralNet

final class LayerNormTests: XCTestCase {
    let N = 4, C = 6

    func testGradientsMatchFiniteDifferences() {
        var rng = Xoshiro256StarStar(seed: 10)
        let inp = Buffer<Double>.random(N * C, &rng, scale: 2), weight = Buffer<Double>.random(C, &rng)
        let bias = Buffer<Double>.random(C, &rng), probe = Buffer<Double>.random(N * C, &rng)
        let out = Buffer<Double>(N * C, repeating: 0)
        let mean = Buffer<Double>(N, repeating: 0), rstd = Buffer<Double>(N, repeating: 0)
        func loss() -> Double {
            layerNormForward(
                out: out.p, mean: mean.p, rstd: rstd.p, inp: inp.p, weight: weight.p, bias: bias.p, N: N, C: C)
            return dot(out.p, probe.p, N * C)
        }
        _ = loss()
        let dinp = Buffer<Double>(N * C, repeating: 0), dweight = Buffer<Double>(C, repeating: 0)
        let dbias = Buffer<Double>(C, repeating: 0)
        layerNormBackward(
            dinp: dinp.p, dweight: dweight.p, dbias: dbias.p, dout: probe.p, inp: inp.p,
            weight: weight.p, mean: mean.p, rstd: rstd.p, N: N, C: C)
        assertClose(
            "layerNorm dinp", dinp.p, numericalGradient(of: inp.p, count: N * C, loss: loss),
            tolerance: gradientTolerance)
        assertClose(
            "layerNorm dweight", dweight.p, numericalGradient(of: weight.p, count: C, loss: loss),
            tolerance: gradientTolerance)
        assertClose(
            "layerNorm dbias", dbias.p, numericalGradient(of: bias.p, count: C, loss: loss),
            tolerance: gradientTolerance)
    }

    func testUnitWeightGivesZeroMeanUnitVariance() {
        var rng = Xoshiro256StarStar(seed: 11)
        let inp = Buffer<Double>.random(N * C, &rng, scale: 5)
        let weight = Buffer<Double>(C, repeating: 1), bias = Buffer<Double>(C, repeating: 0)
        let out = Buffer<Double>(N * C, repeating: 0)
        let mean = Buffer<Double>(N, repeating: 0), rstd = Buffer<Double>(N, repeating: 0)
        layerNormForward(out: out.p, mean: mean.p, rstd: rstd.p, inp: inp.p, weight: weight.p, bias: bias.p, N: N, C: C)
        for n in 0..<N {
            let row = (0..<C).map { out.p[n * C + $0] }
            let m = row.reduce(0, +) / Double(C)
            let v = row.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(C)
            XCTAssertEqual(m, 0, accuracy: 1e-12)
            XCTAssertEqual(v, 1, accuracy: 1e-5)  // eps = 1e-5 keeps it just under 1
        }
    }

    func testConstantRowIsFinite() {
        let inp = Buffer<Float>(C, repeating: 3), weight = Buffer<Float>(C, repeating: 1)
        let bias = Buffer<Float>(C, repeating: 0.25), out = Buffer<Float>(C, repeating: 0)
        let mean = Buffer<Float>(1, repeating: 0), rstd = Buffer<Float>(1, repeating: 0)
        layerNormForward(out: out.p, mean: mean.p, rstd: rstd.p, inp: inp.p, weight: weight.p, bias: bias.p, N: 1, C: C)
        XCTAssertEqual(out.array, [Float](repeating: 0.25, count: C))
    }
}
