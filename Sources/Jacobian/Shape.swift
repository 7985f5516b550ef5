import Elimination

/// Row-major index arithmetic over the (rank ≤ 2, but written for any rank) shapes of a program.
enum Shape {
    static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            s[d] = acc
            acc *= shape[d]
        }
        return s
    }

    /// The multi-index of a row-major flat index.
    static func index(_ flat: Int, _ shape: [Int]) -> [Int] {
        var out = [Int](repeating: 0, count: shape.count)
        var rest = flat
        for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
            out[d] = rest % shape[d]
            rest /= shape[d]
        }
        return out
    }

    static func flat(_ index: [Int], _ shape: [Int]) -> Int {
        var f = 0
        for d in 0..<shape.count { f = f * shape[d] + index[d] }
        return f
    }
}

/// Reads an equation's parameters as JAX printed them (`axes=(np.int64(1),)`, `strides=None`,
/// `dimension_numbers=(([1], [0]), ([], []))`).
struct ParameterReader {
    let equation: Equation
    let vertex: Int

    /// The integers of a tuple parameter; nil when the parameter is absent or `None`.
    func ints(_ key: String) throws(JacobianError) -> [Int]? {
        guard let text = equation.param(key) else { return nil }
        if text.trimmingSpaces == "None" { return nil }
        return ParameterText.integers(in: text)
    }

    func requiredInts(_ key: String) throws(JacobianError) -> [Int] {
        guard let v = try ints(key) else { throw malformed("missing parameter '\(key)'") }
        return v
    }

    func int(_ key: String) throws(JacobianError) -> Int {
        let v = try requiredInts(key)
        guard v.count == 1 else { throw malformed("parameter '\(key)' should be one integer") }
        return v[0]
    }

    /// The innermost bracketed lists: `(([1], [0]), ([], []))` → [[1], [0], [], []].
    func lists(_ key: String) throws(JacobianError) -> [[Int]] {
        guard let text = equation.param(key) else { throw malformed("missing parameter '\(key)'") }
        return ParameterText.integerLists(in: text)
    }

    func malformed(_ reason: String) -> JacobianError {
        .malformed(vertex: vertex, primitive: equation.primitive, reason: reason)
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
