// Float's SIMD versions of the loops that take an exp per number (KernelScalar's requirements):
// eight numbers per step through `FastExp`, the remainder through its scalar twin (same bits as
// a lane). The plain generic loops in KernelScalar.swift are their twins; NeuralNetTests'
// VectorKernelTests compares the two.
//
// The build targets baseline x86-64 (SSE2), so a SIMD8<Float> is two 4-wide registers; there is no
// FMA, so every a · b + c is a multiply and an add, as in the scalar code.

extension Float {
    /// Softmax over the real keys. When the real keys are a prefix of the row (padding is a
    /// suffix: how every batch here is built), the row's prefix goes through the SIMD loop and
    /// the rest is zeroed; any other mask takes the plain per-entry loop.
    public static func maskedSoftmaxRows(
        _ rows: UnsafeMutablePointer<Float>, rowCount: Int, count: Int, mask: UnsafePointer<Bool>
    ) {
        var real = 0
        while real < count && mask[real] { real += 1 }
        var suffixMasked = true
        for s in real..<count where mask[s] {
            suffixMasked = false
            break
        }
        guard suffixMasked else {
            for r in 0..<rowCount { maskedSoftmaxRow(rows + r * count, mask: mask, count: count) }
            return
        }
        for r in 0..<rowCount {
            let row = rows + r * count
            if real > 0 { softmax(row, count: real) }
            for s in real..<count { row[s] = 0 }
        }
    }

    /// In-place softmax of `count` ≥ 1 numbers.
    @inline(__always)
    static func softmax(_ row: UnsafeMutablePointer<Float>, count n: Int) {
        var i = 0
        var top8 = SIMD8<Float>(repeating: -.infinity)
        while i + 8 <= n {
            // A select, not `pointwiseMax`, which the standard library does not inline.
            let x = load8(row + i)
            top8.replace(with: x, where: x .> top8)
            i += 8
        }
        var top = top8[0]
        for lane in 1..<8 { top = Swift.max(top, top8[lane]) }
        while i < n {
            top = Swift.max(top, row[i])
            i += 1
        }
        // Subtract the max so exp cannot overflow.
        let shift = SIMD8<Float>(repeating: top)
        var sum8 = SIMD8<Float>()
        i = 0
        while i + 8 <= n {
            let e = FastExp.expNonPositive(load8(row + i) - shift)
            store8(e, row + i)
            sum8 += e
            i += 8
        }
        var sum = sum8.sum()
        while i < n {
            let e = FastExp.expNonPositive(row[i] - top)
            row[i] = e
            sum += e
            i += 1
        }
        let inverse = 1 / sum
        let inverse8 = SIMD8<Float>(repeating: inverse)
        i = 0
        while i + 8 <= n {
            store8(load8(row + i) * inverse8, row + i)
            i += 8
        }
        while i < n {
            row[i] *= inverse
            i += 1
        }
    }

    /// sigmoid(x) from e = exp(−|x|) ≤ 1, which needs no overflow handling: 1 / (1 + e) for
    /// x ≥ 0, e / (1 + e) below. For |x| beyond 87.3, e flushes to 0 and sigmoid is exactly 1 or 0
    /// (so silu(−1000) = −0, as x / (1 + exp(1000)) gives).
    @inline(__always)
    static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let e = FastExp.expNonPositive(x.replacing(with: -x, where: x .> 0))
        let d = 1 / (1 + e)
        return (e * d).replacing(with: d, where: x .>= 0)
    }

    /// One lane of `sigmoid(SIMD8<Float>)`.
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        let e = FastExp.expNonPositive(x > 0 ? -x : x)
        let d = 1 / (1 + e)
        return x >= 0 ? d : e * d
    }

    public static func silu(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            let x = load8(inp + i)
            store8(x * sigmoid(x), out + i)
            i += 8
        }
        while i < count {
            out[i] = inp[i] * sigmoid(inp[i])
            i += 1
        }
    }

    public static func siluGradient(
        dinp: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, count: Int
    ) {
        var i = 0
        while i + 8 <= count {
            let x = load8(inp + i)
            let s = sigmoid(x)
            store8(load8(dinp + i) + load8(dout + i) * s * (1 + x * (1 - s)), dinp + i)
            i += 8
        }
        while i < count {
            let x = inp[i], s = sigmoid(x)
            dinp[i] += dout[i] * s * (1 + x * (1 - s))
            i += 1
        }
    }
}

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func load8(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}
