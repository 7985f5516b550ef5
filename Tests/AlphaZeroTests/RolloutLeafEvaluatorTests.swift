import XCTest
import Elimination
import Randomness
import Search
@testable import AlphaZero

final class RolloutLeafEvaluatorTests: XCTestCase {
    private func state(_ spec: GameSpec, eliminated: [Int]) -> EliminationState {
        var state = EliminationState(spec: spec)
        for v in eliminated { state.eliminateUnchecked(v) }
        return state
    }

    func testGreedyCompletionCostsOfTheThreeVertexGameAreTheHandCalculatedOnes() throws {
        // Every edge is scalar, a step costs |pred| · |succ|. From the start (costs [4, 1, 2]) the
        // cheapest-cost rule takes 2 (1); then 3 has pred {1}, succ {4}: 1, vertex 1 pred {a, b},
        // succ {3}: 2 → 3 (1); then 1 → 4: 2. Total 4.
        // After 1: 2 costs 2·1, 3 (pred a, b, 2) 3·1 → 2 (2), then 3 (pred a, b) 2 → 4.
        // After 2: 3 costs 1·1, 1 costs 2·1 → 3 (1), then 1: 2 → 3.
        // After 3: 1 (succ 2, 4) 2·2, 2 (pred 1, succ 4) 1 → 2 (1), then 1: 2·1 → 3.
        let spec = try AlphaZeroFixtures.threeVertexGame()
        let rollout = RolloutLeafEvaluator(inner: FakeEvaluator.threeVertex(strict: true), weight: 1)
        XCTAssertEqual(GreedyCompletion.cheapestRule(spec).cost, 4)
        XCTAssertEqual(rollout.rolloutCost(EliminationState(spec: spec)), 4)
        XCTAssertEqual(rollout.rolloutCost(state(spec, eliminated: [1])), 4)
        XCTAssertEqual(rollout.rolloutCost(state(spec, eliminated: [2])), 3)
        XCTAssertEqual(rollout.rolloutCost(state(spec, eliminated: [3])), 3)
        XCTAssertEqual(rollout.rolloutCost(state(spec, eliminated: [3, 2])), 2)
        XCTAssertEqual(rollout.rollouts, 5)
    }

    func testFiveVertexGameRolloutFromTheStartIsTheHandCalculatedGreedyGame() throws {
        // Start costs [4, 1, 1, 2, 2]: 2 (pred 1, succ 4) 1; then 3 (pred 1, succ 4) 1; then 4 has
        // pred {1}, succ {5}: 1; then 1 (pred a, b; succ 5) 2 ties with 5 (pred 1, a; succ 6) 2,
        // the forward tie-break takes 1; then 5 (pred a, b) 2. Total 7; after 2 and 3 it is 5.
        let spec = try AlphaZeroFixtures.fiveVertexGame()
        let rollout = RolloutLeafEvaluator(inner: FakeEvaluator.uniform(value: -10), weight: 0.25)
        XCTAssertEqual(rollout.rolloutCost(EliminationState(spec: spec)), 7)
        let leaf = state(spec, eliminated: [2, 3])
        XCTAssertEqual(rollout.rolloutCost(leaf), 5)
        // (1 − 0.25) · (−10) + 0.25 · (−5) = −8.75; the policy is the inner one.
        let answer = try rollout.evaluate([LeafRequest(state: leaf, wantsPolicy: true, wantsValue: true)])
        XCTAssertEqual(answer, [LeafEvaluation(logits: [0, 0, 0], value: -8.75)])
    }

    func testHalfWeightMixesEachLeafValueWithItsRollout() throws {
        // λ = 0.5: v = (v̂ + v_rollout) / 2 — root (−7 − 4)/2 = −5.5, {1} (−2 − 4)/2 = −3,
        // {2} (−4 − 3)/2 = −3.5, {3} (−6 − 3)/2 = −4.5.
        let spec = try AlphaZeroFixtures.threeVertexGame()
        let mixed = RolloutLeafEvaluator(inner: FakeEvaluator.threeVertex(strict: true), weight: 0.5)
        let requests = [[], [1], [2], [3]].map {
            LeafRequest(state: state(spec, eliminated: $0), wantsPolicy: false, wantsValue: true)
        }
        XCTAssertEqual(try mixed.evaluate(requests).map(\.value), [-5.5, -3, -3.5, -4.5])
        XCTAssertEqual(try mixed.evaluate(requests).map(\.logits), [nil, nil, nil, nil])

        // The 3-simulation search of GumbelSearchTests with those values: q = r + v(child) =
        // [−4 − 3, −1 − 3.5, −2 − 4.5] = [−7, −4.5, −6.5]; min-max → [0, 1, 0.2]; σ = (50 + 1) · 0.1 · q̂
        // = [0, 5.1, 1.02]; π' = softmax([1, 5.1, 1.02]) = [0.016036, 0.967604, 0.016360] (the network
        // alone gave [0.330466, 0.665477, 0.004057]); the move is vertex 2.
        var hp = AlphaZeroHyperparameters.handCalculation(simulations: 3)
        hp.rolloutWeight = 0.5
        var rng = Xoshiro256StarStar(seed: 1)
        let outcome = try GumbelSearch.run(
            root: EliminationState(spec: spec),
            evaluator: RolloutLeafEvaluator.wrapping(FakeEvaluator.threeVertex(strict: true), hp: hp),
            hp: hp, rng: &rng)
        XCTAssertEqual(outcome.rootValue, -5.5)
        XCTAssertEqual(outcome.completedQ, [-7, -4.5, -6.5])
        let expected = [0.016036, 0.967604, 0.016360]
        for a in 0..<3 { XCTAssertEqual(outcome.improvedPolicy[a], expected[a], accuracy: 1e-6, "π'(\(a + 1))") }
        XCTAssertEqual(outcome.action, 2)
    }

    func testFullWeightValuesByRolloutsAloneAndNeverAsksTheNetworkForAValue() throws {
        let spec = try AlphaZeroFixtures.threeVertexGame()
        let network = FakeEvaluator.threeVertex(strict: true)
        let rollouts = RolloutLeafEvaluator(inner: network, weight: 1)
        let answers = try rollouts.evaluate([
            LeafRequest(state: state(spec, eliminated: [1]), wantsPolicy: false, wantsValue: true),
            LeafRequest(state: state(spec, eliminated: [3]), wantsPolicy: true, wantsValue: true),
            LeafRequest(state: state(spec, eliminated: [2]), wantsPolicy: true, wantsValue: false),
        ])
        XCTAssertEqual(
            answers,
            [
                LeafEvaluation(logits: nil, value: -4), LeafEvaluation(logits: [0, 0], value: -3),
                LeafEvaluation(logits: [0, 0], value: nil),
            ])
        // The value-only request never reached the network; the others asked it for policies only.
        XCTAssertEqual(network.batches.map(\.count), [2])
        XCTAssertEqual(network.valueRequests, 0)
        XCTAssertEqual(network.policyRequests, 2)
    }

    func testZeroWeightIsTheNetworkAloneBitForBit() throws {
        let spec = try AlphaZeroFixtures.fiveVertexGame()
        let network = FakeEvaluator { state in
            let n = state.remaining.count
            return LeafEvaluation(logits: (0..<n).map { 0.3 * Double($0 % 3) - 0.1 }, value: -1.7 * Double(n))
        }
        var hp = AlphaZeroHyperparameters()
        hp.simulations = 12
        hp.rolloutWeight = 0
        XCTAssertTrue(RolloutLeafEvaluator.wrapping(network, hp: hp) === network)
        // And a λ = 0 mixer returns the network's own numbers (0 · v_rollout adds nothing).
        let zero = RolloutLeafEvaluator(inner: network, weight: 0)
        func play(_ evaluator: LeafEvaluator) throws -> (orders: [[Int32]], policies: [[Float]]) {
            let games = try SelfPlay(evaluator: evaluator, hp: hp, seed: 5, id: 0).play(
                spec, task: 0, count: 3, policyVersion: 0)
            return (games.episodes.map(\.order), games.episodes.map(\.improvedPolicies))
        }
        let alone = try play(network), mixed = try play(zero)
        XCTAssertEqual(alone.orders, mixed.orders)
        XCTAssertEqual(
            alone.policies.map { $0.map(\.bitPattern) }, mixed.policies.map { $0.map(\.bitPattern) })
        XCTAssertGreaterThan(zero.rollouts, 0)
    }

    func testTheWeightIsValidatedAndStoredInTheSummary() throws {
        var hp = AlphaZeroHyperparameters()
        hp.rolloutWeight = 1.5
        XCTAssertThrowsError(try hp.validate()) { XCTAssertTrue("\($0)".contains("rollout_weight")) }
        hp.rolloutWeight = 0.5
        XCTAssertNoThrow(try hp.validate())
        XCTAssertTrue(hp.summary.contains { $0 == ("rollout_weight", "0.5") })
    }

    func testMoreRulesAndAnExactEndgameGiveTheHandCalculatedOptimaOfTheThreeVertexGame() throws {
        // Every order of the 3-vertex game by hand (step costs |pred| · |succ|): 1 2 3: 4 + 2 + 2 = 8;
        // 1 3 2: 4 + 3 + 2 = 9; 2 1 3: 1 + 2 + 2 = 5; 2 3 1: 1 + 1 + 2 = 4; 3 1 2: 2 + 4 + 2 = 8;
        // 3 2 1: 2 + 1 + 2 = 5. So the optimum is 4 from the start, 4 after 1 (2 3), 3 after 2
        // (3 1), 3 after 3 (2 1) and 2 after 3 and 2: the single rule's values (the first test)
        // are already optimal, and all six rules with a 3-vertex exact endgame find the same.
        let spec = try AlphaZeroFixtures.threeVertexGame()
        var hp = AlphaZeroHyperparameters()
        hp.rolloutWeight = 1
        hp.rolloutRules = 6
        hp.rolloutEndgame = 3
        let rollout = try XCTUnwrap(
            RolloutLeafEvaluator.wrapping(FakeEvaluator.threeVertex(strict: true), hp: hp) as? RolloutLeafEvaluator)
        XCTAssertEqual(rollout.rules, 6)
        XCTAssertEqual(rollout.endgame, 3)
        XCTAssertEqual(
            [[], [1], [2], [3], [3, 2]].map { rollout.rolloutCost(state(spec, eliminated: $0)) }, [4, 4, 3, 3, 2])
        XCTAssertEqual(rollout.rollouts, 5, "one rollout per leaf, whatever k")
    }

    func testTheDefaultRolloutIsTheSingleCheapestRuleAsBeforeAndMoreRulesTakeTheCheapest() throws {
        let spec = try AlphaZeroFixtures.fiveVertexGame()
        XCTAssertEqual(AlphaZeroHyperparameters().rolloutRules, 1)
        XCTAssertEqual(AlphaZeroHyperparameters().rolloutEndgame, 0)
        var hp = AlphaZeroHyperparameters()
        hp.rolloutWeight = 1
        let standard = try XCTUnwrap(
            RolloutLeafEvaluator.wrapping(FakeEvaluator.uniform(), hp: hp) as? RolloutLeafEvaluator)
        let six = RolloutLeafEvaluator(inner: FakeEvaluator.uniform(), weight: 1, rules: 6)
        // What a rollout was before these fields: the cheapest rule's greedy completion.
        let before = GreedyCompletion(spec: spec, rule: GreedyCompletion.cheapestRule(spec).rule)
        let rules = GreedyRule.all.map { GreedyCompletion(spec: spec, rule: $0) }
        var states = [EliminationState(spec: spec)], visited = 0
        while let s = states.popLast() {
            visited += 1
            XCTAssertEqual(standard.rolloutCost(s), before.cost(from: s))
            XCTAssertEqual(six.rolloutCost(s), rules.map { $0.cost(from: s) }.min())
            for v in spec.eliminable where !s.isEliminated(v) {
                var next = s
                next.eliminateUnchecked(v)
                if !next.isTerminal { states.append(next) }
            }
        }
        XCTAssertEqual(visited, 1 + 5 + 20 + 60 + 120, "every non-terminal state of the 5-vertex game")
    }

    func testRulesAndEndgameAreValidatedAndStoredInTheSummary() throws {
        var hp = AlphaZeroHyperparameters()
        for (rules, endgame, field) in [
            (0, 0, "rollout_rules"), (7, 0, "rollout_rules"), (1, -1, "rollout_endgame"),
            (1, 13, "rollout_endgame"),
        ] {
            hp.rolloutRules = rules
            hp.rolloutEndgame = endgame
            XCTAssertThrowsError(try hp.validate()) { XCTAssertTrue("\($0)".contains(field), "\($0)") }
        }
        hp.rolloutRules = 6
        hp.rolloutEndgame = 12
        XCTAssertNoThrow(try hp.validate())
        XCTAssertTrue(hp.summary.contains { $0 == ("rollout_rules", "6") })
        XCTAssertTrue(hp.summary.contains { $0 == ("rollout_endgame", "12") })
    }
}
