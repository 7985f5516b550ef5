import Jacobian

/// What one tape instruction computes per sample, as a small expression tree over its operand
/// rows: the single table of semantics both emitters print (`JaxEmitter` as jax.numpy, `CEmitter`
/// as C). The formulas are the interpreter's (TapeRunner's kernels, UnaryFunction.value/derivative,
/// BinaryFunction.value/partial), so generated code computes what `ccelim jacobian` computes.
indirect enum ElementFormula: Equatable {
    /// Operand 0, 1 or 2 of the instruction (its rows a, b, c).
    case operand(Int)
    case literal(Double)
    case call(MathFunction, [ElementFormula])
    case negate(ElementFormula)
    case arithmetic(Arithmetic, ElementFormula, ElementFormula)
    /// (lhs comparison rhs) ? then : else.
    case select(Comparison, ElementFormula, ElementFormula, then: ElementFormula, else: ElementFormula)

    enum Arithmetic: String { case add = "+", subtract = "-", multiply = "*", divide = "/" }
    enum Comparison: String {
        case equal = "==", notEqual = "!=", greater = ">", less = "<", greaterOrEqual = ">=", lessOrEqual = "<="
    }

    /// Elementary functions; `integerPower(n)` is x^n by repeated squaring, `maximum`/`minimum`
    /// propagate NaN as XLA does.
    enum MathFunction: Hashable {
        case abs, exp, log, log1p, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh, atanh
        case sqrt, erf, truncate, atan2, pow, maximum, minimum, expm1, exp2, cbrt, floor, ceil
        /// erfc; rounding to nearest with halves away from zero and to even; the remainder fmod.
        case erfc, roundAway, roundEven, remainder
        /// jnp.logaddexp (JAX prints the call, so that jax.jacrev of generated code uses JAX's
        /// custom rule; C prints `logAddExpExpansion`).
        case logaddexp
        /// log|Γ|, ψ, ψ′ (polygamma(1, x)), erf⁻¹, e^(−|x|)I₀, e^(−|x|)I₁: libm's lgamma and
        /// SpecialFunctions (C prints them as helpers, `CEmitter.specialFunctionHelpers`).
        case lgamma, digamma, trigamma, erfInv, besselI0e, besselI1e
        case integerPower(Int)
        /// Rounding to a narrower float (FloatFormat): C calls `ccelim_narrow` (or casts to float for
        /// float32), JAX converts to the format's dtype and back.
        case narrow(FloatFormat)
    }

    /// The functions the formula calls.
    var functions: Set<MathFunction> {
        switch self {
        case .operand, .literal: return []
        case .call(let f, let args): return args.reduce(into: [f]) { $0.formUnion($1.functions) }
        case .negate(let x): return x.functions
        case .arithmetic(_, let l, let r): return l.functions.union(r.functions)
        case .select(_, let l, let r, let t, let e):
            return l.functions.union(r.functions).union(t.functions).union(e.functions)
        }
    }

    // MARK: Building

    static func + (l: ElementFormula, r: ElementFormula) -> ElementFormula { .arithmetic(.add, l, r) }
    static func - (l: ElementFormula, r: ElementFormula) -> ElementFormula { .arithmetic(.subtract, l, r) }
    static func * (l: ElementFormula, r: ElementFormula) -> ElementFormula { .arithmetic(.multiply, l, r) }
    static func / (l: ElementFormula, r: ElementFormula) -> ElementFormula { .arithmetic(.divide, l, r) }
    static func call(_ f: MathFunction, _ x: ElementFormula) -> ElementFormula { .call(f, [x]) }

    private static let x = ElementFormula.operand(0), y = ElementFormula.operand(1), z = ElementFormula.operand(2)
    private static let one = ElementFormula.literal(1), zero = ElementFormula.literal(0)

    /// f(a) (`.unary`); `n` is integer_pow's exponent.
    static func unary(_ f: UnaryFunction, exponent n: Int) -> ElementFormula {
        switch f {
        case .neg: return .negate(x)
        case .abs: return .call(.abs, x)
        case .exp: return .call(.exp, x)
        case .log: return .call(.log, x)
        case .log1p: return .call(.log1p, x)
        case .sin: return .call(.sin, x)
        case .cos: return .call(.cos, x)
        case .tan: return .call(.tan, x)
        case .asin: return .call(.asin, x)
        case .acos: return .call(.acos, x)
        case .atan: return .call(.atan, x)
        case .sinh: return .call(.sinh, x)
        case .cosh: return .call(.cosh, x)
        case .tanh: return .call(.tanh, x)
        case .asinh: return .call(.asinh, x)
        case .acosh: return .call(.acosh, x)
        case .atanh: return .call(.atanh, x)
        case .integerPow: return power(x, n)
        case .square: return x * x
        case .sqrt: return .call(.sqrt, x)
        case .rsqrt: return one / .call(.sqrt, x)
        case .logistic: return one / (one + .call(.exp, .negate(x)))
        case .erf: return .call(.erf, x)
        case .truncate: return .call(.truncate, x)
        case .toBool: return .select(.notEqual, x, zero, then: one, else: zero)
        case .expm1: return .call(.expm1, x)
        case .logicalNot: return .select(.equal, x, zero, then: one, else: zero)
        // ±0 and NaN give x · 0 (x itself), which JAX differentiates to 0 when it differentiates f.
        case .sign:
            return .select(
                .greater, x, zero, then: one, else: .select(.less, x, zero, then: .negate(one), else: x * zero))
        // x − x is 0 exactly when x is finite (NaN for ±inf and NaN).
        case .isFinite: return .select(.equal, x - x, zero, then: one, else: zero)
        case .exp2: return .call(.exp2, x)
        case .cbrt: return .call(.cbrt, x)
        case .floor: return .call(.floor, x)
        case .ceil: return .call(.ceil, x)
        case .erfc: return .call(.erfc, x)
        case .roundAway: return .call(.roundAway, x)
        case .roundEven: return .call(.roundEven, x)
        case .lgamma: return .call(.lgamma, x)
        case .digamma: return .call(.digamma, x)
        case .erfInv: return .call(.erfInv, x)
        case .besselI0e: return .call(.besselI0e, x)
        case .besselI1e: return .call(.besselI1e, x)
        case .narrowFloat: return .call(.narrow(FloatFormat(code: n)!), x)
        // x − 2^bits·⌊x / 2^bits⌋, less 2^bits above a signed type's greatest value.
        case .wrapInteger:
            let format = IntegerFormat(code: n)!
            let m = ElementFormula.literal(Double(sign: .plus, exponent: format.bits, significand: 1))
            let r = x - m * .call(.floor, x / m)
            return format.signed ? .select(.greater, r, .literal(format.greatest), then: r - m, else: r) : r
        // NaN → 0, else trunc(x) clamped to the type's range.
        case .saturateInteger:
            let format = IntegerFormat(code: n)!
            let clamped = ElementFormula.call(
                .minimum, [.call(.maximum, [.call(.truncate, x), .literal(format.least)]), .literal(format.greatest)])
            return .select(.notEqual, x, x, then: zero, else: clamped)
        }
    }

    /// f'(a) given b = f(a) (`.unaryDerivative`).
    static func unaryDerivative(_ f: UnaryFunction, exponent n: Int) -> ElementFormula {
        switch f {
        case .neg: return .literal(-1)
        case .abs: return .select(.greaterOrEqual, x, zero, then: one, else: .literal(-1))
        case .exp: return y
        case .log: return one / x
        case .log1p: return one / (one + x)
        case .sin: return .call(.cos, x)
        case .cos: return .negate(.call(.sin, x))
        case .tan: return one + y * y
        case .asin: return one / .call(.sqrt, one - x * x)
        case .acos: return .literal(-1) / .call(.sqrt, one - x * x)
        case .atan: return one / (one + x * x)
        case .sinh: return .call(.cosh, x)
        case .cosh: return .call(.sinh, x)
        case .tanh: return one - y * y
        case .asinh: return one / .call(.sqrt, x * x + one)
        case .acosh: return one / .call(.sqrt, (x - one) * (x + one))
        case .atanh: return one / (one - x * x)
        case .integerPow:
            switch n {
            case 0: return zero
            case 2: return .literal(2) * x
            case 3: return .literal(3) * x * x
            default: return .literal(Double(n)) * power(x, n - 1)
            }
        case .square: return .literal(2) * x
        case .sqrt: return one / (.literal(2) * y)
        case .rsqrt: return .negate(y) / (.literal(2) * x)
        case .logistic: return y * (one - y)
        case .erf: return .literal(2 / Double.pi.squareRoot()) * .call(.exp, .negate(x) * x)
        case .truncate, .toBool, .logicalNot, .sign, .isFinite, .floor, .ceil, .roundAway, .roundEven: return zero
        case .erfc: return .literal(-2 / Double.pi.squareRoot()) * .call(.exp, .negate(x) * x)
        case .exp2: return y * .literal(0.6931471805599453)
        case .cbrt: return one / (.literal(3) * y * y)
        case .expm1: return y + one
        case .lgamma: return .call(.digamma, x)
        case .digamma: return .call(.trigamma, x)
        case .erfInv: return .literal(0.8862269254527579) * .call(.exp, y * y)
        case .besselI0e: return .call(.besselI1e, x) - sign(x) * y
        case .besselI1e:
            return .select(
                .notEqual, x, zero, then: .call(.besselI0e, x) - y * (sign(x) + one / x), else: .literal(0.5))
        case .narrowFloat: return one
        case .wrapInteger, .saturateInteger: return zero
        }
    }

    /// −1, 0 or 1 (0 for NaN), as lax.sign in JAX's derivatives (UnaryFunction's `signum`).
    private static func sign(_ v: ElementFormula) -> ElementFormula {
        .select(.greater, v, zero, then: one, else: .select(.less, v, zero, then: .literal(-1), else: zero))
    }

    /// c where a ≠ 0, else b (`.select`).
    static let selection = ElementFormula.select(.notEqual, x, zero, then: z, else: y)

    /// f(a, b) (`.binary`).
    static func binary(_ f: BinaryFunction) -> ElementFormula {
        switch f {
        case .add: return x + y
        case .sub: return x - y
        case .mul: return x * y
        case .div: return x / y
        case .atan2: return .call(.atan2, [x, y])
        case .eq: return .select(.equal, x, y, then: one, else: zero)
        case .max: return .call(.maximum, [x, y])
        case .min: return .call(.minimum, [x, y])
        case .pow: return .call(.pow, [x, y])
        case .ne: return .select(.notEqual, x, y, then: one, else: zero)
        case .gt: return .select(.greater, x, y, then: one, else: zero)
        case .lt: return .select(.less, x, y, then: one, else: zero)
        case .ge: return .select(.greaterOrEqual, x, y, then: one, else: zero)
        case .le: return .select(.lessOrEqual, x, y, then: one, else: zero)
        case .and:
            return .select(.notEqual, x, zero, then: .select(.notEqual, y, zero, then: one, else: zero), else: zero)
        case .or:
            return .select(.notEqual, x, zero, then: one, else: .select(.notEqual, y, zero, then: one, else: zero))
        case .rem: return .call(.remainder, [x, y])
        case .ltTotal: return totallyBefore(x, y)
        case .leTotal: return one - totallyBefore(y, x)
        case .eqTotal: return one - totallyBefore(x, y) - totallyBefore(y, x)
        case .logaddexp: return .call(.logaddexp, [x, y])
        }
    }

    /// log(exp(a) + exp(b)) as jnp.logaddexp computes it, over operands 0 and 1: a + b where a − b
    /// is NaN, else max(a, b) + log1p(exp(−|a − b|)).
    static let logAddExpExpansion: ElementFormula = {
        let d = x - y
        return .select(
            .notEqual, d, d, then: x + y,
            else: .call(.maximum, [x, y]) + .call(.log1p, .call(.exp, .negate(.call(.abs, d)))))
    }()

    /// v, or 0 where v is +inf (−inf and NaN stay): JAX's `_replace_inf` in logaddexp's rule.
    private static func replaceInf(_ v: ElementFormula) -> ElementFormula {
        .select(.equal, v - v, zero, then: v, else: .select(.greater, v, zero, then: zero, else: v))
    }

    /// 1 where a goes strictly before b in the total order (`totallyBefore`): a a number and b
    /// NaN, a < b, or a = −0 and b = +0 (the sign of a zero read through 1/0 = ±inf).
    private static func totallyBefore(_ a: ElementFormula, _ b: ElementFormula) -> ElementFormula {
        let zeros = ElementFormula.select(
            .less, one / a, zero, then: .select(.greater, one / b, zero, then: one, else: zero), else: zero)
        let ordered = ElementFormula.select(
            .less, a, b, then: one,
            else: .select(.equal, a, zero, then: .select(.equal, b, zero, then: zeros, else: zero), else: zero))
        return .select(
            .notEqual, a, a, then: zero, else: .select(.notEqual, b, b, then: one, else: ordered))
    }

    /// ∂f/∂a (wrt 0) or ∂f/∂b (wrt 1) at c = f(a, b) (`.binaryPartial`).
    static func binaryPartial(_ f: BinaryFunction, wrt: Int) -> ElementFormula {
        let (mine, other) = wrt == 0 ? (x, y) : (y, x)
        switch (f, wrt) {
        case (.add, _): return one
        case (.sub, 0): return one
        case (.sub, _): return .literal(-1)
        case (.mul, _): return other
        case (.div, 0): return one / y
        case (.div, _): return .negate(z) / y
        case (.atan2, 0): return y / (x * x + y * y)
        case (.atan2, _): return .negate(x) / (x * x + y * y)
        case (.eq, _), (.ne, _), (.gt, _), (.lt, _), (.ge, _), (.le, _), (.and, _), (.or, _), (.ltTotal, _),
            (.leTotal, _), (.eqTotal, _):
            return zero
        // JAX's balanced rule: a tie shares the derivative equally.
        case (.max, _):
            return .select(
                .greater, mine, other, then: one, else: .select(.equal, x, y, then: .literal(0.5), else: zero))
        case (.min, _):
            return .select(.less, mine, other, then: one, else: .select(.equal, x, y, then: .literal(0.5), else: zero))
        case (.pow, 0): return .select(.equal, y, zero, then: zero, else: y * .call(.pow, [x, y - one]))
        case (.pow, _): return .select(.equal, x, zero, then: zero, else: .call(.log, x) * z)
        case (.rem, 0): return one
        case (.rem, _): return .negate(.call(.truncate, x / y))
        case (.logaddexp, _): return .call(.exp, replaceInf(mine) - replaceInf(z))
        }
    }

    /// x^n as the interpreter computes it: small exponents spelled out, others by repeated squaring.
    private static func power(_ x: ElementFormula, _ n: Int) -> ElementFormula {
        switch n {
        case 1: return x
        case 2: return x * x
        case 3: return x * x * x
        case -1: return one / x
        case -2: return one / (x * x)
        default: return .call(.integerPower(n), x)
        }
    }
}
