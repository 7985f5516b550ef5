import Foundation
import Jacobian

/// Writes a compiled Jacobian as a self-contained Python module of straight-line jax.numpy code
/// (imports only jax and jax.numpy): `f(*inputs)` evaluates the program, `jacobian(*inputs)`
/// returns `(outputs, blocks)` computed by the tape's elimination order, one jax.numpy operation
/// per tape instruction and scalar — or, for functions of 1,500 statements or more, one per
/// level and kind of instruction (`LevelVectorisedBody`). Both are jit- and vmap-able; the dtype
/// follows the inputs (float32 by default, float64 under `jax_enable_x64`).
public enum JaxEmitter {
    /// Summands per line of a long sum: keeps every Python expression shallow.
    static let termsPerLine = 32

    public static func module(_ layout: CodegenLayout) -> String {
        let ssa = SingleAssignmentTape(layout.compiled.tape)
        let compiled = layout.compiled
        let primal = ssa.primal, all = ssa.all
        let vectorised = [("f", primal), ("jacobian", all)].filter { LevelVectorisedBody.applies(live: $0.1) }
        var out: [String] = []
        for line in layout.provenance { out.append("# " + comment(line)) }
        out.append(
            contentsOf: [
                "\"\"\"Outputs and exact Jacobian of \(docstring(compiled.name)) by vertex elimination in a fixed order.",
                "",
                "f(*inputs): the program's outputs (a tuple when there are several).",
                "jacobian(*inputs): (outputs, blocks), outputs a tuple with one array per output and",
                "blocks[i][j] the Jacobian of output i with respect to input j, shaped and valued as",
                "jax.jacrev(f, argnums=j)(*inputs)[i] (or jax.jacrev(f, argnums=j)(*inputs) for one output).",
                "Both are straight-line jax.numpy code: jit- and vmap-able; the dtype follows the inputs.",
                "\"\"\"",
                "import jax",
                "import jax.numpy as jnp",
                "",
                "INPUT_NAMES = (\(compiled.inputNames.map { pythonString($0) + "," }.joined(separator: " ")))",
                "INPUT_SHAPES = \(tuple(compiled.inputShapes.map(shape)))",
                "OUTPUT_SHAPES = \(tuple(compiled.outputShapes.map(shape)))",
                "ORDER = \(tuple(compiled.order.map(String.init)))",
                "MULTIPLICATIONS = \(compiled.multiplications)",
                "# Functions written level-vectorised (large programs; Docs/CODEGEN.md): slower to run",
                "# eagerly (one XLA compilation per vector operation), meant for jax.jit.",
                "VECTORISED = \(tuple(vectorised.map { pythonString($0.0) }))",
                "",
                "",
                "def _prepare(inputs):",
                "    if len(inputs) != \(layout.inputCount):",
                "        raise TypeError(f\"\(layout.name) takes \(layout.inputCount) inputs ({', '.join(INPUT_NAMES)}), {len(inputs)} given\")",
                "    arrays = [jnp.asarray(x) for x in inputs]",
                "    for k, (x, shape) in enumerate(zip(arrays, INPUT_SHAPES)):",
                "        if tuple(x.shape) != shape:",
                "            raise ValueError(f\"input {k + 1} ({INPUT_NAMES[k]}) has shape {tuple(x.shape)}, expected {shape}\")",
                "    dtype = jnp.promote_types(jnp.result_type(*arrays), jnp.float32)",
                "    return [jnp.ravel(x).astype(dtype) for x in arrays], dtype",
                "",
                "",
                "def _assemble(dtype, shape, size, indices, values):",
                "    \"\"\"A dense array of `shape` from its possibly non-zero entries (row-major indices), a list or an array.\"\"\"",
                "    if len(values) == 0:",
                "        return jnp.zeros(shape, dtype)",
                "    if hasattr(values, 'shape'):",
                "        stacked = jnp.asarray(values, dtype)",
                "    else:",
                "        stacked = jnp.stack([jnp.asarray(v, dtype) for v in values])",
                "    if len(values) == size:",
                "        return stacked.reshape(shape)",
                "    return jnp.zeros((size,), dtype).at[jnp.array(indices)].set(stacked).reshape(shape)",
                "",
            ])
        // f
        out.append("")
        out.append("def f(*inputs):")
        out.append("    x, dtype = _prepare(inputs)")
        var values = body(ssa, live: primal, layout: layout, into: &out)
        var outputs = ssa.outputs.enumerated().map { o, v in
            "_assemble(dtype, OUTPUT_SHAPES[\(o)], \(layout.outputSizes[o]), (), \(values(v)))"
        }
        if outputs.count == 1 {
            out.append("    return " + outputs[0])
        } else {
            out.append("    return (")
            for o in outputs { out.append("        \(o),") }
            out.append("    )")
        }
        // jacobian
        out.append("")
        out.append("")
        out.append("def jacobian(*inputs):")
        out.append("    x, dtype = _prepare(inputs)")
        values = body(ssa, live: all, layout: layout, into: &out)
        outputs = ssa.outputs.enumerated().map { o, v in
            "_assemble(dtype, OUTPUT_SHAPES[\(o)], \(layout.outputSizes[o]), (), \(values(v)))"
        }
        out.append("    outputs = (")
        for o in outputs { out.append("        \(o),") }
        out.append("    )")
        out.append("    blocks = (")
        for o in 0..<layout.outputCount {
            out.append("        (")
            for k in 0..<layout.inputCount {
                let entries = ssa.blocks[o][k]
                let indices = entries.count == layout.blockSize(o, k) ? "()" : tuple(entries.map { String($0.index) })
                out.append(
                    "            _assemble(dtype, OUTPUT_SHAPES[\(o)] + INPUT_SHAPES[\(k)], \(layout.blockSize(o, k)), \(indices), \(values(entries.map(\.value)))),"
                )
            }
            out.append("        ),")
        }
        out.append("    )")
        out.append("    return outputs, blocks")
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: Statements

    /// Appends the statements of one function to `out`, scalar or (for large programs)
    /// `LevelVectorisedBody`; returns how to print a list of final values for `_assemble`.
    private static func body(
        _ ssa: SingleAssignmentTape, live: [Bool], layout: CodegenLayout, into out: inout [String]
    ) -> ([SingleAssignmentTape.Value]) -> String {
        if LevelVectorisedBody.applies(live: live) {
            let vectorised = LevelVectorisedBody(ssa, live: live, inputSizes: layout.inputSizes)
            out += vectorised.lines
            return vectorised.values
        }
        out += scalarBody(ssa, live: live)
        return { "[" + $0.map(name).joined(separator: ", ") + "]" }
    }

    private static func scalarBody(_ ssa: SingleAssignmentTape, live: [Bool]) -> [String] {
        var lines: [String] = []
        var inputsUsed = Set<SingleAssignmentTape.Value>()
        func note(_ v: SingleAssignmentTape.Value?) {
            if case .input = v { inputsUsed.insert(v!) }
        }
        var statements: [String] = []
        for (i, s) in ssa.statements.enumerated() where live[i] {
            for v in s.operands + s.list { note(v) }
            for t in s.terms {
                note(t.a)
                note(t.b)
            }
            statements += statement(i, s)
        }
        for o in ssa.outputs { for v in o { note(v) } }
        for o in ssa.blocks { for b in o { for e in b { note(e.value) } } }
        let elements = inputsUsed.compactMap { v -> (Int, Int)? in
            if case .input(let k, let e) = v { return (k, e) } else { return nil }
        }
        for (k, e) in elements.sorted(by: { $0 < $1 }) { lines.append("    x\(k)_\(e) = x[\(k)][\(e)]") }
        return lines + statements
    }

    private static func statement(_ i: Int, _ s: SingleAssignmentTape.Statement) -> [String] {
        let d = "v\(i)"
        let args = s.operands.map(name)
        switch s.opcode {
        case .unary:
            return [
                "    \(d) = " + render(.unary(UnaryFunction(rawValue: s.function)!, exponent: Int(s.parameter)), args)
            ]
        case .unaryDerivative:
            return [
                "    \(d) = "
                    + render(.unaryDerivative(UnaryFunction(rawValue: s.function)!, exponent: Int(s.parameter)), args)
            ]
        case .binary:
            return ["    \(d) = " + render(.binary(BinaryFunction(rawValue: s.function)!), args)]
        case .binaryPartial:
            return [
                "    \(d) = "
                    + render(.binaryPartial(BinaryFunction(rawValue: s.function)!, wrt: Int(s.parameter)), args)
            ]
        case .sum:
            var lines: [String] = []
            var start = 0
            while start < s.terms.count {
                let chunk = s.terms[start..<min(start + termsPerLine, s.terms.count)]
                var text = start == 0 ? "" : d
                for (n, t) in chunk.enumerated() {
                    text += term(t, first: start == 0 && n == 0)
                }
                lines.append("    \(d) = \(text)")
                start += termsPerLine
            }
            return lines
        case .extremum:
            let f = s.function == 0 ? "jnp.maximum" : "jnp.minimum"
            let list = s.list.map(name)
            var lines = ["    \(d) = \(f)(\(list[0]), \(list[1]))"]
            for r in list.dropFirst(2) { lines.append("    \(d) = \(f)(\(d), \(r))") }
            return lines
        case .tieShare:
            let (x, y) = (args[0], args[1])
            var lines = ["    \(d) = jnp.where(\(s.list.map(name)[0]) == \(y), 1.0, 0.0)"]
            for r in s.list.dropFirst().map(name) {
                lines.append("    \(d) = \(d) + jnp.where(\(r) == \(y), 1.0, 0.0)")
            }
            lines.append("    \(d) = jnp.where(\(x) == \(y), 1.0 / \(d), 0.0)")
            return lines
        case .select:
            return ["    \(d) = " + render(.selection, args)]
        case .holdFirstSample:
            // A stop_gradient result: the same value, and no derivative when JAX differentiates f.
            return ["    \(d) = jax.lax.stop_gradient(\(args[0]))"]
        }
    }

    /// One summand of a `.sum`, with its sign; the first one starts the expression.
    private static func term(
        _ t: (kind: Term.Kind, a: SingleAssignmentTape.Value?, b: SingleAssignmentTape.Value?, coefficient: Double),
        first: Bool
    ) -> String {
        let a = t.a.map(name) ?? "", b = t.b.map(name) ?? ""
        let c = literal(t.coefficient)
        let (negative, magnitude): (Bool, String)
        switch t.kind {
        case .constant: (negative, magnitude) = (false, c)
        case .add: (negative, magnitude) = (false, a)
        case .subtract: (negative, magnitude) = (true, a)
        case .scaled: (negative, magnitude) = (false, "\(c) * \(a)")
        case .product: (negative, magnitude) = (false, "\(a) * \(b)")
        case .negatedProduct: (negative, magnitude) = (true, "(\(a) * \(b))")
        case .scaledProduct: (negative, magnitude) = (false, "\(c) * \(a) * \(b)")
        }
        if first { return negative ? "-\(magnitude)" : magnitude }
        return negative ? " - \(magnitude)" : " + \(magnitude)"
    }

    // MARK: Printing

    static func name(_ v: SingleAssignmentTape.Value) -> String {
        switch v {
        case .input(let k, let e): return "x\(k)_\(e)"
        case .constant(let c): return literal(c)
        case .statement(let i): return "v\(i)"
        }
    }

    /// A Python float literal that reads back as exactly `x` (parenthesised when negative).
    static func literal(_ x: Double) -> String {
        if x.isNaN { return "float('nan')" }
        if x.isInfinite { return x > 0 ? "float('inf')" : "(-float('inf'))" }
        var text = "\(x)"
        if !text.contains(".") && !text.contains("e") { text += ".0" }
        return x.sign == .minus ? "(\(text))" : text
    }

    static func render(_ f: ElementFormula, _ operands: [String]) -> String {
        switch f {
        case .operand(let i): return operands[i]
        case .literal(let x): return literal(x)
        case .negate(let x): return "(-\(render(x, operands)))"
        case .arithmetic(let op, let l, let r):
            let (a, b) = (render(l, operands), render(r, operands))
            // Python's float division by a literal zero raises (the total-order comparisons' 1/x
            // of a constant 0, jnp.searchsorted's); jnp.divide gives ±inf or NaN, as XLA does.
            if op == .divide && (b == literal(0) || b == literal(-0.0)) { return "jnp.divide(\(a), \(b))" }
            return "(\(a) \(op.rawValue) \(b))"
        case .select(let cmp, let l, let r, let t, let e):
            return
                "jnp.where(\(render(l, operands)) \(cmp.rawValue) \(render(r, operands)), \(render(t, operands)), \(render(e, operands)))"
        case .call(let fn, let args):
            let a = args.map { render($0, operands) }
            switch fn {
            case .integerPower(let n): return "jax.lax.integer_pow(\(a[0]), \(n))"
            // The conversion JAX's program made, and back to the row's dtype.
            case .narrow(let format) where [.float32, .bfloat16, .float16].contains(format):
                return "\(a[0]).astype(\(dtype(format))).astype(\(a[0]).dtype)"
            case .narrow(let format):
                return
                    "jax.lax.reduce_precision(\(a[0]), exponent_bits=\(format.exponentBits), mantissa_bits=\(format.mantissaBits))"
            // polygamma's order has x's dtype.
            case .trigamma: return "jax.lax.polygamma(jnp.ones_like(\(a[0])), \(a[0]))"
            default: return "\(function(fn))(\(a.joined(separator: ", ")))"
            }
        }
    }

    private static func function(_ fn: ElementFormula.MathFunction) -> String {
        switch fn {
        case .abs: return "jnp.abs"
        case .exp: return "jnp.exp"
        case .log: return "jnp.log"
        case .log1p: return "jnp.log1p"
        case .expm1: return "jnp.expm1"
        case .exp2: return "jnp.exp2"
        case .cbrt: return "jnp.cbrt"
        case .floor: return "jnp.floor"
        case .ceil: return "jnp.ceil"
        case .erfc: return "jax.lax.erfc"
        // lax.round's default method is AWAY_FROM_ZERO; jnp.round rounds halves to even.
        case .roundAway: return "jax.lax.round"
        case .roundEven: return "jnp.round"
        case .remainder: return "jax.lax.rem"
        case .sin: return "jnp.sin"
        case .cos: return "jnp.cos"
        case .tan: return "jnp.tan"
        case .asin: return "jnp.arcsin"
        case .acos: return "jnp.arccos"
        case .atan: return "jnp.arctan"
        case .sinh: return "jnp.sinh"
        case .cosh: return "jnp.cosh"
        case .tanh: return "jnp.tanh"
        case .asinh: return "jnp.arcsinh"
        case .acosh: return "jnp.arccosh"
        case .atanh: return "jnp.arctanh"
        case .sqrt: return "jnp.sqrt"
        case .erf: return "jax.lax.erf"
        case .truncate: return "jnp.trunc"
        case .atan2: return "jnp.arctan2"
        case .pow: return "jnp.power"
        case .maximum: return "jnp.maximum"
        case .minimum: return "jnp.minimum"
        case .integerPower: return "jax.lax.integer_pow"
        case .logaddexp: return "jnp.logaddexp"
        case .lgamma: return "jax.lax.lgamma"
        case .digamma: return "jax.lax.digamma"
        case .trigamma: return "jax.lax.polygamma"  // printed with its order (render)
        case .erfInv: return "jax.lax.erf_inv"
        case .besselI0e: return "jax.lax.bessel_i0e"
        case .besselI1e: return "jax.lax.bessel_i1e"
        case .narrow(let format): return "\(dtype(format)).astype"  // printed with its operand (render)
        }
    }

    private static func dtype(_ format: FloatFormat) -> String {
        switch format {
        case .bfloat16: return "jnp.bfloat16"
        case .float16: return "jnp.float16"
        default: return "jnp.float32"
        }
    }

    private static func shape(_ s: [Int]) -> String { tuple(s.map(String.init)) }

    static func tuple(_ items: [String]) -> String {
        items.count == 1 ? "(\(items[0]),)" : "(" + items.joined(separator: ", ") + ")"
    }

    private static func pythonString(_ s: String) -> String {
        var out = "'"
        for u in s.unicodeScalars {
            switch u {
            case "'": out += "\\'"
            case "\\": out += "\\\\"
            default:
                if u.value < 0x20 || u.value == 0x7f || !u.isASCII {
                    let hex = String(min(u.value, 0xffff), radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "'"
    }

    private static func comment(_ line: String) -> String {
        String(line.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? " " : Character($0) })
    }

    private static func docstring(_ s: String) -> String {
        comment(s).replacingOccurrences(of: "\\", with: "/").replacingOccurrences(of: "\"\"\"", with: "'''")
    }
}
