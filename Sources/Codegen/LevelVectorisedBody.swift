import Jacobian

/// The statements of a large program as a few vector operations instead of one scalar operation
/// each: every value gets a slot of one array `R` (inputs, then constants, then statements), the
/// statements are cut into levels (a statement's level is one more than its operands' highest),
/// and each level runs as one jax.numpy operation per kind of instruction on gathered operands,
/// its results written into `R` with one update.
///
/// Why: XLA fuses the scalar code's cheap elementwise operations into every consumer, so a value
/// read by many partials is recomputed in each (task f's primal: 5.8× the traced multiplications
/// after optimisation, each asinh expanded 23 times), and compile time and run time explode
/// (f's `jit(vmap(jacobian))`: 99 s compile, 320 ms per call at B = 512). Gathers from `R` cannot
/// be duplicated that way. Small programs stay scalar: there XLA's fusion is what makes the code
/// fast, and the gathers would cost more than they save (RoeFlux_1d: 0.29 ms scalar, 3.6 ms
/// vectorised at B = 512). The instructions, operands and formulas are the scalar code's, so the
/// values are the same up to rounding (the sums add their terms in another order).
struct LevelVectorisedBody {
    /// Statements (live in one function) from which that function is vectorised.
    static let minimumStatements = 1500

    /// Whether a function with these live statements is vectorised.
    static func applies(live: [Bool]) -> Bool { live.lazy.filter { $0 }.count >= minimumStatements }

    /// The Python lines of the body, which leave the final array in `R`.
    private(set) var lines: [String] = []
    /// Slots of inputs and statements; constants by bit pattern (NaN is not equal to itself).
    private var slots: [SingleAssignmentTape.Value: Int] = [:]
    private var constantSlots: [UInt64: Int] = [:]

    init(_ ssa: SingleAssignmentTape, live: [Bool], inputSizes: [Int]) {
        typealias Value = SingleAssignmentTape.Value
        // Slots: inputs, then every constant any live statement or final value reads, then statements.
        var next = 0
        for (k, size) in inputSizes.enumerated() {
            for e in 0..<size { slots[.input(k, e)] = next + e }
            next += size
        }
        var constants: [Double] = []
        func constant(_ c: Double) -> Int {
            if let s = constantSlots[c.bitPattern] { return s }
            constantSlots[c.bitPattern] = next + constants.count
            constants.append(c)
            return next + constants.count - 1
        }
        let one = constant(1), nan = constant(.nan)
        let roots: [Value] = ssa.outputs.flatMap { $0 } + ssa.blocks.flatMap { $0.flatMap { $0.map(\.value) } }
        for i in ssa.statements.indices where live[i] {
            let s = ssa.statements[i]
            for case .constant(let c) in s.operands + s.list + s.terms.flatMap({ [$0.a, $0.b].compactMap { $0 } }) {
                _ = constant(c)
            }
        }
        for case .constant(let c) in roots { _ = constant(c) }
        next += constants.count

        // Levels.
        var level = [Int](repeating: 0, count: ssa.statements.count)
        func levelOf(_ v: Value) -> Int {
            if case .statement(let j) = v { return level[j] }
            return 0
        }
        var groups: [[GroupKey: [Int]]] = []
        var keyOrder: [[GroupKey]] = []
        for (i, s) in ssa.statements.enumerated() where live[i] {
            let operands = s.operands + s.list + s.terms.flatMap { [$0.a, $0.b].compactMap { $0 } }
            level[i] = 1 + (operands.map(levelOf).max() ?? 0)
            let l = level[i] - 1
            while groups.count <= l {
                groups.append([:])
                keyOrder.append([])
            }
            let key = GroupKey(s)
            if groups[l][key] == nil { keyOrder[l].append(key) }
            groups[l][key, default: []].append(i)
        }
        let statementBase = next
        for l in groups.indices {
            for key in keyOrder[l] {
                for i in groups[l][key]! {
                    slots[.statement(i)] = next
                    next += 1
                }
            }
        }

        func slot(_ v: Value) -> Int { self.slot(v) }
        let parts =
            (0..<inputSizes.count).map { "x[\($0)]" }
            + [
                "jnp.array(\(JaxEmitter.tuple(constants.map(JaxEmitter.literal))), dtype)",
                "jnp.zeros((\(next - statementBase),), dtype)",
            ]
        lines.append("    R = jnp.concatenate([\(parts.joined(separator: ", "))])")
        var start = statementBase
        for l in groups.indices {
            var results: [String] = []
            for key in keyOrder[l] {
                let members = groups[l][key]!.map { ssa.statements[$0] }
                let g = "g\(start)"
                let count = members.count
                func gather(_ values: [Value]) -> String {
                    "R[jnp.array(\(JaxEmitter.tuple(values.map { String(slot($0)) })))]"
                }
                let first = members[0]
                switch first.opcode {
                case .unary, .unaryDerivative, .binary, .binaryPartial, .select:
                    let formula: ElementFormula
                    switch first.opcode {
                    case .unary:
                        formula = .unary(UnaryFunction(rawValue: first.function)!, exponent: Int(first.parameter))
                    case .unaryDerivative:
                        formula = .unaryDerivative(
                            UnaryFunction(rawValue: first.function)!, exponent: Int(first.parameter))
                    case .binary: formula = .binary(BinaryFunction(rawValue: first.function)!)
                    case .select: formula = .selection
                    default:
                        formula = .binaryPartial(BinaryFunction(rawValue: first.function)!, wrt: Int(first.parameter))
                    }
                    var names: [String] = []
                    for position in first.operands.indices {
                        lines.append("    \(g)_\(position) = \(gather(members.map { $0.operands[position] }))")
                        names.append("\(g)_\(position)")
                    }
                    lines.append("    \(g) = \(JaxEmitter.render(formula, names))")
                case .holdFirstSample:
                    lines.append("    \(g) = jax.lax.stop_gradient(\(gather(members.map { $0.operands[0] })))")
                case .sum:
                    // Every term is c · a · b, a missing factor read as the constant 1; the sums of
                    // a group have up to `parameter` terms, padded with 0 · 1 · 1 (no scatter-add:
                    // XLA's CPU scatter runs element by element).
                    let width = Int(key.parameter)
                    var a: [String] = [], b: [String] = [], c: [String] = []
                    for s in members {
                        var ra: [String] = [], rb: [String] = [], rc: [String] = []
                        for t in s.terms {
                            let coefficient: Double
                            switch t.kind {
                            case .add, .product: coefficient = 1
                            case .subtract, .negatedProduct: coefficient = -1
                            case .constant, .scaled, .scaledProduct: coefficient = t.coefficient
                            }
                            ra.append(String(t.a.map(slot) ?? one))
                            rb.append(String(t.b.map(slot) ?? one))
                            rc.append(JaxEmitter.literal(coefficient))
                        }
                        let padding = width - s.terms.count
                        a.append(JaxEmitter.tuple(ra + [String](repeating: String(one), count: padding)))
                        b.append(JaxEmitter.tuple(rb + [String](repeating: String(one), count: padding)))
                        c.append(JaxEmitter.tuple(rc + [String](repeating: "0.0", count: padding)))
                    }
                    lines.append(
                        "    \(g) = jnp.sum(jnp.array(\(JaxEmitter.tuple(c)), dtype) * R[jnp.array(\(JaxEmitter.tuple(a)))] * R[jnp.array(\(JaxEmitter.tuple(b)))], axis=1)"
                    )
                case .extremum:
                    // Lists padded with their first row: max(a, a) = a, and NaN still propagates.
                    let width = members.map(\.list.count).max()!
                    let rows = members.map { s in
                        JaxEmitter.tuple(
                            (s.list + [Value](repeating: s.list[0], count: width - s.list.count)).map {
                                String(slot($0))
                            })
                    }
                    let f = first.function == 0 ? "jnp.max" : "jnp.min"
                    lines.append("    \(g) = \(f)(R[jnp.array(\(JaxEmitter.tuple(rows)))], axis=1)")
                case .tieShare:
                    // Lists padded with NaN, which equals nothing.
                    let width = members.map(\.list.count).max()!
                    let rows = members.map { s in
                        JaxEmitter.tuple(
                            s.list.map { String(slot($0)) }
                                + [String](repeating: String(nan), count: width - s.list.count))
                    }
                    let x = gather(members.map { $0.operands[0] }), y = gather(members.map { $0.operands[1] })
                    lines.append("    \(g)_y = \(y)")
                    lines.append(
                        "    \(g) = jnp.where(\(x) == \(g)_y, 1.0 / jnp.sum(R[jnp.array(\(JaxEmitter.tuple(rows)))] == \(g)_y[:, None], axis=1), 0.0)"
                    )
                }
                results.append("jnp.broadcast_to(jnp.asarray(\(g), dtype), (\(count),))")
                start += count
            }
            let end = start
            let begin = end - groups[l].values.reduce(0) { $0 + $1.count }
            lines.append("    R = R.at[\(begin):\(end)].set(jnp.concatenate([\(results.joined(separator: ", "))]))")
        }
    }

    /// A Python expression for `values` read from the final `R`, as `_assemble` takes them.
    func values(_ values: [SingleAssignmentTape.Value]) -> String {
        values.isEmpty ? "()" : "R[jnp.array(\(JaxEmitter.tuple(values.map { String(slot($0)) })))]"
    }

    private func slot(_ v: SingleAssignmentTape.Value) -> Int {
        if case .constant(let c) = v { return constantSlots[c.bitPattern]! }
        return slots[v]!
    }

    /// What statements of one level share one vector operation.
    private struct GroupKey: Hashable {
        var opcode: Instruction.Opcode
        var function: UInt8
        var parameter: Int32

        init(_ s: SingleAssignmentTape.Statement) {
            opcode = s.opcode
            // Stop_gradients share one operation, sums one per width (their number of terms
            // rounded up to a power of two); the rest by function.
            switch s.opcode {
            case .sum:
                var width: Int32 = 1
                while width < s.terms.count { width *= 2 }
                (function, parameter) = (0, width)
            case .holdFirstSample, .tieShare:
                (function, parameter) = (0, 0)
            default:
                (function, parameter) = (s.function, s.parameter)
            }
        }
    }
}
