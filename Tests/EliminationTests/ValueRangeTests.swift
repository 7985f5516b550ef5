import Foundation
import Randomness
import XCTest

@testable import Elimination

/// `ValueRange`'s rules hold what they claim: every value of an operation on points of its
/// operands' ranges lies in the range it returns, and it refuses exactly the unsafe draws.
final class ValueRangeTests: XCTestCase {
    private func randomRange(_ rng: inout SplitMix64) -> ValueRange {
        let a = Double(Int(rng.next() % 4001) - 2000) / 100, b = Double(Int(rng.next() % 4001) - 2000) / 100
        return ValueRange(lower: min(a, b), upper: max(a, b))
    }

    private func point(in r: ValueRange, _ rng: inout SplitMix64) -> Double {
        r.lower + (r.upper - r.lower) * Double(rng.next() % 10_001) / 10_000
    }

    private func contains(_ r: ValueRange, _ v: Double) -> Bool {
        let slack = 1e-12 * max(1, r.magnitude)
        return v >= r.lower - slack && v <= r.upper + slack
    }

    func testEveryValueOfAnAdmittedOperationLiesInItsRange() {
        var rng = SplitMix64(seed: 42)
        let unary: [String: (Double) -> Double] = [
            "sin": sin, "cos": cos, "tanh": tanh, "exp": exp, "sqrt": sqrt, "log": log,
        ]
        let binary: [String: (Double, Double) -> Double] = ["add": (+), "sub": (-), "mul": (*), "div": (/)]
        var admitted = 0
        for _ in 0..<3000 {
            let x = randomRange(&rng), y = randomRange(&rng)
            for (name, f) in unary {
                guard let r = x.unary(name) else { continue }
                admitted += 1
                for _ in 0..<5 {
                    let v = f(point(in: x, &rng))
                    XCTAssertTrue(v.isFinite && contains(r, v), "\(name) \(x) → \(r) ∌ \(v)")
                }
            }
            for (name, f) in binary {
                guard let r = x.binary(name, y) else { continue }
                admitted += 1
                for _ in 0..<5 {
                    let v = f(point(in: x, &rng), point(in: y, &rng))
                    XCTAssertTrue(v.isFinite && contains(r, v), "\(x) \(name) \(y) → \(r) ∌ \(v)")
                }
            }
        }
        XCTAssertGreaterThan(admitted, 10_000)
    }

    func testUnsafeDrawsAreRefused() {
        let nearZero = ValueRange(lower: 0.005, upper: 2), positive = ValueRange(lower: 0.01, upper: 2)
        XCTAssertNil(nearZero.unary("log"))
        XCTAssertNil(nearZero.unary("sqrt"))
        XCTAssertEqual(positive.unary("log"), ValueRange(lower: log(0.01), upper: log(2)))
        XCTAssertNotNil(positive.unary("sqrt"))
        XCTAssertNil(ValueRange(lower: 0, upper: 7).unary("exp"), "exp 7 > 1000")
        XCTAssertNotNil(ValueRange(lower: 0, upper: 6.9).unary("exp"))
        XCTAssertNil(positive.binary("div", ValueRange(lower: -1, upper: 1)), "a denominator through 0")
        XCTAssertNil(positive.binary("div", ValueRange(lower: 0.05, upper: 1)), "within 0.1 of 0")
        XCTAssertEqual(
            positive.binary("div", ValueRange(lower: -4, upper: -0.1)), ValueRange(lower: -20, upper: -0.0025))
        XCTAssertNil(ValueRange(lower: -40, upper: 40).binary("mul", ValueRange(lower: 0, upper: 30)), "1200 > 1000")
        let huge = ValueRange(lower: -1e308, upper: 1e308)
        XCTAssertEqual(huge.binary("add", huge), ValueRange(lower: -.infinity, upper: .infinity))
        XCTAssertNil(
            ValueRange(lower: -.infinity, upper: .infinity).binary("mul", ValueRange(lower: 0, upper: 1)), "0 · ∞")
    }
}
