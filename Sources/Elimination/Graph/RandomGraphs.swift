import Randomness

/// Random straight-line scalar programs shaped like the paper's scalar benchmarks (RoeFlux_1d,
/// RobotArm_6DOF, g…): unary and binary elementwise operations that mostly read recent values, so
/// graphs have depth, with some reading older ones, so they have fan-in and fan-out. For testing a
/// policy on graphs it has never seen. The same seed gives the same graph. The `scalar` preset of
/// `GraphPreset`; the structured presets are in `StructuredGraphs`.
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
        var program: [Equation] = []
        func operand() -> Operand {
            pick(10) < 7 ? pool[pool.count - 1 - pick(min(pool.count, 6))] : pool[pick(pool.count)]
        }
        for k in 1...equations {
            let x = operand()
            let equation: Equation
            switch pick(10) {
            case 0..<3:
                let f = ["sin", "cos", "exp", "sqrt", "tanh", "log"][pick(6)]
                equation = Equation(name: "v\(k)", type: scalar, primitive: f, params: [], operands: [x])
            case 3:
                // A literal operand: no edge, as `mul 0.5 x` in the benchmarks.
                equation = Equation(
                    name: "v\(k)", type: scalar, primitive: "mul", params: [], operands: [.literal("0.5", nil), x])
            default:
                var y = operand()
                if y == x { y = pool[pick(pool.count)] }
                let f = ["add", "sub", "mul", "div"][pick(4)]
                equation = Equation(name: "v\(k)", type: scalar, primitive: f, params: [], operands: [x, y])
            }
            program.append(equation)
            pool.append(.vertex(k))
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
