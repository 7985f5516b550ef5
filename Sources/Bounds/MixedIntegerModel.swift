/// A mixed-integer linear program in plain arrays: minimise objectiveOffset + Σ objective[j]·x[j]
/// subject to rowLower[i] ≤ Σ_j a[i][j]·x[j] ≤ rowUpper[i] and lower[j] ≤ x[j] ≤ upper[j], x[j]
/// integer where isInteger[j]. Rows are stored row by row (CSR); `columnMajor` gives the
/// column-by-column form solvers load. Pure: no solver here (CbcSolver loads it), so a model can be
/// built and checked in tests without one.
struct MixedIntegerModel {
    /// A linear expression constant + Σ coefficient·x[column].
    struct Affine {
        var constant: Double
        var terms: [(column: Int, coefficient: Double)]
        static func constant(_ c: Double) -> Affine { Affine(constant: c, terms: []) }
        static func variable(_ j: Int) -> Affine { Affine(constant: 0, terms: [(j, 1)]) }
        var isConstant: Bool { terms.isEmpty }
        static func + (a: Affine, b: Affine) -> Affine {
            Affine(constant: a.constant + b.constant, terms: a.terms + b.terms)
        }
        static func - (a: Affine, b: Affine) -> Affine { a + b.scaled(-1) }
        func scaled(_ k: Double) -> Affine {
            Affine(constant: constant * k, terms: terms.map { ($0.column, $0.coefficient * k) })
        }
        func value(_ x: [Double]) -> Double { terms.reduce(constant) { $0 + $1.coefficient * x[$1.column] } }
    }

    private(set) var lower: [Double] = [], upper: [Double] = [], objective: [Double] = []
    private(set) var isInteger: [Bool] = []
    var objectiveOffset = 0.0
    private(set) var rowStarts: [Int] = [0]
    private(set) var rowColumns: [Int32] = []
    private(set) var rowValues: [Double] = []
    private(set) var rowLower: [Double] = [], rowUpper: [Double] = []

    var columnCount: Int { lower.count }
    var rowCount: Int { rowLower.count }

    mutating func addColumn(lower: Double, upper: Double, objective: Double = 0, integer: Bool = false) -> Int {
        self.lower.append(lower)
        self.upper.append(upper)
        self.objective.append(objective)
        isInteger.append(integer)
        return columnCount - 1
    }

    mutating func raiseLower(_ j: Int, to value: Double) { lower[j] = max(lower[j], value) }

    /// Adds `expression ≥ bound` (the constant moves to the right-hand side). A constant expression
    /// adds no row; it must already hold (checked: a violated one is a bug in the formulation).
    mutating func addRow(_ expression: Affine, atLeast bound: Double) {
        addRow(expression, lower: bound, upper: .infinity)
    }

    mutating func addRow(_ expression: Affine, lower: Double, upper: Double) {
        var merged: [Int: Double] = [:]
        for (j, a) in expression.terms { merged[j, default: 0] += a }
        let terms = merged.filter { $0.value != 0 }.sorted { $0.key < $1.key }
        if terms.isEmpty {
            precondition(
                expression.constant >= lower - 1e-9 && expression.constant <= upper + 1e-9,
                "a constant row \(expression.constant) outside [\(lower), \(upper)]")
            return
        }
        for (j, a) in terms {
            rowColumns.append(Int32(j))
            rowValues.append(a)
        }
        rowStarts.append(rowColumns.count)
        rowLower.append(lower - expression.constant)
        rowUpper.append(upper - expression.constant)
    }

    /// The constraint matrix column by column: column j's entries are rows[starts[j]..<starts[j+1]].
    func columnMajor() -> (starts: [Int], rows: [Int32], values: [Double]) {
        var counts = [Int](repeating: 0, count: columnCount + 1)
        for j in rowColumns { counts[Int(j) + 1] += 1 }
        for j in 0..<columnCount { counts[j + 1] += counts[j] }
        var next = counts
        var rows = [Int32](repeating: 0, count: rowColumns.count),
            values = [Double](repeating: 0, count: rowColumns.count)
        for i in 0..<rowCount {
            for k in rowStarts[i]..<rowStarts[i + 1] {
                let j = Int(rowColumns[k])
                rows[next[j]] = Int32(i)
                values[next[j]] = rowValues[k]
                next[j] += 1
            }
        }
        return (counts, rows, values)
    }

    func objectiveValue(_ x: [Double]) -> Double {
        zip(objective, x).reduce(objectiveOffset) { $0 + $1.0 * $1.1 }
    }

    /// The largest violation of a bound, a row or integrality by x (0 when x is feasible).
    func violation(_ x: [Double]) -> Double {
        var worst = 0.0
        for j in 0..<columnCount {
            worst = max(worst, lower[j] - x[j], x[j] - upper[j])
            if isInteger[j] { worst = max(worst, abs(x[j] - x[j].rounded())) }
        }
        for i in 0..<rowCount {
            var activity = 0.0
            for k in rowStarts[i]..<rowStarts[i + 1] { activity += rowValues[k] * x[Int(rowColumns[k])] }
            worst = max(worst, rowLower[i] - activity, activity - rowUpper[i])
        }
        return worst
    }
}
