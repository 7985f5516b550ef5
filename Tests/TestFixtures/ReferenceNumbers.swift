import Foundation

/// Numbers as reference files and emitted programs write them in JSON (values.json of the tasks and
/// the corpus, the generated programs' output): nested arrays of numbers, with non-finite values
/// as the strings "NaN", "Infinity" and "-Infinity". One copy for the Jacobian, codegen and
/// end-to-end tests.
extension TestFixtures {
    /// `value` as a flat list of doubles, row-major; anything else is a broken fixture.
    public static func flatten(_ value: Any) -> [Double] {
        if let array = value as? [Any] { return array.flatMap(flatten) }
        if let n = value as? NSNumber { return [n.doubleValue] }
        switch value as? String {
        case "NaN": return [.nan]
        case "Infinity": return [.infinity]
        case "-Infinity": return [-.infinity]
        default: preconditionFailure("not a number in a reference JSON: \(value)")
        }
    }
}

/// The largest relative difference max |a − b| / (1 + |b|), b the reference: a NaN must meet a NaN
/// (or, with `skippingNaNInReference`, entries where b is NaN are not compared); different sizes
/// are infinitely different.
public func maxRelativeDifference(
    _ a: some Collection<Double>, _ b: some Collection<Double>, skippingNaNInReference: Bool = false
) -> Double {
    guard a.count == b.count else { return .infinity }
    var worst = 0.0
    for (x, y) in zip(a, b) {
        if y.isNaN && skippingNaNInReference { continue }
        if x.isNaN || y.isNaN {
            if x.isNaN != y.isNaN { return .infinity }
            continue
        }
        if x == y { continue }
        worst = max(worst, abs(x - y) / (1 + abs(y)))
    }
    return worst
}
