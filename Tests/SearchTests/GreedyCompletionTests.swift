import XCTest
import Elimination
@testable import Search

/// `GreedyCompletion` from any state: the rules ranked by their start cost, and the exact endgame
/// (the last E vertices ordered by `ExactElimination`), checked against the exact optimum.
final class GreedyCompletionTests: XCTestCase {
    private func graphs() -> [GameSpec] {
        (200..<216 as Range<UInt64>).map {
            GameSpec(graph: RandomPrograms.graph(seed: $0, equations: 9, tensors: $0 % 2 == 0))
        }
    }

    func testRankedRulesAreEveryRuleByItsStartCostAndTheCheapestIsTheFirst() throws {
        for spec in graphs() + [try SearchFixtures.spec("RoeFlux_1d")] {
            let ranked = GreedyCompletion.rankedRules(spec)
            XCTAssertEqual(Set(ranked.map(\.rule.name)), Set(GreedyRule.all.map(\.name)), spec.name)
            for (rule, cost) in ranked {
                XCTAssertEqual(
                    try Baselines.score(GreedyElimination.order(spec, rule: rule), on: spec).cost, cost, rule.name)
            }
            for (a, b) in zip(ranked, ranked.dropFirst()) {
                // Cheapest first; equals keep GreedyRule.all's order.
                XCTAssertTrue(
                    a.cost < b.cost
                        || (a.cost == b.cost
                            && GreedyRule.all.firstIndex(of: a.rule)! < GreedyRule.all.firstIndex(of: b.rule)!),
                    "\(spec.name): \(a.rule.name) \(a.cost) before \(b.rule.name) \(b.cost)")
            }
            XCTAssertEqual(GreedyCompletion.cheapestRule(spec).rule, ranked[0].rule)
        }
        // RoeFlux_1d's rules, as `ccelim search --method greedy` prints them.
        let roe = GreedyCompletion.rankedRules(try SearchFixtures.spec("RoeFlux_1d"))
        XCTAssertEqual(roe.map(\.cost), [344, 344, 350, 387, 407, 407])
        XCTAssertEqual(roe[0].rule.name, "markowitz-rev")
    }

    func testAnEndgameAsLargeAsTheGameIsTheExactOptimumAndAnyEndgameIsNeverDearerThanTheRule() throws {
        var improved = 0
        for spec in graphs().prefix(8) {
            let exact = try ExactElimination(spec: spec).run()
            for rule in [GreedyRule(.markowitz, .forward), GreedyRule(.stepCost, .reverse)] {
                let plain = GreedyCompletion(spec: spec, rule: rule)
                let start = EliminationState(spec: spec)
                if spec.eliminable.count <= GreedyCompletion.maxEndgame {
                    let whole = GreedyCompletion(spec: spec, rule: rule, endgame: spec.eliminable.count)
                    XCTAssertEqual(whole.cost(from: start), exact.cost, "\(spec.name) \(rule.name)")
                }
                // Along the exact order: the completion of every state is an order that costs what
                // it says, between the optimum's rest and the rule's.
                let four = GreedyCompletion(spec: spec, rule: rule, endgame: 4)
                var state = start
                for v in exact.order {
                    var end = state
                    let rest = four.complete(&end)
                    let cost = four.cost(from: state), ruleCost = plain.cost(from: state)
                    XCTAssertTrue(end.isTerminal)
                    XCTAssertEqual(end.cost - state.cost, cost)
                    XCTAssertEqual(Set(rest), Set(spec.eliminable.filter { !state.isEliminated($0) }))
                    XCTAssertLessThanOrEqual(cost, ruleCost)
                    XCTAssertGreaterThanOrEqual(cost, exact.cost - state.cost)
                    if cost < ruleCost { improved += 1 }
                    state.eliminateUnchecked(v)
                }
            }
        }
        XCTAssertGreaterThan(improved, 0, "the endgame beats the rule somewhere")
    }

    func testEndgamesOfZeroAndOneAreTheRuleAlone() throws {
        for spec in graphs().prefix(4) {
            for rule in GreedyRule.all {
                let plain = GreedyCompletion(spec: spec, rule: rule)
                for e in [0, 1] {
                    var a = EliminationState(spec: spec), b = a
                    XCTAssertEqual(
                        GreedyCompletion(spec: spec, rule: rule, endgame: e).complete(&a), plain.complete(&b))
                }
            }
        }
    }

    /// The cheapest order of what `state` has left, by trying every order (a few vertices only).
    private func bruteForceRest(_ state: EliminationState) -> Int {
        if state.isTerminal { return 0 }
        var best = Int.max
        for v in state.remaining {
            var child = state
            let step = child.eliminateUnchecked(v)
            best = min(best, step + bruteForceRest(child))
        }
        return best
    }

    func testTheEndgameIsTheCheapestOrderOfWhatTheRuleLeavesOnScalarAndTypedGraphs() throws {
        // Scalar (set-determined: the memo is indexed by the set) and typed graphs (keyed by the
        // edges that can change), states along the cheapest rule's order, endgames of 2 to 5.
        var specs = graphs()
        specs += [try SearchFixtures.spec("RoeFlux_1d"), try SearchFixtures.spec("f")]
        var checked = 0, typed = 0, improved = 0
        for spec in specs {
            let rule = GreedyCompletion.cheapestRule(spec).rule
            let plain = GreedyCompletion(spec: spec, rule: rule)
            var along = EliminationState(spec: spec)
            let order = plain.complete(&along)
            if !SetDeterminedGraphs.holds(for: spec) { typed += 1 }
            for stepIndex in stride(from: 0, to: order.count, by: max(1, order.count / 5)) {
                var state = EliminationState(spec: spec)
                for v in order[..<stepIndex] { state.eliminateUnchecked(v) }
                for e in 2...5 {
                    let completion = GreedyCompletion(spec: spec, rule: rule, endgame: e)
                    var end = state
                    let rest = completion.complete(&end)
                    // The rule's head, then what it leaves ordered by brute force.
                    let head = rest.dropLast(min(e, rest.count))
                    var mid = state
                    for v in head { mid.eliminateUnchecked(v) }
                    let expected = mid.cost - state.cost + bruteForceRest(mid)
                    XCTAssertEqual(completion.cost(from: state), expected, "\(spec.name) step \(stepIndex) E \(e)")
                    XCTAssertEqual(end.cost - state.cost, expected, "\(spec.name) step \(stepIndex) E \(e)")
                    if expected < plain.cost(from: state) { improved += 1 }
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 300)
        XCTAssertGreaterThan(typed, 3, "typed graphs among them")
        XCTAssertGreaterThan(improved, 0, "the endgame beats the rule somewhere")
    }
}
