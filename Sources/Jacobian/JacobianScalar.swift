// The number type the interpreter runs in. Float32 is what JAX computes in (and what the
// benchmark compares against); Float64 is what the checks use. One generic runner serves both, so
// the checked code is the timed code.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A floating-point type with the elementary functions of the jaxpr primitives.
protocol JacobianScalar: BinaryFloatingPoint {
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func log1p(_ x: Self) -> Self
    static func expm1(_ x: Self) -> Self
    static func sin(_ x: Self) -> Self
    static func cos(_ x: Self) -> Self
    static func tan(_ x: Self) -> Self
    static func asin(_ x: Self) -> Self
    static func acos(_ x: Self) -> Self
    static func atan(_ x: Self) -> Self
    static func sinh(_ x: Self) -> Self
    static func cosh(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    static func asinh(_ x: Self) -> Self
    static func acosh(_ x: Self) -> Self
    static func atanh(_ x: Self) -> Self
    static func erf(_ x: Self) -> Self
    static func erfc(_ x: Self) -> Self
    static func exp2(_ x: Self) -> Self
    static func cbrt(_ x: Self) -> Self
    static func atan2(_ y: Self, _ x: Self) -> Self
    static func pow(_ x: Self, _ y: Self) -> Self
    /// log|Γ(x)| (libm's lgamma_r, whose sign goes to a local: lgamma's global signgam is not
    /// thread-safe).
    static func lgamma(_ x: Self) -> Self
    /// ψ, ψ′, erf⁻¹, e^(−|x|)I₀ and e^(−|x|)I₁: SpecialFunctions (Double; Float converts).
    static func digamma(_ x: Self) -> Self
    static func trigamma(_ x: Self) -> Self
    static func erfInv(_ x: Self) -> Self
    static func besselI0e(_ x: Self) -> Self
    static func besselI1e(_ x: Self) -> Self
}

extension Float: JacobianScalar {
    static func exp(_ x: Float) -> Float { expf(x) }
    static func log(_ x: Float) -> Float { logf(x) }
    static func log1p(_ x: Float) -> Float { log1pf(x) }
    static func expm1(_ x: Float) -> Float { expm1f(x) }
    static func sin(_ x: Float) -> Float { sinf(x) }
    static func cos(_ x: Float) -> Float { cosf(x) }
    static func tan(_ x: Float) -> Float { tanf(x) }
    static func asin(_ x: Float) -> Float { asinf(x) }
    static func acos(_ x: Float) -> Float { acosf(x) }
    static func atan(_ x: Float) -> Float { atanf(x) }
    static func sinh(_ x: Float) -> Float { sinhf(x) }
    static func cosh(_ x: Float) -> Float { coshf(x) }
    static func tanh(_ x: Float) -> Float { tanhf(x) }
    static func asinh(_ x: Float) -> Float { asinhf(x) }
    static func acosh(_ x: Float) -> Float { acoshf(x) }
    static func atanh(_ x: Float) -> Float { atanhf(x) }
    static func erf(_ x: Float) -> Float { erff(x) }
    static func erfc(_ x: Float) -> Float { erfcf(x) }
    static func exp2(_ x: Float) -> Float { exp2f(x) }
    static func cbrt(_ x: Float) -> Float { cbrtf(x) }
    static func atan2(_ y: Float, _ x: Float) -> Float { atan2f(y, x) }
    static func pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
    static func lgamma(_ x: Float) -> Float {
        var sign: Int32 = 0
        return lgammaf_r(x, &sign)
    }
    static func digamma(_ x: Float) -> Float { Float(SpecialFunctions.digamma(Double(x))) }
    static func trigamma(_ x: Float) -> Float { Float(SpecialFunctions.trigamma(Double(x))) }
    static func erfInv(_ x: Float) -> Float { Float(SpecialFunctions.erfInv(Double(x))) }
    static func besselI0e(_ x: Float) -> Float { Float(SpecialFunctions.besselI0e(Double(x))) }
    static func besselI1e(_ x: Float) -> Float { Float(SpecialFunctions.besselI1e(Double(x))) }
}

extension Double: JacobianScalar {
    // Inside `Double` an unqualified `exp` would name this very method, so these forward to the
    // libm functions through file-scope wrappers.
    static func exp(_ x: Double) -> Double { libm_exp(x) }
    static func log(_ x: Double) -> Double { libm_log(x) }
    static func log1p(_ x: Double) -> Double { libm_log1p(x) }
    static func expm1(_ x: Double) -> Double { libm_expm1(x) }
    static func sin(_ x: Double) -> Double { libm_sin(x) }
    static func cos(_ x: Double) -> Double { libm_cos(x) }
    static func tan(_ x: Double) -> Double { libm_tan(x) }
    static func asin(_ x: Double) -> Double { libm_asin(x) }
    static func acos(_ x: Double) -> Double { libm_acos(x) }
    static func atan(_ x: Double) -> Double { libm_atan(x) }
    static func sinh(_ x: Double) -> Double { libm_sinh(x) }
    static func cosh(_ x: Double) -> Double { libm_cosh(x) }
    static func tanh(_ x: Double) -> Double { libm_tanh(x) }
    static func asinh(_ x: Double) -> Double { libm_asinh(x) }
    static func acosh(_ x: Double) -> Double { libm_acosh(x) }
    static func atanh(_ x: Double) -> Double { libm_atanh(x) }
    static func erf(_ x: Double) -> Double { libm_erf(x) }
    static func erfc(_ x: Double) -> Double { libm_erfc(x) }
    static func exp2(_ x: Double) -> Double { libm_exp2(x) }
    static func cbrt(_ x: Double) -> Double { libm_cbrt(x) }
    static func atan2(_ y: Double, _ x: Double) -> Double { libm_atan2(y, x) }
    static func pow(_ x: Double, _ y: Double) -> Double { libm_pow(x, y) }
    static func lgamma(_ x: Double) -> Double { libm_lgamma(x) }
    static func digamma(_ x: Double) -> Double { SpecialFunctions.digamma(x) }
    static func trigamma(_ x: Double) -> Double { SpecialFunctions.trigamma(x) }
    static func erfInv(_ x: Double) -> Double { SpecialFunctions.erfInv(x) }
    static func besselI0e(_ x: Double) -> Double { SpecialFunctions.besselI0e(x) }
    static func besselI1e(_ x: Double) -> Double { SpecialFunctions.besselI1e(x) }
}

@inline(__always) private func libm_exp(_ x: Double) -> Double { exp(x) }
@inline(__always) private func libm_log(_ x: Double) -> Double { log(x) }
@inline(__always) private func libm_log1p(_ x: Double) -> Double { log1p(x) }
@inline(__always) private func libm_expm1(_ x: Double) -> Double { expm1(x) }
@inline(__always) private func libm_exp2(_ x: Double) -> Double { exp2(x) }
@inline(__always) private func libm_cbrt(_ x: Double) -> Double { cbrt(x) }
@inline(__always) private func libm_sin(_ x: Double) -> Double { sin(x) }
@inline(__always) private func libm_cos(_ x: Double) -> Double { cos(x) }
@inline(__always) private func libm_tan(_ x: Double) -> Double { tan(x) }
@inline(__always) private func libm_asin(_ x: Double) -> Double { asin(x) }
@inline(__always) private func libm_acos(_ x: Double) -> Double { acos(x) }
@inline(__always) private func libm_atan(_ x: Double) -> Double { atan(x) }
@inline(__always) private func libm_sinh(_ x: Double) -> Double { sinh(x) }
@inline(__always) private func libm_cosh(_ x: Double) -> Double { cosh(x) }
@inline(__always) private func libm_tanh(_ x: Double) -> Double { tanh(x) }
@inline(__always) private func libm_asinh(_ x: Double) -> Double { asinh(x) }
@inline(__always) private func libm_acosh(_ x: Double) -> Double { acosh(x) }
@inline(__always) private func libm_atanh(_ x: Double) -> Double { atanh(x) }
@inline(__always) private func libm_erf(_ x: Double) -> Double { erf(x) }
@inline(__always) private func libm_erfc(_ x: Double) -> Double { erfc(x) }
@inline(__always) private func libm_atan2(_ y: Double, _ x: Double) -> Double { atan2(y, x) }
@inline(__always) private func libm_pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inline(__always) private func libm_lgamma(_ x: Double) -> Double {
    var sign: Int32 = 0
    return lgamma_r(x, &sign)
}
