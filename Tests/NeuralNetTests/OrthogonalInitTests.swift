import Randomness
import XCTest
@testable import NeuralNet

final class OrthogonalInitTests: XCTestCase {
    /// max |G - gain² I| where G = W Wᵀ (wide or square) or Wᵀ W (tall).
    func deviationFromOrthogonal(_ w: Buffer<Float>, rows: Int, cols: Int, gain: Double) -> Double {
        let k = min(rows, cols)
        var worst = 0.0
        for i in 0..<k {
            for j in 0..<k {
                var g = 0.0
                if rows <= cols {
                    for c in 0..<cols { g += Double(w.p[i * cols + c]) * Double(w.p[j * cols + c]) }
                } else {
                    for r in 0..<rows { g += Double(w.p[r * cols + i]) * Double(w.p[r * cols + j]) }
                }
                worst = max(worst, abs(g - (i == j ? gain * gain : 0)))
            }
        }
        return worst
    }

    func testWeightsAreOrthogonalTimesGain() {
        for (rows, cols, gain) in [(16, 16, 1.0), (8, 24, 2.0.squareRoot()), (96, 64, 0.5), (1, 32, 0.01)] {
            var rng = Xoshiro256StarStar(seed: 80)
            let w = Buffer<Float>(rows * cols, repeating: 0)
            orthogonalInitialize(w.p, rows: rows, cols: cols, gain: gain, rng: &rng)
            let d = deviationFromOrthogonal(w, rows: rows, cols: cols, gain: gain)
            print("orthogonal \(rows)x\(cols) gain \(gain) maxdiff from gain² I", d)
            XCTAssertLessThan(d, 1e-5)
        }
    }

    func testSameSeedSameWeights() {
        var a = Xoshiro256StarStar(seed: 81), b = Xoshiro256StarStar(seed: 81), c = Xoshiro256StarStar(seed: 82)
        let wa = Buffer<Float>(12, repeating: 0), wb = Buffer<Float>(12, repeating: 0),
            wc = Buffer<Float>(12, repeating: 0)
        orthogonalInitialize(wa.p, rows: 3, cols: 4, gain: 1, rng: &a)
        orthogonalInitialize(wb.p, rows: 3, cols: 4, gain: 1, rng: &b)
        orthogonalInitialize(wc.p, rows: 3, cols: 4, gain: 1, rng: &c)
        XCTAssertEqual(wa.array, wb.array)
        XCTAssertNotEqual(wa.array, wc.array)
    }
}
