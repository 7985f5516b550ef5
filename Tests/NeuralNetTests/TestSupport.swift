// Shared helpers: owned test buffers, central finite differences in Double, and the comparison
// that prints the max difference before asserting on it.

import Randomness
import XCTest
@testable import NeuralNet

/// A heap buffer that frees itself, so tests can pass `.p` to kernels without nesting closures.
final class Buffer<Element> {
    let p: UnsafeMutablePointer<Element>
    let count: Int

    init(_ count: Int, repeating value: Element) {
        self.count = count
        p = .allocate(capacity: max(count, 1))
        p.initialize(repeating: value, count: max(count, 1))
    }

    convenience init(_ values: [Element]) {
        self.init(values.count, repeating: values[0])
        for i in 0..<values.count { p[i] = values[i] }
    }

    deinit { p.deallocate() }

    var array: [Element] { Array(UnsafeBufferPointer(start: p, count: count)) }
}

extension Buffer where Element: BinaryFloatingPoint {
    /// Uniform in [-scale, scale), from the test's own seeded generator.
    static func random(_ count: Int, _ rng: inout Xoshiro256StarStar, scale: Double = 1) -> Buffer {
        let b = Buffer(count, repeating: 0)
        for i in 0..<count { b.p[i] = Element(scale * (2 * rng.nextUniform() - 1)) }
        return b
    }

    func converted<Other: BinaryFloatingPoint>(to: Other.Type) -> Buffer<Other> {
        let b = Buffer<Other>(count, repeating: 0)
        for i in 0..<count { b.p[i] = Other(p[i]) }
        return b
    }

    func zero() { p.update(repeating: 0, count: count) }
}

func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
    var s = 0.0
    for i in 0..<count { s += a[i] * b[i] }
    return s
}

/// ∂loss/∂x[i] for every i by central differences, perturbing x in place and restoring it.
/// In Double with h = 1e-5 the error is around 1e-10 for the smooth functions tested here.
func numericalGradient(
    of x: UnsafeMutablePointer<Double>, count: Int, h: Double = 1e-5,
    loss: () -> Double
) -> [Double] {
    var g = [Double](repeating: 0, count: count)
    for i in 0..<count {
        let saved = x[i]
        x[i] = saved + h
        let up = loss()
        x[i] = saved - h
        let down = loss()
        x[i] = saved
        g[i] = (up - down) / (2 * h)
    }
    return g
}

/// Max absolute difference, and that divided by the largest reference magnitude.
func maxDifference<S: BinaryFloatingPoint, R: BinaryFloatingPoint>(
    _ actual: UnsafePointer<S>, _ expected: [R]
) -> (abs: Double, rel: Double) {
    var worst = 0.0, scale = 0.0
    for i in 0..<expected.count {
        worst = max(worst, abs(Double(actual[i]) - Double(expected[i])))
        scale = max(scale, abs(Double(expected[i])))
    }
    return (worst, scale > 0 ? worst / scale : worst)
}

/// Prints "<name> maxdiff abs … rel …" and asserts the absolute difference is within tolerance.
/// Also asserts the reference is not all zero, so a check cannot pass by comparing zeros.
func assertClose<S: BinaryFloatingPoint, R: BinaryFloatingPoint>(
    _ name: String, _ actual: UnsafePointer<S>, _ expected: [R], tolerance: Double,
    allowZero: Bool = false, file: StaticString = #filePath, line: UInt = #line
) {
    let d = maxDifference(actual, expected)
    print("\(name) maxdiff abs \(d.abs) rel \(d.rel)")
    XCTAssertLessThanOrEqual(d.abs, tolerance, name, file: file, line: line)
    XCTAssertFalse(d.abs.isNaN, "\(name) is NaN", file: file, line: line)
    if !allowZero {
        XCTAssertTrue(expected.contains { $0 != 0 }, "\(name): reference is all zero", file: file, line: line)
    }
}

/// Gradient-check tolerance for Double kernels against central differences.
let gradientTolerance = 1e-7
