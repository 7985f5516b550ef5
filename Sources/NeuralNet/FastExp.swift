// exp for Float written for SIMD: the attention softmax and the feed-forward SiLU take one exp
// per score and per hidden unit, which made libm's expf (a call per number, no vectorisation) a
// quarter of a search's time. Same algorithm as Cephes' expf, branch-free, so one SIMD8 lane and
// the scalar twin give the same bits:
//
//   k = round(x / ln 2),  r = x − k·ln 2 (ln 2 split in two so r is exact to ~2⁻³⁴),
//   exp(r) ≈ 1 + r + r²·P(r) on |r| ≤ ln 2 / 2 (Cephes' degree-5 P),
//   exp(x) = exp(r) · 2^(k − ⌊k/2⌋) · 2^⌊k/2⌋  (two factors, so k = 128 and subnormal results
//   need no special case).
//
// Relative error ≤ 1.2e-7 (one ulp at 1; 8e-8 measured) wherever the result is a normal Float, x in
// [−87.3, 88.72] (NeuralNetTests.FastExpTests bounds it against Foundation's exp over that range);
// subnormal results keep their absolute error under 1e-44. Above 88.7228 (log of the largest
// Float) the result is +∞, below −103.98 (where expf's result rounds to 0) exactly 0, NaN stays NaN —
// as expf does.

/// exp(x) in Float, vectorisable: `exp(SIMD8<Float>)` and its scalar twin.
public enum FastExp {
    // Constants as computed properties, so inlined code sees literals (no lazy globals).
    // Rounding by adding and subtracting 1.5 · 2²³ (exact for |v| < 2²²): SSE2 has no round
    // instruction, and the low bits of the sum are k + 2²² as an integer.
    @inlinable static var magic: Float { 12_582_912 }
    @inlinable static var log2e: Float { 1.442_695_040_888_963_4 }
    @inlinable static var ln2High: Float { 0.693_359_375 }
    @inlinable static var ln2Low: Float { -2.121_944_400_546_905_8e-4 }
    @inlinable static var overflow: Float { 88.722_839_355_468_75 }
    @inlinable static var underflow: Float { -103.972_084 }
    // Cephes expf: exp(r) = 1 + r + r²·(p0 r⁵ … + p5).
    @inlinable static var p0: Float { 1.987_569_150_0e-4 }
    @inlinable static var p1: Float { 1.398_199_950_7e-3 }
    @inlinable static var p2: Float { 8.333_451_907_3e-3 }
    @inlinable static var p3: Float { 4.166_579_589_4e-2 }
    @inlinable static var p4: Float { 1.666_666_545_9e-1 }
    @inlinable static var p5: Float { 5.000_000_120_1e-1 }

    /// exp of eight numbers at once.
    @inlinable @inline(__always)
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        // Clamped so k stays in [−150, 128]; out-of-range lanes are replaced at the end. (Selects,
        // not `clamped` or `pointwiseMin`: the standard library does not inline those.)
        var xc = x.replacing(with: overflow, where: x .> overflow)
        xc.replace(with: underflow, where: x .< underflow)
        let shifted = xc * log2e + magic
        let k = shifted - magic
        let r = (xc - k * ln2High) - k * ln2Low
        let r2 = r * r
        var p = p0 * r + p1
        p = p * r + p2
        p = p * r + p3
        p = p * r + p4
        p = p * r + p5
        let y = p * r2 + r + 1
        // k as an integer from the sum's low bits (they hold k + 2²²).
        let ki =
            SIMD8<Int32>(truncatingIfNeeded: unsafeBitCast(shifted, to: SIMD8<UInt32>.self))
            &- 0x4B40_0000
        let half = ki &>> 1
        let scaleA = unsafeBitCast((half &+ 127) &<< 23, to: SIMD8<Float>.self)
        let scaleB = unsafeBitCast((ki &- half &+ 127) &<< 23, to: SIMD8<Float>.self)
        var result = y * scaleA * scaleB
        result.replace(with: .infinity, where: x .> overflow)
        result.replace(with: 0, where: x .< underflow)
        result.replace(with: x, where: x .!= x)  // NaN
        return result
    }

    /// exp of eight numbers ≤ 0 (a softmax's scores less their maximum), with less work than
    /// `exp`: no overflow or NaN lanes to fix, and results below the smallest normal Float
    /// (x < −87.33) flush to 0 instead of going subnormal, so one power of two does. Bit for bit
    /// `exp` wherever exp(x) is a normal Float.
    @inlinable @inline(__always)
    public static func expNonPositive(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let xc = x.replacing(with: normalUnderflow, where: x .< normalUnderflow)
        let shifted = xc * log2e + magic
        let k = shifted - magic
        let r = (xc - k * ln2High) - k * ln2Low
        let r2 = r * r
        var p = p0 * r + p1
        p = p * r + p2
        p = p * r + p3
        p = p * r + p4
        p = p * r + p5
        let y = p * r2 + r + 1
        let ki =
            SIMD8<Int32>(truncatingIfNeeded: unsafeBitCast(shifted, to: SIMD8<UInt32>.self))
            &- 0x4B40_0000
        // k ≥ −126 here, so 2^k is one normal Float.
        var result = y * unsafeBitCast((ki &+ 127) &<< 23, to: SIMD8<Float>.self)
        result.replace(with: 0, where: x .< normalUnderflow)
        return result
    }

    /// One lane of `expNonPositive(SIMD8<Float>)`.
    @inlinable @inline(__always)
    public static func expNonPositive(_ x: Float) -> Float {
        x < normalUnderflow ? 0 : exp(x)
    }

    /// Below this exp(x) is under the smallest normal Float (log(2⁻¹²⁶) = −87.3365).
    @inlinable static var normalUnderflow: Float { -87.336_54 }

    /// exp of one number: the same arithmetic as one lane of `exp(SIMD8<Float>)`.
    @inlinable @inline(__always)
    public static func exp(_ x: Float) -> Float {
        if x != x { return x }
        if x > overflow { return .infinity }
        if x < underflow { return 0 }
        let shifted = x * log2e + magic
        let k = shifted - magic
        let r = (x - k * ln2High) - k * ln2Low
        let r2 = r * r
        var p = p0 * r + p1
        p = p * r + p2
        p = p * r + p3
        p = p * r + p4
        p = p * r + p5
        let y = p * r2 + r + 1
        let ki = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000
        let half = ki &>> 1
        let scaleA = Float(bitPattern: UInt32(bitPattern: (half &+ 127) &<< 23))
        let scaleB = Float(bitPattern: UInt32(bitPattern: (ki &- half &+ 127) &<< 23))
        return y * scaleA * scaleB
    }
}
