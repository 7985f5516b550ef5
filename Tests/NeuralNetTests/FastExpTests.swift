import Foundation
import Randomness
import XCTest
@testable import NeuralNet

/// FastExp against Foundation's exp (in Double, so the reference is exact to Float precision).
final class FastExpTests: XCTestCase {
    /// Relative error of one Float result against exp in Double.
    private func relativeError(_ x: Float, _ y: Float) -> Double {
        let reference = Foundation.exp(Double(x))
        return abs(Double(y) - reference) / reference
    }

    func testRelativeErrorOverTheNormalRangeIsWithinOneUlp() {
        // Every x where exp(x) is a normal Float: a dense sweep plus random points.
        var worst = 0.0, worstX: Float = 0
        let low: Float = -87.3, high: Float = 88.72, steps = 1_000_000
        var rng = Xoshiro256StarStar(seed: 5)
        for i in 0...(2 * steps) {
            let x =
                i <= steps
                ? low + (high - low) * Float(i) / Float(steps)
                : low + (high - low) * Float(rng.nextUniform())
            let e = relativeError(x, FastExp.exp(x))
            if e > worst { (worst, worstX) = (e, x) }
        }
        print("FastExp max relative error \(worst) at x = \(worstX) (Float ulp at 1: \(Float.ulpOfOne))")
        XCTAssertLessThan(worst, 1.2e-7)
        // Near 0, where the softmax's largest terms land, exactly 1 at 0.
        XCTAssertEqual(FastExp.exp(0), 1)
    }

    func testEdgesMatchExpf() {
        XCTAssertEqual(FastExp.exp(Float.infinity), .infinity)
        XCTAssertEqual(FastExp.exp(89), .infinity, "above log(Float.greatestFiniteMagnitude)")
        XCTAssertTrue(FastExp.exp(88.72).isFinite)
        XCTAssertEqual(Double(FastExp.exp(88.72)), Foundation.exp(Double(Float(88.72))), accuracy: 1e32)
        XCTAssertEqual(FastExp.exp(-Float.infinity), 0)
        XCTAssertEqual(FastExp.exp(-104), 0)
        XCTAssertTrue(FastExp.exp(Float.nan).isNaN)
        // Subnormal results: tiny absolute error, never negative.
        var worstAbsolute = 0.0
        for i in 0...10_000 {
            let x = -103.9 + (103.9 - 87.4) * Float(i) / 10_000
            let y = FastExp.exp(x)
            XCTAssertGreaterThanOrEqual(y, 0)
            worstAbsolute = max(worstAbsolute, abs(Double(y) - Foundation.exp(Double(x))))
        }
        print("FastExp max absolute error below the normal range \(worstAbsolute)")
        XCTAssertLessThan(worstAbsolute, 1e-44)
    }

    func testEverySIMDLaneEqualsTheScalarTwinBitForBit() {
        var rng = Xoshiro256StarStar(seed: 6)
        let special: [Float] = [0, -0.0, 1, -1, 88.72, 89, -103.9, -104, .infinity, -.infinity, .nan, 1e-30]
        for round in 0..<2_000 {
            var x = SIMD8<Float>()
            for lane in 0..<8 {
                x[lane] =
                    round < 3 && lane + 8 * round < special.count
                    ? special[lane + 8 * round] : Float(240 * rng.nextUniform() - 130)
            }
            let y = FastExp.exp(x)
            for lane in 0..<8 {
                XCTAssertEqual(y[lane].bitPattern, FastExp.exp(x[lane]).bitPattern, "exp(\(x[lane]))")
            }
        }
    }
}

extension FastExpTests {
    /// The softmax's exp: equal to `exp` bit for bit where the result is a normal Float, 0 below.
    func testExpNonPositiveIsExpOnTheNormalRangeAndFlushesBelow() {
        var rng = Xoshiro256StarStar(seed: 7)
        for _ in 0..<20_000 {
            var x = SIMD8<Float>()
            for lane in 0..<8 { x[lane] = -Float(110 * rng.nextUniform()) }
            let fast = FastExp.expNonPositive(x), full = FastExp.exp(x)
            for lane in 0..<8 {
                let expected: Float = x[lane] < -87.336_54 ? 0 : full[lane]
                XCTAssertEqual(fast[lane].bitPattern, expected.bitPattern, "exp(\(x[lane]))")
                XCTAssertEqual(FastExp.expNonPositive(x[lane]).bitPattern, expected.bitPattern)
            }
        }
        XCTAssertEqual(FastExp.expNonPositive(SIMD8(repeating: -.infinity)), SIMD8(repeating: 0))
        XCTAssertEqual(FastExp.expNonPositive(SIMD8(repeating: 0)), SIMD8(repeating: 1))
    }
}
