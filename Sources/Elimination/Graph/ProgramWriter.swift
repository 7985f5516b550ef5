/// Builds a program equation by equation for the graph generators: each call appends one equation
/// (one vertex) and returns the operand that reads its result. Appending is O(1), so a generator
/// that calls it once per equation is linear in the program's size.
struct ProgramWriter {
    private(set) var inputs: [Variable] = []
    private(set) var equations: [Equation] = []

    var count: Int { equations.count }

    mutating func input(_ shape: [Int] = []) -> Operand {
        inputs.append(Variable(name: "x\(inputs.count + 1)", type: ArrayType(dtype: "f32", shape: shape)))
        return .input(inputs.count)
    }

    /// A bare literal as JAX 0.4 prints it (`0.5`): a weakly typed scalar that creates no edge.
    static func literal(_ value: Double) -> Operand { .literal(String(value), nil) }

    func shape(of operand: Operand) -> [Int] {
        switch operand {
        case .input(let i): return inputs[i - 1].type.shape
        case .vertex(let v): return equations[v - 1].type.shape
        case .constant, .literal: return []
        }
    }

    @discardableResult
    mutating func emit(
        _ primitive: String, _ operands: [Operand], shape: [Int], params: [(String, String)] = []
    ) -> Operand {
        equations.append(
            Equation(
                name: "v\(equations.count + 1)", type: ArrayType(dtype: "f32", shape: shape), primitive: primitive,
                params: params.map { Parameter(key: $0.0, value: $0.1) }, operands: operands))
        return .vertex(equations.count)
    }

    /// An elementwise operation; the result has the shape of the first non-scalar operand.
    @discardableResult
    mutating func apply(_ primitive: String, _ operands: Operand...) -> Operand {
        let shape = operands.map { self.shape(of: $0) }.first { !$0.isEmpty } ?? []
        return emit(primitive, operands, shape: shape)
    }

    /// The finished graph. Every generator only emits primitives and shapes the importer supports,
    /// so a failure here is a bug in the generator, not bad input.
    func graph(name: String, outputs: [Operand]) -> ComputationalGraph {
        let ids = outputs.map { operand -> Int in
            guard case .vertex(let v) = operand else {
                preconditionFailure("a generated output must be computed by an equation")
            }
            return v
        }
        precondition(Set(ids).count == ids.count, "a generated output is listed twice")
        let program = Program(inputs: inputs, constants: [], equations: equations, outputs: ids)
        do {
            return try ComputationalGraph.build(name: name, program: program, checkingGameLimits: false)
        } catch {
            preconditionFailure("generated program \(name) does not build: \(error)")
        }
    }
}
