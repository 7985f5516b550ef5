import Randomness

/// Random straight-line scalar programs shaped like the paper's scalar benchmarks (RoeFlux_1d,
/// RobotArm_6DOF, g…): unary and binary elementwise operations that mostly read recent values, so
/// graphs have depth, with some reading older ones, so they have fan-in and fan-out. For testing a
/// policy on graphs it has never seen. The same seed gives the same graph. The `scalar` preset of
/// `GraphPreset`; the structured presets are in `StructuredGraphs`.
///
/// The program is finite, with a finite Jacobian, wherever its inputs lie in [0.2, 0.8] (where
/// `ccelim jacobian` evaluates by default): the seed draws the shape (which values each equation
/// reads, unary or binary) and a primitive, and the primitive is kept only where `ValueRange` shows
/// it safe for its operands' ranges (`log` and `sqrt` of values ≥ 0.01, `div` by values at least 0.1
/// from 0, `exp`, `mul` and `div` with results within ±1000); otherwise a safe one of the same arity
/// takes its place (`tanh`; `mul`, then `add`). The choice never consumes the generator, so the
/// graph — vertices, edges and costs — is the one the seed drew before this rule (session 42);
/// only primitive names changed, where the old program left its domain (NaN at most points from
/// about 45 equations).
public enum RandomGraphs {
    public static func scalar(seed: UInt64, inputs: Int, equations: Int, outputs: Int) -> ComputationalGraph {
        precondition(
            inputs >= 1 && equations >= 2 && outputs >= 1 && outputs < equations,
            "a graph needs inputs, equations and fewer outputs than equations")
        var rng = SplitMix64(seed: seed)
        func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        let scalar = ArrayType(dtype: "f32", shape: [])
        let inputVariables = (0..<inputs).map { Variable(name: "x\($0 + 1)", type: scalar) }
        var pool: [Operand] = (1...inputs).map { .input($0) }
        var ranges: [ValueRange] = Array(repeating: .inputs, count: inputs)  // parallel to pool
        var program: [Equation] = []
        func operand() -> Int {
            pick(10) < 7 ? pool.count - 1 - pick(min(pool.count, 6)) : pick(pool.count)
        }
        for k in 1...equations {
            let x = operand()
            let equation: Equation
            let range: ValueRange
            switch pick(10) {
            case 0..<3:
                let drawn = ["sin", "cos", "exp", "sqrt", "tanh", "log"][pick(6)]
                let f: String
                (f, range) = [drawn, "tanh"].lazy.compactMap { f in ranges[x].unary(f).map { (f, $0) } }.first!
                equation = Equation(name: "v\(k)", type: scalar, primitive: f, params: [], operands: [pool[x]])
            case 3:
                // A literal operand: no edge, as `mul 0.5 x` in the benchmarks.
                range = ranges[x].scaled(by: 0.5)
                equation = Equation(
                    name: "v\(k)", type: scalar, primitive: "mul", params: [],
                    operands: [.literal("0.5", nil), pool[x]])
            default:
                var y = operand()
                if y == x { y = pick(pool.count) }
                let drawn = ["add", "sub", "mul", "div"][pick(4)]
                let f: String
                (f, range) = [drawn, "mul", "add"].lazy.compactMap { f in ranges[x].binary(f, ranges[y]).map { (f, $0) }
                }
                .first!
                equation = Equation(
                    name: "v\(k)", type: scalar, primitive: f, params: [], operands: [pool[x], pool[y]])
            }
            program.append(equation)
            pool.append(.vertex(k))
            ranges.append(range)
        }
        // Outputs: the last value and others among the last third, like a function's results.
        var outs = [equations]
        while outs.count < outputs {
            let candidate = equations - 1 - pick(max(equations / 3, 1))
            if candidate >= 1 && !outs.contains(candidate) { outs.append(candidate) }
        }
        let p = Program(inputs: inputVariables, constants: [], equations: program, outputs: outs.sorted())
        // Every primitive above is supported; a failure here is a bug in this generator.
        return try! ComputationalGraph.build(name: "random-\(inputs)x\(equations)x\(outputs)-\(seed)", program: p)
    }
}
