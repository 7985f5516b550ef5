import Foundation
import TestFixtures
import XCTest
@testable import Bounds
import Elimination
import Randomness

/// Random scalar graphs, the project's Datasets, and the slow truths the bounds are checked against.
enum BoundsFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func graph(_ task: String) throws -> ComputationalGraph {
        let url = root.appendingPathComponent("Datasets/\(task).graph")
        return try GraphFile.read(try String(contentsOf: url, encoding: .utf8), path: url.path)
    }

    /// A seeded random scalar program (RandomGraphs) with 2…4 inputs, 1…3 outputs and at most
    /// `maxEliminable` vertices to eliminate, all of whose edges are dense scalars (an output that a
    /// later equation reads gets a copy vertex with an identity edge, which costs 0: such graphs
    /// are drawn again). With `outputCopies`, the other way round: only graphs with at least one
    /// such copy (ScalarGraph's one typed edge) are kept.
    static func randomScalar(seed: UInt64, maxEliminable: Int, outputCopies: Bool = false) -> GameSpec {
        var rng = SplitMix64(seed: seed &* 7919 &+ 17)
        func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        while true {
            let inputs = 2 + pick(3), outputs = 1 + pick(3)
            // RandomGraphs draws extra outputs among the last third: it needs 3 equations per output.
            let equations = max(outputs + 2 + pick(maxEliminable - 1), 3 * outputs)
            let spec = GameSpec(
                graph: RandomGraphs.scalar(seed: rng.next(), inputs: inputs, equations: equations, outputs: outputs))
            guard spec.eliminable.count <= maxEliminable, let graph = try? ScalarGraph(spec: spec) else { continue }
            if graph.hasOutputCopies == outputCopies { return spec }
        }
    }

    /// `count` side-by-side copies of a scalar program, each with its own inputs: eliminations in
    /// one copy never touch another (no path joins them), so the optimum is `count` times the
    /// copy's. Large graphs (over 256 vertices) whose optimum is known from a small one.
    static func copies(of graph: ComputationalGraph, count: Int) throws -> GameSpec {
        let p = graph.program
        var inputs: [Variable] = [], equations: [Equation] = [], outputs: [Int] = []
        for c in 0..<count {
            let inputOffset = c * p.inputs.count, vertexOffset = c * p.equations.count
            inputs += p.inputs.map { Variable(name: "\($0.name)_\(c)", type: $0.type) }
            for e in p.equations {
                var copy = e
                copy.name = "\(e.name)_\(c)"
                copy.operands = e.operands.map { operand in
                    switch operand {
                    case .input(let i): return .input(i + inputOffset)
                    case .vertex(let v): return .vertex(v + vertexOffset)
                    default: return operand
                    }
                }
                equations.append(copy)
            }
            outputs += p.outputs.map { $0 + vertexOffset }
        }
        let program = Program(inputs: inputs, constants: [], equations: equations, outputs: outputs)
        return GameSpec(graph: try ComputationalGraph.build(name: "\(graph.name)x\(count)", program: program))
    }

    /// A chain x → v1 → v2 → … → vn (unary sin, vn the output): every elimination costs 1·1, so
    /// every order costs n − 1.
    static func chain(_ n: Int) throws -> GameSpec {
        let scalar = ArrayType(dtype: "f32", shape: [])
        let equations = (1...n).map { k in
            Equation(
                name: "v\(k)", type: scalar, primitive: "sin", params: [],
                operands: [k == 1 ? .input(1) : .vertex(k - 1)])
        }
        let program = Program(
            inputs: [Variable(name: "x", type: scalar)], constants: [], equations: equations, outputs: [n])
        return GameSpec(graph: try ComputationalGraph.build(name: "chain\(n)", program: program))
    }

    /// The optimal cost to eliminate the rest from every reachable set (key: the set), by dynamic
    /// programming over subsets on the game itself (EliminationState, not the bounds' own SetGraph).
    /// The scalar graphs are set-determined, so any order of a set gives the same state.
    static func optimumFromEverySet(_ spec: GameSpec) -> [VertexSet: Int] {
        var memo: [VertexSet: Int] = [:]
        func best(_ state: EliminationState, _ set: VertexSet) -> Int {
            if state.isTerminal { memo[set] = 0; return 0 }
            if let known = memo[set] { return known }
            var value = Int.max
            for v in spec.eliminable where !state.isEliminated(v) {
                var child = state
                let step = child.eliminateUnchecked(v)
                value = min(value, step + best(child, set.inserting(v)))
            }
            memo[set] = value
            return value
        }
        _ = best(EliminationState(spec: spec), VertexSet())
        return memo
    }

    /// The state after eliminating `set` in the given order.
    static func state(_ spec: GameSpec, _ order: [Int]) -> EliminationState {
        var state = EliminationState(spec: spec)
        for v in order { state.eliminateUnchecked(v) }
        return state
    }

    /// Runs the search from program order with `config` (a stepping clock, so no real time) and
    /// asserts that it proves `optimum` (the brute force's): stopped as proven, the lower bound and
    /// the best cost at the optimum, the best order replaying to it, the start bound below it.
    @discardableResult
    static func assertProvesTheOptimum(
        _ spec: GameSpec, _ optimum: Int, _ config: OptimalOrderSearch.Config, _ label: String = "",
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> OptimalOrderSearch.Outcome {
        let outcome = try OptimalOrderSearch(graph: try ScalarGraph(spec: spec), start: spec.eliminable, config: config)
            .run(clock: SteppingClock(step: 1).read)
        let name = label.isEmpty ? spec.name : "\(spec.name) \(label)"
        XCTAssertEqual(outcome.stop, .proven, name, file: file, line: line)
        XCTAssertEqual(outcome.lowerBound, optimum, name, file: file, line: line)
        XCTAssertEqual(outcome.bestCost, optimum, name, file: file, line: line)
        XCTAssertEqual(try Baselines.score(outcome.bestOrder, on: spec).cost, optimum, name, file: file, line: line)
        XCTAssertLessThanOrEqual(outcome.rootBound, optimum, name, file: file, line: line)
        return outcome
    }

    /// The start state of `spec` for PrecedenceSplit: its ScalarGraph, the SetGraph at the empty set,
    /// a GroupBound with groups of at most `maxSize` that has evaluated it, that start bound, and the
    /// blocks (the packed groups and every other vertex with a positive term).
    static func splitStart(
        _ spec: GameSpec, maxSize: Int
    ) throws -> (
        graph: ScalarGraph, sets: SetGraph, bounds: GroupBound, start: Int, blocks: [[Int]]
    ) {
        let graph = try ScalarGraph(spec: spec)
        var sets = SetGraph(graph: graph)
        sets.load(VertexSet())
        var bounds = GroupBound(graph: graph, maxSize: maxSize)
        let start = bounds.evaluate(sets)
        var blocks = bounds.packing
        let grouped = Set(blocks.joined())
        for v in spec.eliminable where !grouped.contains(v) && bounds.cuts.terms[v - 1] > 0 { blocks.append([v]) }
        return (graph, sets, bounds, start, blocks)
    }
}
