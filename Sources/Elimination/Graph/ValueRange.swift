import Foundation

/// A closed interval [lower, upper] that holds every value a scalar variable of a generated program
/// can take when its inputs lie in `ValueRange.inputs` (interval arithmetic: each operation's range
/// is computed from its operands' ranges alone, so it is wider than the true set where operands are
/// correlated, never narrower). `RandomGraphs.scalar` uses it to draw `log`, `sqrt`, `div` and
/// `exp` only where their operands are safely inside their domain and the result stays moderate, so
/// its programs are finite, with finite Jacobians, at every point `ccelim jacobian` picks by default.
/// The margins (`domainMargin`, `denominatorMargin`, `magnitudeLimit`) are far above rounding
/// (about 1e-16 relative), so floating-point evaluation stays inside the ranges for practical
/// purposes; they are a design choice, not a proof about rounding.
struct ValueRange: Equatable, Sendable {
    var lower: Double
    var upper: Double

    /// The inputs' range: the values `ccelim jacobian` draws when no point is given (`DefaultPoint`:
    /// deterministic values in [0.2, 0.8)).
    static let inputs = ValueRange(lower: DefaultPoint.low, upper: DefaultPoint.low + DefaultPoint.width)
    /// `log` and `sqrt` are drawn only where the operand is at least this (their derivatives 1/x and
    /// 1/(2√x) stay below 100 and 5).
    static let domainMargin = 0.01
    /// `div` is drawn only where the denominator stays at least this far from 0 (|∂/∂y| ≤ |x|/0.01).
    static let denominatorMargin = 0.1
    /// No operation is drawn whose result could exceed this in magnitude (`exp` of up to about 6.9,
    /// products and quotients of moderate values), except the additions that replace them.
    static let magnitudeLimit = 1000.0

    /// max(|lower|, |upper|).
    var magnitude: Double { Swift.max(abs(lower), abs(upper)) }

    /// The range of `primitive` applied to `self`, or nil when it is not drawn here (operand outside
    /// the domain with its margin, or a result beyond `magnitudeLimit`). The unary primitives of the
    /// random scalar preset: sin, cos, tanh always; exp, sqrt, log where safe.
    func unary(_ primitive: String) -> ValueRange? {
        switch primitive {
        case "sin", "cos": return ValueRange(lower: -1, upper: 1)
        case "tanh": return ValueRange(lower: Foundation.tanh(lower), upper: Foundation.tanh(upper))
        case "exp":
            let r = ValueRange(lower: Foundation.exp(lower), upper: Foundation.exp(upper))
            return r.magnitude <= Self.magnitudeLimit ? r : nil
        case "sqrt":
            return lower >= Self.domainMargin ? ValueRange(lower: lower.squareRoot(), upper: upper.squareRoot()) : nil
        case "log":
            return lower >= Self.domainMargin
                ? ValueRange(lower: Foundation.log(lower), upper: Foundation.log(upper)) : nil
        default: preconditionFailure("no range rule for \(primitive)")
        }
    }

    /// The range of `self` `primitive` `other` (add, sub, mul, div), or nil when it is not drawn
    /// here: a denominator within `denominatorMargin` of 0, or a product or quotient beyond
    /// `magnitudeLimit`. Additions are always drawn (their magnitude at most doubles).
    func binary(_ primitive: String, _ other: ValueRange) -> ValueRange? {
        switch primitive {
        case "add": return ValueRange(lower: lower + other.lower, upper: upper + other.upper)
        case "sub": return ValueRange(lower: lower - other.upper, upper: upper - other.lower)
        case "mul":
            let r = Self.hull(
                [lower * other.lower, lower * other.upper, upper * other.lower, upper * other.upper])
            return r.magnitude <= Self.magnitudeLimit ? r : nil
        case "div":
            guard other.lower >= Self.denominatorMargin || other.upper <= -Self.denominatorMargin else { return nil }
            let r = Self.hull(
                [lower / other.lower, lower / other.upper, upper / other.lower, upper / other.upper])
            return r.magnitude <= Self.magnitudeLimit ? r : nil
        default: preconditionFailure("no range rule for \(primitive)")
        }
    }

    /// `self` scaled by a constant (the preset's `mul 0.5 x`).
    func scaled(by c: Double) -> ValueRange { Self.hull([lower * c, upper * c]) }

    /// The smallest range holding `values`; the whole line when one is NaN (0 · ∞ of ranges that
    /// overflowed), so no rule that bounds the magnitude admits it.
    private static func hull(_ values: [Double]) -> ValueRange {
        guard !values.contains(where: \.isNaN) else { return ValueRange(lower: -.infinity, upper: .infinity) }
        return ValueRange(lower: values.min()!, upper: values.max()!)
    }
}
