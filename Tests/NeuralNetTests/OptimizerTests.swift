import XCTest
@testable import NeuralNet

final class OptimizerTests: XCTestCase {
    /// Two steps worked by hand with β1 0.9, β2 0.999, ε 1e-5, lr 0.1, θ0 = 1:
    /// step 1, g = 0.5:  m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25,
    ///                   θ = 1 - 0.1 * 0.5 / (0.5 + 1e-5) = 0.900001999960...
    /// step 2, g = -1:   m = -0.055, v = 0.00124975, m̂ = -0.055/0.19, v̂ = 0.00124975/0.001999,
    ///                   θ = 0.9000020 + 0.1 * 0.2894737 / (0.7906880 + 1e-5) = 0.93661188965...
    func testAdamStepsMatchHandComputedValues() throws {
        var layout = ParameterLayout()
        try layout.add("theta", shape: [1])
        let store = ParameterStore(layout: layout)
        store.parameters[0] = 1
        store.gradients[0] = 0.5
        store.adamStep(lr: 0.1, config: AdamConfig())
        print("adam step 1 theta", store.parameters[0], "expected 0.90000199996")
        XCTAssertEqual(store.step, 1)
        // Float rounds 1 - β2 to 0.00099998713, so v is only good to about 1e-5 relative.
        XCTAssertEqual(store.firstMoment[0], 0.05, accuracy: 1e-7)
        XCTAssertEqual(store.secondMoment[0], 0.00025, accuracy: 5e-9)
        XCTAssertEqual(store.parameters[0], 0.900_001_999_96, accuracy: 1e-6)
        store.gradients[0] = -1
        store.adamStep(lr: 0.1, config: AdamConfig())
        print("adam step 2 theta", store.parameters[0], "expected 0.93661188965")
        XCTAssertEqual(store.parameters[0], 0.936_611_889_65, accuracy: 1e-6)
    }

    func testClippingScalesToMaxNormAndLeavesSmallGradientsAlone() {
        let g = Buffer<Float>([3, 0, -4])
        let norm = clipGlobalNorm(gradients: g.p, count: 3, maxNorm: 1)
        print("clip norm before", norm, "after", g.array)
        XCTAssertEqual(norm, 5)
        XCTAssertEqual(g.p[0], 0.6, accuracy: 1e-6)
        XCTAssertEqual(g.p[2], -0.8, accuracy: 1e-6)
        let small = Buffer<Float>([0.3, 0.4])
        XCTAssertEqual(clipGlobalNorm(gradients: small.p, count: 2, maxNorm: 1), 0.5, accuracy: 1e-7)
        XCTAssertEqual(small.array, [0.3, 0.4])
    }

    func testLayoutPlacesTensorsBackToBackAndRejectsDuplicates() throws {
        var layout = ParameterLayout()
        let a = try layout.add("a.weight", shape: [3, 4])
        let b = try layout.add("a.bias", shape: [3])
        XCTAssertEqual(a.offset, 0)
        XCTAssertEqual(b.offset, 12)
        XCTAssertEqual(layout.count, 15)
        XCTAssertEqual(layout["a.bias"], b)
        XCTAssertNil(layout["nope"])
        XCTAssertThrowsError(try layout.add("a.bias", shape: [2])) { error in
            XCTAssertEqual(error as? NeuralNetError, .duplicateParameterName("a.bias"))
        }
        XCTAssertThrowsError(try layout.add("c", shape: [2, 0]))
        XCTAssertEqual(layout.count, 15, "a rejected tensor must not change the layout")
    }

    func testEncoderLayoutCountMatchesFormula() throws {
        let cfg = EncoderConfig.paper
        var layout = ParameterLayout()
        let params = try EncoderParameters(config: cfg, prefix: "policy", layout: &layout)
        _ = try EncoderParameters(config: .paperValue, prefix: "value", layout: &layout)
        let C = cfg.width, A = cfg.attentionWidth, F = cfg.ffnWidth
        let perLayer = 4 * C + (3 * A * C + 3 * A) + (C * A + C) + (F * C + F) + (C * F + C)
        XCTAssertEqual(params.finalNormBias + C, cfg.layers * perLayer + 2 * C)
        XCTAssertEqual(layout.count, (cfg.layers + 4) * perLayer + 4 * C)
        XCTAssertEqual(layout["policy.layers.4.attn.qkv.weight"]?.shape, [3 * A, C])
        XCTAssertNotNil(layout["value.lnf.bias"])
    }

    func testZeroGradientsClearsOnlyGradients() throws {
        var layout = ParameterLayout()
        try layout.add("w", shape: [4])
        let store = ParameterStore(layout: layout)
        for i in 0..<4 { store.parameters[i] = 2; store.gradients[i] = 3 }
        store.zeroGradients()
        XCTAssertEqual(Array(UnsafeBufferPointer(start: store.gradients, count: 4)), [0, 0, 0, 0])
        XCTAssertEqual(Array(UnsafeBufferPointer(start: store.parameters, count: 4)), [2, 2, 2, 2])
    }
}
