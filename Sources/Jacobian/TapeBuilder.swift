/// Emits tape instructions and allocates rows (virtual ones: `RowAllocator` packs them later).
/// Folds what is known at compile time: operations on constant rows become constant rows, and sums
/// of summands with constant ±1 factors become additions, aliases or nothing.
struct TapeBuilder {
    private(set) var tape = Tape()
    /// Whether `combine` adds to `multiplications` (on while accumulating the Jacobian, off while
    /// forming local partials — the same split as the cost model, which counts accumulation only).
    var counting = false
    /// Scalar multiplications per sample emitted while `counting`.
    private(set) var multiplications = 0
    /// Chain-rule products a·b formed while `counting`, whatever their factors (a constant ±1 factor
    /// makes it an addition, constant × constant folds away): comparable to the cost model's count.
    private(set) var products = 0
    private var constantRows: [UInt64: Int32] = [:]
    private var constantValue: [Int32: Double] = [:]

    mutating func newRow() -> Int32 {
        tape.rowCount += 1
        return Int32(tape.rowCount - 1)
    }

    /// The row holding `value` for every sample (one row per distinct value).
    mutating func constantRow(_ value: Double) -> Int32 {
        if let r = constantRows[value.bitPattern] { return r }
        let r = newRow()
        constantRows[value.bitPattern] = r
        constantValue[r] = value
        tape.constants.append((row: r, value: value))
        return r
    }

    func constant(ofRow r: Int32) -> Double? { constantValue[r] }

    /// A row as a value: constant rows become constants, so partials that read them fold.
    func val(_ r: Int32) -> Val {
        if let c = constantValue[r] { return .constant(c) }
        return .row(r)
    }

    mutating func row(for value: Val) -> Int32 {
        switch value {
        case .constant(let c): return constantRow(c)
        case .row(let r): return r
        }
    }

    /// Records chain-rule products formed by the elimination (see `products`).
    mutating func countProducts(_ n: Int) {
        if counting { products += n }
    }

    mutating func setInputs(_ rows: [[Int32]]) { tape.inputRows = rows }
    mutating func setOutputs(_ values: [[Val]], blocks: [[[(index: Int, value: Val)]]]) {
        tape.outputValues = values
        tape.blocks = blocks
    }

    // MARK: Row operations

    mutating func unary(_ f: UnaryFunction, _ x: Int32, exponent n: Int = 0) -> Int32 {
        if let cx = constant(ofRow: x) { return constantRow(f.value(cx, n)) }
        return emit(Instruction(opcode: .unary, function: f.rawValue, parameter: Int32(n), dst: newRow(), a: x))
    }

    /// ∂f(x)/∂x given y = f(x).
    mutating func unaryDerivative(_ f: UnaryFunction, _ x: Int32, _ y: Int32, exponent n: Int = 0) -> Val {
        if let c = f.constantDerivative { return .constant(c) }
        if let cx = constant(ofRow: x), let cy = constant(ofRow: y) { return .constant(f.derivative(cx, cy, n)) }
        return .row(
            emit(
                Instruction(
                    opcode: .unaryDerivative, function: f.rawValue, parameter: Int32(n), dst: newRow(), a: x, b: y)))
    }

    mutating func binary(_ f: BinaryFunction, _ x: Int32, _ y: Int32) -> Int32 {
        if let cx = constant(ofRow: x), let cy = constant(ofRow: y) { return constantRow(f.value(cx, cy)) }
        return emit(Instruction(opcode: .binary, function: f.rawValue, dst: newRow(), a: x, b: y))
    }

    /// ∂z/∂x (wrt 0) or ∂z/∂y (wrt 1) for z = f(x, y). Partials that are an operand (mul) or a
    /// constant (add, sub, and anything whose operands are all constant) need no instruction.
    mutating func binaryPartial(_ f: BinaryFunction, wrt: Int, _ x: Int32, _ y: Int32, _ z: Int32) -> Val? {
        switch f {
        case .add: return .constant(1)
        case .sub: return .constant(wrt == 0 ? 1 : -1)
        case .eq, .ne, .gt, .lt, .ge, .le, .and, .or, .ltTotal, .leTotal, .eqTotal: return nil
        case .mul: return val(wrt == 0 ? y : x)
        case .rem where wrt == 0: return .constant(1)
        case .div where wrt == 0:
            if let cy = constant(ofRow: y) { return .constant(1 / cy) }
        default: break
        }
        if let cx = constant(ofRow: x), let cy = constant(ofRow: y), let cz = constant(ofRow: z) {
            return .constant(f.partial(wrt, cx, cy, cz))
        }
        return .row(
            emit(
                Instruction(
                    opcode: .binaryPartial, function: f.rawValue, parameter: Int32(wrt), dst: newRow(), a: x, b: y, c: z
                )))
    }

    /// onTrue where the predicate row is nonzero, onFalse elsewhere (a constant predicate picks
    /// one row at compile time).
    mutating func select(_ predicate: Int32, onFalse: Int32, onTrue: Int32) -> Int32 {
        if let p = constant(ofRow: predicate) { return p != 0 ? onTrue : onFalse }
        return emit(Instruction(opcode: .select, dst: newRow(), a: predicate, b: onFalse, c: onTrue))
    }

    mutating func extremum(max: Bool, _ rows: [Int32]) -> Int32 {
        if rows.count == 1 { return rows[0] }
        let start = appendList(rows)
        return emit(
            Instruction(opcode: .extremum, function: max ? 0 : 1, dst: newRow(), start: start, count: Int32(rows.count))
        )
    }

    mutating func tieShare(_ x: Int32, result y: Int32, among rows: [Int32]) -> Val {
        if rows.count == 1 { return .constant(1) }
        let start = appendList(rows)
        return .row(
            emit(Instruction(opcode: .tieShare, dst: newRow(), a: x, b: y, start: start, count: Int32(rows.count))))
    }

    mutating func holdFirstSample(_ x: Int32) -> Int32 {
        if constant(ofRow: x) != nil { return x }
        return emit(Instruction(opcode: .holdFirstSample, dst: newRow(), a: x))
    }

    /// Σ summands as a value: nil when it is structurally zero, a constant when no row is involved,
    /// an alias when it is a single row, otherwise a `.sum` instruction.
    mutating func combine(_ summands: [Summand]) -> Val? {
        var constantPart = 0.0
        var live: [Summand] = []
        for s in summands {
            if s.a == nil && s.b == nil { constantPart += s.coefficient } else if s.coefficient != 0 { live.append(s) }
        }
        if live.isEmpty { return constantPart == 0 ? nil : .constant(constantPart) }
        if live.count == 1, constantPart == 0, live[0].coefficient == 1, live[0].b == nil { return .row(live[0].a!) }
        let start = Int32(tape.terms.count)
        for s in live {
            var t = Term(kind: .add, a: s.a!, b: s.b ?? -1, coefficient: s.coefficient)
            switch (s.b != nil, s.coefficient) {
            case (false, 1): t.kind = .add
            case (false, -1): t.kind = .subtract
            case (false, _): t.kind = .scaled
            case (true, 1): t.kind = .product
            case (true, -1): t.kind = .negatedProduct
            case (true, _): t.kind = .scaledProduct
            }
            tape.terms.append(t)
            if counting { multiplications += t.multiplications }
        }
        if constantPart != 0 { tape.terms.append(Term(kind: .constant, coefficient: constantPart)) }
        let count = Int32(tape.terms.count) - start
        return .row(emit(Instruction(opcode: .sum, dst: newRow(), start: start, count: count)))
    }

    // MARK: Private

    private mutating func emit(_ instruction: Instruction) -> Int32 {
        tape.instructions.append(instruction)
        return instruction.dst
    }

    private mutating func appendList(_ rows: [Int32]) -> Int32 {
        let start = Int32(tape.lists.count)
        tape.lists.append(contentsOf: rows)
        return start
    }
}
