import XCTest
@testable import Elimination
@testable import Search

final class GreedyTests: XCTestCase {
    func testEveryRuleGivesAnHonestPermutation() throws {
        for task in SearchFixtures.taskNames {
            let spec = try SearchFixtures.spec(task)
            for result in try GreedyElimination.allRules(spec) { SearchFixtures.assertHonest(result, spec) }
        }
        // Lookahead does n times the work; debug builds make the big tasks slow.
        for task in ["PropaneCombustion", "Perceptron", "f"] {
            let spec = try SearchFixtures.spec(task)
            for result in try LookaheadGreedy.bothTieBreaks(spec) { SearchFixtures.assertHonest(result, spec) }
        }
    }

    /// Lookahead asks `stop` before every step: stopped after k steps it gives no order (an
    /// unfinished one is not an order), the second tie-break is not started once the first was
    /// stopped, and a graph above `maxEliminable` gets none at all (one order takes minutes).
    func testLookaheadStopsWhenAskedAndSkipsGraphsAboveItsLimit() throws {
        let spec = try SearchFixtures.spec("PropaneCombustion")
        var asked = 0
        XCTAssertNil(
            LookaheadGreedy.order(spec, tieBreak: .forward) {
                asked += 1; return asked > 5
            })
        XCTAssertEqual(asked, 6)
        asked = 0
        XCTAssertEqual(
            try LookaheadGreedy.bothTieBreaks(spec) {
                asked += 1; return asked > 5
            }.count, 0)
        XCTAssertEqual(asked, 6, "the second tie-break must not start after the first was stopped")
        // Stopped within the second order: the first is kept.
        asked = 0
        let one = try LookaheadGreedy.bothTieBreaks(spec) {
            asked += 1; return asked > spec.eliminable.count + 3
        }
        XCTAssertEqual(one.map(\.method), ["lookahead-fwd"])
        XCTAssertEqual(one[0].order, LookaheadGreedy.order(spec, tieBreak: .forward))
        // A chain of 301 eliminable vertices is above the limit: nothing, and `stop` is never asked.
        let n = LookaheadGreedy.maxEliminable + 1
        let chain = (1...n + 1).map { "v\($0):f32[] = sin \($0 == 1 ? "a" : "v\($0 - 1)")" }.joined(separator: "; ")
        let long = GameSpec(
            graph: try ComputationalGraph.fromJaxpr(
                "{ lambda ; a:f32[]. let \(chain) in (v\(n + 1),) }", name: "long"))
        XCTAssertEqual(long.eliminable.count, n)
        XCTAssertEqual(
            try LookaheadGreedy.bothTieBreaks(long) {
                XCTFail("asked"); return true
            }.count, 0)
    }

    func testMarkowitzForwardIsThePapersBaseline() throws {
        for task in SearchFixtures.taskNames {
            let spec = try SearchFixtures.spec(task)
            XCTAssertEqual(
                GreedyElimination.order(spec, rule: GreedyRule(.markowitz, .forward)), Baselines.markowitzOrder(spec),
                task)
        }
    }

    func testTieBreakDecidesBetweenEqualScores() throws {
        // In a scalar chain in → v1 → v2 → v3 → out every vertex costs 1 at first: forward
        // tie-breaking starts at the front, reverse at the back.
        let spec = GameSpec(
            graph: try ComputationalGraph.fromJaxpr(
                """
                { lambda ; a:f32[]. let b:f32[] = sin a; c:f32[] = sin b; d:f32[] = sin c; e:f32[] = sin d in (e,) }
                """, name: "chain"))
        XCTAssertEqual(GreedyElimination.order(spec, rule: GreedyRule(.stepCost, .forward)), [1, 2, 3])
        XCTAssertEqual(GreedyElimination.order(spec, rule: GreedyRule(.stepCost, .reverse)), [3, 2, 1])
    }

    func testRelativeMarkowitzSubtractsTheUnavoidableBlock() throws {
        // c = a·b feeds d = sin c and e = cos c (both outputs): c has 2 predecessors, 2 successors,
        // 2 inputs behind it and 2 outputs ahead, so its relative degree is 2·2 − 2·2 = 0.
        let spec = GameSpec(
            graph: try ComputationalGraph.fromJaxpr(
                """
                { lambda ; a:f32[] b:f32[]. let c:f32[] = mul a b; d:f32[] = sin c; e:f32[] = cos c in (d, e) }
                """, name: "fan"))
        let scorer = GreedyScorer(spec: spec)
        let state = EliminationState(spec: spec)
        XCTAssertEqual(scorer.score(.markowitz, 1, in: state), 4)
        XCTAssertEqual(scorer.score(.relativeMarkowitz, 1, in: state), 0)
        XCTAssertEqual(scorer.score(.stepCost, 1, in: state), 4)
    }

    func testRandomizedGreedyIsHonestReproducibleAndChecksItsBudget() throws {
        let spec = try SearchFixtures.spec("PropaneCombustion")
        let config = RandomizedGreedy.Config(restarts: 30, seed: 9)
        let a = try RandomizedGreedy(spec: spec, config: config).run()
        let b = try RandomizedGreedy(spec: spec, config: config).run()
        SearchFixtures.assertHonest(a, spec)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.evaluations, 30)
        XCTAssertThrowsError(try RandomizedGreedy(spec: spec, config: .init(restarts: 0, seed: 1))) {
            guard case .invalidParameter = $0 as? SearchError else { return XCTFail("\($0)") }
        }
    }
}
