import Jacobian

/// The tape rewritten so that every instruction defines a fresh value instead of overwriting a
/// (reused) row: what a language of immutable values (jax.numpy) needs. The instructions, their
/// order and their operands are the tape's, one for one, so the multiplications are the same.
struct SingleAssignmentTape {
    /// What an instruction reads or an output holds.
    enum Value: Equatable, Hashable {
        /// Element e (row-major) of input k.
        case input(Int, Int)
        case constant(Double)
        /// The result of statements[i].
        case statement(Int)
    }

    /// One instruction with its operands resolved.
    struct Statement {
        var opcode: Instruction.Opcode
        var function: UInt8
        var parameter: Int32
        /// Operands 0, 1, 2 (rows a, b, c) of `.unary`, `.unaryDerivative`, `.binary`,
        /// `.binaryPartial`, `.select`, `.tieShare` and `.holdFirstSample`.
        var operands: [Value]
        /// The rows of `.extremum` and `.tieShare`.
        var list: [Value]
        /// The summands of `.sum`.
        var terms: [(kind: Term.Kind, a: Value?, b: Value?, coefficient: Double)]
    }

    var statements: [Statement] = []
    /// outputs[o][e]: element e of output o.
    var outputs: [[Value]] = []
    /// blocks[o][k]: the entries of block (o, k) that can be non-zero, by row-major index, ascending.
    var blocks: [[[(index: Int, value: Value)]]] = []

    init(_ tape: Tape) {
        var current = [Value](repeating: .constant(0), count: max(tape.rowCount, 1))
        for c in tape.constants { current[Int(c.row)] = .constant(c.value) }
        for (k, rows) in tape.inputRows.enumerated() {
            for (e, r) in rows.enumerated() { current[Int(r)] = .input(k, e) }
        }
        func read(_ r: Int32) -> Value { current[Int(r)] }
        for inst in tape.instructions {
            var s = Statement(
                opcode: inst.opcode, function: inst.function, parameter: inst.parameter, operands: [], list: [],
                terms: [])
            switch inst.opcode {
            case .unary: s.operands = [read(inst.a)]
            case .unaryDerivative, .binary: s.operands = [read(inst.a), read(inst.b)]
            case .binaryPartial, .select: s.operands = [read(inst.a), read(inst.b), read(inst.c)]
            case .sum:
                s.terms = tape.terms[Int(inst.start)..<Int(inst.start + inst.count)].map { t in
                    (
                        kind: t.kind, a: t.a >= 0 ? read(t.a) : nil, b: t.b >= 0 ? read(t.b) : nil,
                        coefficient: t.coefficient
                    )
                }
            case .extremum:
                s.list = tape.lists[Int(inst.start)..<Int(inst.start + inst.count)].map(read)
            case .tieShare:
                s.operands = [read(inst.a), read(inst.b)]
                s.list = tape.lists[Int(inst.start)..<Int(inst.start + inst.count)].map(read)
            case .holdFirstSample:
                // A stop_gradient result (CodegenLayout.compile marks them for JAX).
                s.operands = [read(inst.a)]
            }
            statements.append(s)
            current[Int(inst.dst)] = .statement(statements.count - 1)
        }
        func value(_ v: Val) -> Value {
            switch v {
            case .constant(let c): return .constant(c)
            case .row(let r): return read(r)
            }
        }
        outputs = tape.outputValues.map { $0.map(value) }
        blocks = tape.blocks.map { row in row.map { block in block.map { (index: $0.index, value: value($0.value)) } } }
    }

    /// Which statements the outputs need (the primal program, without any partial).
    var primal: [Bool] { needed(by: outputs.flatMap { $0 }) }

    /// Which statements the outputs and blocks need.
    var all: [Bool] { needed(by: outputs.flatMap { $0 } + blocks.flatMap { $0.flatMap { $0.map(\.value) } }) }

    private func needed(by roots: [Value]) -> [Bool] {
        var live = [Bool](repeating: false, count: statements.count)
        for case .statement(let i) in roots { live[i] = true }
        for i in statements.indices.reversed() where live[i] {
            let s = statements[i]
            for case .statement(let j) in s.operands + s.list + s.terms.flatMap({ [$0.a, $0.b].compactMap { $0 } }) {
                live[j] = true
            }
        }
        return live
    }
}
