// The special functions of jax.scipy.special that libm lacks: digamma ψ, trigamma ψ′, erf_inv and
// the exponentially scaled modified Bessel functions i0e, i1e (lgamma is libm's). Written in Double
// from the math — recurrences and asymptotic series, a Taylor series at ψ's positive root, a fitted
// starting value refined by a Halley step, a power series and an asymptotic series — to about 1e-15
// relative (the tests ask 1e-13 of scipy's values); Float converts (JacobianScalar). CEmitter prints
// the same algorithms as C from the tables here, so generated code computes what the interpreter
// computes.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

package enum SpecialFunctions {
    // MARK: Digamma and trigamma

    /// From here on ψ and ψ′ are their asymptotic series (the first term left out is below 1e-17
    /// relative); below, the recurrences ψ(x) = ψ(x + 1) − 1/x and ψ′(x) = ψ′(x + 1) + 1/x² climb here.
    package static let asymptoticStart = 10.0

    /// ψ(z) ≈ ln z − 1/(2z) − Σ_{k=1…8} B_{2k} / (2k z^{2k}): the B_{2k} / (2k) (Bernoulli numbers).
    package static let digammaAsymptotic: [Double] = [
        1.0 / 12, -1.0 / 120, 1.0 / 252, -1.0 / 240, 1.0 / 132, -691.0 / 32760, 1.0 / 12, -3617.0 / 8160,
    ]

    /// ψ′(z) ≈ 1/z + 1/(2z²) + Σ_{k=1…8} B_{2k} / z^{2k+1}: the B_{2k}.
    package static let trigammaAsymptotic: [Double] = [
        1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6, -3617.0 / 510,
    ]

    /// ψ's positive root x₀ = 1.46163214496836234126… as hi + lo (computed with mpmath's findroot).
    package static let digammaRoot = (hi: 1.4616321449683622, lo: 9.549995429965697e-17)

    /// ψ(x₀ + d) = Σ_{k=1…20} c_k d^k with c_k = ψ^(k)(x₀)/k! = (−1)^(k+1) ζ(k + 1, x₀) (Hurwitz ζ,
    /// computed with mpmath): used for |d| < `digammaRootWindow`, where the recurrence would lose
    /// ψ's small value to cancellation. The series converges with ratio |d|/x₀ < 0.14: the first
    /// term left out is below 1e-17 relative.
    package static let digammaRootTaylor: [Double] = [
        0.9676722454476212, -0.4427631689835921, 0.258499760955651, -0.16394270544240652, 0.10782405069126237,
        -0.07219956125645471, 0.04880428816414311, -0.03316112647484736, 0.022597648232218104,
        -0.01542476590494896, 0.010538791616612175, -0.007204534386356869, 0.004926781395729853,
        -0.003369801655439328, 0.002305126326734928, -0.0015769367714301972, 0.0010788252019162967,
        -0.0007380709389960052, 0.000504953265834602, -0.0003454680251063077,
    ]
    package static let digammaRootWindow = 0.2

    /// ψ(x) = Γ′(x)/Γ(x). Poles (0 and the negative integers) give NaN, as JAX's digamma; x < 0 by
    /// the reflection ψ(x) = ψ(1 − x) − π cot(πx).
    package static func digamma(_ x: Double) -> Double {
        if x.isNaN || x == -.infinity { return .nan }
        if x <= 0 {
            if x == x.rounded(.down) { return .nan }
            return digammaPositive(1 - x) - Double.pi * cotPi(x)
        }
        return digammaPositive(x)
    }

    /// ψ(x) for x > 0.
    static func digammaPositive(_ x: Double) -> Double {
        if x == .infinity { return x }
        let d = (x - digammaRoot.hi) - digammaRoot.lo
        if Swift.abs(d) < digammaRootWindow { return d * horner(digammaRootTaylor, d) }
        var z = x, sum = 0.0
        while z < asymptoticStart {
            sum += 1 / z
            z += 1
        }
        let u = 1 / (z * z)
        return log(z) - 0.5 / z - u * horner(digammaAsymptotic, u) - sum
    }

    /// ψ′(x), the trigamma function polygamma(1, x). Poles give +inf (as JAX's polygamma);
    /// −1/2 < x < 0 by the recurrence, x ≤ −1/2 by the reflection ψ′(x) = π²/sin²(πx) − ψ′(1 − x).
    package static func trigamma(_ x: Double) -> Double {
        if x.isNaN || x == -.infinity { return .nan }
        if x <= 0 {
            if x == x.rounded(.down) { return .infinity }
            if x > -0.5 { return 1 / (x * x) + trigammaPositive(1 + x) }
            let s = sinPi(x)
            return piSquared / (s * s) - trigammaPositive(1 - x)
        }
        return trigammaPositive(x)
    }

    /// ψ′(x) for x > 0: every term positive, so no cancellation.
    static func trigammaPositive(_ x: Double) -> Double {
        if x == .infinity { return 0 }
        var z = x, sum = 0.0
        while z < asymptoticStart {
            sum += 1 / (z * z)
            z += 1
        }
        let r = 1 / z, u = r * r
        return sum + r + 0.5 * u + r * u * horner(trigammaAsymptotic, u)
    }

    package static let piSquared = 9.869604401089358

    /// x − round(x): exact, in [−1/2, 1/2] (x and the nearest integer are within a factor 2).
    @inline(__always)
    static func reduced(_ x: Double) -> Double { x - x.rounded(.toNearestOrAwayFromZero) }

    /// cot(πx) through x reduced to g ∈ [−1/2, 1/2]: 1/tan(πg) for |g| ≤ 1/4, else
    /// ±tan(π(1/2 − |g|)) (1/2 − |g| is exact), so cot(π/2) is 0 exactly.
    static func cotPi(_ x: Double) -> Double {
        let g = reduced(x), a = Swift.abs(g)
        if a <= 0.25 { return 1 / tan(Double.pi * g) }
        let t = tan(Double.pi * (0.5 - a))
        return g < 0 ? -t : t
    }

    /// sin(πx) up to sign (its square is what the reflection needs).
    static func sinPi(_ x: Double) -> Double { sin(Double.pi * reduced(x)) }

    /// c[0] + t·c[1] + t²·c[2] + … by Horner's rule.
    @inline(__always)
    static func horner(_ c: [Double], _ t: Double) -> Double {
        var p = 0.0
        for k in c.indices.reversed() { p = p * t + c[k] }
        return p
    }

    // MARK: erf_inv

    /// erf_inv(x)/x as a polynomial in w − 5/2, w = −log(1 − x²) < 5 (|x| < 0.99663): a weighted
    /// least-squares fit to mpmath's erfinv on Chebyshev nodes (made for ccelim), relative error
    /// 2.6e-9; the Halley step then makes it exact to rounding.
    package static let erfInvCentral: [Double] = [
        1.5014093530365051, 0.24664028894090914, -0.004177335342432447, -0.001252747460481719,
        0.00021827722367808583, -4.9602937690512196e-06, -3.432122692011326e-06, 4.6554606229591566e-07,
        1.7572963625922533e-08, -8.748171242967118e-09, 3.6570438344263323e-10,
    ]

    /// erf_inv(x)/x as a polynomial in √w − 3 for 5 ≤ w ≤ 37.2 (1 − |x| down to 2⁻⁵³, the last
    /// double below 1), fitted the same way: relative error 3.3e-8.
    package static let erfInvTail: [Double] = [
        2.832976877899548, 1.0016756118637145, 0.009442505220047404, -0.007647903599301721,
        0.005706249674072369, -0.0035527994495983873, 0.001427633279425555, -0.0001249838647479993,
        -0.00022874198850236262, 0.00014619788034258424, -4.281804872847961e-05, 6.450110617450822e-06,
        -4.025884391412049e-07,
    ]

    /// 2/√π, erf′(0).
    package static let twoOverRootPi = 1.1283791670955126

    /// The inverse error function on (−1, 1); ±1 give ±inf, |x| > 1 and NaN give NaN. A fitted
    /// start y₀ (error below 4e-8), then one Halley step on erf(y) = |x| (|x| ≤ 1/2) or on
    /// erfc(y) = 1 − |x| (exact for |x| > 1/2, so that the digits of 1 − |x| near ±1 are not lost):
    /// f″/f′ = −2y for both, so the step is y − Δ/(1 + yΔ), Δ = f/f′, and cubes the error.
    package static func erfInv(_ x: Double) -> Double {
        let a = Swift.abs(x)
        if !(a < 1) { return a == 1 ? (x < 0 ? -.infinity : .infinity) : .nan }
        if a == 0 { return x }
        let w = -log1p(-a * a)
        var y = a * (w < 5 ? horner(erfInvCentral, w - 2.5) : horner(erfInvTail, w.squareRoot() - 3))
        let slope = twoOverRootPi * exp(-y * y)
        let d = a <= 0.5 ? (erf(y) - a) / slope : (erfc(y) - (1 - a)) / -slope
        y -= d / (1 + y * d)
        return x < 0 ? -y : y
    }

    // MARK: i0e and i1e

    /// Below this |x| the power series, from it on the asymptotic series (whose smallest term
    /// there is below 1e-17).
    package static let besselSeriesEnd = 20.0

    /// e^(−|x|) I₀(x).
    package static func besselI0e(_ x: Double) -> Double { besselIe(Swift.abs(x), order: 0) }

    /// e^(−|x|) I₁(x) (odd: −0 gives −0).
    package static func besselI1e(_ x: Double) -> Double {
        let v = besselIe(Swift.abs(x), order: 1)
        return x.sign == .minus ? -v : v
    }

    /// e^(−a) I_ν(a) for a ≥ 0, ν = 0 or 1: below `besselSeriesEnd` e^(−a) (a/2)^ν Σ_k (a²/4)^k /
    /// (k! (k + ν)!) (positive terms), else (2πa)^(−1/2) Σ_k t_k with t_0 = 1,
    /// t_{k+1} = −t_k (4ν² − (2k + 1)²) / (8(k + 1)a).
    static func besselIe(_ a: Double, order nu: Int) -> Double {
        let n = Double(nu)
        if a < besselSeriesEnd {
            let q = 0.25 * a * a
            var term = 1.0, sum = 1.0
            for k in 1..<100 {
                let k = Double(k)
                term *= q / (k * (k + n))
                sum += term
                if term <= 1e-17 * sum { break }
            }
            return exp(-a) * (nu == 0 ? sum : 0.5 * a * sum)
        }
        let mu = 4 * n * n
        var term = 1.0, sum = 1.0
        for k in 0..<40 {
            let k = Double(k)
            term *= -(mu - (2 * k + 1) * (2 * k + 1)) / (8 * (k + 1) * a)
            sum += term
            if Swift.abs(term) <= 1e-17 * sum { break }
        }
        return sum / (2 * Double.pi * a).squareRoot()
    }
}
