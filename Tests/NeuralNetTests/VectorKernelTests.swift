import Randomness
import XCTest
@testable import NeuralNet

/// Float's SIMD loops (VectorKernels.swift) against their plain twins run in Double.
final class VectorKernelTests: XCTestCase {
    /// Row lengths around the 8-wide step: the remainder loop and rows shorter than a step.
    private let counts = [1, 3, 7, 8, 9, 16, 23, 101]

    func testMaskedSoftmaxRowsEqualThePlainLoopForEveryMask() {
        var rng = Xoshiro256StarStar(seed: 40)
        var worst = 0.0
        for count in counts {
            let rows = 3
            let masks: [(String, [Bool])] = [
                ("all real", [Bool](repeating: true, count: count)),
                ("padded", (0..<count).map { $0 < (count + 1) / 2 }),
                ("scattered", (0..<count).map { $0 % 3 != 1 }),
                ("all padding", [Bool](repeating: false, count: count)),
            ]
            for (name, mask) in masks {
                // The reference starts from the same Float-rounded scores.
                let float = Buffer<Float>.random(rows * count, &rng, scale: 30)
                let scores = float.converted(to: Double.self)
                let m = Buffer<Bool>(mask)
                Double.maskedSoftmaxRows(scores.p, rowCount: rows, count: count, mask: m.p)
                Float.maskedSoftmaxRows(float.p, rowCount: rows, count: count, mask: m.p)
                for r in 0..<rows {
                    var total: Float = 0
                    for s in 0..<count {
                        let i = r * count + s
                        worst = max(worst, abs(Double(float.p[i]) - scores.p[i]))
                        total += float.p[i]
                        if !mask[s] { XCTAssertEqual(float.p[i], 0, "\(name) \(count): a masked key gets exactly 0") }
                    }
                    if mask.contains(true) {
                        XCTAssertEqual(total, 1, accuracy: 1e-5, "\(name) \(count)")
                    } else {
                        XCTAssertEqual(total, 0, "\(name) \(count): no real key, all zeros")
                    }
                }
            }
        }
        print("Float SIMD softmax vs Double plain loop maxdiff \(worst)")
        XCTAssertLessThan(worst, 1e-6)
    }

    func testSiluAndItsGradientEqualThePlainLoop() {
        var rng = Xoshiro256StarStar(seed: 41)
        for count in counts + [64 * 101] {
            // Float inputs, and the Double reference from the same rounded numbers.
            let inpF = Buffer<Float>.random(count, &rng, scale: 12), doutF = Buffer<Float>.random(count, &rng)
            if count > 4 { (inpF.p[0], inpF.p[1], inpF.p[2]) = (-1000, 1000, 0) }
            let dinpF = Buffer<Float>.random(count, &rng), outF = Buffer<Float>(count, repeating: .nan)
            let inp = inpF.converted(to: Double.self), dout = doutF.converted(to: Double.self)
            let dinp = dinpF.converted(to: Double.self), out = Buffer<Double>(count, repeating: 0)
            Double.silu(out: out.p, inp: inp.p, count: count)
            Double.siluGradient(dinp: dinp.p, dout: dout.p, inp: inp.p, count: count)
            Float.silu(out: outF.p, inp: inpF.p, count: count)
            Float.siluGradient(dinp: dinpF.p, dout: doutF.p, inp: inpF.p, count: count)
            // Relative to the size of the number: silu(1000) = 1000 in both.
            var worstOut = 0.0, worstGradient = 0.0
            for i in 0..<count {
                worstOut = max(worstOut, abs(Double(outF.p[i]) - out.p[i]) / max(1, abs(out.p[i])))
                worstGradient = max(worstGradient, abs(Double(dinpF.p[i]) - dinp.p[i]) / max(1, abs(dinp.p[i])))
            }
            print("silu \(count): Float SIMD vs Double maxdiff out \(worstOut), gradient \(worstGradient)")
            XCTAssertLessThan(worstOut, 2e-6, "silu, \(count) numbers")
            XCTAssertLessThan(worstGradient, 2e-6, "silu gradient, \(count) numbers")
            XCTAssertFalse(outF.array.contains { !$0.isFinite })
            XCTAssertFalse(dinpF.array.contains { !$0.isFinite })
        }
    }
}
