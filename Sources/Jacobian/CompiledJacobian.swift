import Elimination

/// The floating-point type a Jacobian is evaluated in.
public enum Precision: String, Sendable, CaseIterable {
    /// What JAX computes in by default; the benchmark's precision.
    case float32
    /// What the checks use.
    case float64
}

/// A graph's Jacobian program for one elimination order, compiled once: the primal program, every
/// local partial with its structure, and the accumulation in the given order, as a tape of row
/// operations. Evaluate it on any batch of inputs, in Float32 or Float64.
public struct CompiledJacobian: Sendable {
    public let name: String
    public let order: [Int]
    public let inputNames: [String]
    /// The JAX shape of each input and output (`Program.jaxType(of:)`): a value of rank 3 and more
    /// is computed as its stored matrix, read and printed in this shape (same row-major order).
    public let inputShapes: [[Int]]
    public let outputShapes: [[Int]]
    /// The values of the program's closed-over constants it was compiled with, one row-major array
    /// each (`Program.constants`' order); empty when it has none.
    public let constants: [[Double]]
    /// Scalar multiplications per sample the accumulation performs (products with a constant ±1
    /// are additions and constant × constant folds away, so neither is counted). Forming the local
    /// partials and the primal is not counted, as in the paper's cost model.
    public let multiplications: Int
    /// Chain-rule products a·b of partial entries the accumulation forms, whatever their factors:
    /// the quantity the paper's cost model estimates.
    public let products: Int
    /// The compiled program itself, for the code generators (Sources/Codegen), which walk it as the
    /// runner does.
    package let tape: Tape
    /// The tape reads the batch's first sample, so it must run as one tile.
    package let needsWholeBatch: Bool

    public var instructionCount: Int { tape.instructions.count }
    public var rowCount: Int { tape.rowCount }

    /// - Parameters:
    ///   - order: a permutation of the graph's eliminable vertices.
    ///   - constants: values of closed-over constants (one row-major array each), if the program has any.
    public init(graph: ComputationalGraph, order: [Int], constants: [[Double]] = []) throws(JacobianError) {
        try self.init(graph: graph, order: order, constants: constants, options: LoweringOptions())
    }

    package init(
        graph: ComputationalGraph, order: [Int], constants: [[Double]], options: LoweringOptions
    ) throws(JacobianError) {
        do {
            try Baselines.validate(order, on: GameSpec(graph: graph))
        } catch {
            throw .invalidOrder(error)
        }
        let program = graph.program
        // The interpreter works scalar by scalar: refuse what it cannot hold before compiling.
        let scalars = Self.sum(
            program.inputs.map { Shape.count($0.type.shape) } + program.equations.map { Shape.count($0.type.shape) })
        guard scalars <= Self.maxScalars else { throw .programTooLarge(scalars: scalars, limit: Self.maxScalars) }
        if !program.constants.isEmpty && constants.isEmpty {
            throw .constantsMissing(names: program.constants.map(\.name))
        }
        guard constants.count == program.constants.count else {
            throw .constantsMissing(names: program.constants.dropFirst(constants.count).map(\.name))
        }
        var builder = TapeBuilder()
        let inputRows = program.inputs.map { input in (0..<Shape.count(input.type.shape)).map { _ in builder.newRow() }
        }
        var constantRows: [[Int32]] = []
        for (k, constant) in program.constants.enumerated() {
            let n = Shape.count(constant.type.shape)
            guard constants[k].count == n else {
                throw .constantSize(
                    constant: k + 1, name: constant.name, expectedValues: n, givenValues: constants[k].count)
            }
            constantRows.append(constants[k].map { builder.constantRow($0) })
        }
        builder.setInputs(inputRows)
        let lowered = try ProgramLowering.lower(
            program, inputs: inputRows, constants: constantRows, options: options, builder: &builder)
        var elimination = SymbolicElimination(graph: graph, lowered: lowered)
        builder.counting = true
        for v in order { elimination.eliminate(v, builder: &builder) }
        builder.counting = false
        let outputs = graph.outputs.map { o in lowered.values[o - 1].map { builder.val($0) } }
        let blocks = graph.outputs.map { o in
            (0..<graph.inputCount).map { k in
                (elimination.block(output: o, input: k + 1)?.sortedEntries ?? []).map {
                    (index: $0.key, value: $0.value)
                }
            }
        }
        builder.setOutputs(outputs, blocks: blocks)
        var tape = builder.tape
        RowAllocator.pack(&tape)

        self.name = graph.name
        self.order = order
        self.constants = constants
        inputNames = program.inputs.map(\.name)
        // JAX shapes: how inputs are read and results printed (the tape works on the stored
        // matrices, whose elements are in the same row-major order).
        inputShapes = program.inputs.indices.map { program.jaxType(of: .input($0 + 1)).shape }
        outputShapes = program.outputs.indices.map { program.jaxType(of: .output($0 + 1)).shape }
        multiplications = builder.multiplications
        products = builder.products
        self.tape = tape
        needsWholeBatch = options.holdStopGradientAtFirstSample
    }

    /// Evaluates outputs and Jacobian for a batch. `inputs[k]` holds input k for every sample,
    /// sample-major: `batch × elements` values (element order row-major).
    public func evaluate(
        inputs: [[Double]], batch: Int = 1, precision: Precision = .float64
    ) throws(JacobianError) -> JacobianResult {
        let workspace = try makeWorkspace(batch: batch, precision: precision)
        try workspace.setInputs(inputs)
        workspace.run()
        return workspace.result()
    }

    /// Refuses (`batchTooLarge`) a batch whose evaluation would hold more than `maxBytes`
    /// (`evaluationBytes`), before allocating any of it.
    public func makeWorkspace(
        batch: Int, precision: Precision, maxBytes: Int = CompiledJacobian.defaultMaxEvaluationBytes
    ) throws(JacobianError) -> JacobianWorkspace {
        guard batch >= 1 else { throw .invalidBatch(batch) }
        let bytes = evaluationBytes(batch: batch, precision: precision)
        guard bytes <= maxBytes else {
            throw .batchTooLarge(
                batch: batch, bytes: bytes, limit: maxBytes,
                largestBatch: largestBatch(precision: precision, maxBytes: maxBytes))
        }
        return JacobianWorkspace(self, batch: batch, precision: precision)
    }

    // MARK: Sizes

    /// Scalars (input and vertex elements together) a program may have: 4 Mi. The tape holds a
    /// row per scalar and per partial, so this keeps compiling in memory.
    public static let maxScalars = 1 << 22
    /// The default ceiling of `evaluationBytes`: 4 GiB (the shell may pass less, e.g. half the machine).
    public static let defaultMaxEvaluationBytes = 4 << 30

    /// Bytes an evaluation of `batch` samples holds at once (`Int.max` on overflow): the caller's
    /// Float64 inputs and the runner's staged copy, the arena (rows × tile, or × batch untiled),
    /// the dense outputs and Jacobian blocks in `precision`, and their Float64 copy in the result.
    public func evaluationBytes(batch: Int, precision: Precision) -> Int {
        let scalar = precision == .float32 ? 4 : 8
        let inputs = Self.sum(inputShapes.map(Shape.count)), outputs = Self.sum(outputShapes.map(Shape.count))
        let blocks = Self.product(outputs, inputs)
        let perSample = Self.sum([
            Self.product(inputs, 8 + scalar), Self.product(Self.sum([outputs, blocks]), 8 + scalar),
        ])
        let tile = needsWholeBatch ? batch : min(batch, TapeRunner<Double>.tileSize)
        let arena = Self.product(Self.product(max(tape.rowCount, 1), tile), scalar)
        return Self.sum([Self.product(perSample, batch), arena])
    }

    /// The largest batch within `maxBytes` (0 if not even one sample fits).
    public func largestBatch(precision: Precision, maxBytes: Int) -> Int {
        var low = 0, high = maxBytes
        while low < high {
            let mid = low + (high - low + 1) / 2
            if evaluationBytes(batch: mid, precision: precision) <= maxBytes { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// Saturating arithmetic for sizes: `Int.max` stands for "does not fit".
    static func product(_ a: Int, _ b: Int) -> Int {
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? .max : p
    }

    static func sum(_ xs: [Int]) -> Int {
        var total = 0
        for x in xs {
            let (s, overflow) = total.addingReportingOverflow(x)
            if overflow { return .max }
            total = s
        }
        return total
    }

    /// Checks the number and sizes of `inputs` for `batch` samples.
    func validate(inputs: [[Double]], batch: Int) throws(JacobianError) {
        guard inputs.count == inputShapes.count else {
            throw .inputCount(expected: inputShapes.count, given: inputs.count)
        }
        for (k, shape) in inputShapes.enumerated() where inputs[k].count != Shape.count(shape) * batch {
            throw .inputSize(
                input: k + 1, name: inputNames[k], shape: shape, batch: batch, givenValues: inputs[k].count)
        }
    }
}
