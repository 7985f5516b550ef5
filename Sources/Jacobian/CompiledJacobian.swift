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
    public let inputShapes: [[Int]]
    public let outputShapes: [[Int]]
    /// Scalar multiplications per sample the accumulation performs (products with a constant ±1
    /// are additions and constant × constant folds away, so neither is counted). Forming the local
    /// partials and the primal is not counted, as in the paper's cost model.
    public let multiplications: Int
    /// Chain-rule products a·b of partial entries the accumulation forms, whatever their factors:
    /// the quantity the paper's cost model estimates.
    public let products: Int
    let tape: Tape
    /// The tape reads the batch's first sample, so it must run as one tile.
    let needsWholeBatch: Bool

    public var instructionCount: Int { tape.instructions.count }
    public var rowCount: Int { tape.rowCount }

    /// - Parameters:
    ///   - order: a permutation of the graph's eliminable vertices.
    ///   - constants: values of closed-over constants (one row-major array each), if the program has any.
    public init(graph: ComputationalGraph, order: [Int], constants: [[Double]] = []) throws(JacobianError) {
        try self.init(graph: graph, order: order, constants: constants, options: LoweringOptions())
    }

    init(graph: ComputationalGraph, order: [Int], constants: [[Double]], options: LoweringOptions) throws(JacobianError) {
        do {
            try Baselines.validate(order, on: GameSpec(graph: graph))
        } catch {
            throw .invalidOrder(error)
        }
        let program = graph.program
        if !program.constants.isEmpty && constants.isEmpty {
            throw .constantsMissing(names: program.constants.map(\.name))
        }
        guard constants.count == program.constants.count else {
            throw .constantsMissing(names: program.constants.dropFirst(constants.count).map(\.name))
        }
        var builder = TapeBuilder()
        let inputRows = program.inputs.map { input in (0..<Shape.count(input.type.shape)).map { _ in builder.newRow() } }
        var constantRows: [[Int32]] = []
        for (k, constant) in program.constants.enumerated() {
            let n = Shape.count(constant.type.shape)
            guard constants[k].count == n else {
                throw .constantSize(constant: k + 1, name: constant.name, expectedValues: n, givenValues: constants[k].count)
            }
            constantRows.append(constants[k].map { builder.constantRow($0) })
        }
        builder.setInputs(inputRows)
        let lowered = try ProgramLowering.lower(program, inputs: inputRows, constants: constantRows, options: options, builder: &builder)
        var elimination = SymbolicElimination(graph: graph, lowered: lowered)
        builder.counting = true
        for v in order { elimination.eliminate(v, builder: &builder) }
        builder.counting = false
        let outputs = graph.outputs.map { o in lowered.values[o - 1].map { builder.val($0) } }
        let blocks = graph.outputs.map { o in
            (0..<graph.inputCount).map { k in
                (elimination.block(output: o, input: k + 1)?.sortedEntries ?? []).map { (index: $0.key, value: $0.value) }
            }
        }
        builder.setOutputs(outputs, blocks: blocks)
        var tape = builder.tape
        RowAllocator.pack(&tape)

        self.name = graph.name
        self.order = order
        inputNames = program.inputs.map(\.name)
        inputShapes = program.inputs.map(\.type.shape)
        outputShapes = graph.outputs.map { program.equations[$0 - 1].type.shape }
        multiplications = builder.multiplications
        products = builder.products
        self.tape = tape
        needsWholeBatch = options.holdStopGradientAtFirstSample
    }

    /// Evaluates outputs and Jacobian for a batch. `inputs[k]` holds input k for every sample,
    /// sample-major: `batch × elements` values (element order row-major).
    public func evaluate(inputs: [[Double]], batch: Int = 1, precision: Precision = .float64) throws(JacobianError) -> JacobianResult {
        let workspace = try makeWorkspace(batch: batch, precision: precision)
        try workspace.setInputs(inputs)
        workspace.run()
        return workspace.result()
    }

    public func makeWorkspace(batch: Int, precision: Precision) throws(JacobianError) -> JacobianWorkspace {
        guard batch >= 1 else { throw .invalidBatch(batch) }
        return JacobianWorkspace(self, batch: batch, precision: precision)
    }

    /// Checks the number and sizes of `inputs` for `batch` samples.
    func validate(inputs: [[Double]], batch: Int) throws(JacobianError) {
        guard inputs.count == inputShapes.count else { throw .inputCount(expected: inputShapes.count, given: inputs.count) }
        for (k, shape) in inputShapes.enumerated() where inputs[k].count != Shape.count(shape) * batch {
            throw .inputSize(input: k + 1, name: inputNames[k], shape: shape, batch: batch, givenValues: inputs[k].count)
        }
    }
}
