/// A value the compiler knows: a constant (the same for every sample) or the arena row holding it.
package enum Val: Equatable {
    case constant(Double)
    case row(Int32)
}

/// The structure and values of one partial Jacobian ∂target/∂source between two vertices (or an
/// input and a vertex), flattened row-major: `rows` = target elements, `cols` = source elements.
/// Only entries that can be non-zero exist, so a diagonal block of an n-vector holds n entries and
/// an identity (reshape, broadcast, transpose, …) holds constant ones: no dense materialisation.
struct SparseBlock {
    var rows: Int
    var cols: Int
    /// key = row · cols + col.
    var entries: [Int: Val] = [:]

    init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
    }

    subscript(row: Int, col: Int) -> Val? {
        get { entries[row * cols + col] }
        set { entries[row * cols + col] = newValue }
    }

    /// Entries in ascending key order (the tape must not depend on dictionary order).
    var sortedEntries: [(key: Int, value: Val)] {
        entries.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }
}

/// A summand before emission: coefficient · a · b with a and b optional rows.
struct Summand {
    var coefficient: Double
    var a: Int32?
    var b: Int32?

    init(_ value: Val) {
        switch value {
        case .constant(let c): self.init(coefficient: c, a: nil, b: nil)
        case .row(let r): self.init(coefficient: 1, a: r, b: nil)
        }
    }

    init(coefficient: Double, a: Int32?, b: Int32?) {
        self.coefficient = coefficient
        self.a = a
        self.b = b
    }

    /// The chain-rule product of two partial entries (constants folded now, not at run time).
    static func product(_ x: Val, _ y: Val) -> Summand {
        switch (x, y) {
        case (.constant(let p), .constant(let q)): return Summand(coefficient: p * q, a: nil, b: nil)
        case (.constant(let p), .row(let r)), (.row(let r), .constant(let p)):
            return Summand(coefficient: p, a: r, b: nil)
        case (.row(let r), .row(let s)): return Summand(coefficient: 1, a: r, b: s)
        }
    }
}
