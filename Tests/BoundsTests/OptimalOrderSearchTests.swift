import TestFixtures
import XCTest
@testable import Bounds
import Elimination
import Search

/// The A* search finds the brute-force optimum, with and without the reduction rules, from a bad
/// start order; the rules alone never lose the optimum; the anytime bound stays below it.
final class OptimalOrderSearchTests: XCTestCase {
    private func search(
        _ spec: GameSpec, reductions: Bool = true, pairs: Bool = true, startGroupSize: Int = 4, startMergeSize: Int = 0,
        stateGroupSize: Int = 2, stateMergeSize: Int = 0
    ) throws
        -> OptimalOrderSearch.Outcome
    {
        var config = OptimalOrderSearch.Config()
        config.reductions = reductions
        config.pairs = pairs
        config.startGroupSize = startGroupSize
        config.startMergeSize = startMergeSize
        config.stateGroupSize = stateGroupSize
        config.stateMergeSize = stateMergeSize
        let clock = SteppingClock(step: 1)
        return try OptimalOrderSearch(graph: try ScalarGraph(spec: spec), start: spec.eliminable, config: config)
            .run(clock: clock.read)
    }

    func testFindsTheBruteForceOptimumOnRandomScalarGraphs() throws {
        var improved = 0
        for seed in 0..<300 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 1000 + seed, maxEliminable: 12)
            let optimum = BoundsFixtures.optimumFromEverySet(spec)[VertexSet()]!
            // The last: groups of 3 merged up to 6 at every state (the per-state group bound).
            for (reductions, pairs, groups, merged, stateGroups, stateMerged) in [
                (true, true, 4, 8, 2, 0), (false, true, 6, 0, 2, 0), (true, false, 0, 0, 2, 0),
                (true, true, 0, 0, 3, 6),
            ] {
                let outcome = try search(
                    spec, reductions: reductions, pairs: pairs, startGroupSize: groups, startMergeSize: merged,
                    stateGroupSize: stateGroups, stateMergeSize: stateMerged)
                XCTAssertEqual(outcome.stop, .proven)
                XCTAssertEqual(outcome.lowerBound, optimum, "\(spec.name) reductions \(reductions)")
                XCTAssertEqual(outcome.bestCost, optimum, "\(spec.name) reductions \(reductions)")
                XCTAssertEqual(try Baselines.score(outcome.bestOrder, on: spec).cost, optimum, spec.name)
                XCTAssertLessThanOrEqual(outcome.rootBound, optimum)
            }
            if try Baselines.score(spec.eliminable, on: spec).cost > optimum { improved += 1 }
        }
        // The forward start order is often not optimal, so the search really had to find better.
        XCTAssertGreaterThan(improved, 50)
    }

    /// The defaults (bounds11: the start groups, then the precedence split with path ends, focus 3,
    /// leaf guides and 3 candidates, then the A*) prove the brute-force optimum, and on some graphs
    /// the split is what closes it: the start bound is below the optimum and the split's bound is it.
    func testTheDefaultsProveTheOptimumAndTheSplitClosesSome() throws {
        let defaults = OptimalOrderSearch.Config()
        XCTAssertGreaterThan(defaults.precedenceSplitNodes, 0)
        XCTAssertTrue(defaults.splitPathEnds && defaults.splitLeafGuides)
        XCTAssertEqual(defaults.splitFocusRadius, 3)
        var closedBySplit = 0
        for seed in 0..<120 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 31000 + seed, maxEliminable: 12)
            let optimum = BoundsFixtures.optimumFromEverySet(spec)[VertexSet()]!
            let outcome = try BoundsFixtures.assertProvesTheOptimum(spec, optimum, defaults, "defaults")
            if let split = outcome.precedenceSplit, split.before < optimum, outcome.rootBound == optimum,
                outcome.expanded == 0
            {
                closedBySplit += 1
            }
        }
        XCTAssertGreaterThan(closedBySplit, 0)
        print("defaults: the precedence split closed \(closedBySplit) of 120 graphs with no state expanded")
    }

    /// The rules restrict the moves at every state; the best order using allowed moves only must
    /// still cost the optimum (dynamic programming over subsets, on the game).
    func testTheReductionRulesNeverLoseTheOptimum() throws {
        var restrictedStates = 0
        for seed in 0..<300 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 5000 + seed, maxEliminable: 12)
            let graph = try ScalarGraph(spec: spec)
            var sets = SetGraph(graph: graph)
            var memo: [VertexSet: Int] = [:]
            func best(_ state: EliminationState, _ set: VertexSet) -> Int {
                if state.isTerminal { return 0 }
                if let known = memo[set] { return known }
                sets.load(set)
                let moves: [Int]
                if let free = ReductionRules.freeVertex(sets, among: spec.eliminable) {
                    moves = [free]
                } else {
                    sets.loadSuccessorSets()
                    moves = ReductionRules.allowedMoves(sets, among: spec.eliminable)
                }
                if moves.count < spec.eliminable.count - set.count { restrictedStates += 1 }
                var value = Int.max
                for v in moves {
                    var child = state
                    let step = child.eliminateUnchecked(v)
                    value = min(value, step + best(child, set.inserting(v)))
                }
                memo[set] = value
                return value
            }
            let restricted = best(EliminationState(spec: spec), VertexSet())
            XCTAssertEqual(restricted, BoundsFixtures.optimumFromEverySet(spec)[VertexSet()], spec.name)
        }
        XCTAssertGreaterThan(restrictedStates, 1000, "the rules must actually cut moves to be tested")
    }

    func testTwinsAreDetectedAndOnlyTheFirstMayGo() throws {
        // v1 = a*b and v2 = a+b are false twins (same operands, both read by v3 only).
        let text = """
            { lambda ; a:f32[] b:f32[]. let c:f32[] = mul a b; d:f32[] = add a b; e:f32[] = mul c d; f:f32[] = sin e in (f) }
            """
        let spec = GameSpec(graph: try ComputationalGraph.fromJaxpr(text, name: "twins"))
        var sets = SetGraph(graph: try ScalarGraph(spec: spec))
        sets.load(VertexSet())
        sets.loadSuccessorSets()
        XCTAssertTrue(sets.areTwins(1, 2))
        XCTAssertEqual(ReductionRules.allowedMoves(sets, among: spec.eliminable), [1, 3])
    }

    func testRunsOutOfTimeWithAValidBoundAndTheStartOrder() throws {
        let spec = GameSpec(graph: try BoundsFixtures.graph("RoeFlux_1d"))
        let start = Baselines.reverseOrder(spec)
        var config = OptimalOrderSearch.Config()
        config.seconds = 3
        config.startGroupSize = 0  // the pair bound only: the larger start groups are slow in a debug build
        let clock = SteppingClock(step: 1)
        let outcome = try OptimalOrderSearch(graph: try ScalarGraph(spec: spec), start: start, config: config)
            .run(clock: clock.read)
        XCTAssertEqual(outcome.stop, .timeLimit)
        XCTAssertGreaterThanOrEqual(outcome.lowerBound, outcome.rootBound)
        XCTAssertLessThan(outcome.lowerBound, outcome.bestCost)
        // Reverse mode costs 364 (COST_MODEL.md §5 table); with the 11 vertices the reduction rules
        // force moved to the front it costs 342, which becomes the start order.
        XCTAssertEqual(try Baselines.score(start, on: spec).cost, 364)
        XCTAssertEqual(outcome.forcedStart.order.count, 11)
        XCTAssertEqual(outcome.bestCost, 342)
        XCTAssertGreaterThan(outcome.expanded, 0)
    }

    func testAStateLimitStopsTheSearchWithAValidBound() throws {
        let spec = GameSpec(graph: try BoundsFixtures.graph("PropaneCombustion"))
        var config = OptimalOrderSearch.Config()
        config.stateLimit = 500
        // The A*'s own limit: without the precedence split (on by default since bounds11), whose leaf
        // guides find an 88 order from the forward start and prove it before any state is expanded.
        config.precedenceSplitNodes = 0
        let outcome = try OptimalOrderSearch(
            graph: try ScalarGraph(spec: spec), start: Baselines.forwardOrder(spec), config: config
        ).run(clock: SteppingClock(step: 0).read)
        XCTAssertEqual(outcome.stop, .stateLimit)
        XCTAssertLessThanOrEqual(outcome.states, 500)
        XCTAssertLessThanOrEqual(outcome.lowerBound, 88)  // the best order known costs 88
    }

    func testProgressNamesEachPhaseInTurnAndNeverClaimsMoreThanIsProven() throws {
        var seen: Set<OptimalOrderSearch.Progress.Phase> = []
        for seed in 0..<40 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 11000 + seed, maxEliminable: 12)
            let optimum = BoundsFixtures.optimumFromEverySet(spec)[VertexSet()]!
            var config = OptimalOrderSearch.Config()
            config.startGroupSize = 3
            config.startMergeSize = 10
            config.stateGroupSize = 3  // the A* reports at every pop
            // A split that stops after 3 nodes leaves work to the A*; one of 30 often closes.
            config.precedenceSplitNodes = seed % 2 == 0 ? 3 : 30
            var reports: [OptimalOrderSearch.Progress] = []
            // Program order (a poor start) leaves the start groups and the split something to do.
            let outcome = try OptimalOrderSearch(
                graph: try ScalarGraph(spec: spec), start: spec.eliminable, config: config
            )
            .run(clock: SteppingClock(step: 1).read, progress: { reports.append($0) }, progressInterval: 0)
            let phases: [OptimalOrderSearch.Progress.Phase] = [.startGroups, .split, .search]
            let ranks = reports.map { phases.firstIndex(of: $0.phase)! }
            XCTAssertEqual(ranks, ranks.sorted(), "\(spec.name): phases out of turn")
            XCTAssertEqual(reports.map(\.seconds), reports.map(\.seconds).sorted(), spec.name)
            for p in reports {
                XCTAssertLessThanOrEqual(p.lowerBound, optimum, "\(spec.name) \(p.phase)")
                XCTAssertLessThanOrEqual(p.lowerBound, outcome.lowerBound, "\(spec.name) \(p.phase)")
                XCTAssertGreaterThanOrEqual(p.bestCost, optimum, "\(spec.name) \(p.phase)")
                if p.phase == .search { XCTAssertGreaterThan(p.states, 0, spec.name) }
                if p.phase == .split { XCTAssertGreaterThan(p.openLeaves, 0, spec.name) }
                seen.insert(p.phase)
            }
        }
        XCTAssertEqual(seen, [.startGroups, .split, .search], "every phase should report on some of these graphs")
    }

    func testRefusesABadStartOrderAndABadBudget() throws {
        let spec = GameSpec(graph: try BoundsFixtures.graph("PropaneCombustion"))
        let graph = try ScalarGraph(spec: spec)
        XCTAssertThrowsError(try OptimalOrderSearch(graph: graph, start: [1, 1], config: .init()))
        var config = OptimalOrderSearch.Config()
        config.seconds = 0
        XCTAssertThrowsError(try OptimalOrderSearch(graph: graph, start: spec.eliminable, config: config)) {
            XCTAssertTrue("\($0)".contains("positive"), "\($0)")
        }
    }
}
