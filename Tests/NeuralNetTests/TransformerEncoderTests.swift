import Randomness
import XCTest
@testable import NeuralNet

final class TransformerEncoderTests: XCTestCase {
    /// Tiny but complete: 2 heads of 4 (A = 8 = C), 2 layers.
    let tiny = EncoderConfig(width: 8, heads: 2, headDim: 4, ffnWidth: 16, layers: 2)
    let B = 2, T = 3
    /// Batch row 0 has its last token masked (padding); row 1 is full.
    let keyMask = Buffer<Bool>([true, true, false, true, true, true])

    /// Random parameters: the orthogonal init, then noise, so LayerNorm weights are not all 1 and
    /// biases not all 0 (their gradients would otherwise be checked only at a special point).
    func makeParameters<S: KernelScalar>(
        _ config: EncoderConfig, _: S.Type, seed: UInt64
    ) throws -> (EncoderParameters, ParameterLayout, Buffer<S>) {
        var layout = ParameterLayout()
        let parameters = try EncoderParameters(config: config, prefix: "encoder", layout: &layout)
        let params = Buffer<S>(layout.count, repeating: 0)
        var rng = Xoshiro256StarStar(seed: seed)
        parameters.initialize(params.p, rng: &rng)
        for i in 0..<layout.count { params.p[i] += S(0.3 * (2 * rng.nextUniform() - 1)) }
        return (parameters, layout, params)
    }

    func testWholeEncoderGradientMatchesFiniteDifferences() throws {
        let (parameters, layout, params) = try makeParameters(tiny, Double.self, seed: 60)
        // Capacity larger than the batch, so the test also covers using a prefix of each slot.
        let encoder = try TransformerEncoder<Double>(parameters: parameters, maxBatch: 3, maxTokens: 4)
        var rng = Xoshiro256StarStar(seed: 61)
        let input = Buffer<Double>.random(B * T * tiny.width, &rng),
            probe = Buffer<Double>.random(B * T * tiny.width, &rng)
        func loss() -> Double {
            let out = try! encoder.forward(params: params.p, input: input.p, keyMask: keyMask.p, B: B, T: T)
            return dot(out, probe.p, B * T * tiny.width)
        }
        _ = loss()
        let grads = Buffer<Double>(layout.count, repeating: 0), dinput = Buffer<Double>(input.count, repeating: 0)
        try encoder.backward(
            params: params.p, grads: grads.p, dinput: dinput.p, dout: probe.p, input: input.p,
            keyMask: keyMask.p, B: B, T: T)
        print("encoder parameters", layout.count)
        assertClose(
            "encoder dinput", dinput.p, numericalGradient(of: input.p, count: input.count, loss: loss),
            tolerance: gradientTolerance)
        let numeric = numericalGradient(of: params.p, count: layout.count, loss: loss)
        assertClose("encoder dparams", grads.p, numeric, tolerance: gradientTolerance)
        // Per tensor too, so a failure names the culprit.
        for tensor in layout.tensors {
            let d = maxDifference(
                grads.p + tensor.offset, Array(numeric[tensor.offset..<(tensor.offset + tensor.count)]))
            XCTAssertLessThanOrEqual(d.abs, gradientTolerance, tensor.name)
        }
    }

    func testBackwardTwiceGivesTwiceTheGradient() throws {
        let (parameters, layout, params) = try makeParameters(tiny, Double.self, seed: 62)
        let encoder = try TransformerEncoder<Double>(parameters: parameters, maxBatch: B, maxTokens: T)
        var rng = Xoshiro256StarStar(seed: 63)
        let input = Buffer<Double>.random(B * T * tiny.width, &rng),
            dout = Buffer<Double>.random(B * T * tiny.width, &rng)
        let once = Buffer<Double>(layout.count, repeating: 0), twice = Buffer<Double>(layout.count, repeating: 0)
        let dinput = Buffer<Double>(input.count, repeating: 0)
        try encoder.forward(params: params.p, input: input.p, keyMask: keyMask.p, B: B, T: T)
        try encoder.backward(
            params: params.p, grads: once.p, dinput: dinput.p, dout: dout.p, input: input.p, keyMask: keyMask.p, B: B,
            T: T)
        for _ in 0..<2 {
            try encoder.backward(
                params: params.p, grads: twice.p, dinput: dinput.p, dout: dout.p, input: input.p, keyMask: keyMask.p,
                B: B, T: T)
        }
        // Activation gradients are re-zeroed each call; parameter gradients accumulate.
        assertClose("encoder accumulate dparams", twice.p, once.array.map { 2 * $0 }, tolerance: 1e-12)
    }

    /// Changing a padding token's input must not change any real token's output, and with no
    /// gradient arriving at the padding token's output, no gradient may reach its input.
    func testMaskedTokenCannotInfluenceRealTokens() throws {
        let config = EncoderConfig.small, B = 2, T = 4, C = config.width
        let mask = Buffer<Bool>([true, false, true, true, true, true, true, false])
        let (parameters, layout, params) = try makeParameters(config, Float.self, seed: 64)
        let encoder = try TransformerEncoder<Float>(parameters: parameters, maxBatch: B, maxTokens: T)
        var rng = Xoshiro256StarStar(seed: 65)
        let input = Buffer<Float>.random(B * T * C, &rng)
        let before = Array(
            UnsafeBufferPointer(
                start: try encoder.forward(params: params.p, input: input.p, keyMask: mask.p, B: B, T: T),
                count: B * T * C))
        for token in 0..<(B * T) where !mask.p[token] {
            for c in 0..<C { input.p[token * C + c] = Float(5 * (2 * rng.nextUniform() - 1)) }
        }
        let out = try encoder.forward(params: params.p, input: input.p, keyMask: mask.p, B: B, T: T)
        var realDiff: Float = 0, paddingDiff: Float = 0
        for token in 0..<(B * T) {
            for c in 0..<C {
                let d = abs(out[token * C + c] - before[token * C + c])
                if mask.p[token] { realDiff = max(realDiff, d) } else { paddingDiff = max(paddingDiff, d) }
            }
        }
        print("mask: real-token output maxdiff", realDiff, "padding-token output maxdiff", paddingDiff)
        XCTAssertEqual(realDiff, 0, "a masked token leaked into a real token's output")
        XCTAssertGreaterThan(paddingDiff, 0.01, "the perturbation must actually change something")

        let dout = Buffer<Float>.random(B * T * C, &rng)
        for token in 0..<(B * T) where !mask.p[token] { for c in 0..<C { dout.p[token * C + c] = 0 } }
        let grads = Buffer<Float>(layout.count, repeating: 0)
        let dinput = Buffer<Float>(input.count, repeating: 0)
        try encoder.backward(
            params: params.p, grads: grads.p, dinput: dinput.p, dout: dout.p, input: input.p, keyMask: mask.p, B: B,
            T: T)
        var paddingGrad: Float = 0, realGrad: Float = 0
        for token in 0..<(B * T) {
            for c in 0..<C {
                if mask.p[token] {
                    realGrad = max(realGrad, abs(dinput.p[token * C + c]))
                } else {
                    paddingGrad = max(paddingGrad, abs(dinput.p[token * C + c]))
                }
            }
        }
        print("mask: padding-token dinput max", paddingGrad, "real-token dinput max", realGrad)
        XCTAssertEqual(paddingGrad, 0)
        XCTAssertGreaterThan(realGrad, 0)
    }

    /// The Float (sgemm) encoder against the Double (dgemm) one on the same numbers.
    func testFloatMatchesDouble() throws {
        let config = EncoderConfig.small, B = 3, T = 5, C = config.width
        let (parameters, _, paramsF) = try makeParameters(config, Float.self, seed: 66)
        let paramsD = paramsF.converted(to: Double.self)
        var rng = Xoshiro256StarStar(seed: 67)
        let inputF = Buffer<Float>.random(B * T * C, &rng), inputD = inputF.converted(to: Double.self)
        let mask = Buffer<Bool>((0..<(B * T)).map { $0 % 5 != 4 })
        // Keep each encoder in a variable: forward returns a view into the encoder's own buffer.
        let encoderF = try TransformerEncoder<Float>(parameters: parameters, maxBatch: B, maxTokens: T)
        let outF = try encoderF.forward(params: paramsF.p, input: inputF.p, keyMask: mask.p, B: B, T: T)
        let encoderD = try TransformerEncoder<Double>(parameters: parameters, maxBatch: B, maxTokens: T)
        let outD = try encoderD.forward(params: paramsD.p, input: inputD.p, keyMask: mask.p, B: B, T: T)
        assertClose(
            "encoder float vs double out", outF, Array(UnsafeBufferPointer(start: outD, count: B * T * C)),
            tolerance: 1e-4)
    }

    func testPaperPresetRunsAndRejectsOversizedBatch() throws {
        let config = EncoderConfig.paper
        XCTAssertEqual(config.attentionWidth, 96)
        let (parameters, layout, params) = try makeParameters(config, Float.self, seed: 68)
        print("paper encoder parameters", layout.count, "(\(config))")
        let encoder = try TransformerEncoder<Float>(parameters: parameters, maxBatch: 2, maxTokens: 10)
        var rng = Xoshiro256StarStar(seed: 69)
        let input = Buffer<Float>.random(2 * 10 * 64, &rng), mask = Buffer<Bool>(20, repeating: true)
        let out = try encoder.forward(params: params.p, input: input.p, keyMask: mask.p, B: 2, T: 10)
        XCTAssertFalse(UnsafeBufferPointer(start: out, count: 2 * 10 * 64).contains { !$0.isFinite })
        XCTAssertThrowsError(try encoder.forward(params: params.p, input: input.p, keyMask: mask.p, B: 3, T: 10)) {
            error in
            XCTAssertEqual(
                error as? NeuralNetError, .batchExceedsCapacity(batch: 3, tokens: 10, maxBatch: 2, maxTokens: 10))
        }
    }

    func testInvalidConfigIsRejected() {
        var layout = ParameterLayout()
        var config = EncoderConfig.small
        config.heads = 0
        XCTAssertThrowsError(try EncoderParameters(config: config, prefix: "e", layout: &layout))
    }
}
