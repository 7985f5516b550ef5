/// A fixed-width integer dtype of at most 32 bits (int8 … int32, uint8 … uint32). ccelim holds
/// integers as Doubles; where a program computes in one of these types its values are brought back
/// into the type's range as XLA's are (audit25 class C): arithmetic and integer-to-integer
/// conversions wrap around modulo 2^bits (int32 max + 1 is −2³¹; −uint32(3) is 4294967293; int64
/// 300 → int8 is 44), and a float converted to an integer is truncated toward zero and saturates
/// at the type's least and greatest values, NaN giving 0 (−3.0 → uint8 is 0, 300.0 is 255).
///
/// Wrapping each equation's result is exact because wrapping commutes with +, − and ×, as long as
/// the value before wrapping is an exact Double (below 2^53: any sum, and a product of two 26-bit
/// values; a product of two large int32 values is not, and is left as Double computes it).
/// int64 and uint64 are not modelled: a Double cannot hold their range.
package struct IntegerFormat: Hashable, Sendable {
    package let bits: Int
    package let signed: Bool

    /// The format of a dtype as a jaxpr prints it, short or long (`i8`, `int8`, `u32`, `uint32`);
    /// nil for 64-bit integers, booleans, floats and everything else.
    package init?(dtype: String) {
        let digits: Substring
        if dtype.hasPrefix("uint") || dtype.hasPrefix("int") {
            signed = dtype.hasPrefix("int")
            digits = dtype.dropFirst(signed ? 3 : 4)
        } else if dtype.hasPrefix("i") || dtype.hasPrefix("u") {
            signed = dtype.hasPrefix("i")
            digits = dtype.dropFirst()
        } else {
            return nil
        }
        guard let bits = Int(digits), [8, 16, 32].contains(bits) else { return nil }
        self.bits = bits
    }

    /// One Int32 that names the format in a tape instruction: bits, negated when unsigned.
    package init?(code: Int) {
        guard [8, 16, 32].contains(Swift.abs(code)) else { return nil }
        bits = Swift.abs(code)
        signed = code > 0
    }

    package var code: Int { signed ? bits : -bits }

    /// The least and greatest values (−128 and 127 for int8, 0 and 255 for uint8).
    package var least: Double { signed ? -Double(sign: .plus, exponent: bits - 1, significand: 1) : 0 }
    package var greatest: Double {
        Double(sign: .plus, exponent: signed ? bits - 1 : bits, significand: 1) - 1
    }

    /// x modulo 2^bits, in [least, greatest]. x is an integer (a NaN or infinity stays as it is).
    package func wrap<S: BinaryFloatingPoint>(_ x: S) -> S {
        guard x.isFinite, x < S(least) || x > S(greatest) else { return x }
        let m = S(sign: .plus, exponent: S.Exponent(bits), significand: 1)
        var r = x - m * (x / m).rounded(.down)
        if signed && r > S(greatest) { r -= m }
        return r
    }

    /// x truncated toward zero and clamped to [least, greatest]; NaN gives 0.
    package func saturate<S: BinaryFloatingPoint>(_ x: S) -> S {
        if x.isNaN { return 0 }
        return Swift.min(Swift.max(x.rounded(.towardZero), S(least)), S(greatest))
    }
}
