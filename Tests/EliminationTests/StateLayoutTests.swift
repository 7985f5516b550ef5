import Randomness
import XCTest
@testable import Elimination

/// The dense and the sparse layout of `EliminationState` are one game: for the same graph and the
/// same order they give the same step costs, and at every position the same edges, labels,
/// previews and summaries (issue 17). The layout is chosen once per graph, by size.
final class StateLayoutTests: XCTestCase {
    /// Graphs of every kind the project has: the ten tasks, random scalar DAGs and every
    /// structured preset at a small size (tensor labels, Kronecker and diagonal edges).
    static func graphs() throws -> [ComputationalGraph] {
        var out = try Fixtures.taskNames.map { try Fixtures.dataset($0) }
        for seed in 1...4 as ClosedRange<UInt64> {
            out.append(RandomGraphs.scalar(seed: seed, inputs: 1 + Int(seed) % 3, equations: 40, outputs: 3))
        }
        for preset in GraphPreset.allCases where preset != .scalar {
            out.append(preset.generate(equations: max(preset.minimumEquations, 130), seed: 5))
        }
        return out
    }

    /// Every edge of the state, as (source, target, label), in a fixed order.
    static func edges(_ s: EliminationState) -> [String] {
        var out: [String] = []
        for v in 1...s.spec.vertexCount {
            for p in s.predecessors(of: v) {
                out.append("\(p)→\(v): \(s.label(from: p, to: v).map { "\($0)" } ?? "nil")")
            }
        }
        return out
    }

    func testBothLayoutsGiveTheSameStepsAndStatesForRandomOrders() throws {
        var rng = SplitMix64(seed: 11)
        for graph in try Self.graphs() {
            let dense = GameSpec(graph: graph, layout: .dense), sparse = GameSpec(graph: graph, layout: .sparse)
            XCTAssertEqual(dense.layout, .dense)
            XCTAssertEqual(sparse.layout, .sparse)
            for _ in 0..<3 {
                let order = RandomOrders.order(dense, using: &rng)
                var a = EliminationState(spec: dense), b = EliminationState(spec: sparse)
                XCTAssertEqual(Self.edges(a), Self.edges(b), graph.name)
                for (i, v) in order.enumerated() {
                    if i == order.count / 2 || i == 1 {
                        // Mid-game: every query agrees.
                        XCTAssertEqual(Self.edges(a), Self.edges(b), "\(graph.name) after \(i) steps")
                        XCTAssertEqual(a.edgeCount, b.edgeCount, graph.name)
                        for w in a.remaining {
                            XCTAssertEqual(a.previewCost(w), b.previewCost(w), "\(graph.name) preview \(w)")
                            XCTAssertEqual(a.markowitzDegree(w), b.markowitzDegree(w), graph.name)
                            XCTAssertEqual(a.successors(of: w), b.successors(of: w), graph.name)
                            XCTAssertTrue(a.degrees(of: w) == b.degrees(of: w), graph.name)
                            XCTAssertEqual(Self.summary(a, w), Self.summary(b, w), graph.name)
                        }
                        XCTAssertEqual(a.legalMask, b.legalMask)
                    }
                    XCTAssertEqual(
                        a.eliminateUnchecked(v), b.eliminateUnchecked(v), "\(graph.name) step \(i + 1) (\(v))")
                }
                XCTAssertEqual(a.cost, b.cost, graph.name)
                XCTAssertTrue(b.isTerminal)
                XCTAssertEqual(Self.edges(a), Self.edges(b), "\(graph.name) at the end")
            }
        }
    }

    /// The paper's per-task figures hold in the sparse layout too (tasks.json: forward, reverse,
    /// Markowitz costs), not only in the dense one the tasks use.
    func testThePapersBaselinesInTheSparseLayout() throws {
        let tasks = try Fixtures.tasks()
        for name in Fixtures.taskNames {
            let graph = try Fixtures.dataset(name)
            let dense = BaselineSummary(spec: GameSpec(graph: graph, layout: .dense))
            let sparse = BaselineSummary(spec: GameSpec(graph: graph, layout: .sparse))
            XCTAssertEqual(dense.forwardSteps, sparse.forwardSteps, name)
            XCTAssertEqual(dense.reverseSteps, sparse.reverseSteps, name)
            XCTAssertEqual(dense.markowitzOrder, sparse.markowitzOrder, name)
            XCTAssertEqual(dense.markowitzSteps, sparse.markowitzSteps, name)
            let t = try XCTUnwrap(tasks[name], name)
            XCTAssertEqual(sparse.forward, t.int("forward"), name)
            XCTAssertEqual(sparse.reverse, t.int("reverse"), name)
            XCTAssertEqual(sparse.markowitz, t.int("min_markowitz"), name)
        }
    }

    func testCopiesAreIndependentInBothLayouts() throws {
        let graph = try Fixtures.dataset("f")
        for layout in StateLayout.allCases {
            let spec = GameSpec(graph: graph, layout: layout)
            var a = EliminationState(spec: spec)
            a.eliminateUnchecked(spec.eliminable[3])
            let before = Self.edges(a)
            var b = a.clone(), c = a
            b.eliminateUnchecked(spec.eliminable[0])
            c.eliminateUnchecked(spec.eliminable[1])
            XCTAssertEqual(Self.edges(a), before, "\(layout): the original is untouched")
            XCTAssertNotEqual(Self.edges(b), before)
            XCTAssertEqual(a.steps, 1)
        }
    }

    /// Small graphs (every task) are dense; a graph whose dense state would pass
    /// `denseLayoutBytes` is sparse, and its state's memory follows the edges.
    func testTheLayoutIsChosenBySize() throws {
        for name in Fixtures.taskNames {
            XCTAssertEqual(GameSpec(graph: try Fixtures.dataset(name)).layout, .dense, name)
        }
        let big = RandomGraphs.scalar(seed: 1, inputs: 20, equations: 3000, outputs: 10)
        XCTAssertGreaterThan(GameLimits.stateBytes(inputs: 20, vertices: big.vertexCount), GameLimits.denseLayoutBytes)
        let spec = GameSpec(graph: big)
        XCTAssertEqual(spec.layout, .sparse)
        XCTAssertTrue(spec.initialLabels.isEmpty, "no dense matrix is allocated")
        XCTAssertEqual(spec.initialSparse.entryCount, big.edges.count)
        XCTAssertLessThan(
            GameLimits.sparseStateBytes(inputs: 20, vertices: big.vertexCount, edges: big.edges.count),
            GameLimits.stateBytes(inputs: 20, vertices: big.vertexCount) / 10)
        let small = RandomGraphs.scalar(seed: 1, inputs: 20, equations: 500, outputs: 10)
        XCTAssertEqual(GameSpec(graph: small).layout, .dense)
    }

    static func summary(_ s: EliminationState, _ v: Int) -> [Int] {
        let x = s.summary(of: v)
        return [
            x.inDegree, x.outDegree, x.inputPredecessors, x.outputSuccessors, x.inWeight, x.outWeight, x.costNow,
            x.fillIn, x.inDense, x.inDiagonal, x.inCopy, x.outDense, x.outDiagonal, x.outCopy,
        ]
    }
}
