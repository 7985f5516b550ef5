/// A binary floating-point format narrower than float64 that a jaxpr can compute in: float32,
/// bfloat16 and float16. ccelim holds every value as a Double (or a Float with `--precision
/// float32`); where a program converts to one of these formats or computes in bfloat16/float16,
/// the value is rounded to the format as XLA rounds it, so outputs are JAX's (audit25 class B: a
/// `convert_element_type` to bfloat16 was the identity, 4.6e-4 away from JAX).
///
/// Rounding is to nearest, ties to even; a value beyond the largest finite one becomes ±infinity.
/// float32 and bfloat16 flush subnormal results to zero, as XLA's CPU backend computes them
/// (`jnp.array([1e-41]).astype(jnp.float32)` is 0 in JAX 0.4.38); float16, which XLA converts in
/// software, keeps its subnormals (1e-6 → 1.0133e-6).
package struct FloatFormat: Hashable, Sendable {
    /// Bits of the significand, the implicit leading one included (24 for float32).
    package let significandBits: Int
    /// The least and greatest exponent of a normal value (−126 and 127 for float32).
    package let minExponent: Int
    package let maxExponent: Int
    /// Whether a result below the least normal magnitude is flushed to ±0.
    package let flushesSubnormals: Bool

    package static let float32 = FloatFormat(
        significandBits: 24, minExponent: -126, maxExponent: 127, flushesSubnormals: true)
    package static let bfloat16 = FloatFormat(
        significandBits: 8, minExponent: -126, maxExponent: 127, flushesSubnormals: true)
    package static let float16 = FloatFormat(
        significandBits: 11, minExponent: -14, maxExponent: 15, flushesSubnormals: false)

    /// The format of a dtype as a jaxpr prints it, short or long (`f32`, `float32`, `bf16`,
    /// `bfloat16`, `f16`, `float16`); nil for float64 and every other dtype.
    package init?(dtype: String) {
        switch dtype {
        case "f32", "float32": self = .float32
        case "bf16", "bfloat16": self = .bfloat16
        case "f16", "float16": self = .float16
        default: return nil
        }
    }

    /// `reduce_precision[exponent_bits=E mantissa_bits=M]`'s format: M + 1 significand bits,
    /// exponents 2 − 2^(E−1) … 2^(E−1) − 1, subnormals flushed (XLA's reduce_precision flushes even
    /// (5, 10), where a float16 conversion keeps them: checked with JAX 0.4.38). nil outside
    /// 2 ≤ E ≤ 11, 0 ≤ M ≤ 52 (float64's own).
    package init?(exponentBits e: Int, mantissaBits m: Int) {
        self.init(exponentBits: e, mantissaBits: m, flushesSubnormals: true)
    }

    private init?(exponentBits e: Int, mantissaBits m: Int, flushesSubnormals: Bool) {
        guard (2...11).contains(e), (0...52).contains(m) else { return nil }
        let maxExponent = (1 << (e - 1)) - 1
        self.init(
            significandBits: m + 1, minExponent: 1 - maxExponent, maxExponent: maxExponent,
            flushesSubnormals: flushesSubnormals)
    }

    /// The exponent and mantissa bits of the format, as reduce_precision names them.
    package var exponentBits: Int { (maxExponent + 1).trailingZeroBitCount + 1 }
    package var mantissaBits: Int { significandBits - 1 }

    /// One Int32 that names the format in a tape instruction: E·64 + M, plus 4096 when it
    /// flushes subnormals.
    package var code: Int { (flushesSubnormals ? 4096 : 0) + exponentBits * 64 + mantissaBits }
    package init?(code: Int) {
        self.init(exponentBits: code % 4096 / 64, mantissaBits: code % 64, flushesSubnormals: code >= 4096)
    }

    private init(significandBits: Int, minExponent: Int, maxExponent: Int, flushesSubnormals: Bool) {
        self.significandBits = significandBits
        self.minExponent = minExponent
        self.maxExponent = maxExponent
        self.flushesSubnormals = flushesSubnormals
    }

    /// The largest finite value, (2 − 2^(1−p))·2^maxExponent.
    package var greatestFinite: Double {
        (2 - Double(sign: .plus, exponent: 1 - significandBits, significand: 1))
            * Double(sign: .plus, exponent: maxExponent, significand: 1)
    }

    /// Whether every value of `other` is a value of this format (float32 holds bfloat16 and
    /// float16; bfloat16 and float16 hold neither each other nor float32).
    package func holds(_ other: FloatFormat) -> Bool {
        other.significandBits <= significandBits && other.maxExponent <= maxExponent
            && other.minExponent >= minExponent
            && (flushesSubnormals ? other.flushesSubnormals || other.minExponent > minExponent : true)
    }

    /// x rounded to this format. NaN, ±infinity and ±0 are as they are. The quantum 2^(e − p + 1)
    /// (e the exponent of x, at least minExponent) divides x exactly, so one rounding to an
    /// integer rounds x once. A flushed result is flushed after rounding (x86 detects tininess
    /// after rounding): just below the least normal value can round up to it.
    package func round<S: BinaryFloatingPoint>(_ x: S) -> S {
        guard x.isFinite, x != 0 else { return x }
        let e = max(Int(x.exponent), minExponent)
        let quantum = S(sign: .plus, exponent: S.Exponent(e - (significandBits - 1)), significand: 1)
        let r = (x / quantum).rounded(.toNearestOrEven) * quantum
        if flushesSubnormals && Int(r.exponent) < minExponent { return x < 0 ? -0.0 : 0 }
        return Swift.abs(Double(r)) > greatestFinite ? (x < 0 ? -S.infinity : S.infinity) : r
    }
}
