import Elimination

/// Central finite differences of a compiled program's outputs, in Float64: the independent check
/// of every Jacobian. All perturbed points run as one batch; stop_gradient results are held at the
/// unperturbed point's value, which is what JAX's Jacobian assumes. Integer and boolean inputs
/// (indices, masks) are not moved: a step of 1e-6 truncates an index to the one below and would
/// report a derivative of about 1/h where the program has none (JAX's float0); their blocks are 0.
public enum FiniteDifferences {
    /// The finite-difference Jacobian at one point, laid out as `JacobianResult.jacobian` for one
    /// sample: [output][input] row-major blocks. `point[k]` is input k, row-major.
    public static func jacobian(
        of graph: ComputationalGraph, constants: [[Double]] = [], at point: [[Double]],
        relativeStep: Double = 6e-6
    ) throws(JacobianError) -> [[[Double]]] {
        // Any order gives the outputs; forward is the cheapest to compile.
        let probe = try CompiledJacobian(
            graph: graph, order: graph.eliminable, constants: constants,
            options: LoweringOptions(holdStopGradientAtFirstSample: true))
        try probe.validate(inputs: point, batch: 1)
        let sizes = probe.inputShapes.map(Shape.count)
        let total = sizes.reduce(0, +)
        let batch = 1 + 2 * total
        // Sample 0 is the point itself; samples 2m+1 and 2m+2 move input element m by +h and −h.
        var inputs = point.map { values in [Double]((0..<batch).map { _ in values }.joined()) }
        var steps: [Double] = []
        var m = 0
        for (k, n) in sizes.enumerated() {
            let moves = Self.isContinuous(graph.program.inputs[k].type.dtype)
            for e in 0..<n {
                let x = point[k][e]
                guard moves else {
                    // Both samples stay at the point: the difference is 0 (the step only divides it).
                    steps.append(1)
                    m += 1
                    continue
                }
                // Relative to the input's own scale: inputs of 0.01 need steps far below 1e-5.
                let h = relativeStep * (x != 0 && x.isFinite ? Swift.abs(x) : 1)
                steps.append(h)
                inputs[k][(2 * m + 1) * n + e] = x + h
                inputs[k][(2 * m + 2) * n + e] = x - h
                m += 1
            }
        }
        let r = try probe.evaluate(inputs: inputs, batch: batch, precision: .float64)
        var blocks: [[[Double]]] = []
        for o in 0..<probe.outputShapes.count {
            let no = Shape.count(probe.outputShapes[o])
            var row: [[Double]] = []
            var m = 0
            for n in sizes {
                var block = [Double](repeating: 0, count: no * n)
                for e in 0..<n {
                    let plus = r.output(o, sample: 2 * m + 1), minus = r.output(o, sample: 2 * m + 2)
                    for i in 0..<no {
                        block[i * n + e] = (plus[plus.startIndex + i] - minus[minus.startIndex + i]) / (2 * steps[m])
                    }
                    m += 1
                }
                row.append(block)
            }
            blocks.append(row)
        }
        return blocks
    }

    /// Whether inputs of `dtype` can be moved by a small step: not integers (`i32`, `u8`) or
    /// booleans; any other dtype (floats, and names ccelim does not know) is.
    static func isContinuous(_ dtype: String) -> Bool {
        dtype != "bool" && !ElementwiseLowering.isInteger(dtype)
    }
}
