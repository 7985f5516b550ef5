import Elimination
import Randomness

/// Small random straight-line programs for the exact search: scalar ones (the classical setting)
/// and typed ones mixing scalars, vectors and a matrix, so that sparse edge types appear.
enum RandomPrograms {
    static func graph(seed: UInt64, equations count: Int, tensors: Bool) -> ComputationalGraph {
        var rng = SplitMix64(seed: seed)
        func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        func type(_ shape: [Int]) -> ArrayType { ArrayType(dtype: "f32", shape: shape) }

        var inputs = [Variable(name: "a", type: type([])), Variable(name: "b", type: type([]))]
        if tensors {
            inputs += [Variable(name: "x", type: type([3])), Variable(name: "A", type: type([2, 3]))]
        } else {
            inputs.append(Variable(name: "c", type: type([])))
        }
        var pool: [(operand: Operand, shape: [Int])] = inputs.enumerated().map {
            (.input($0.offset + 1), $0.element.type.shape)
        }
        var equations: [Equation] = []

        /// Mostly recent values, so the graph has depth rather than being a fan of input ops.
        func operand() -> (operand: Operand, shape: [Int]) {
            pick(10) < 7 ? pool[pool.count - 1 - pick(min(pool.count, 4))] : pool[pick(pool.count)]
        }
        func add(_ primitive: String, _ operands: [Operand], _ shape: [Int], _ params: [Parameter] = []) {
            equations.append(
                Equation(
                    name: "v\(equations.count + 1)", type: type(shape), primitive: primitive, params: params,
                    operands: operands))
            pool.append((.vertex(equations.count), shape))
        }

        for _ in 0..<count {
            let x = operand()
            switch (tensors ? pick(6) : pick(2), x.shape.count) {
            case (0, _):
                add(["sin", "exp", "tanh", "log"][pick(4)], [x.operand], x.shape)
            case (2, 1) where x.shape == [3] && pool.contains { $0.shape == [2, 3] }:
                let a = pool.last { $0.shape == [2, 3] }!
                add(
                    "dot_general", [a.operand, x.operand], [2],
                    [Parameter(key: "dimension_numbers", value: "(([1], [0]), ([], []))")])
            case (3, 1):
                add("reduce_sum", [x.operand], [], [Parameter(key: "axes", value: "(0,)")])
            case (3, 2):
                let axis = pick(2)
                add("reduce_sum", [x.operand], axis == 0 ? [3] : [2], [Parameter(key: "axes", value: "(\(axis),)")])
            case (4, 0):
                add(
                    "broadcast_in_dim", [x.operand], [3],
                    [Parameter(key: "shape", value: "(3,)"), Parameter(key: "broadcast_dimensions", value: "()")])
            default:
                // Binary: the other operand has the same shape or is a scalar (which broadcasts).
                let partners = pool.filter { $0.shape == x.shape || $0.shape.isEmpty }
                let y = partners[pick(partners.count)]
                let shape = x.shape.isEmpty ? y.shape : x.shape
                add(
                    ["mul", "add", "sub", "div"][pick(4)],
                    pick(2) == 0 ? [x.operand, y.operand] : [y.operand, x.operand], shape)
            }
        }
        // Outputs: the last value and, half the time, one more.
        var outputs = [equations.count]
        if equations.count > 2 && pick(2) == 0 { outputs.insert(1 + pick(equations.count - 1), at: 0) }
        let program = Program(inputs: inputs, constants: [], equations: equations, outputs: outputs)
        return try! ComputationalGraph.build(name: "random-\(tensors ? "typed" : "scalar")-\(seed)", program: program)
    }
}
