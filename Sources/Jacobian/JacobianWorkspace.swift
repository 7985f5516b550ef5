/// A compiled Jacobian bound to a batch size and a precision: the arena and the result buffers,
/// allocated once. `setInputs` then `run` as often as needed (the benchmark's loop); `result`
/// copies the figures out.
public final class JacobianWorkspace {
    public let compiled: CompiledJacobian
    public let batch: Int
    public let precision: Precision
    private let storage: Storage

    private enum Storage {
        case float32(TapeRunner<Float>, DenseResult<Float>)
        case float64(TapeRunner<Double>, DenseResult<Double>)
    }

    init(_ compiled: CompiledJacobian, batch: Int, precision: Precision) {
        self.compiled = compiled
        self.batch = batch
        self.precision = precision
        let untiled = compiled.needsWholeBatch
        switch precision {
        case .float32:
            storage = .float32(
                TapeRunner(tape: compiled.tape, batch: batch, untiled: untiled), DenseResult(compiled, batch: batch))
        case .float64:
            storage = .float64(
                TapeRunner(tape: compiled.tape, batch: batch, untiled: untiled), DenseResult(compiled, batch: batch))
        }
    }

    /// `inputs[k]`: input k for every sample, sample-major (`batch × elements` values).
    public func setInputs(_ inputs: [[Double]]) throws(JacobianError) {
        try compiled.validate(inputs: inputs, batch: batch)
        for (k, values) in inputs.enumerated() {
            values.withUnsafeBufferPointer { p in
                switch storage {
                case .float32(let runner, _): runner.setInput(k, p)
                case .float64(let runner, _): runner.setInput(k, p)
                }
            }
        }
    }

    /// Evaluates the primal, the partials and the accumulation, and writes the dense outputs and
    /// Jacobian blocks into the workspace's buffers.
    public func run() {
        switch storage {
        case .float32(let runner, let dense): runner.run(into: dense)
        case .float64(let runner, let dense): runner.run(into: dense)
        }
    }

    public func result() -> JacobianResult {
        switch storage {
        case .float32(_, let dense): return dense.result(compiled)
        case .float64(_, let dense): return dense.result(compiled)
        }
    }
}

/// Dense, sample-major outputs and Jacobian blocks in the evaluation's own precision, as JAX's
/// `vmap(jacrev(f))` returns them: output o is (B, output shape), block (o, k) is
/// (B, output shape, input shape).
final class DenseResult<S: JacobianScalar> {
    var outputs: [[S]]
    var blocks: [[[S]]]
    let batch: Int

    init(_ compiled: CompiledJacobian, batch: Int) {
        self.batch = batch
        outputs = compiled.outputShapes.map { [S](repeating: 0, count: Shape.count($0) * batch) }
        blocks = compiled.outputShapes.map { o in
            compiled.inputShapes.map { k in [S](repeating: 0, count: Shape.count(o) * Shape.count(k) * batch) }
        }
    }

    /// Copies samples start ..< start + count (the tile the runner holds) out of its arena.
    func fill(from runner: TapeRunner<S>, start: Int, count: Int) {
        let tape = runner.tape
        for (o, values) in tape.outputValues.enumerated() {
            let n = values.count
            outputs[o].withUnsafeMutableBufferPointer { out in
                for (e, v) in values.enumerated() {
                    switch v {
                    case .constant(let c): for b in 0..<count { out[(start + b) * n + e] = S(c) }
                    case .row(let r):
                        let src = runner.row(r)
                        for b in 0..<count { out[(start + b) * n + e] = src[b] }
                    }
                }
            }
            for (k, entries) in tape.blocks[o].enumerated() {
                blocks[o][k].withUnsafeMutableBufferPointer { out in
                    let size = out.count / batch
                    // Entries outside the structure are zero and never written, so the buffer
                    // only needs clearing once (it is zero from creation).
                    for (index, v) in entries {
                        switch v {
                        case .constant(let c): for b in 0..<count { out[(start + b) * size + index] = S(c) }
                        case .row(let r):
                            let src = runner.row(r)
                            for b in 0..<count { out[(start + b) * size + index] = src[b] }
                        }
                    }
                }
            }
        }
    }

    func result(_ compiled: CompiledJacobian) -> JacobianResult {
        JacobianResult(
            batch: batch, inputShapes: compiled.inputShapes, outputShapes: compiled.outputShapes,
            outputs: outputs.map { $0.map(Double.init) }, jacobian: blocks.map { $0.map { $0.map(Double.init) } })
    }
}
