import Foundation
import Randomness

/// Structured programs for training and testing beyond random scalar DAGs: repeated blocks,
/// unrolled RK4 steps, 1-D and 2-D stencils, map–reduce layers and mixed vector/matrix layers.
/// Every builder emits one unit (a block, a step, a layer) after another while the next one still
/// fits, then pads to exactly `equations` with a chain of unary operations on the first output, so
/// the program has exactly that many equations (plus a copy vertex per output read later, which
/// these builders never produce) and the work is linear in it. The same seed gives the same graph;
/// the seed draws the block template, the ODE's right-hand side or the tensor width.
enum StructuredGraphs {
    /// Repeated residual blocks over four scalar lanes: one random 20-operation block template
    /// (drawn from the seed, reading the lanes and two shared parameters) applied again and again,
    /// each block's last four results added to its input lanes.
    static func blocks(equations n: Int, seed: UInt64) -> ComputationalGraph {
        var rng = SplitMix64(seed: seed)
        func pick(_ k: Int) -> Int { Int(rng.next() % UInt64(k)) }
        let lanes = 4, size = 20, shared = 2
        // Template op j reads local pool positions: lanes, shared parameters, then earlier results.
        var template: [(primitive: String, a: Int, b: Int?)] = []
        for j in 0..<size {
            let pool = lanes + shared + j
            let a = pool - 1 - pick(min(pool, 5))
            if pick(10) < 3 {
                template.append((["sin", "cos", "tanh", "logistic"][pick(4)], a, nil))
            } else {
                var b = pick(pool)
                if b == a { b = (a + 1) % pool }
                template.append((["add", "sub", "mul", "mul"][pick(4)], a, b))
            }
        }
        var w = ProgramWriter()
        var state = (0..<lanes).map { _ in w.input() }
        let parameters = (0..<shared).map { _ in w.input() }
        var outputs = emitUnits(&w, limit: n) { w in
            var pool = state + parameters
            for op in template {
                pool.append(
                    op.b.map { w.apply(op.primitive, pool[op.a], pool[$0]) } ?? w.apply(op.primitive, pool[op.a]))
            }
            state = (0..<lanes).map { w.apply("add", pool[pool.count - lanes + $0], state[$0]) }
            return state
        }
        pad(&w, &outputs, to: n)
        return w.graph(name: "blocks-\(n)-\(seed)", outputs: outputs)
    }

    /// Classical RK4 steps of a three-state ODE whose right-hand side (two terms per component:
    /// parameter·x, x·y, sin x or x·tanh y) is drawn from the seed; inputs are the state, two
    /// parameters and the step size.
    static func rk4(equations n: Int, seed: UInt64) -> ComputationalGraph {
        var rng = SplitMix64(seed: seed)
        func pick(_ k: Int) -> Int { Int(rng.next() % UInt64(k)) }
        let d = 3
        let terms = (0..<d).map { _ in (0..<2).map { _ in (kind: pick(4), j: pick(d), k: pick(d), p: pick(2)) } }
        let signs = (0..<d).map { _ in pick(2) == 0 ? "add" : "sub" }
        var w = ProgramWriter()
        var x = (0..<d).map { _ in w.input() }
        let params = [w.input(), w.input()]
        let dt = w.input()
        func rhs(_ w: inout ProgramWriter, _ s: [Operand]) -> [Operand] {
            (0..<d).map { i in
                let t = terms[i].map { term -> Operand in
                    switch term.kind {
                    case 0: return w.apply("mul", params[term.p], s[term.j])
                    case 1: return w.apply("mul", s[term.j], s[term.k])
                    case 2: return w.apply("sin", s[term.j])
                    default: return w.apply("mul", s[term.j], w.apply("tanh", s[term.k]))
                    }
                }
                return w.apply(signs[i], t[0], t[1])
            }
        }
        var outputs = emitUnits(&w, limit: n) { w in
            let half = w.apply("mul", dt, ProgramWriter.literal(0.5))
            let k1 = rhs(&w, x)
            let k2 = rhs(&w, (0..<d).map { w.apply("add", x[$0], w.apply("mul", half, k1[$0])) })
            let k3 = rhs(&w, (0..<d).map { w.apply("add", x[$0], w.apply("mul", half, k2[$0])) })
            let k4 = rhs(&w, (0..<d).map { w.apply("add", x[$0], w.apply("mul", dt, k3[$0])) })
            let sixth = w.apply("mul", dt, ProgramWriter.literal(1.0 / 6.0))
            x = (0..<d).map { i in
                let inner = w.apply(
                    "add", w.apply("mul", ProgramWriter.literal(2.0), k2[i]),
                    w.apply("mul", ProgramWriter.literal(2.0), k3[i]))
                let sum = w.apply("add", w.apply("add", k1[i], inner), k4[i])
                return w.apply("add", x[i], w.apply("mul", sixth, sum))
            }
            return x
        }
        pad(&w, &outputs, to: n)
        return w.graph(name: "rk4-\(n)-\(seed)", outputs: outputs)
    }

    /// Explicit steps of a 1-D reaction–diffusion stencil u ← u + c·(u₋ − 2u + u₊) − a·u² on a
    /// row of scalar cells with fixed end values; the row is wider for larger programs (4…64 cells).
    static func stencil1d(equations n: Int, seed: UInt64) -> ComputationalGraph {
        let width = min(max(Int((Double(n) / 8).squareRoot()), 4), 64) + Int(seed % 3)
        var w = ProgramWriter()
        let left = w.input()
        var u = (0..<width).map { _ in w.input() }
        let right = w.input()
        let c = w.input(), a = w.input()
        var outputs = emitUnits(&w, limit: n) { w in
            u = (0..<width).map { i in
                let lower = i == 0 ? left : u[i - 1], upper = i == width - 1 ? right : u[i + 1]
                let lap = w.apply("sub", w.apply("add", lower, upper), w.apply("mul", ProgramWriter.literal(2.0), u[i]))
                let change = w.apply("sub", w.apply("mul", c, lap), w.apply("mul", a, w.apply("mul", u[i], u[i])))
                return w.apply("add", u[i], change)
            }
            return u
        }
        pad(&w, &outputs, to: n)
        return w.graph(name: "stencil1d-\(n)-\(seed)", outputs: outputs)
    }

    /// Explicit steps of a 2-D five-point reaction–diffusion stencil u ← u + c·Δu + a·u(1 − u) on a
    /// periodic square of scalar cells (2×2 … 24×24, larger for larger programs).
    static func stencil2d(equations n: Int, seed: UInt64) -> ComputationalGraph {
        var side = min(max(Int(pow(Double(n) / 11, 1.0 / 3)), 2), 24)
        if seed % 2 == 1 && (side + 1) * (side + 1) * 11 <= n { side += 1 }
        var w = ProgramWriter()
        var u = (0..<side * side).map { _ in w.input() }
        let c = w.input(), a = w.input()
        var outputs = emitUnits(&w, limit: n) { w in
            u = (0..<side * side).map { cell in
                let (r, q) = (cell / side, cell % side)
                func at(_ r: Int, _ q: Int) -> Operand { u[((r + side) % side) * side + (q + side) % side] }
                let vertical = w.apply("add", at(r - 1, q), at(r + 1, q))
                let horizontal = w.apply("add", at(r, q - 1), at(r, q + 1))
                let lap = w.apply(
                    "sub", w.apply("add", vertical, horizontal), w.apply("mul", ProgramWriter.literal(4.0), u[cell]))
                let growth = w.apply(
                    "mul", a, w.apply("mul", u[cell], w.apply("sub", ProgramWriter.literal(1.0), u[cell])))
                return w.apply("add", u[cell], w.apply("add", w.apply("mul", c, lap), growth))
            }
            return u
        }
        pad(&w, &outputs, to: n)
        return w.graph(name: "stencil2d-\(n)-\(seed)", outputs: outputs)
    }

    /// Map–reduce layers over 4…32 scalar lanes: each lane scaled by a shared parameter and passed
    /// through a nonlinearity, a pairwise sum tree reduces them, and every lane is divided by the
    /// sum (a normalisation, as in softmax); the unary function per layer is drawn from the seed.
    static func reduction(equations n: Int, seed: UInt64) -> ComputationalGraph {
        var rng = SplitMix64(seed: seed)
        let width = min(max(Int((Double(n) / 4).squareRoot()), 4), 32)
        var w = ProgramWriter()
        var lanes = (0..<width).map { _ in w.input() }
        let scale = w.input()
        var outputs = emitUnits(&w, limit: n) { w in
            let f = ["exp", "logistic", "tanh", "sin"][Int(rng.next() % 4)]
            let mapped = lanes.map { w.apply(f, w.apply("mul", scale, $0)) }
            var level = mapped
            while level.count > 1 {
                var next: [Operand] = []
                for k in stride(from: 0, to: level.count - 1, by: 2) {
                    next.append(w.apply("add", level[k], level[k + 1]))
                }
                if level.count % 2 == 1 { next.append(level[level.count - 1]) }
                level = next
            }
            lanes = mapped.map { w.apply("div", $0, level[0]) }
            return lanes
        }
        pad(&w, &outputs, to: n)
        return w.graph(name: "reduction-\(n)-\(seed)", outputs: outputs)
    }

    /// Mixed vector/matrix layers of width 4…8 (from the seed): a matrix–vector product with one of
    /// two weight matrices, bias and tanh, centring by the mean (reduce_sum, broadcast), an outer
    /// broadcast, a transpose, an elementwise product with the weights and a row sum, then a
    /// scaled residual. Inputs: the vector, two matrices, a bias vector and a scalar.
    static func mixed(equations n: Int, seed: UInt64) -> ComputationalGraph {
        let m = 4 + Int(seed % 5)
        var w = ProgramWriter()
        var h = w.input([m])
        let weights = [w.input([m, m]), w.input([m, m])]
        let bias = w.input([m])
        let scale = w.input()
        var layer = 0
        var outputs = emitUnits(&w, limit: n) { w in
            let weight = weights[layer % 2]
            layer += 1
            let z = w.emit(
                "dot_general", [weight, h], shape: [m],
                params: [
                    ("dimension_numbers", "(([1], [0]), ([], []))"),
                    ("precision", "None"), ("preferred_element_type", "float32"),
                ])
            let a = w.apply("tanh", w.apply("add", z, bias))
            let total = w.emit("reduce_sum", [a], shape: [], params: [("axes", "(0,)")])
            let mean = w.apply("div", total, ProgramWriter.literal(Double(m)))
            let spread = w.emit(
                "broadcast_in_dim", [mean], shape: [m], params: [("broadcast_dimensions", "()"), ("shape", "(\(m),)")])
            let centred = w.apply("sub", a, spread)
            let rows = w.emit(
                "broadcast_in_dim", [centred], shape: [m, m],
                params: [("broadcast_dimensions", "(1,)"), ("shape", "(\(m), \(m))")])
            let columns = w.emit("transpose", [rows], shape: [m, m], params: [("permutation", "(1, 0)")])
            let product = w.apply("mul", columns, weight)
            let mixedRows = w.emit("reduce_sum", [product], shape: [m], params: [("axes", "(1,)")])
            h = w.apply("add", w.apply("mul", scale, mixedRows), centred)
            return [h]
        }
        pad(&w, &outputs, to: n)
        return w.graph(name: "mixed-\(n)-\(seed)", outputs: outputs)
    }

    /// Emits units while the next one fits in `limit` equations (units of one builder all have the
    /// size of the first); returns the last unit's results. The first unit is always emitted.
    private static func emitUnits(
        _ w: inout ProgramWriter, limit: Int, _ unit: (inout ProgramWriter) -> [Operand]
    ) -> [Operand] {
        let start = w.count
        var results = unit(&w)
        let size = w.count - start
        precondition(
            w.count <= limit,
            "one unit (\(size) equations) does not fit in \(limit); GraphPreset.minimumEquations is too small")
        while w.count + size <= limit { results = unit(&w) }
        return results
    }

    /// Pads to exactly `n` equations with alternating sin/tanh on the first output.
    private static func pad(_ w: inout ProgramWriter, _ outputs: inout [Operand], to n: Int) {
        while w.count < n { outputs[0] = w.apply(w.count % 2 == 0 ? "sin" : "tanh", outputs[0]) }
    }
}
