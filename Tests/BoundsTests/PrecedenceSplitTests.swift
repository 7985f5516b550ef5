import TestFixtures
import XCTest
@testable import Bounds
import Elimination
import Randomness

/// PrecedenceSplit: a group's D(G) with known predecessors never exceeds what an order respecting
/// them pays; the split bound never exceeds the brute-force optimum; the search with it still
/// returns the optimum.
final class PrecedenceSplitTests: XCTestCase {
    /// The start packing (groups of `size`, no merging) and every other vertex with a positive
    /// term, as PrecedenceSplit's blocks.
    private func blocks(_ bounds: inout GroupBound, _ sets: SetGraph, _ n: Int) -> [[Int]] {
        _ = bounds.evaluate(sets)
        var blocks = bounds.packing
        let grouped = Set(blocks.joined())
        for v in 1...n where !grouped.contains(v) && bounds.cuts.terms[v - 1] > 0 { blocks.append([v]) }
        return blocks
    }

    /// A random scalar graph (seed, ≤ 12 eliminable) at the empty set, its group bound with groups
    /// of `groupSize`, and that packing's blocks (`blocks`).
    private func randomStart(
        seed: UInt64, groupSize: Int
    ) throws -> (
        spec: GameSpec, bounds: GroupBound, sets: SetGraph, packed: [[Int]]
    ) {
        let spec = BoundsFixtures.randomScalar(seed: seed, maxEliminable: 12)
        let graph = try ScalarGraph(spec: spec)
        var sets = SetGraph(graph: graph)
        sets.load(VertexSet())
        var bounds = GroupBound(graph: graph, maxSize: groupSize)
        let packed = blocks(&bounds, sets, graph.vertexCount)
        return (spec, bounds, sets, packed)
    }

    /// 150 random scalar graphs (seeds from `base`, ≤ 12 eliminable), each with its start packing of
    /// groups of ≤ 4 (`blocks`) and 4 random orders σ: `body` gets every block of every σ, with
    /// what σ pays for each vertex and its positions in σ.
    private func forEveryBlockOfRandomOrders(
        base: UInt64, rng: inout SplitMix64,
        _ body: (
            _ spec: GameSpec, _ bounds: inout GroupBound, _ set: VertexSet, _ block: [Int], _ order: [Int],
            _ paid: [Int: Int], _ position: [Int: Int], _ rng: inout SplitMix64
        ) throws -> Void
    ) throws {
        for seed in 0..<150 as Range<UInt64> {
            let (spec, initial, sets, packed) = try randomStart(seed: base + seed, groupSize: 4)
            var bounds = initial
            for _ in 0..<4 {
                let order = spec.eliminable.shuffled(using: &rng)
                var state = EliminationState(spec: spec)
                var paid: [Int: Int] = [:]
                for v in order { paid[v] = state.eliminateUnchecked(v) }
                let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
                for block in packed { try body(spec, &bounds, sets.set, block, order, paid, position, &rng) }
            }
        }
    }

    func testASplitRaisesBothSidesOfAnEdge() throws {
        // x, y → v1 → v2 → outputs v3, v4. Alone, v1 costs ≥ 2·1 and v2 ≥ 1·2 (bound 4); if v1 goes
        // first, v2 shares it (2 paths in: 2·2), else v1 shares v2 (2 paths out: 2·2). Both orders
        // cost 6, and so does the split.
        let text = """
            ccelim-graph 1
            name edge
            inputs 2
            in1 x f32[]
            in2 y f32[]
            constants 0
            vertices 4
            v1 a f32[] add in1 in2
            v2 b f32[] sin v1
            v3 c f32[] cos v2
            v4 d f32[] sin v2
            outputs v3 v4
            edges 5
            in1 v1 1 1 1 1 1
            in2 v1 1 1 1 1 1
            v1 v2 1 1 1 1 1
            v2 v3 1 1 1 1 1
            v2 v4 1 1 1 1 1
            end

            """
        let spec = GameSpec(graph: try GraphFile.read(text, path: "edge.graph"))
        XCTAssertEqual(BoundsFixtures.optimumFromEverySet(spec)[VertexSet()], 6)
        let graph = try ScalarGraph(spec: spec)
        var sets = SetGraph(graph: graph)
        sets.load(VertexSet())
        var bounds = GroupBound(graph: graph, maxSize: 1)
        XCTAssertEqual(bounds.evaluate(sets), 4)
        var split = PrecedenceSplit(nodeLimit: 10)
        XCTAssertEqual(split.run(&bounds, sets, blocks: [[1], [2]], upper: Int.max), 6)
        XCTAssertEqual(split.splits, 1)
    }

    func testAGroupWithKnownPredecessorsCostsAtMostWhatARespectingOrderPays() throws {
        // For random orders σ and random subsets of what σ puts before each member (outside the
        // group), D(G | before) ≤ what σ pays for G, and ≥ D(G) (more is shared, never less).
        var rng = SplitMix64(seed: 16)
        var checked = 0, raised = 0
        try forEveryBlockOfRandomOrders(base: 7000, rng: &rng) { spec, bounds, set, block, order, paid, position, rng in
            let before = block.map { x in
                VertexSet(
                    order.filter { u in !block.contains(u) && position[u]! < position[x]! && rng.next() % 3 != 0 })
            }
            let plain = try XCTUnwrap(bounds.exactCost(block, set))
            let coupled = try XCTUnwrap(bounds.exactCost(block, set, before: before))
            let cost = block.reduce(0) { $0 + paid[$1]! }
            XCTAssertLessThanOrEqual(coupled, cost, "\(spec.name) block \(block) order \(order)")
            XCTAssertGreaterThanOrEqual(coupled, plain, "\(spec.name) block \(block)")
            if coupled > plain { raised += 1 }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 1000)
        // The coupling is not void: known predecessors raise D(G) on some blocks.
        XCTAssertGreaterThan(raised, 50)
        print("PrecedenceSplit: D(G | before) > D(G) on \(raised) of \(checked) blocks")
    }

    func testAGroupsCostSeesKnownPrecedencesOnlyThroughItsRelevantVertices() throws {
        // PrecedenceSplit's memo keys D(G | before, after) on the sets cut to GroupBound.relevant:
        // the same value with and without the vertices outside it, for the precedences of a random
        // order restricted to a random subset (one transitive relation, as exactCost requires).
        var rng = SplitMix64(seed: 1611)
        var checked = 0, cut = 0
        try forEveryBlockOfRandomOrders(base: 16100, rng: &rng) { spec, bounds, set, block, order, _, position, rng in
            let known = order.filter { block.contains($0) || rng.next() % 2 == 0 }
            let before = block.map { x in VertexSet(known.filter { $0 != x && position[$0]! < position[x]! }) }
            let after = block.map { x in VertexSet(known.filter { $0 != x && position[$0]! > position[x]! }) }
            let relevant = bounds.relevant(to: block)
            let full = try XCTUnwrap(bounds.exactCost(block, set, before: before, after: after))
            let kept = try XCTUnwrap(
                bounds.exactCost(
                    block, set, before: before.map { $0.intersection(relevant) },
                    after: after.map { $0.intersection(relevant) }))
            XCTAssertEqual(full, kept, "\(spec.name) block \(block) order \(order)")
            if zip(before, after).contains(where: {
                $0.subtracting(relevant).count + $1.subtracting(relevant).count > 0
            }) {
                cut += 1
            }
            checked += 1
        }
        // Not void: on some blocks the cut sets are smaller.
        XCTAssertGreaterThan(cut, 50)
        print(
            "GroupBound.relevant: the same D(G | before, after) on \(checked) blocks, \(cut) of them with vertices cut")
    }

    func testTheSplitBoundNeverExceedsTheOptimum() throws {
        // Weak blocks (single vertices: on these graphs the pairs' packing already holds every edge
        // a split raises on both sides) leave room to split; no upper limit, so every node allowed
        // is used.
        var raised = 0, graphs = 0
        for seed in 0..<120 as Range<UInt64> {
            let (spec, initial, sets, packed) = try randomStart(seed: 9000 + seed, groupSize: 1)
            var bounds = initial
            let optimum = BoundsFixtures.optimumFromEverySet(spec)[VertexSet()]!
            let start = bounds.evaluate(sets)
            var split = PrecedenceSplit(nodeLimit: 60)
            split.candidates = 8
            let value = split.run(&bounds, sets, blocks: packed, upper: Int.max)
            XCTAssertLessThanOrEqual(value, optimum, "\(spec.name): split \(value) > optimum \(optimum)")
            XCTAssertGreaterThanOrEqual(value, start, spec.name)
            if value > start { raised += 1 }
            graphs += 1
        }
        XCTAssertGreaterThan(raised, 5)
        print("PrecedenceSplit: above the cut bound on \(raised) of \(graphs) random graphs")
    }

    func testTheSearchWithTheSplitReturnsTheOptimum() throws {
        for seed in 0..<60 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 11000 + seed, maxEliminable: 12)
            let optimum = BoundsFixtures.optimumFromEverySet(spec)[VertexSet()]!
            // One thread, and three sharing the split's leaves (SplitBoard).
            for threads in [1, 3] {
                var config = OptimalOrderSearch.Config()
                config.startGroupSize = 3
                config.startMergeSize = 0
                config.precedenceSplitNodes = 30
                config.splitThreads = threads
                try BoundsFixtures.assertProvesTheOptimum(spec, optimum, config, "\(threads) threads")
            }
        }
    }

    // MARK: known successors as path ends, pairs around the slack (bounds9)

    func testAGroupWithKnownPredecessorsAndSuccessorsCostsAtMostWhatARespectingOrderPays() throws {
        // For random orders σ and random subsets of what σ puts before and after each member (the
        // group's own members included), D(G | before, after) ≤ what σ pays for G, and ≥ D(G | before).
        var rng = SplitMix64(seed: 99)
        var checked = 0, raised = 0
        try forEveryBlockOfRandomOrders(base: 13000, rng: &rng) {
            spec, bounds, set, block, order, paid, position, rng in
            let before = block.map { x in
                VertexSet(order.filter { position[$0]! < position[x]! && rng.next() % 3 != 0 })
            }
            let after = block.map { x in
                VertexSet(order.filter { position[$0]! > position[x]! && rng.next() % 3 != 0 })
            }
            let predecessorsOnly = try XCTUnwrap(bounds.exactCost(block, set, before: before))
            let both = try XCTUnwrap(bounds.exactCost(block, set, before: before, after: after))
            let cost = block.reduce(0) { $0 + paid[$1]! }
            XCTAssertLessThanOrEqual(both, cost, "\(spec.name) block \(block) order \(order)")
            XCTAssertGreaterThanOrEqual(both, predecessorsOnly, "\(spec.name) block \(block)")
            if both > predecessorsOnly { raised += 1 }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 1000)
        // Not void: known successors raise D(G) on some blocks.
        XCTAssertGreaterThan(raised, 50)
        print("PrecedenceSplit: D(G | before, after) > D(G | before) on \(raised) of \(checked) blocks")
    }

    func testTheSplitWithPathEndsAndAFocusNeverExceedsTheOptimum() throws {
        // Path ends on their own (edges between blocks) and with pairs drawn around a focus (the
        // first block, radius 2: non-adjacent pairs too); no upper limit, so every node is used.
        var raised = 0, aboveEdgesOnly = 0, graphs = 0
        for seed in 0..<80 as Range<UInt64> {
            let (spec, initial, sets, packed) = try randomStart(seed: 9000 + seed, groupSize: 1)
            var bounds = initial
            let optimum = BoundsFixtures.optimumFromEverySet(spec)[VertexSet()]!
            let start = bounds.evaluate(sets)
            guard !packed.isEmpty else { continue }
            var plain = PrecedenceSplit(nodeLimit: 60)
            plain.candidates = 8
            let plainValue = plain.run(&bounds, sets, blocks: packed, upper: Int.max)
            for focus in [nil, packed[0]] {
                var split = PrecedenceSplit(nodeLimit: 60)
                split.candidates = 8
                split.pathEnds = true
                split.focus = focus
                split.radius = 2
                let value = split.run(&bounds, sets, blocks: packed, upper: Int.max)
                XCTAssertLessThanOrEqual(value, optimum, "\(spec.name) focus \(focus ?? []): \(value) > \(optimum)")
                XCTAssertGreaterThanOrEqual(value, start, spec.name)
                if value > start { raised += 1 }
                if value > plainValue { aboveEdgesOnly += 1 }
            }
            graphs += 1
        }
        XCTAssertGreaterThan(raised, 8)
        XCTAssertGreaterThan(aboveEdgesOnly, 0)
        print(
            "PrecedenceSplit with path ends: above the cut bound \(raised), above the split without them \(aboveEdgesOnly), of \(2 * graphs) runs"
        )
    }

    /// The memo holds exact values, so its ceiling changes only what is computed again: with one
    /// entry per generation (every block value but the last two recomputed) the split makes the same
    /// splits to the same bound as with the default ceiling, on 60 random graphs with path ends.
    func testTheMemosCeilingChangesNothingButTheWork() throws {
        var compared = 0, split = 0
        for seed in 0..<60 as Range<UInt64> {
            let (spec, initial, sets, packed) = try randomStart(seed: 9500 + seed, groupSize: 1)
            var bounds = initial
            guard !packed.isEmpty else { continue }
            func run(memoLimit: Int) -> (value: Int, splits: Int, evaluated: Int) {
                var s = PrecedenceSplit(nodeLimit: 60)
                s.candidates = 8
                s.pathEnds = true
                s.memoLimit = memoLimit
                let value = s.run(&bounds, sets, blocks: packed, upper: Int.max)
                return (value, s.splits, s.evaluated)
            }
            let roomy = run(memoLimit: PrecedenceSplit(nodeLimit: 1).memoLimit), tight = run(memoLimit: 1)
            XCTAssertEqual(tight.value, roomy.value, spec.name)
            XCTAssertEqual(tight.splits, roomy.splits, spec.name)
            XCTAssertEqual(tight.evaluated, roomy.evaluated, spec.name)
            compared += 1
            if roomy.splits > 0 { split += 1 }
        }
        XCTAssertGreaterThan(split, 20, "graphs where the split did split")
        print("PrecedenceSplit memo ceiling 1: the same splits and bounds on \(compared) graphs (\(split) split)")
    }

    func testTheSearchWithTheFocusedAndGuidedSplitReturnsTheOptimum() throws {
        var thinned = 0
        for seed in 0..<60 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 11000 + seed, maxEliminable: 12)
            let optimum = BoundsFixtures.optimumFromEverySet(spec)[VertexSet()]!
            // A poor start order (program order) leaves slack blocks to focus on.
            for guided in [false, true] {
                var config = OptimalOrderSearch.Config()
                config.startGroupSize = 3
                config.startMergeSize = 0
                config.precedenceSplitNodes = 30
                config.splitPathEnds = true
                config.splitFocusRadius = 1
                config.splitGuided = guided
                // The search's start cost: program order's, or less with the forced vertices first.
                let startCost = try OptimalOrderSearch(
                    graph: try ScalarGraph(spec: spec), start: spec.eliminable, config: config
                ).startCost
                XCTAssertLessThanOrEqual(startCost, try Baselines.score(spec.eliminable, on: spec).cost)
                let outcome = try BoundsFixtures.assertProvesTheOptimum(spec, optimum, config, "guided \(guided)")
                // The thinned region's leaf: the start order respects it (≤ its cost) and the
                // thinning kept it at that cost.
                if let kept = outcome.splitProbes.first(where: { $0.kept != nil }) {
                    XCTAssertEqual(kept.bound, startCost, spec.name)
                    thinned += 1
                }
            }
        }
        XCTAssertGreaterThan(thinned, 10)
    }

    func testALeafWithAWholeOrderIsThatOrdersCostAndAPartOfItNeverMore() throws {
        // With every vertex ordered as σ orders them and path ends, every term is exact: the leaf
        // bound is σ's cost (every eliminable vertex in a block: a vertex that reaches no output has
        // term 0 but may pay). With σ's order on a random part of the vertices, it is at most σ's
        // cost (σ respects it) and at least the blocks' plain bound.
        var rng = SplitMix64(seed: 5)
        var checked = 0
        for seed in 0..<100 as Range<UInt64> {
            let (spec, initial, sets, initialPacking) = try randomStart(seed: 15000 + seed, groupSize: 3)
            var bounds = initial, packed = initialPacking
            let start = bounds.evaluate(sets)
            packed += spec.eliminable.filter { v in !packed.contains { $0.contains(v) } }.map { [$0] }
            var split = PrecedenceSplit(nodeLimit: 1)
            split.pathEnds = true
            for _ in 0..<3 {
                let order = spec.eliminable.shuffled(using: &rng)
                let cost = try Baselines.score(order, on: spec).cost
                func chain(_ part: [Int]) -> [(u: Int, v: Int)] { zip(part, part.dropFirst()).map { ($0, $1) } }
                let whole = try XCTUnwrap(split.leaf(&bounds, sets, blocks: packed, precedences: chain(order)))
                XCTAssertEqual(whole, cost, "\(spec.name) order \(order)")
                let part = order.filter { _ in rng.next() % 2 == 0 }
                let partial = try XCTUnwrap(split.leaf(&bounds, sets, blocks: packed, precedences: chain(part)))
                XCTAssertLessThanOrEqual(partial, cost, "\(spec.name) part \(part) of \(order)")
                XCTAssertGreaterThanOrEqual(partial, start, "\(spec.name) part \(part)")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 300)
    }
}
