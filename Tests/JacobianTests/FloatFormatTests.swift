import XCTest

@testable import Jacobian

/// FloatFormat's rounding against the hardware's and Swift's own conversions, which round to
/// nearest with ties to even: Float(x) (with XLA's flush of float32 subnormals) and Float16(x), on
/// random doubles over every exponent the formats have and beyond, ties and boundaries included.
final class FloatFormatTests: XCTestCase {
    private func samples() -> [Double] {
        var generator = SystemRandomNumberGenerator()
        var xs: [Double] = [
            0, -0.0, 1, -1, .infinity, -.infinity, 65504, 65519.99, 65520, -65520, 0x1p-14, 0x1p-24, 0x1p-25,
            0x1.8p-25, 1 + 0x1p-11, 1 + 0x1p-24, 1 + 3 * 0x1p-25, Double(Float.greatestFiniteMagnitude),
            Double(Float.greatestFiniteMagnitude) * (1 + 0x1p-25), 0x1p-126, 0x1p-127, 0x1.fffffep-127,
        ]
        for _ in 0..<20_000 {
            let exponent = Int.random(in: -160...140, using: &generator)
            let significand = Double.random(in: 1..<2, using: &generator)
            xs.append(
                (Bool.random(using: &generator) ? -1 : 1) * significand
                    * Double(sign: .plus, exponent: exponent, significand: 1))
        }
        // Exact ties of float16 and float32: a value with one more bit, set.
        for _ in 0..<2_000 {
            let h = Double(Float16(bitPattern: UInt16.random(in: 0x0400..<0x7bff, using: &generator)))
            xs.append(h + h.ulpOfFloat16 / 2)
            let f = Double(Float(bitPattern: UInt32.random(in: 0x0080_0000..<0x7f7f_ffff, using: &generator)))
            xs.append(f + Double(Float(f).ulp) / 2)
        }
        return xs
    }

    func testFloat32IsFloatWithSubnormalsFlushed() {
        for x in samples() {
            var expected = Double(Float(x))
            if expected != 0 && Swift.abs(expected) < Double(Float.leastNormalMagnitude) { expected = x < 0 ? -0.0 : 0 }
            let got = FloatFormat.float32.round(x)
            XCTAssertEqual(got.bitPattern, expected.bitPattern, "\(x): \(got), Float gives \(expected)")
        }
    }

    func testFloat16IsSwiftsFloat16() {
        for x in samples() {
            let expected = Double(Float16(x))
            let got = FloatFormat.float16.round(x)
            XCTAssertEqual(got.bitPattern, expected.bitPattern, "\(x): \(got), Float16 gives \(expected)")
        }
    }

    /// bfloat16 is float32's exponent with 8 significand bits: values from ml_dtypes (JAX's
    /// bfloat16) for ties, overflow and the flush, and the rule that rounding twice through a
    /// finer format changes nothing for a value already held by the coarser one.
    func testBFloat16() {
        let cases: [(Double, Double)] = [
            (1 + 0x1p-8, 1), (1 + 3 * 0x1p-9, 1 + 0x1p-7), (0.1, 0.10009765625), (-70000, -70144),
            (3.0e38, 0x1.c4p+127), (3.4e38, .infinity), (1e-41, 0), (-1e-41, -0.0), (2.5, 2.5),
        ]
        for (x, expected) in cases {
            XCTAssertEqual(FloatFormat.bfloat16.round(x).bitPattern, expected.bitPattern, "\(x)")
        }
        for x in samples() {
            let b = FloatFormat.bfloat16.round(x)
            XCTAssertEqual(FloatFormat.bfloat16.round(b).bitPattern, b.bitPattern, "\(x)")
            XCTAssertEqual(FloatFormat.float32.round(b).bitPattern, b.bitPattern, "\(x)")
            if b.isFinite { XCTAssertLessThanOrEqual(Swift.abs(b - x), Swift.abs(x) * 0x1p-8 + 0x1p-126, "\(x)") }
        }
    }

    func testWhichFormatsHoldWhich() {
        XCTAssertTrue(FloatFormat.float32.holds(.bfloat16))
        XCTAssertTrue(FloatFormat.float32.holds(.float16))
        XCTAssertFalse(FloatFormat.bfloat16.holds(.float16))
        XCTAssertFalse(FloatFormat.float16.holds(.bfloat16))
        XCTAssertFalse(FloatFormat.float16.holds(.float32))
        // reduce_precision's formats: bfloat16's and float32's bits are those formats; float16's
        // bits are float16 with its subnormals flushed; a format survives its tape code.
        XCTAssertEqual(FloatFormat(exponentBits: 8, mantissaBits: 7), .bfloat16)
        XCTAssertEqual(FloatFormat(exponentBits: 8, mantissaBits: 23), .float32)
        let half = FloatFormat(exponentBits: 5, mantissaBits: 10)!
        XCTAssertNotEqual(half, .float16)
        XCTAssertEqual([half.significandBits, half.minExponent, half.maxExponent], [11, -14, 15])
        XCTAssertEqual(FloatFormat(code: half.code), half)
        XCTAssertEqual([half.exponentBits, half.mantissaBits], [5, 10])
        XCTAssertNil(FloatFormat(exponentBits: 12, mantissaBits: 3))
        XCTAssertTrue(ElementwiseLowering.narrows(from: "f64", to: .float32))
        XCTAssertFalse(ElementwiseLowering.narrows(from: "f32", to: .float32))
        XCTAssertTrue(ElementwiseLowering.narrows(from: "i32", to: .bfloat16))
        XCTAssertFalse(ElementwiseLowering.narrows(from: "bool", to: .float16))
    }
}

extension Double {
    /// The spacing of float16 values at this (float16) value.
    fileprivate var ulpOfFloat16: Double { Double(Float16(self).ulp) }
}
