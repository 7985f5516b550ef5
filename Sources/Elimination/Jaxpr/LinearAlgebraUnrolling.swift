/// `cholesky`, `triangular_solve` and `lu` (jnp.linalg.cholesky, jax.scipy.linalg.solve_triangular,
/// cho_solve, lu_factor, jax.scipy.stats.multivariate_normal.logpdf, and the factorization inside
/// jnp.linalg.solve) written as the scalar arithmetic of the textbook algorithms: each matrix
/// element a `slice` of shape [1,1], the Cholesky–Banachiewicz recurrence, forward/back
/// substitution or Gaussian elimination with partial pivoting in `mul`, `sub`, `div` and `sqrt` of
/// those elements, and each result assembled by `concatenate` (rows along dimension 1, then the
/// rows along 0). The cost model sees what the algorithm multiplies, one vertex per operation; the
/// interpreter and both code generators need nothing new. Cholesky and triangular_solve read only
/// their triangle (LAPACK's potrf and trsm do the same): the upper triangle of a Cholesky factor is
/// zero, and `unit_diagonal` reads no diagonal. `lu` pivots as LAPACK's getrf: at step k the row
/// of the largest |A[i][k]|, i ≥ k (the first of equals: `argmax`), is swapped into row k, whole
/// rows, by `select_n` on that index, and its pivots and permutation are integer vertices;
/// `lu_pivots_to_permutation` exchanges the same way. `qr` reflects as geqrf and orgqr
/// (Householder, LAPACK's signs); `tridiagonal_solve` is the Thomas algorithm of JAX's CPU code.
///
/// Derivatives: the unrolled algorithms are differentiated exactly, which is what JAX's rules for
/// triangular_solve (it too keeps only the triangle read) and lu (the factors' derivative at the
/// pivots chosen) compute. JAX's Cholesky rule, L·Φ(L⁻¹ dA L⁻ᵀ), is the derivative along
/// symmetric directions dA; jnp.linalg.cholesky symmetrizes its input ((A + Aᵀ)/2 in the jaxpr)
/// before the primitive, so its Jacobian equals this one's. Without it
/// (`lax.linalg.cholesky(a, symmetrize_input=False)`, jax.scipy.linalg.cholesky, cho_factor) the
/// Jacobian with respect to the matrix's own entries differs from JAX's, which splits the
/// derivative between A[i][j] and A[j][i] by its rule (the derivative of no function there) where
/// this one puts it on the lower triangle; through a symmetric construction of A they agree. A matrix that
/// is not positive definite gives NaN from its first failing column on (JAX: NaN everywhere); a
/// zero pivot of `lu` divides by zero where getrf leaves the column unscaled.
enum LinearAlgebraUnrolling {
    static let primitives: Set<String> = [
        "cholesky", "triangular_solve", "lu", "lu_pivots_to_permutation", "qr", "tridiagonal_solve",
    ]

    /// The equations and what each of `eqn`'s results is bound to (results named `_` are not
    /// computed; their atom is never read). More than `maxEquations` equations (what a game state
    /// still holds, GameLimits) are refused as soon as a column or step passes them.
    static func equations(
        _ eqn: JaxprEquation, operandShapes: [[Int]], tag: String, maxEquations: Int
    ) throws(ImportError) -> (equations: [JaxprEquation], results: [JaxprAtom]) {
        let line = eqn.line
        let operandCount = ["triangular_solve": 2, "tridiagonal_solve": 4][eqn.primitive] ?? 1
        let resultCount = ["lu": 3, "qr": 2][eqn.primitive] ?? 1
        guard eqn.operands.count == operandCount, operandShapes.count == operandCount,
            eqn.outputs.count == resultCount
        else {
            throw ImportError(
                .shapeMismatch, line: line,
                "'\(eqn.primitive)' takes \(operandCount == 1 ? "one matrix" : "a matrix and a right-hand side") and gives \(resultCount == 1 ? "one result" : "\(resultCount) results")"
            )
        }
        let ranks: [Int] =
            switch eqn.primitive {
            case "lu_pivots_to_permutation": [1]
            case "tridiagonal_solve": [1, 1, 1, 2]
            default: [Int](repeating: 2, count: operandCount)
            }
        guard operandShapes.map(\.count) == ranks else {
            throw ImportError(
                .unsupportedShape, line: line,
                "'\(eqn.primitive)' of operands of shapes \(operandShapes.map { "\($0)" }.joined(separator: " and ")): ccelim unrolls it for operands of ranks \(ranks.map(String.init).joined(separator: ", ")) only"
            )
        }
        guard operandShapes.allSatisfy({ $0.allSatisfy { $0 > 0 } }) else {
            throw ImportError(
                .unsupportedShape, line: line,
                "'\(eqn.primitive)' of operands of shapes \(operandShapes.map { "\($0)" }.joined(separator: " and ")): an empty operand"
            )
        }
        // The products and differences the algorithm cannot do without (2 per pair of elements it
        // combines; lu's row exchanges too, a selection per element of each column below the
        // pivot): a size no game state holds is refused before any equation is written.
        // (In Double: a printed shape may be large enough to overflow the integer products.)
        let n = Double(operandShapes[0][0])
        let least: Double
        switch eqn.primitive {
        case "cholesky": least = n * (n * n - 1) / 3
        case "lu": least = (n - 1) * n * (2 * n - 1) / 3 + n * n * (n - 1) / 2
        case "triangular_solve": least = Double(operandShapes[1][0]) * Double(operandShapes[1][1]) * (n - 1)
        case "qr": least = n * Double(operandShapes[0][1]) * (min(n, Double(operandShapes[0][1])) - 1)
        case "tridiagonal_solve": least = 4 * n * Double(operandShapes[3][1])
        default: least = n
        }
        guard least <= Double(maxEquations) else {
            throw tooLarge(eqn.primitive, operandShapes, maxEquations: maxEquations, line: line)
        }
        let named = eqn.outputs.first { $0.name != "_" } ?? eqn.outputs[0]
        var unrolling = Unrolling(
            base: named.name, dtype: eqn.outputs[0].type.dtype, tag: tag, line: line, primitive: eqn.primitive,
            maxEquations: maxEquations)
        switch eqn.primitive {
        case "cholesky": try unrolling.cholesky(eqn.operands[0], shape: operandShapes[0], into: eqn.outputs[0])
        case "lu": try unrolling.lu(eqn.operands[0], shape: operandShapes[0], into: eqn.outputs)
        case "qr":
            try unrolling.qr(
                eqn.operands[0], shape: operandShapes[0], full: eqn.param("full_matrices")?.text == "True",
                into: eqn.outputs)
        case "tridiagonal_solve": try unrolling.tridiagonalSolve(eqn, shapes: operandShapes)
        case "lu_pivots_to_permutation":
            try unrolling.permutation(pivots: eqn.operands[0], count: operandShapes[0][0], into: eqn.outputs[0])
        default: try unrolling.triangularSolve(eqn, shapes: operandShapes)
        }
        return (unrolling.writer.equations, eqn.outputs.map { .variable(name: $0.name, line: line) })
    }

    /// Each column x of X with L·U·x = P·b for the columns b of `rhs` (shape [n, k]), from the
    /// factors an `lu` gave (`lu`: L below the diagonal, unit, U on and above it; `permutation`): the
    /// rows of `rhs` permuted by a `select_n` on each permutation entry, then the unit lower and
    /// the upper triangular solve, unrolled. The result is bound to `result`.
    static func luSolve(
        lu: JaxprAtom, permutation: JaxprAtom, index: String, rhs: JaxprAtom, into result: JaxprBinder, tag: String,
        maxEquations: Int
    ) throws(ImportError) -> [JaxprEquation] {
        let (n, k) = (result.type.shape[0], result.type.shape[1])
        let line = result.line
        var unrolling = Unrolling(
            base: result.name, dtype: result.type.dtype, tag: tag, line: line, primitive: "custom_linear_solve",
            maxEquations: maxEquations)
        try unrolling.luSolve(
            lu: lu, permutation: permutation, index: index, rhs: rhs, size: n, columns: k, into: result)
        return unrolling.writer.equations
    }

    private static func tooLarge(_ primitive: String, _ shapes: [[Int]], maxEquations: Int, line: Int) -> ImportError {
        .unrollingTooLarge(
            "'\(primitive)' of \(shapes.map { "\($0)" }.joined(separator: " and "))", maxEquations: maxEquations,
            line: line)
    }

    /// The equations written so far (fresh names `base@tag.k`) and the element slices already taken.
    private struct Unrolling {
        /// The floating-point dtype of the elements.
        let dtype: String
        let line: Int
        let primitive: String
        let maxEquations: Int
        var writer: EquationWriter<Never>
        private var slices: [String: JaxprAtom] = [:]

        init(base: String, dtype: String, tag: String, line: Int, primitive: String, maxEquations: Int) {
            (self.dtype, self.line, self.primitive, self.maxEquations) = (dtype, line, primitive, maxEquations)
            writer = EquationWriter(prefix: "\(base)@\(tag)", line: line)
        }

        /// Called before each column or step: refuses an unrolling that has outgrown a game state.
        private func checkSize(_ shapes: [[Int]]) throws(ImportError) {
            guard writer.equations.count <= maxEquations else {
                throw LinearAlgebraUnrolling.tooLarge(primitive, shapes, maxEquations: maxEquations, line: line)
            }
        }

        /// A new equation, of one element unless `shape` and `dtype` say otherwise.
        fileprivate mutating func bind(
            _ primitive: String, _ params: [(String, String)], _ operands: [JaxprAtom], shape: [Int] = [1, 1],
            dtype: String? = nil
        ) -> JaxprAtom {
            writer.bind(primitive, params, operands, shape: shape, dtype: dtype ?? self.dtype)
        }

        /// Element (row, column) of `matrix` as a [1,1] slice, taken once.
        private mutating func element(_ matrix: JaxprAtom, _ row: Int, _ column: Int) -> JaxprAtom {
            guard case .variable(let name, _) = matrix else { return matrix }
            let key = "\(name) \(row) \(column)"
            if let atom = slices[key] { return atom }
            let atom = writer.slice(matrix, start: [row, column], limit: [row + 1, column + 1], dtype: dtype)
            slices[key] = atom
            return atom
        }

        /// Entry k of a vector: a `slice`, then a scalar (`squeeze`, shape []) or a [1,1] element (`reshape`).
        private mutating func entry(_ vector: JaxprAtom, _ k: Int, shape: [Int], dtype: String) -> JaxprAtom {
            let one = writer.slice(vector, start: [k], limit: [k + 1], dtype: dtype)
            return shape.isEmpty
                ? writer.squeeze(one, dimensions: [0], shape: [], dtype: dtype)
                : writer.reshape(one, to: shape, dtype: dtype, sharding: false)
        }

        /// The integer literal k of dtype `index` (a pivot, an offset, a permutation entry).
        fileprivate func integer(_ k: Int, _ index: String) -> JaxprAtom {
            .literal(text: "\(k)", type: ArrayType(dtype: index, shape: []), line: line)
        }

        /// `start − Σ left[k]·right[k]`, subtracted in order (nothing to subtract: `start` itself).
        private mutating func subtractProducts(_ start: JaxprAtom, _ pairs: [(JaxprAtom, JaxprAtom)]) -> JaxprAtom {
            var running = start
            for (left, right) in pairs {
                running = bind("sub", [], [running, bind("mul", [], [left, right])])
            }
            return running
        }

        private func requireSquare(_ primitive: String, _ shape: [Int], result: JaxprBinder) throws(ImportError) {
            guard shape[1] == shape[0], result.type.shape == shape else {
                throw ImportError(
                    .shapeMismatch, line: line,
                    "'\(primitive)' of a matrix of shape \(shape) gives \(result.type): it takes a square matrix and gives one of its shape"
                )
            }
        }

        /// L with A = L·Lᵀ from A's lower triangle, column by column (Cholesky–Banachiewicz):
        /// L[j][j] = √(A[j][j] − Σₖ L[j][k]²), L[i][j] = (A[i][j] − Σₖ L[i][k]·L[j][k]) / L[j][j], k < j < i.
        mutating func cholesky(_ a: JaxprAtom, shape: [Int], into result: JaxprBinder) throws(ImportError) {
            try requireSquare("cholesky", shape, result: result)
            let n = shape[0]
            var factor = [[JaxprAtom?]](repeating: [JaxprAtom?](repeating: nil, count: n), count: n)
            for j in 0..<n {
                try checkSize([shape])
                let pivot = subtractProducts(element(a, j, j), (0..<j).map { (factor[j][$0]!, factor[j][$0]!) })
                let diagonal = bind("sqrt", [], [pivot])
                factor[j][j] = diagonal
                for i in (j + 1)..<n {
                    let above = subtractProducts(element(a, i, j), (0..<j).map { (factor[i][$0]!, factor[j][$0]!) })
                    factor[i][j] = bind("div", [], [above, diagonal])
                }
            }
            let zero = n > 1 ? constant("0.0", dtype: dtype, shape: [1, 1]) : nil
            assemble((0..<n).map { i in (0..<n).map { j in factor[i][j] ?? zero! } }, into: result)
        }

        /// P·A = L·U by Gaussian elimination with partial pivoting, into one matrix (U on and above
        /// the diagonal, L's multipliers below it, its unit diagonal implied), the pivots (row k was
        /// swapped with row pivots[k]) and the permutation (row i of P·A is row permutation[i] of A),
        /// as LAPACK's getrf and `lax.linalg.lu` give them.
        mutating func lu(_ a: JaxprAtom, shape: [Int], into results: [JaxprBinder]) throws(ImportError) {
            try requireSquare("lu", shape, result: results[0])
            let n = shape[0]
            guard results[1].type.shape == [n], results[2].type.shape == [n] else {
                throw ImportError(
                    .shapeMismatch, line: line,
                    "'lu' of a \(n)×\(n) matrix gives pivots and a permutation of shape [\(n)], not \(results[1].type) and \(results[2].type)"
                )
            }
            let index = results[2].type.dtype
            var m = (0..<n).map { i in (0..<n).map { j in element(a, i, j) } }
            var permutation = (0..<n).map { integer($0, index) }
            var pivots: [JaxprAtom] = []
            for k in 0..<n {
                try checkSize([shape])
                guard k < n - 1 else {
                    pivots.append(integer(k, index))
                    break
                }
                // q: the offset from row k of the largest |m[i][k]|, i ≥ k (the first of equals).
                let magnitudes = (k..<n).map { bind("abs", [], [m[$0][k]]) }
                let column = writer.concatenate(magnitudes, dimension: 0, shape: [n - k, 1], dtype: dtype)
                let offset = bind(
                    "argmax",
                    [("axes", "(0,)"), ("index_dtype", index.hasPrefix("i") ? "int" + index.dropFirst() : index)],
                    [column], shape: [1], dtype: index)
                let q = writer.squeeze(offset, dimensions: [0], shape: [], dtype: index)
                pivots.append(bind("add", [], [q, integer(k, index)], shape: [], dtype: index))
                let exchange = Exchange(unrolling: &self, row: k, offset: q, rows: n, index: index)
                for j in 0..<n {
                    let swappedColumn = exchange.apply(m.map { $0[j] }, shape: [1, 1], dtype: dtype, unrolling: &self)
                    for i in k..<n { m[i][j] = swappedColumn[i] }
                }
                permutation = exchange.apply(permutation, shape: [], dtype: index, unrolling: &self)
                // The multipliers below the pivot, and the Schur complement of the rest.
                for i in (k + 1)..<n {
                    let multiplier = bind("div", [], [m[i][k], m[k][k]])
                    m[i][k] = multiplier
                    for j in (k + 1)..<n {
                        m[i][j] = bind("sub", [], [m[i][j], bind("mul", [], [multiplier, m[k][j]])])
                    }
                }
            }
            if results[0].name != "_" { assemble(m, into: results[0]) }
            if results[1].name != "_" { assembleVector(pivots, into: results[1]) }
            if results[2].name != "_" { assembleVector(permutation, into: results[2]) }
        }

        /// Row `row` exchanged with row `row + offset` (offset ≥ 0 known at run time only) in columns
        /// of `rows` entries: entry `row` selects among entries row… by the offset, entry i > row
        /// takes entry `row` where the offset is i − row (`eq`, shared by every column).
        private struct Exchange {
            let row: Int
            let offset: JaxprAtom
            let isTarget: [JaxprAtom]

            init(unrolling: inout Unrolling, row: Int, offset: JaxprAtom, rows: Int, index: String) {
                (self.row, self.offset) = (row, offset)
                isTarget = ((row + 1)..<rows).map {
                    unrolling.bind(
                        "eq", [],
                        [offset, unrolling.integer($0 - row, index)],
                        shape: [], dtype: "bool")
                }
            }

            func apply(_ column: [JaxprAtom], shape: [Int], dtype: String, unrolling: inout Unrolling) -> [JaxprAtom] {
                var out = column
                out[row] = unrolling.bind("select_n", [], [offset] + column[row...], shape: shape, dtype: dtype)
                for (i, target) in zip((row + 1)..., isTarget) {
                    out[i] = unrolling.bind(
                        "select_n", [], [target, column[i], column[row]], shape: shape, dtype: dtype)
                }
                return out
            }
        }

        /// `lu_pivots_to_permutation` (jax.scipy.linalg.lu_solve): the permutation [0, 1, …] of
        /// `permutation_size` entries with row k exchanged with row pivots[k] for k = 0, 1, … in turn.
        mutating func permutation(pivots: JaxprAtom, count: Int, into result: JaxprBinder) throws(ImportError) {
            let size = result.type.shape.first ?? 0
            guard result.type.shape.count == 1, size >= count else {
                throw ImportError(
                    .shapeMismatch, line: line,
                    "'lu_pivots_to_permutation' of \(count) pivots gives \(result.type): a vector of at least \(count) entries"
                )
            }
            let index = result.type.dtype
            var permutation = (0..<size).map { integer($0, index) }
            for k in 0..<min(count, size - 1) {
                try checkSize([[count]])
                let pivot = entry(pivots, k, shape: [], dtype: index)
                let offset = bind("sub", [], [pivot, integer(k, index)], shape: [], dtype: index)
                let exchange = Exchange(unrolling: &self, row: k, offset: offset, rows: size, index: index)
                permutation = exchange.apply(permutation, shape: [], dtype: index, unrolling: &self)
            }
            assembleVector(permutation, into: result)
        }

        /// A = Q·R by Householder reflections, as LAPACK's geqrf and orgqr (and `jnp.linalg.qr`): for
        /// column j < min(m, n), with α = R[j][j] and x = R[j+1…][j], β = −sign(α)·√(α² + |x|²)
        /// (sign(0) = +1, Fortran's SIGN), τ = (β − α)/β, v = (1, x/(α − β)), and R ← (I − τ·v·vᵀ)·R;
        /// where |x| = 0 (a `select_n` at run time) no reflection (τ = 0, β = α), nor for a last row
        /// with nothing below it. Q = H₀·H₁⋯ applied to the first columns of I (all m with
        /// full_matrices), from the last reflection back. R is zero below its diagonal.
        mutating func qr(_ a: JaxprAtom, shape: [Int], full: Bool, into results: [JaxprBinder]) throws(ImportError) {
            let (m, n) = (shape[0], shape[1])
            let k = min(m, n)
            let columnsOfQ = full ? m : k
            guard results[0].type.shape == [m, columnsOfQ], results[1].type.shape == [full ? m : k, n] else {
                throw ImportError(
                    .shapeMismatch, line: line,
                    "'qr' of a matrix of shape \(shape) (full_matrices=\(full ? "True" : "False")) gives \(results[0].type) and \(results[1].type), not Q [\(m),\(columnsOfQ)] and R [\(full ? m : k),\(n)]"
                )
            }
            let zero = constant("0.0", dtype: dtype, shape: [1, 1])
            let one = constant("1.0", dtype: dtype, shape: [1, 1])
            var r = (0..<m).map { i in (0..<n).map { j in element(a, i, j) } }
            var reflections: [(row: Int, tau: JaxprAtom, v: [JaxprAtom])] = []
            /// Columns `columns` of `matrix` times I − τ·v·vᵀ acting on rows `row`…, v[0] = 1.
            func reflect(_ matrix: inout [[JaxprAtom]], row: Int, tau: JaxprAtom, v: [JaxprAtom], columns: Range<Int>) {
                for c in columns {
                    var w = matrix[row][c]
                    for (i, vi) in zip((row + 1)..., v) {
                        w = bind("add", [], [w, bind("mul", [], [vi, matrix[i][c]])])
                    }
                    let scaled = bind("mul", [], [tau, w])
                    matrix[row][c] = bind("sub", [], [matrix[row][c], scaled])
                    for (i, vi) in zip((row + 1)..., v) {
                        matrix[i][c] = bind("sub", [], [matrix[i][c], bind("mul", [], [vi, scaled])])
                    }
                }
            }
            for j in 0..<k where j + 1 < m {
                try checkSize([shape])
                let alpha = r[j][j]
                var squares = bind("mul", [], [r[j + 1][j], r[j + 1][j]])
                for i in (j + 2)..<m {
                    squares = bind("add", [], [squares, bind("mul", [], [r[i][j], r[i][j]])])
                }
                let norm = bind("sqrt", [], [bind("add", [], [bind("mul", [], [alpha, alpha]), squares])])
                let nonnegative = bind("ge", [], [alpha, writer.literal("0.0")], dtype: "bool")
                let none = bind("eq", [], [squares, writer.literal("0.0")], dtype: "bool")
                let reflected = bind("select_n", [], [nonnegative, norm, bind("neg", [], [norm])])
                let beta = bind("select_n", [], [none, reflected, alpha])
                let tau = bind(
                    "select_n", [], [none, bind("div", [], [bind("sub", [], [beta, alpha]), beta]), zero])
                let scale = bind("select_n", [], [none, bind("sub", [], [alpha, beta]), one])
                let v = ((j + 1)..<m).map { bind("div", [], [r[$0][j], scale]) }
                r[j][j] = beta
                for i in (j + 1)..<m { r[i][j] = zero }
                reflect(&r, row: j, tau: tau, v: v, columns: (j + 1)..<n)
                reflections.append((j, tau, v))
            }
            var q = (0..<m).map { i in (0..<columnsOfQ).map { c in i == c ? one : zero } }
            for (row, tau, v) in reflections.reversed() {
                try checkSize([shape])
                reflect(&q, row: row, tau: tau, v: v, columns: 0..<columnsOfQ)
            }
            if results[0].name != "_" { assemble(q, into: results[0]) }
            if results[1].name != "_" { assemble(Array(r.prefix(full ? m : k)), into: results[1]) }
        }

        /// X with T·X = B for the tridiagonal T of sub-diagonal dl, diagonal d and super-diagonal du
        /// (`lax.linalg.tridiagonal_solve`; dl[0] and du[n−1] are outside T, never read), by the
        /// Thomas algorithm as JAX's own CPU implementation: c'₀ = du₀/d₀, e_i = d_i − dl_i·c'_{i−1},
        /// c'_i = du_i/e_i; per column b'₀ = b₀/d₀, b'_i = (b_i − dl_i·b'_{i−1})/e_i; x_{n−1} = b'_{n−1},
        /// x_i = b'_i − c'_i·x_{i+1}. No pivoting (JAX has none either).
        mutating func tridiagonalSolve(_ eqn: JaxprEquation, shapes: [[Int]]) throws(ImportError) {
            let (n, columns) = (shapes[3][0], shapes[3][1])
            let result = eqn.outputs[0]
            guard shapes[0] == [n], shapes[1] == [n], shapes[2] == [n], result.type.shape == shapes[3] else {
                throw ImportError(
                    .shapeMismatch, line: line,
                    "'tridiagonal_solve' of diagonals of shapes \(shapes[0]), \(shapes[1]), \(shapes[2]) and a right-hand side of shape \(shapes[3]) giving \(result.type): three vectors of \(n) and the result the right-hand side's shape"
                )
            }
            let (dl, d, du, b) = (eqn.operands[0], eqn.operands[1], eqn.operands[2], eqn.operands[3])
            func entry(_ vector: JaxprAtom, _ k: Int) -> JaxprAtom {
                self.entry(vector, k, shape: [1, 1], dtype: dtype)
            }
            let diagonal = (0..<n).map { entry(d, $0) }
            let lower = [nil] + (1..<max(n, 1)).map { Optional(entry(dl, $0)) }
            var scaledUpper: [JaxprAtom] = []  // c'_i, i < n − 1
            var pivots = [diagonal[0]]  // e_i
            for i in 0..<max(n - 1, 0) {
                if i > 0 {
                    pivots.append(
                        bind("sub", [], [diagonal[i], bind("mul", [], [lower[i]!, scaledUpper[i - 1]])]))
                }
                scaledUpper.append(bind("div", [], [entry(du, i), pivots[i]]))
            }
            if n > 1 {
                pivots.append(
                    bind("sub", [], [diagonal[n - 1], bind("mul", [], [lower[n - 1]!, scaledUpper[n - 2]])]))
            }
            var solution = [[JaxprAtom?]](repeating: [JaxprAtom?](repeating: nil, count: columns), count: n)
            for c in 0..<columns {
                try checkSize(shapes)
                var forward: [JaxprAtom] = []
                for i in 0..<n {
                    let rest =
                        i == 0
                        ? element(b, 0, c)
                        : bind("sub", [], [element(b, i, c), bind("mul", [], [lower[i]!, forward[i - 1]])])
                    forward.append(bind("div", [], [rest, pivots[i]]))
                }
                var x = forward[n - 1]
                solution[n - 1][c] = x
                for i in stride(from: n - 2, through: 0, by: -1) {
                    x = bind("sub", [], [forward[i], bind("mul", [], [scaledUpper[i], x])])
                    solution[i][c] = x
                }
            }
            assemble(solution.map { $0.map { $0! } }, into: result)
        }

        /// LinearAlgebraUnrolling.luSolve.
        mutating func luSolve(
            lu: JaxprAtom, permutation: JaxprAtom, index: String, rhs: JaxprAtom, size n: Int, columns k: Int,
            into result: JaxprBinder
        ) throws(ImportError) {
            let entries = (0..<n).map { entry(permutation, $0, shape: [], dtype: index) }
            let permuted = (0..<n).map { i in
                (0..<k).map { c in bind("select_n", [], [entries[i]] + (0..<n).map { element(rhs, $0, c) }) }
            }
            let type = ArrayType(dtype: dtype, shape: [n, k])
            let (rows, lower) = (
                JaxprBinder(name: writer.name("p"), type: type, line: line),
                JaxprBinder(name: writer.name("y"), type: type, line: line)
            )
            assemble(permuted, into: rows)
            for (from, to, isLower) in [(rows, lower, true), (lower, result, false)] {
                let solve = JaxprEquation(
                    outputs: [to], primitive: "triangular_solve",
                    params: [
                        EquationWriter.param("left_side", "True"),
                        EquationWriter.param("lower", isLower ? "True" : "False"),
                        EquationWriter.param("transpose_a", "False"),
                        EquationWriter.param("unit_diagonal", isLower ? "True" : "False"),
                    ], operands: [lu, .variable(name: from.name, line: line)], line: line)
                try triangularSolve(solve, shapes: [[n, n], [n, k]])
            }
        }

        /// `value` (a literal) broadcast to `shape`: an equation without edges.
        private mutating func constant(_ value: String, dtype: String, shape: [Int]) -> JaxprAtom {
            writer.broadcast(writer.literal(value), dimensions: [], shape: shape, dtype: dtype)
        }

        /// X with op(A)·X = B (left_side) or X·op(A) = B, op(A) = A or Aᵀ (transpose_a), A lower or
        /// upper triangular, its diagonal read as 1 with unit_diagonal: substitution per column of
        /// B (per row on the right side, as op(A)ᵀ·Xᵀ = Bᵀ).
        mutating func triangularSolve(_ eqn: JaxprEquation, shapes: [[Int]]) throws(ImportError) {
            func flag(_ key: String) throws(ImportError) -> Bool {
                switch eqn.param(key)?.text {
                case "True": return true
                case "False": return false
                case let text:
                    throw ImportError(
                        .syntax, line: line, "'triangular_solve' needs \(key)=True or False, found '\(text ?? "none")'")
                }
            }
            let (leftSide, lower, transposeA, unitDiagonal) = (
                try flag("left_side"), try flag("lower"), try flag("transpose_a"), try flag("unit_diagonal")
            )
            let (a, b, result) = (eqn.operands[0], eqn.operands[1], eqn.outputs[0])
            let (m, n) = (shapes[1][0], shapes[1][1])
            let size = leftSide ? m : n
            guard shapes[0] == [size, size], result.type.shape == shapes[1] else {
                throw ImportError(
                    .shapeMismatch, line: line,
                    "'triangular_solve' of a matrix of shape \(shapes[0]) and a right-hand side of shape \(shapes[1]) (left_side=\(leftSide ? "True" : "False")) giving \(result.type): the matrix must be \(size)×\(size) and the result the right-hand side's shape"
                )
            }
            // The system solved is T·y = c: T = op(A) on the left side, op(A)ᵀ on the right.
            // T[i][k] is A's element (row, column) below.
            let transposed = transposeA != !leftSide
            let tLower = lower != transposed
            func tIndex(_ i: Int, _ k: Int) -> (Int, Int) { transposed ? (k, i) : (i, k) }
            var solution = [[JaxprAtom?]](repeating: [JaxprAtom?](repeating: nil, count: n), count: m)
            for system in 0..<(leftSide ? n : m) {
                try checkSize(shapes)
                // c[i] is B's element at (row, column); y[i] is X's at the same place.
                func place(_ i: Int) -> (Int, Int) { leftSide ? (i, system) : (system, i) }
                let order = tLower ? Array(0..<size) : Array((0..<size).reversed())
                var y = [JaxprAtom?](repeating: nil, count: size)
                for (step, i) in order.enumerated() {
                    var pairs: [(JaxprAtom, JaxprAtom)] = []
                    for k in order.prefix(step) {
                        let (r, c) = tIndex(i, k)
                        pairs.append((element(a, r, c), y[k]!))
                    }
                    let (row, column) = place(i)
                    let rest = subtractProducts(element(b, row, column), pairs)
                    y[i] = unitDiagonal ? rest : bind("div", [], [rest, element(a, i, i)])
                }
                for i in 0..<size {
                    let (row, column) = place(i)
                    solution[row][column] = y[i]
                }
            }
            assemble(solution.map { $0.map { $0! } }, into: result)
        }

        /// A matrix result from its [1,1] elements: each row concatenated along dimension 1, the
        /// rows along 0. A result of one element is a `copy` of it, so the result is always an
        /// equation of its own.
        private mutating func assemble(_ rows: [[JaxprAtom]], into result: JaxprBinder) {
            let parts =
                rows.count == 1
                ? rows[0]
                : rows.map { row in
                    row.count == 1
                        ? row[0]
                        : writer.concatenate(row, dimension: 1, shape: [1, row.count], dtype: result.type.dtype)
                }
            finish(parts, dimension: rows.count == 1 ? 1 : 0, into: result)
        }

        /// A vector result of shape [n] from n scalars (equations or literals), each broadcast to [1].
        private mutating func assembleVector(_ scalars: [JaxprAtom], into result: JaxprBinder) {
            let parts = scalars.map { writer.broadcast($0, dimensions: [], shape: [1], dtype: result.type.dtype) }
            finish(parts, dimension: 0, into: result)
        }

        private mutating func finish(_ parts: [JaxprAtom], dimension: Int, into result: JaxprBinder) {
            writer.emit(
                parts.count == 1 ? "copy" : "concatenate", parts.count == 1 ? [] : [("dimension", "\(dimension)")],
                parts, into: result)
        }
    }
}
