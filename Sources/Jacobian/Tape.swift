/// The compiled Jacobian program for one graph and one elimination order: a straight-line list of
/// row operations over an arena of rows, where a row holds one scalar for every sample of the batch
/// (structure of arrays: B contiguous values). Primal values, local partials and accumulated
/// Jacobian entries are all rows; re-indexing primitives and identity partials are row aliases,
/// never copies. Built once by `TapeCompiler`, run many times by `TapeRunner`.
package struct Tape {
    package var instructions: [Instruction] = []
    /// Operands of `.sum` instructions.
    package var terms: [Term] = []
    /// Row lists of `.extremum` and `.tieShare` instructions.
    package var lists: [Int32] = []
    package var rowCount = 0
    /// Rows filled once when a workspace is made and never written again (literals, iota, …).
    package var constants: [(row: Int32, value: Double)] = []
    /// inputRows[k][e]: the row of element e (row-major) of input k; written before every run.
    package var inputRows: [[Int32]] = []
    /// outputValues[o][e]: element e of output o.
    package var outputValues: [[Val]] = []
    /// blocks[o][k]: the non-zero entries of ∂output o / ∂input k, keyed by the row-major index
    /// into the block of shape output-shape + input-shape, ascending.
    package var blocks: [[[(index: Int, value: Val)]]] = []
}

/// One row operation. Every instruction writes `dst` for all samples and reads rows only of the
/// same sample, so the batch loop is the innermost, contiguous loop.
package struct Instruction {
    package enum Opcode: UInt8 {
        /// dst = f(a); `function` is a UnaryFunction, `parameter` integer_pow's exponent.
        case unary
        /// dst = f'(a) given b = f(a).
        case unaryDerivative
        /// dst = f(a, b); `function` is a BinaryFunction.
        case binary
        /// dst = ∂f/∂(a if parameter == 0 else b) at c = f(a, b).
        case binaryPartial
        /// dst = Σ terms[start ..< start + count].
        case sum
        /// dst = max (function 0) or min (function 1) of rows lists[start ..< start + count].
        case extremum
        /// dst = [a == b] / #{ r in lists[start..<start+count] : r == b }: JAX's reduce_max/min
        /// derivative, which shares the derivative equally among tied maxima.
        case tieShare
        /// dst = a's first sample, for every sample (stop_gradient under finite differences).
        case holdFirstSample
        /// dst = c if a ≠ 0, else b (select_n with a boolean predicate).
        case select
    }

    package var opcode: Opcode
    package var function: UInt8 = 0
    package var parameter: Int32 = 0
    package var dst: Int32
    package var a: Int32 = -1
    package var b: Int32 = -1
    package var c: Int32 = -1
    package var start: Int32 = 0
    package var count: Int32 = 0
}

/// One summand of a `.sum`: the kinds spell out which factors are real rows, so a product with a
/// constant ±1 is an addition or a subtraction and never a multiplication.
package struct Term {
    package enum Kind: UInt8 {
        case constant  // coefficient
        case add  // +a
        case subtract  // −a
        case scaled  // coefficient · a
        case product  // a · b
        case negatedProduct  // −a · b
        case scaledProduct  // coefficient · a · b
    }

    package var kind: Kind
    package var a: Int32 = -1
    package var b: Int32 = -1
    package var coefficient: Double = 0

    /// Scalar multiplications this term performs per sample.
    package var multiplications: Int {
        switch kind {
        case .constant, .add, .subtract: return 0
        case .scaled, .product, .negatedProduct: return 1
        case .scaledProduct: return 2
        }
    }
}
