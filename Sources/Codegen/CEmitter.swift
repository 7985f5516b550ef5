import Foundation
import Jacobian

/// Writes a compiled Jacobian as C (C99, libm only): NAME.h documents the batched entry points,
/// NAME.c runs the tape exactly as `TapeRunner` does — the batch cut into tiles of `tile` samples,
/// one loop over the tile per instruction, rows of a (rows, tile) arena, structure of arrays — but
/// with every row index and trip count a compile-time constant, so the compiler vectorises the
/// loops and keeps no dispatch. The body is written twice, for double (`_f64`) and float (`_f32`).
public enum CEmitter {
    /// Samples per tile: a multiple of every vector width, small enough for B = 1 to stay cheap and
    /// for the arena (rows × tile scalars) to stay in L1/L2.
    public static let tile = 32
    /// Summands per statement of a long sum.
    static let termsPerStatement = 64
    /// Instructions per C function.
    static let instructionsPerFunction = 128

    /// NAME.h, NAME.c and (with `driver`) NAME_main.c.
    public static func files(
        _ layout: CodegenLayout, driver: Bool
    ) -> [(name: String, text: String)] {
        var files = [
            (name: "\(layout.name).h", text: header(layout)), (name: "\(layout.name).c", text: source(layout)),
        ]
        if driver { files.append((name: "\(layout.name)_main.c", text: CDriver.source(layout))) }
        return files
    }

    // MARK: Header

    static func header(_ layout: CodegenLayout) -> String {
        let n = layout.name, c = layout.compiled
        let guardName = n.uppercased() + "_H"
        var out = comment(layout.provenance)
        out += """
            #ifndef \(guardName)
            #define \(guardName)

            #include <stddef.h>

            /* \(n): outputs and exact Jacobian for a batch of samples, accumulated by vertex elimination
               in the order above. Structure of arrays: every array is element-major, sample-minor.

               inputs[k]  : \(n)_INPUT_SIZE[k] * batch values; element e of sample b at [e * batch + b]
                            (elements row-major in the input's shape)
               outputs[o] : \(n)_OUTPUT_SIZE[o] * batch values, laid out the same way
               blocks[o * \(n)_INPUTS + k] : d output o / d input k, \(n)_OUTPUT_SIZE[o] * \(n)_INPUT_SIZE[k] * batch
                            values; entry (i, j) of sample b at [(i * \(n)_INPUT_SIZE[k] + j) * batch + b]
                            (the block has shape output shape + input shape, as jax.jacrev returns it)

               outputs or blocks may be NULL to skip them. Every entry is written, zeros included.
               Returns 0, or -1 when the arena (\(n)_ROWS * \(tile) scalars) cannot be allocated.
               Reentrant: each call allocates its own arena. */
            int \(n)_jacobian_f64(size_t batch, const double *const *inputs, double *const *outputs, double *const *blocks);
            /* The same in float (the values are rounded to float first, as `ccelim jacobian --precision float32`). */
            int \(n)_jacobian_f32(size_t batch, const float *const *inputs, float *const *outputs, float *const *blocks);

            enum {
                \(n)_INPUTS = \(layout.inputCount),
                \(n)_OUTPUTS = \(layout.outputCount),
                \(n)_ROWS = \(max(c.rowCount, 1)),
                \(n)_TILE = \(tile),
                \(n)_MULTIPLICATIONS = \(c.multiplications)
            };
            /* Elements per input and output (row-major), and their ranks and shapes (dims concatenated). */
            static const size_t \(n)_INPUT_SIZE[] = {\(list(layout.inputSizes))};
            static const size_t \(n)_OUTPUT_SIZE[] = {\(list(layout.outputSizes))};
            static const int \(n)_INPUT_RANK[] = {\(list(c.inputShapes.map(\.count)))};
            static const int \(n)_OUTPUT_RANK[] = {\(list(c.outputShapes.map(\.count)))};
            static const size_t \(n)_INPUT_DIMS[] = {\(list(c.inputShapes.flatMap { $0 }, empty: "0"))};
            static const size_t \(n)_OUTPUT_DIMS[] = {\(list(c.outputShapes.flatMap { $0 }, empty: "0"))};

            #endif

            """
        return out
    }

    // MARK: Source

    /// How an output element or a Jacobian entry is filled: from a row (≥ 0), zero (−1), or
    /// constant pool entry c (−2 − c).
    private static func code(_ v: Val, pool: inout [Double]) -> Int {
        switch v {
        case .row(let r): return Int(r)
        case .constant(let c):
            if c == 0 { return -1 }
            let index = pool.firstIndex { $0.bitPattern == c.bitPattern } ?? pool.count
            if index == pool.count { pool.append(c) }
            return -2 - index
        }
    }

    static func source(_ layout: CodegenLayout) -> String {
        let n = layout.name, tape = layout.compiled.tape
        var pool: [Double] = []
        let inputRows = tape.inputRows.flatMap { $0.map { Int($0) } }
        let outputCodes = tape.outputValues.flatMap { $0.map { code($0, pool: &pool) } }
        var jacobianCodes: [Int] = []
        for o in 0..<layout.outputCount {
            for k in 0..<layout.inputCount {
                var dense = [Int](repeating: -1, count: layout.blockSize(o, k))
                for entry in tape.blocks[o][k] { dense[entry.index] = code(entry.value, pool: &pool) }
                jacobianCodes += dense
            }
        }
        var out = comment(layout.provenance)
        out += """
            #include "\(n).h"

            #include <math.h>
            #include <stdlib.h>
            #include <string.h>

            #define ROWS \(n)_ROWS
            #define TILE \(n)_TILE
            #if defined(__GNUC__)
            #define NOINLINE __attribute__((noinline))
            #else
            #define NOINLINE
            #endif

            /* Arena row of every input element (inputs in order, elements row-major). */
            static const int input_row[] = {\(list(inputRows, empty: "-1"))};
            /* Every output element, then every Jacobian entry (blocks in (o, k) order, dense, row-major):
               a row (>= 0), zero (-1) or pool[-2 - code] (< -1). */
            static const int output_code[] = {\(list(outputCodes, empty: "-1"))};
            static const int jacobian_code[] = {\(list(jacobianCodes, empty: "-1"))};
            static const double pool[] = {\(pool.map { literal($0, .double) }.joined(separator: ", ") + (pool.isEmpty ? "0" : ""))};
            /* Rows that hold a constant for every sample, filled once per call. */
            static const int constant_row[] = {\(list(tape.constants.map { Int($0.row) }, empty: "-1"))};
            static const double constant_value[] = {\(tape.constants.isEmpty ? "0" : tape.constants.map { literal($0.value, .double) }.joined(separator: ", "))};
            enum { CONSTANT_ROWS = \(tape.constants.count) };


            """
        out += specialFunctionHelpers(usedFunctions(tape))
        for p in [Scalar.double, .float] { out += body(layout, p) }
        return out
    }

    enum Scalar {
        case double, float
        var type: String { self == .double ? "double" : "float" }
        var suffix: String { self == .double ? "f64" : "f32" }
        /// libm's name for the function in this precision (`exp` / `expf`).
        func libm(_ name: String) -> String { self == .double ? name : name + "f" }
    }

    private static func body(_ layout: CodegenLayout, _ p: Scalar) -> String {
        let n = layout.name, t = p.type, tape = layout.compiled.tape
        var out = """
            /* x^n by repeated squaring, as XLA lowers integer_pow. */
            static inline \(t) ipow_\(p.suffix)(\(t) x, int n) {
                unsigned e = n < 0 ? -(unsigned)n : (unsigned)n;
                \(t) base = x, acc = 1;
                while (e) {
                    if (e & 1) acc *= base;
                    base *= base;
                    e >>= 1;
                }
                return n < 0 ? 1 / acc : acc;
            }


            """
        // The tape in parts of `instructionsPerFunction`: one huge function makes compilers
        // superlinearly slow (gcc -O2 takes minutes); parts are kept out of line for that reason.
        let parts = stride(from: 0, to: tape.instructions.count, by: instructionsPerFunction).map {
            tape.instructions[$0..<min($0 + instructionsPerFunction, tape.instructions.count)]
        }
        for (j, part) in parts.enumerated() {
            out += "NOINLINE static void part\(j)_\(p.suffix)(\(t) (*r)[TILE]) {\n"
            for inst in part { out += instruction(inst, tape, p) }
            out += "}\n\n"
        }
        out += """
            /* The tape on one tile: one loop per instruction over the tile's samples. r: (ROWS, TILE). */
            static void run_tile_\(p.suffix)(\(t) (*r)[TILE]) {
            \(parts.indices.map { "    part\($0)_\(p.suffix)(r);" }.joined(separator: "\n"))
            }

            int \(n)_jacobian_\(p.suffix)(size_t batch, const \(t) *const *inputs, \(t) *const *outputs, \(t) *const *blocks) {
                \(t) (*r)[TILE] = calloc(ROWS, sizeof *r);
                if (!r) return -1;
                for (int j = 0; j < CONSTANT_ROWS; j++)
                    for (int i = 0; i < TILE; i++) r[constant_row[j]][i] = (\(t))constant_value[j];
                for (size_t start = 0; start < batch; start += TILE) {
                    size_t count = batch - start < TILE ? batch - start : TILE;
                    int slot = 0;
                    for (int k = 0; k < \(n)_INPUTS; k++)
                        for (size_t e = 0; e < \(n)_INPUT_SIZE[k]; e++, slot++)
                            memcpy(r[input_row[slot]], inputs[k] + e * batch + start, count * sizeof(\(t)));
                    run_tile_\(p.suffix)(r);
                    slot = 0;
                    for (int o = 0; o < \(n)_OUTPUTS; o++)
                        for (size_t e = 0; e < \(n)_OUTPUT_SIZE[o]; e++, slot++)
                            if (outputs) fill_\(p.suffix)(outputs[o] + e * batch + start, r, output_code[slot], count);
                    if (!blocks) continue;
                    slot = 0;
                    for (int o = 0; o < \(n)_OUTPUTS; o++)
                        for (int k = 0; k < \(n)_INPUTS; k++)
                            for (size_t e = 0; e < \(n)_OUTPUT_SIZE[o] * \(n)_INPUT_SIZE[k]; e++, slot++)
                                fill_\(p.suffix)(blocks[o * \(n)_INPUTS + k] + e * batch + start, r, jacobian_code[slot], count);
                }
                free(r);
                return 0;
            }


            """
        let fill = """
            /* dst[0..count) from a row, zero or a pool constant (see output_code). */
            static void fill_\(p.suffix)(\(t) *dst, \(t) (*r)[TILE], int code, size_t count) {
                if (code >= 0) {
                    memcpy(dst, r[code], count * sizeof(\(t)));
                } else {
                    \(t) v = code == -1 ? 0 : (\(t))pool[-2 - code];
                    for (size_t i = 0; i < count; i++) dst[i] = v;
                }
            }


            """
        out = fill + out
        return out
    }

    // MARK: Instructions

    private static func row(_ r: Int32) -> String { "r[\(r)][i]" }

    private static func instruction(_ inst: Instruction, _ tape: Tape, _ p: Scalar) -> String {
        let loop = "    for (int i = 0; i < TILE; i++) "
        let d = row(inst.dst), t = p.type
        switch inst.opcode {
        case .unary:
            let f = ElementFormula.unary(UnaryFunction(rawValue: inst.function)!, exponent: Int(inst.parameter))
            return loop + "\(d) = \(render(f, [row(inst.a)], p));\n"
        case .unaryDerivative:
            let f = ElementFormula.unaryDerivative(
                UnaryFunction(rawValue: inst.function)!, exponent: Int(inst.parameter))
            return loop + "\(d) = \(render(f, [row(inst.a), row(inst.b)], p));\n"
        case .binary:
            let f = ElementFormula.binary(BinaryFunction(rawValue: inst.function)!)
            return loop + "\(d) = \(render(f, [row(inst.a), row(inst.b)], p));\n"
        case .binaryPartial:
            let f = ElementFormula.binaryPartial(BinaryFunction(rawValue: inst.function)!, wrt: Int(inst.parameter))
            return loop + "\(d) = \(render(f, [row(inst.a), row(inst.b), row(inst.c)], p));\n"
        case .sum:
            let terms = tape.terms[Int(inst.start)..<Int(inst.start + inst.count)]
            var text = ""
            var chunkStart = terms.startIndex
            while chunkStart < terms.endIndex {
                let chunk = terms[chunkStart..<min(chunkStart + termsPerStatement, terms.endIndex)]
                var expression = chunkStart == terms.startIndex ? "" : d
                for (j, term) in chunk.enumerated() {
                    expression += summand(term, first: chunkStart == terms.startIndex && j == 0, p)
                }
                text += loop + "\(d) = \(expression);\n"
                chunkStart += termsPerStatement
            }
            return text
        case .extremum:
            let rows = tape.lists[Int(inst.start)..<Int(inst.start + inst.count)].map(row)
            let greater = inst.function == 0 ? ">" : "<"
            var text = loop + "{\n        \(t) m = \(rows[0]);\n"
            for x in rows.dropFirst() {
                // XLA's reduce_max/min propagate NaN.
                text += "        { \(t) v = \(x); m = (v != v || m != m) ? (\(t))NAN : (v \(greater) m ? v : m); }\n"
            }
            return text + "        \(d) = m;\n    }\n"
        case .tieShare:
            let rows = tape.lists[Int(inst.start)..<Int(inst.start + inst.count)].map(row)
            let y = row(inst.b)
            var text = loop + "{\n        \(t) ties = 0;\n"
            for m in rows { text += "        ties += \(m) == \(y);\n" }
            return text + "        \(d) = \(row(inst.a)) == \(y) ? 1 / ties : 0;\n    }\n"
        case .select:
            return loop + "\(d) = \(render(.selection, [row(inst.a), row(inst.b), row(inst.c)], p));\n"
        case .holdFirstSample:
            // A stop_gradient result (in a tape compiled for JAX): per sample, a copy.
            return loop + "\(d) = \(row(inst.a));\n"
        }
    }

    private static func summand(_ term: Term, first: Bool, _ p: Scalar) -> String {
        let a = term.a >= 0 ? row(term.a) : "", b = term.b >= 0 ? row(term.b) : ""
        let c = literal(term.coefficient, p)
        let (negative, magnitude): (Bool, String)
        switch term.kind {
        case .constant: (negative, magnitude) = (false, c)
        case .add: (negative, magnitude) = (false, a)
        case .subtract: (negative, magnitude) = (true, a)
        case .scaled: (negative, magnitude) = (false, "\(c) * \(a)")
        case .product: (negative, magnitude) = (false, "\(a) * \(b)")
        case .negatedProduct: (negative, magnitude) = (true, "\(a) * \(b)")
        case .scaledProduct: (negative, magnitude) = (false, "\(c) * \(a) * \(b)")
        }
        if first { return negative ? "-(\(magnitude))" : magnitude }
        return negative ? " - \(magnitude)" : " + \(magnitude)"
    }

    // MARK: Printing

    static func render(_ f: ElementFormula, _ operands: [String], _ p: Scalar) -> String {
        switch f {
        case .operand(let i): return operands[i]
        case .literal(let x): return literal(x, p)
        case .negate(let x): return "(-\(render(x, operands, p)))"
        case .arithmetic(let op, let l, let r):
            return "(\(render(l, operands, p)) \(op.rawValue) \(render(r, operands, p)))"
        case .select(let cmp, let l, let r, let t, let e):
            return
                "(\(render(l, operands, p)) \(cmp.rawValue) \(render(r, operands, p)) ? \(render(t, operands, p)) : \(render(e, operands, p)))"
        case .call(let fn, let args):
            let a = args.map { render($0, operands, p) }
            switch fn {
            case .integerPower(let n): return "ipow_\(p.suffix)(\(a[0]), \(n))"
            case .logaddexp: return render(ElementFormula.logAddExpExpansion, a, p)
            case .narrow(let format):
                return
                    "\(p.libm("ccelim_narrow"))(\(a[0]), \(format.significandBits), \(format.minExponent), \(format.maxExponent), \(format.flushesSubnormals ? 1 : 0))"
            case .maximum, .minimum:
                // XLA's max/min propagate NaN.
                let cmp = fn == .maximum ? ">" : "<"
                return
                    "((\(a[0]) != \(a[0]) || \(a[1]) != \(a[1])) ? (\(p.type))NAN : (\(a[1]) \(cmp) \(a[0]) ? \(a[1]) : \(a[0])))"
            default: return "\(p.libm(libmName(fn)))(\(a.joined(separator: ", ")))"
            }
        }
    }

    private static func libmName(_ fn: ElementFormula.MathFunction) -> String {
        switch fn {
        case .abs: return "fabs"
        case .exp: return "exp"
        case .log: return "log"
        case .log1p: return "log1p"
        case .expm1: return "expm1"
        case .exp2: return "exp2"
        case .cbrt: return "cbrt"
        case .floor: return "floor"
        case .ceil: return "ceil"
        case .erfc: return "erfc"
        case .roundAway: return "round"
        // nearbyint rounds in the current mode, which C starts at to-nearest-even.
        case .roundEven: return "nearbyint"
        case .remainder: return "fmod"
        case .sin: return "sin"
        case .cos: return "cos"
        case .tan: return "tan"
        case .asin: return "asin"
        case .acos: return "acos"
        case .atan: return "atan"
        case .sinh: return "sinh"
        case .cosh: return "cosh"
        case .tanh: return "tanh"
        case .asinh: return "asinh"
        case .acosh: return "acosh"
        case .atanh: return "atanh"
        case .sqrt: return "sqrt"
        case .erf: return "erf"
        case .truncate: return "trunc"
        case .atan2: return "atan2"
        case .pow: return "pow"
        case .maximum: return "fmax"
        case .minimum: return "fmin"
        case .integerPower: return "ipow"
        case .logaddexp: return "logaddexp"  // printed as its expansion (render)
        case .lgamma: return "lgamma"
        case .digamma: return "ccelim_digamma"
        case .trigamma: return "ccelim_trigamma"
        case .erfInv: return "ccelim_erf_inv"
        case .besselI0e: return "ccelim_bessel_i0e"
        case .besselI1e: return "ccelim_bessel_i1e"
        case .narrow: return "ccelim_narrow"  // printed with its format (render)
        }
    }

    // MARK: Special functions

    /// The functions the tape's unary instructions and their derivatives call.
    static func usedFunctions(_ tape: Tape) -> Set<ElementFormula.MathFunction> {
        var used: Set<ElementFormula.MathFunction> = []
        for inst in tape.instructions {
            switch inst.opcode {
            case .unary:
                used.formUnion(
                    ElementFormula.unary(UnaryFunction(rawValue: inst.function)!, exponent: Int(inst.parameter))
                        .functions)
            case .unaryDerivative:
                used.formUnion(
                    ElementFormula.unaryDerivative(
                        UnaryFunction(rawValue: inst.function)!, exponent: Int(inst.parameter)
                    ).functions)
            default: break
            }
        }
        return used
    }

    /// C of the SpecialFunctions the program calls (digamma, trigamma, erf_inv, i0e, i1e), in
    /// double with a float version that converts, as the interpreter's Float does: the same
    /// algorithms and tables, so that the generated code computes what the interpreter computes.
    /// Empty when the program calls none (its source is then what it was without them). Only the
    /// functions called are written: -Wall warns of an unused static function.
    static func specialFunctionHelpers(_ used: Set<ElementFormula.MathFunction>) -> String {
        typealias F = SpecialFunctions
        func table(_ c: [Double]) -> String { c.map { literal($0, .double) }.joined(separator: ", ") }
        func floatVersion(_ name: String) -> String {
            "static float \(name)f(float x) { return (float)\(name)((double)x); }\n"
        }
        let pi = literal(Double.pi, .double)
        var out = ""
        if used.contains(where: { if case .narrow = $0 { true } else { false } }) {
            out += """
                /* x rounded to a float format of p significand bits and normal exponents emin..emax, to
                   nearest with ties to even, as ccelim's FloatFormat: beyond the largest finite value
                   +-inf; with flush, a subnormal result is +-0 (XLA's CPU float32 and bfloat16). */
                static double ccelim_narrow(double x, int p, int emin, int emax, int flush) {
                    if (!isfinite(x) || x == 0) return x;
                    int e = ilogb(x);
                    if (e < emin) e = emin;
                    double q = ldexp(1.0, e - (p - 1));
                    double r = nearbyint(x / q) * q;
                    if (flush && (r == 0 || ilogb(r) < emin)) return copysign(0.0, x);
                    if (fabs(r) > ldexp(2.0 - ldexp(1.0, 1 - p), emax)) return copysign(INFINITY, x);
                    return r;
                }
                static float ccelim_narrowf(float x, int p, int emin, int emax, int flush) {
                    return (float)ccelim_narrow((double)x, p, emin, emax, flush);
                }


                """
        }
        let horner = "for (int k = (int)(sizeof c / sizeof c[0]) - 1; k >= 0; k--) p = p * t + c[k];"
        if used.contains(.digamma) {
            out += """
                /* digamma: the recurrence psi(x) = psi(x + 1) - 1/x up to \(literal(F.asymptoticStart, .double)), then the
                   asymptotic series; a Taylor series at the positive root; the reflection for x < 0
                   (ccelim's SpecialFunctions). */
                static double ccelim_digamma_positive(double x) {
                    if (x == INFINITY) return x;
                    double d = (x - \(literal(F.digammaRoot.hi, .double))) - \(literal(F.digammaRoot.lo, .double));
                    if (fabs(d) < \(literal(F.digammaRootWindow, .double))) {
                        static const double c[] = {\(table(F.digammaRootTaylor))};
                        double p = 0, t = d;
                        \(horner)
                        return d * p;
                    }
                    double z = x, sum = 0;
                    while (z < \(literal(F.asymptoticStart, .double))) {
                        sum += 1 / z;
                        z += 1;
                    }
                    static const double c[] = {\(table(F.digammaAsymptotic))};
                    double u = 1 / (z * z), p = 0, t = u;
                    \(horner)
                    return log(z) - 0.5 / z - u * p - sum;
                }

                static double ccelim_digamma(double x) {
                    if (x != x || x == -INFINITY) return NAN;
                    if (x <= 0) {
                        if (x == floor(x)) return NAN;
                        double g = x - round(x), a = fabs(g), cot;
                        if (a <= 0.25) {
                            cot = 1 / tan(\(pi) * g);
                        } else {
                            cot = tan(\(pi) * (0.5 - a));
                            if (g < 0) cot = -cot;
                        }
                        return ccelim_digamma_positive(1 - x) - \(pi) * cot;
                    }
                    return ccelim_digamma_positive(x);
                }
                \(floatVersion("ccelim_digamma"))

                """
        }
        if used.contains(.trigamma) {
            out += """
                /* trigamma, polygamma(1, x): the recurrence psi'(x) = psi'(x + 1) + 1/x^2, the asymptotic
                   series, the reflection for x <= -1/2 (ccelim's SpecialFunctions). */
                static double ccelim_trigamma_positive(double x) {
                    if (x == INFINITY) return 0;
                    double z = x, sum = 0;
                    while (z < \(literal(F.asymptoticStart, .double))) {
                        sum += 1 / (z * z);
                        z += 1;
                    }
                    static const double c[] = {\(table(F.trigammaAsymptotic))};
                    double r = 1 / z, u = r * r, p = 0, t = u;
                    \(horner)
                    return sum + r + 0.5 * u + r * u * p;
                }

                static double ccelim_trigamma(double x) {
                    if (x != x || x == -INFINITY) return NAN;
                    if (x <= 0) {
                        if (x == floor(x)) return INFINITY;
                        if (x > -0.5) return 1 / (x * x) + ccelim_trigamma_positive(1 + x);
                        double s = sin(\(pi) * (x - round(x)));
                        return \(literal(F.piSquared, .double)) / (s * s) - ccelim_trigamma_positive(1 - x);
                    }
                    return ccelim_trigamma_positive(x);
                }
                \(floatVersion("ccelim_trigamma"))

                """
        }
        if used.contains(.erfInv) {
            out += """
                /* erf_inv: a fitted start, then one Halley step on erf(y) = |x| or erfc(y) = 1 - |x|
                   (ccelim's SpecialFunctions). */
                static double ccelim_erf_inv(double x) {
                    double a = fabs(x);
                    if (!(a < 1)) return a == 1 ? (x < 0 ? -INFINITY : INFINITY) : NAN;
                    if (a == 0) return x;
                    double w = -log1p(-a * a), p = 0, t;
                    if (w < 5) {
                        static const double c[] = {\(table(F.erfInvCentral))};
                        t = w - 2.5;
                        \(horner)
                    } else {
                        static const double c[] = {\(table(F.erfInvTail))};
                        t = sqrt(w) - 3;
                        \(horner)
                    }
                    double y = a * p;
                    double slope = \(literal(F.twoOverRootPi, .double)) * exp(-y * y);
                    double d = a <= 0.5 ? (erf(y) - a) / slope : (erfc(y) - (1 - a)) / -slope;
                    y -= d / (1 + y * d);
                    return x < 0 ? -y : y;
                }
                \(floatVersion("ccelim_erf_inv"))

                """
        }
        if used.contains(.besselI0e) || used.contains(.besselI1e) {
            out += """
                /* exp(-a) I_order(a) for a >= 0, order 0 or 1: the power series below \(literal(F.besselSeriesEnd, .double)),
                   the asymptotic series from there (ccelim's SpecialFunctions). */
                static double ccelim_bessel_ie(double a, int order) {
                    double n = order;
                    if (a < \(literal(F.besselSeriesEnd, .double))) {
                        double q = 0.25 * a * a, term = 1, sum = 1;
                        for (int i = 1; i < 100; i++) {
                            double k = i;
                            term *= q / (k * (k + n));
                            sum += term;
                            if (term <= 1e-17 * sum) break;
                        }
                        return exp(-a) * (order == 0 ? sum : 0.5 * a * sum);
                    }
                    double mu = 4 * n * n, term = 1, sum = 1;
                    for (int i = 0; i < 40; i++) {
                        double k = i;
                        term *= -(mu - (2 * k + 1) * (2 * k + 1)) / (8 * (k + 1) * a);
                        sum += term;
                        if (fabs(term) <= 1e-17 * sum) break;
                    }
                    return sum / sqrt(2 * \(pi) * a);
                }


                """
            if used.contains(.besselI0e) {
                out += "static double ccelim_bessel_i0e(double x) { return ccelim_bessel_ie(fabs(x), 0); }\n"
                out += floatVersion("ccelim_bessel_i0e") + "\n"
            }
            if used.contains(.besselI1e) {
                out += """
                    static double ccelim_bessel_i1e(double x) {
                        double v = ccelim_bessel_ie(fabs(x), 1);
                        return signbit(x) ? -v : v;
                    }

                    """
                out += floatVersion("ccelim_bessel_i1e") + "\n"
            }
        }
        return out
    }

    /// A C literal of `x` rounded to the precision, exact (shortest round-trip digits).
    static func literal(_ x: Double, _ p: Scalar) -> String {
        if x.isNaN { return "((\(p.type))NAN)" }
        if x.isInfinite { return x > 0 ? "((\(p.type))INFINITY)" : "(-(\(p.type))INFINITY)" }
        if p == .float && Float(x).isInfinite { return x > 0 ? "((float)INFINITY)" : "(-(float)INFINITY)" }
        var text = p == .double ? "\(x)" : "\(Float(x))"
        if !text.contains(".") && !text.contains("e") { text += ".0" }
        if p == .float { text += "f" }
        return x.sign == .minus ? "(\(text))" : text
    }

    static func comment(_ lines: [String]) -> String {
        let clean = lines.map { line in
            String(line.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? " " : Character($0) })
                .replacingOccurrences(of: "*/", with: "* /")
        }
        return "/* " + clean.joined(separator: "\n   ") + " */\n"
    }

    static func list(_ xs: [Int], empty: String = "0") -> String {
        xs.isEmpty ? empty : xs.map(String.init).joined(separator: ", ")
    }
}
