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
