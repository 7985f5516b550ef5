/// An elementwise primitive of one operand, with its value and its derivative written the way JAX
/// defines them (jax/_src/lax/lax.py jvp rules), so the Jacobian matches `jax.jacrev` at ties and
/// edges of the domain too (abs at 0 is +1; integer_pow with y = 0 has derivative 0).
package enum UnaryFunction: UInt8, CaseIterable {
    case neg, abs, exp, log, log1p, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh
    case asinh, acosh, atanh, integerPow, square, sqrt, rsqrt, logistic, erf
    /// convert_element_type to an integer dtype: rounds toward zero (XLA's convert); derivative 0.
    case truncate
    /// convert_element_type to bool: nonzero → 1.
    case toBool
    case expm1
    /// `not` of a boolean: 1 where x = 0.
    case logicalNot
    /// −1, 0 or 1 (x itself at ±0 and NaN, as XLA's sign); derivative 0.
    case sign
    /// 1 where x is neither infinite nor NaN; derivative 0.
    case isFinite
    /// 2^x and the cube root (jnp.exp2, jnp.cbrt).
    case exp2, cbrt
    /// Rounding down and up (jnp.floor, jnp.ceil); derivative 0.
    case floor, ceil
    /// The complementary error function 1 − erf(x), accurate where erf(x) is near 1.
    case erfc
    /// Rounding to the nearest integer, halves away from zero (`round` with rounding_method 0,
    /// lax.round's default) or to even (rounding_method 1, jnp.round); derivative 0.
    case roundAway, roundEven
    /// jax.scipy.special's gammaln (log|Γ(x)|, derivative ψ), digamma (ψ, derivative the trigamma
    /// ψ′), erfinv (derivative √π/2·e^(y²)) and the exponentially scaled Bessel functions i0e
    /// (derivative i1e(x) − sign(x)·y) and i1e (derivative i0e(x) − y·(sign(x) + 1/x), 1/2 at 0).
    case lgamma, digamma, erfInv, besselI0e, besselI1e
    /// A value rounded to a narrower float format, named by the instruction's parameter
    /// (`FloatFormat.code`): `convert_element_type` to float32, bfloat16 or float16, the result of
    /// an equation computing in one (ProgramLowering.roundToNarrowFloat), `reduce_precision`.
    /// Derivative 1 (JAX's rules pass the tangent on, rounded the same way).
    case narrowFloat
    /// A value brought into a fixed-width integer type (IntegerFormat, named by the instruction's
    /// parameter, `IntegerFormat.code`): wrapped around (integer arithmetic and conversions
    /// between integers) or saturated (a float converted to an integer). Derivative 0.
    case wrapInteger, saturateInteger

    init?(primitive: String) {
        switch primitive {
        case "neg": self = .neg
        case "abs": self = .abs
        case "exp": self = .exp
        case "log": self = .log
        case "log1p": self = .log1p
        case "sin": self = .sin
        case "cos": self = .cos
        case "tan": self = .tan
        case "asin": self = .asin
        case "acos": self = .acos
        case "atan": self = .atan
        case "sinh": self = .sinh
        case "cosh": self = .cosh
        case "tanh": self = .tanh
        case "asinh": self = .asinh
        case "acosh": self = .acosh
        case "atanh": self = .atanh
        case "integer_pow": self = .integerPow
        case "square": self = .square
        case "sqrt": self = .sqrt
        case "rsqrt": self = .rsqrt
        case "logistic": self = .logistic
        case "erf": self = .erf
        case "expm1": self = .expm1
        case "not": self = .logicalNot
        case "sign": self = .sign
        case "is_finite": self = .isFinite
        case "exp2": self = .exp2
        case "cbrt": self = .cbrt
        case "floor": self = .floor
        case "ceil": self = .ceil
        case "erfc": self = .erfc
        case "lgamma": self = .lgamma
        case "digamma": self = .digamma
        case "erf_inv": self = .erfInv
        case "bessel_i0e": self = .besselI0e
        case "bessel_i1e": self = .besselI1e
        default: return nil
        }
    }

    /// f(x); `n` is integer_pow's exponent.
    @inline(__always)
    func value<S: JacobianScalar>(_ x: S, _ n: Int) -> S {
        switch self {
        case .neg: return -x
        case .abs: return Swift.abs(x)
        case .exp: return S.exp(x)
        case .log: return S.log(x)
        case .log1p: return S.log1p(x)
        case .sin: return S.sin(x)
        case .cos: return S.cos(x)
        case .tan: return S.tan(x)
        case .asin: return S.asin(x)
        case .acos: return S.acos(x)
        case .atan: return S.atan(x)
        case .sinh: return S.sinh(x)
        case .cosh: return S.cosh(x)
        case .tanh: return S.tanh(x)
        case .asinh: return S.asinh(x)
        case .acosh: return S.acosh(x)
        case .atanh: return S.atanh(x)
        case .integerPow: return integerPower(x, n)
        case .square: return x * x
        case .sqrt: return x.squareRoot()
        case .rsqrt: return 1 / x.squareRoot()
        case .logistic: return 1 / (1 + S.exp(-x))
        case .erf: return S.erf(x)
        case .truncate: return x.rounded(.towardZero)
        case .toBool: return x != 0 ? 1 : 0
        case .expm1: return S.expm1(x)
        case .logicalNot: return x == 0 ? 1 : 0
        case .sign: return x > 0 ? 1 : x < 0 ? -1 : x
        case .isFinite: return x.isFinite ? 1 : 0
        case .exp2: return S.exp2(x)
        case .cbrt: return S.cbrt(x)
        case .floor: return x.rounded(.down)
        case .ceil: return x.rounded(.up)
        case .erfc: return S.erfc(x)
        case .roundAway: return x.rounded(.toNearestOrAwayFromZero)
        case .roundEven: return x.rounded(.toNearestOrEven)
        case .lgamma: return S.lgamma(x)
        case .digamma: return S.digamma(x)
        case .erfInv: return S.erfInv(x)
        case .besselI0e: return S.besselI0e(x)
        case .besselI1e: return S.besselI1e(x)
        case .narrowFloat: return FloatFormat(code: n)!.round(x)
        case .wrapInteger: return IntegerFormat(code: n)!.wrap(x)
        case .saturateInteger: return IntegerFormat(code: n)!.saturate(x)
        }
    }

    /// f'(x), given y = f(x) (several derivatives are cheapest in terms of the result).
    @inline(__always)
    func derivative<S: JacobianScalar>(_ x: S, _ y: S, _ n: Int) -> S {
        switch self {
        case .neg: return -1
        case .abs: return x >= 0 ? 1 : -1
        case .exp: return y
        case .log: return 1 / x
        case .log1p: return 1 / (1 + x)
        case .sin: return S.cos(x)
        case .cos: return -S.sin(x)
        case .tan: return 1 + y * y
        case .asin: return 1 / (1 - x * x).squareRoot()
        case .acos: return -1 / (1 - x * x).squareRoot()
        case .atan: return 1 / (1 + x * x)
        case .sinh: return S.cosh(x)
        case .cosh: return S.sinh(x)
        case .tanh: return 1 - y * y
        case .asinh: return 1 / (x * x + 1).squareRoot()
        case .acosh: return 1 / ((x - 1) * (x + 1)).squareRoot()
        case .atanh: return 1 / (1 - x * x)
        case .integerPow: return n == 0 ? 0 : S(n) * integerPower(x, n - 1)
        case .square: return 2 * x
        case .sqrt: return 1 / (2 * y)
        case .rsqrt: return -y / (2 * x)
        case .logistic: return y * (1 - y)
        case .erf: return 2 / S.pi.squareRoot() * S.exp(-x * x)
        case .truncate, .toBool, .logicalNot, .sign, .isFinite, .floor, .ceil, .roundAway, .roundEven: return 0
        case .wrapInteger, .saturateInteger: return 0
        case .erfc: return -2 / S.pi.squareRoot() * S.exp(-x * x)
        // JAX: expm1'(x) = expm1(x) + 1.
        case .expm1: return y + 1
        // JAX: exp2'(x) = exp2(x)·ln 2; cbrt'(x) = (1/3)·cbrt(x)^−2.
        case .exp2: return y * S(0.6931471805599453)
        case .cbrt: return 1 / (3 * y * y)
        // JAX (jax/_src/lax/special.py): lgamma′ = digamma, digamma′ = polygamma(1, x),
        // erf_inv′ = √π/2·exp(y²), i0e′ = i1e(x) − sign(x)·y, i1e′ = i0e(x) − y·(sign(x) + 1/x)
        // (JAX takes 1/2 for |x| ≤ eps; here at 0 only, where the formula has no value).
        case .lgamma: return S.digamma(x)
        case .digamma: return S.trigamma(x)
        case .erfInv: return S(0.8862269254527579) * S.exp(y * y)
        case .besselI0e: return S.besselI1e(x) - signum(x) * y
        case .besselI1e: return x == 0 ? 0.5 : S.besselI0e(x) - y * (signum(x) + 1 / x)
        case .narrowFloat: return 1
        }
    }

    /// Functions whose derivative is a constant: the partial needs no row.
    var constantDerivative: Double? {
        switch self {
        case .neg: return -1
        case .truncate, .toBool, .logicalNot, .sign, .isFinite, .floor, .ceil, .roundAway, .roundEven: return 0
        case .narrowFloat: return 1
        case .wrapInteger, .saturateInteger: return 0
        default: return nil
        }
    }
}

/// −1, 0 or 1 (0 for NaN), as lax.sign in JAX's derivatives.
@inline(__always)
func signum<S: JacobianScalar>(_ x: S) -> S { x > 0 ? 1 : x < 0 ? -1 : 0 }

/// x^n by repeated squaring, as XLA lowers integer_pow (x^-n = 1 / x^n).
@inline(__always)
func integerPower<S: JacobianScalar>(_ x: S, _ n: Int) -> S {
    var base = x, e = n.magnitude, acc: S = 1
    while e > 0 {
        if e & 1 == 1 { acc *= base }
        base *= base
        e >>= 1
    }
    return n < 0 ? 1 / acc : acc
}

/// An elementwise primitive of two operands (after broadcasting), with both partials. The
/// comparisons (eq, ne, gt, lt, ge, le) and the boolean `and`, `or` give 1 or 0 and have no
/// partials (not differentiable).
package enum BinaryFunction: UInt8, CaseIterable {
    case add, sub, mul, div, atan2, eq, max, min, pow
    case ne, gt, lt, ge, le, and, or
    /// The remainder of x / y truncated toward zero, with x's sign (C's fmod; `rem`, which
    /// `x % y`, jnp.mod and jnp.fmod print): exact, so integer operands give integer remainders.
    case rem
    /// JAX's total-order comparisons (`lt_to`, `le_to`, `eq_to`, which jnp.searchsorted prints):
    /// −0 before +0 and NaN after every number. ccelim orders every NaN last whatever its sign bit
    /// (JAX puts a negative NaN first), so that the emitters' formulas can say the same.
    case ltTotal, leTotal, eqTotal
    /// log(exp(x) + exp(y)) as jnp.logaddexp computes it (x + y where x − y is NaN, else
    /// max(x, y) + log1p(exp(−|x − y|))), with its custom derivative exp(x − z), exp(y − z) (a
    /// +inf x, y or z read as 0, as JAX's rule does): 1/2 each at a tie. Not a JAX primitive:
    /// the combination of `cumlogsumexp` as CumulativeScan writes it.
    case logaddexp

    init?(primitive: String) {
        switch primitive {
        case "add", "add_any": self = .add
        case "sub": self = .sub
        case "mul": self = .mul
        case "div": self = .div
        case "atan2": self = .atan2
        case "eq": self = .eq
        case "max": self = .max
        case "min": self = .min
        case "pow": self = .pow
        case "ne": self = .ne
        case "gt": self = .gt
        case "lt": self = .lt
        case "ge": self = .ge
        case "le": self = .le
        case "and": self = .and
        case "or": self = .or
        case "rem": self = .rem
        case "lt_to": self = .ltTotal
        case "le_to": self = .leTotal
        case "eq_to": self = .eqTotal
        case "logaddexp": self = .logaddexp
        default: return nil
        }
    }

    @inline(__always)
    func value<S: JacobianScalar>(_ x: S, _ y: S) -> S {
        switch self {
        case .add: return x + y
        case .sub: return x - y
        case .mul: return x * y
        case .div: return x / y
        case .atan2: return S.atan2(x, y)
        case .eq: return x == y ? 1 : 0
        // XLA's max/min propagate NaN.
        case .max: return x.isNaN || y.isNaN ? .nan : Swift.max(x, y)
        case .min: return x.isNaN || y.isNaN ? .nan : Swift.min(x, y)
        case .pow: return S.pow(x, y)
        case .ne: return x != y ? 1 : 0
        case .gt: return x > y ? 1 : 0
        case .lt: return x < y ? 1 : 0
        case .ge: return x >= y ? 1 : 0
        case .le: return x <= y ? 1 : 0
        case .and: return x != 0 && y != 0 ? 1 : 0
        case .or: return x != 0 || y != 0 ? 1 : 0
        case .rem: return x.truncatingRemainder(dividingBy: y)
        case .ltTotal: return totallyBefore(x, y) ? 1 : 0
        case .leTotal: return totallyBefore(y, x) ? 0 : 1
        case .eqTotal: return totallyBefore(x, y) || totallyBefore(y, x) ? 0 : 1
        case .logaddexp:
            let d = x - y
            return d.isNaN ? x + y : (x.isNaN || y.isNaN ? .nan : Swift.max(x, y)) + S.log1p(S.exp(-d.magnitude))
        }
    }

    /// ∂z/∂x (wrt = 0) or ∂z/∂y (wrt = 1) at z = f(x, y).
    @inline(__always)
    func partial<S: JacobianScalar>(_ wrt: Int, _ x: S, _ y: S, _ z: S) -> S {
        switch (self, wrt) {
        case (.add, _): return 1
        case (.sub, 0): return 1
        case (.sub, _): return -1
        case (.mul, 0): return y
        case (.mul, _): return x
        case (.div, 0): return 1 / y
        case (.div, _): return -z / y
        case (.atan2, 0): return y / (x * x + y * y)
        case (.atan2, _): return -x / (x * x + y * y)
        case (.eq, _), (.ne, _), (.gt, _), (.lt, _), (.ge, _), (.le, _), (.and, _), (.or, _), (.ltTotal, _),
            (.leTotal, _), (.eqTotal, _):
            return 0
        // JAX's balanced rule: a tie shares the derivative equally.
        case (.max, 0): return x > y ? 1 : x == y ? 0.5 : 0
        case (.max, _): return y > x ? 1 : x == y ? 0.5 : 0
        case (.min, 0): return x < y ? 1 : x == y ? 0.5 : 0
        case (.min, _): return y < x ? 1 : x == y ? 0.5 : 0
        // JAX: y == 0 → 0, else y·x^(y−1); ∂y = log(x)·z with log(0) replaced by log(1).
        case (.pow, 0): return y == 0 ? 0 : y * S.pow(x, y - 1)
        case (.pow, _): return x == 0 ? 0 : S.log(x) * z
        // JAX: ∂x = 1; ∂y = −sign(x/y)·floor(|x/y|), which is −trunc(x/y).
        case (.rem, 0): return 1
        case (.rem, _): return -(x / y).rounded(.towardZero)
        case (.logaddexp, _):
            func replaceInf(_ v: S) -> S { v == .infinity ? 0 : v }
            return S.exp(replaceInf(wrt == 0 ? x : y) - replaceInf(z))
        }
    }
}

/// x strictly before y in the total order of the `*_to` comparisons: numbers by value, −0 before
/// +0, every NaN after every number (two NaNs are equal).
@inline(__always)
func totallyBefore<S: JacobianScalar>(_ x: S, _ y: S) -> Bool {
    if x.isNaN { return false }
    if y.isNaN { return true }
    if x < y { return true }
    return x == 0 && y == 0 && x.sign == .minus && y.sign == .plus
}
