import XCTest
import Elimination
import NeuralNet
import Randomness
import Search
@testable import AlphaZero

final class GumbelSearchTests: XCTestCase {
    func testThreeVertexGameCostsAreTheHandCalculatedOnes() throws {
        let spec = try AlphaZeroFixtures.threeVertexGame()
        let root = EliminationState(spec: spec)
        XCTAssertEqual(spec.eliminable, [1, 2, 3])
        XCTAssertEqual([1, 2, 3].map(root.previewCost), [4, 1, 2])
        var after2 = root; after2.eliminateUnchecked(2)
        var after1 = root; after1.eliminateUnchecked(1)
        // After 2, vertex 1 has predecessors a, b and one successor (3): 2·1. After 1, vertex 2 has a, b → 3: 2·1.
        XCTAssertEqual(after2.previewCost(1), 2)
        XCTAssertEqual(after1.previewCost(2), 2)
    }

    func testThreeVertexGameThreeSimulations() throws {
        // n = 3, m = 3: the schedule is [0, 0, 0], so each root action is visited once, in the
        // order of g + logits + σ among the unvisited (σ is the same for all unvisited, g = 0):
        // vertex 1 (logit 1), then 2, then 3 (tie broken by the first).
        // q = r + v̂(child): q1 = −4 − 2 = −6, q2 = −1 − 4 = −5, q3 = −2 − 6 = −8.
        // Min-max over [−6, −5, −8]: [2/3, 1, 0]; σ = (50 + 1) · 0.1 · q̂ = [3.4, 5.1, 0].
        // π' = softmax([1 + 3.4, 0 + 5.1, 0 + 0]) = softmax([4.4, 5.1, 0]):
        // e^4.4 = 81.451, e^5.1 = 164.022, e^0 = 1, sum 246.473 → [0.330466, 0.665477, 0.004057].
        // Every action has the most visits (1): the move is argmax [4.4, 5.1, 0] → vertex 2.
        let spec = try AlphaZeroFixtures.threeVertexGame()
        let evaluator = FakeEvaluator.threeVertex()
        var rng = Xoshiro256StarStar(seed: 1)
        let outcome = try GumbelSearch.run(
            root: EliminationState(spec: spec), evaluator: evaluator,
            hp: .handCalculation(simulations: 3), rng: &rng)
        XCTAssertEqual(outcome.actions, [1, 2, 3])
        XCTAssertEqual(outcome.visits, [1, 1, 1])
        XCTAssertEqual(outcome.completedQ, [-6, -5, -8])
        XCTAssertEqual(outcome.improvedPolicy[0], 0.330466, accuracy: 1e-6)
        XCTAssertEqual(outcome.improvedPolicy[1], 0.665477, accuracy: 1e-6)
        XCTAssertEqual(outcome.improvedPolicy[2], 0.004057, accuracy: 1e-6)
        XCTAssertEqual(outcome.action, 2)
        XCTAssertEqual(outcome.rootValue, -7)
        XCTAssertEqual(outcome.childEvaluation, LeafEvaluation(logits: [0, 0], value: -4))
        // The root, then one leaf per simulation, in the visiting order 1, 2, 3.
        XCTAssertEqual(evaluator.batches.map { $0.map(AlphaZeroFixtures.eliminated) }, [[[]], [[1]], [[2]], [[3]]])
    }

    func testThreeVertexGameFiveSimulations() throws {
        // n = 5, m = 3: schedule [0, 0, 0, 1, 1]. The first three simulations as above
        // (scores [4.4, 5.1, 0]).
        // Simulation 3 (visit count 1, all three qualify): vertex 2. Below it, node {2} has actions
        // [1, 3], nothing visited: π' = [½, ½], the interior score π' − N/(1+ΣN) ties → vertex 1.
        // Leaf {2, 1}: step cost 2 (r = −2), v̂ = −1, so node {2} backs up −3: its value is
        // (−4 − 3)/2 = −3.5 and q2 = −1 − 3.5 = −4.5.
        // Simulation 4 (visit count 1: vertices 1 and 3): q = [−6, −4.5, −8], min-max → [2/3.5, 1, 0],
        // σ = (50 + 2) · 0.1 · q̂ = [2.971, 5.2, 0]; scores 1 + 2.971 (vertex 1) vs 0 (vertex 3) →
        // vertex 1. Node {1} picks vertex 2 the same way; leaf {1, 2}: r = −2, v̂ = −1 → −3; node {1}
        // value (−2 − 3)/2 = −2.5, q1 = −4 − 2.5 = −6.5.
        // Result: N = [2, 2, 1], q = [−6.5, −4.5, −8] → q̂ = [1.5/3.5, 1, 0], σ = 5.2 · q̂ =
        // [2.228571, 5.2, 0]; π' = softmax([3.228571, 5.2, 0]) = [0.121646, 0.873535, 0.004819].
        // The move: argmax of the scores among the most visited (vertices 1 and 2) → vertex 2.
        let spec = try AlphaZeroFixtures.threeVertexGame()
        let evaluator = FakeEvaluator.threeVertex()
        var rng = Xoshiro256StarStar(seed: 1)
        let outcome = try GumbelSearch.run(
            root: EliminationState(spec: spec), evaluator: evaluator,
            hp: .handCalculation(simulations: 5), rng: &rng)
        XCTAssertEqual(outcome.visits, [2, 2, 1])
        XCTAssertEqual(outcome.completedQ, [-6.5, -4.5, -8])
        XCTAssertEqual(outcome.improvedPolicy[0], 0.121646, accuracy: 1e-6)
        XCTAssertEqual(outcome.improvedPolicy[1], 0.873535, accuracy: 1e-6)
        XCTAssertEqual(outcome.improvedPolicy[2], 0.004819, accuracy: 1e-6)
        XCTAssertEqual(outcome.action, 2)
        XCTAssertEqual(
            evaluator.batches.map { $0.map(AlphaZeroFixtures.eliminated) },
            [[[]], [[1]], [[2]], [[3]], [[1, 2]], [[1, 2]]])
    }

    /// Root logits [0.5, 1, 0, −0.5, 0.2] over vertices 1…5, v̂(root) = −8, v̂({1}) = −3, v̂({2}) = −5.
    private func fiveVertexEvaluator() -> FakeEvaluator {
        FakeEvaluator { state in
            let gone = AlphaZeroFixtures.eliminated(state)
            let logits = gone.isEmpty ? [0.5, 1, 0, -0.5, 0.2] : [Double](repeating: 0, count: state.remaining.count)
            let value: Double = gone.isEmpty ? -8 : gone == [1] ? -3 : gone == [2] ? -5 : -1
            return LeafEvaluation(logits: logits, value: value)
        }
    }

    func testFiveVertexGameUnvisitedActionsGetTheMixedValue() throws {
        // n = 2, m = min(16, 5) = 5: schedule [0, 0]; with g = 0 the top two logits are visited:
        // vertex 2 (logit 1) then vertex 1 (0.5). Step costs at the start: 1 → 4, 2 → 1, so
        // q1 = −4 − 3 = −7 and q2 = −1 − 5 = −6.
        // π = softmax(logits); v_mix = (v̂ + ΣN · (π1·q1 + π2·q2)/(π1 + π2)) / (1 + ΣN)
        //   = (−8 + 2 · (−7·e^0.5 − 6·e^1)/(e^0.5 + e^1)) / 3 = (−8 + 2 · (−6.377534)) / 3 = −6.918360.
        // completedQ = [−7, −6, v_mix, v_mix, v_mix]; min-max → [0, 1, 0.081640, 0.081640, 0.081640];
        // σ = (50 + 1) · 0.1 · q̂ = [0, 5.1, 0.416362, …]; logits + σ = [0.5, 6.1, 0.416362, −0.083638, 0.616362]
        // → π' = [0.003649, 0.986859, 0.003356, 0.002036, 0.004100]. The move: the better visited
        // one by logits + σ → vertex 2.
        let spec = try AlphaZeroFixtures.fiveVertexGame()
        XCTAssertEqual(spec.eliminable.map(EliminationState(spec: spec).previewCost), [4, 1, 1, 2, 2])
        var rng = Xoshiro256StarStar(seed: 1)
        let outcome = try GumbelSearch.run(
            root: EliminationState(spec: spec), evaluator: fiveVertexEvaluator(),
            hp: .handCalculation(simulations: 2), rng: &rng)
        XCTAssertEqual(outcome.visits, [1, 1, 0, 0, 0])
        XCTAssertEqual(outcome.completedQ[0], -7)
        XCTAssertEqual(outcome.completedQ[1], -6)
        for a in 2..<5 { XCTAssertEqual(outcome.completedQ[a], -6.918360, accuracy: 1e-6) }
        let expected = [0.003649, 0.986859, 0.003356, 0.002036, 0.004100]
        for a in 0..<5 { XCTAssertEqual(outcome.improvedPolicy[a], expected[a], accuracy: 1e-6, "π'(\(a + 1))") }
        XCTAssertEqual(outcome.action, 2)
    }

    func testFiveVertexGameSequentialHalvingVisits() throws {
        // m = 4 of 5 actions, n = 16: schedule [0,0,0,0, 1,1,1,1, 2,2, 3,3, 4,4, 5,5]. Gumbel-top-4
        // with g = 0 is the top four logits (vertices 2, 1, 5, 3); vertex 4 (logit −0.5) is never
        // visited. Each of the four gets 2 visits, then two survivors get 4 more: N sorted is
        // [0, 2, 2, 6, 6].
        let spec = try AlphaZeroFixtures.fiveVertexGame()
        var rng = Xoshiro256StarStar(seed: 1)
        let outcome = try GumbelSearch.run(
            root: EliminationState(spec: spec), evaluator: fiveVertexEvaluator(),
            hp: .handCalculation(simulations: 16, maxConsidered: 4), rng: &rng)
        XCTAssertEqual(outcome.visits[3], 0)
        XCTAssertEqual(outcome.visits.sorted(), [0, 2, 2, 6, 6])
        XCTAssertEqual(outcome.visits[outcome.actionIndex], 6, "the move is one of the two survivors")
    }

    func testSeededSearchesAreBitIdentical() throws {
        let spec = try AlphaZeroFixtures.fiveVertexGame()
        var hp = AlphaZeroHyperparameters()
        hp.simulations = 20
        func search(seed: UInt64) throws -> (GumbelSearch.Outcome, [Double]) {
            var rng = Xoshiro256StarStar(seed: seed)
            let evaluator = FakeEvaluator { state in
                LeafEvaluation(
                    logits: state.remaining.map { Double($0 % 3) * 0.4 }, value: -Double(state.remaining.count) * 1.5)
            }
            var probe = rng
            let search = try GumbelSearch(
                root: EliminationState(spec: spec), evaluation: evaluator.answer(EliminationState(spec: spec)), hp: hp,
                rng: &probe)
            return (
                try GumbelSearch.run(root: EliminationState(spec: spec), evaluator: evaluator, hp: hp, rng: &rng),
                search.gumbel
            )
        }
        let (a, gumbelA) = try search(seed: 7), (b, gumbelB) = try search(seed: 7), (_, gumbelC) = try search(seed: 8)
        XCTAssertEqual(a.improvedPolicy.map(\.bitPattern), b.improvedPolicy.map(\.bitPattern))
        XCTAssertEqual(a.completedQ.map(\.bitPattern), b.completedQ.map(\.bitPattern))
        XCTAssertEqual(a.visits, b.visits)
        XCTAssertEqual(a.action, b.action)
        XCTAssertEqual(gumbelA.map(\.bitPattern), gumbelB.map(\.bitPattern))
        XCTAssertNotEqual(gumbelA, gumbelC, "another seed draws other Gumbel noise")
        // g = −log(−log u) with u the stream's first uniform.
        var stream = Xoshiro256StarStar(seed: 7)
        XCTAssertEqual(gumbelA[0], -log(-log(stream.nextUniform())), accuracy: 1e-15)
    }

    /// Plays a whole game with one search per move and returns its cost.
    private func playWithSearch(_ spec: GameSpec, hp: AlphaZeroHyperparameters, seed: UInt64) throws -> Int {
        var state = EliminationState(spec: spec)
        var rng = Xoshiro256StarStar(seed: seed)
        let evaluator = FakeEvaluator.uniform()
        while !state.isTerminal {
            let outcome = try GumbelSearch.run(root: state, evaluator: evaluator, hp: hp, rng: &rng)
            try state.eliminate(outcome.action)
        }
        return state.cost
    }

    func testEnoughSimulationsFindTheExactOptimumOnSmallRandomGraphs() throws {
        // Uniform priors, value 0 everywhere (an optimistic leaf estimate), no Gumbel noise: the
        // search alone must find the cheapest order, move by move.
        var hp = AlphaZeroHyperparameters()
        hp.simulations = 400
        hp.gumbelScale = 0
        var checked = 0, nonTrivial = 0
        for seed in 0..<12 as Range<UInt64> {
            let graph = RandomGraphs.scalar(seed: seed, inputs: 2, equations: 8, outputs: 2)
            let spec = GameSpec(graph: graph)
            let optimum = try ExactElimination(spec: spec).run().cost
            let worst = max(
                try Baselines.score(Baselines.forwardOrder(spec), on: spec).cost,
                try Baselines.score(Baselines.reverseOrder(spec), on: spec).cost)
            if worst > optimum { nonTrivial += 1 }
            let found = try playWithSearch(spec, hp: hp, seed: seed)
            XCTAssertEqual(found, optimum, "seed \(seed): search \(found), exact \(optimum)")
            checked += 1
        }
        print(
            "Gumbel search = exact optimum on \(checked) random graphs (\(nonTrivial) where forward or reverse is worse)"
        )
        XCTAssertGreaterThan(nonTrivial, 3)
    }

    func testRefusesBadEvaluationsAndMisuse() throws {
        let spec = try AlphaZeroFixtures.threeVertexGame()
        var rng = Xoshiro256StarStar(seed: 1)
        let root = EliminationState(spec: spec)
        XCTAssertThrowsError(
            try GumbelSearch(
                root: root, evaluation: LeafEvaluation(logits: [0, 0], value: 0), hp: .handCalculation(simulations: 3),
                rng: &rng)
        ) {
            XCTAssertTrue("\($0)".contains("2 logits for a state of three with 3 legal actions"), "\($0)")
        }
        XCTAssertThrowsError(
            try GumbelSearch(
                root: root, evaluation: LeafEvaluation(logits: [0, .nan, 0], value: 0),
                hp: .handCalculation(simulations: 3), rng: &rng))
        var done = root
        for v in [1, 2, 3] { done.eliminateUnchecked(v) }
        XCTAssertThrowsError(
            try GumbelSearch(
                root: done, evaluation: LeafEvaluation(logits: [], value: 0), hp: .handCalculation(simulations: 3),
                rng: &rng)
        ) {
            XCTAssertEqual(
                $0 as? AlphaZeroError,
                .misuse("a search needs a state with a move left; three is already fully eliminated"))
        }
        var hp = AlphaZeroHyperparameters.handCalculation(simulations: 0)
        XCTAssertThrowsError(
            try GumbelSearch(root: root, evaluation: LeafEvaluation(logits: [0, 0, 0], value: 0), hp: hp, rng: &rng)
        ) {
            XCTAssertEqual($0 as? AlphaZeroError, .invalidSetting("simulations must be at least 1"))
        }
        hp.simulations = 2
        var search = try GumbelSearch(
            root: root, evaluation: LeafEvaluation(logits: [0, 0, 0], value: 0), hp: hp, rng: &rng)
        XCTAssertThrowsError(try search.expandLeaf(with: LeafEvaluation(logits: [0, 0], value: 0)))
        XCTAssertThrowsError(try search.outcome())
        _ = try search.nextLeaf()
        XCTAssertThrowsError(try search.nextLeaf())
        XCTAssertThrowsError(try search.expandLeaf(with: LeafEvaluation(logits: [0, 0], value: .infinity)))
    }
}

/// Lazy policies and reused evaluations change how often the evaluator is called, never a number.
final class SearchEvaluationReuseTests: XCTestCase {
    private static func answer(_ state: EliminationState) -> LeafEvaluation {
        LeafEvaluation(
            logits: state.remaining.map { Double(($0 * 7 + state.steps) % 5) * 0.3 },
            value: -Double(state.remaining.count * 3 + state.steps % 2))
    }

    func testSelfPlayEqualsOneFreshFullyEvaluatedSearchPerMove() throws {
        var hp = AlphaZeroHyperparameters()
        hp.simulations = 12
        hp.maxConsideredActions = 4
        for spec in [
            try AlphaZeroFixtures.fiveVertexGame(),
            GameSpec(graph: RandomGraphs.scalar(seed: 5, inputs: 3, equations: 14, outputs: 2)),
        ] {
            // Lazy and reusing: answers only what is asked.
            let strict = FakeEvaluator(strict: true, Self.answer)
            let selfPlay = SelfPlay(evaluator: strict, hp: hp, seed: 21, id: 3)
            let played = try selfPlay.play(spec, task: 0, count: 1, policyVersion: 0).episodes[0]
            // Naive: every move a new search, every leaf evaluated in full, nothing reused; the
            // same Gumbel stream.
            let full = FakeEvaluator(Self.answer)
            var rng = Xoshiro256StarStar(seed: 21, stream: 0x6A3B_E1 &+ 3)
            var state = EliminationState(spec: spec)
            var order: [Int32] = [], policies: [Float] = []
            while !state.isTerminal {
                let outcome = try GumbelSearch.run(root: state, evaluator: full, hp: hp, rng: &rng)
                order.append(Int32(outcome.action))
                policies += outcome.improvedPolicy.map(Float.init)
                state.eliminateUnchecked(outcome.action)
            }
            XCTAssertEqual(played.order, order, spec.name)
            XCTAssertEqual(played.improvedPolicies.map(\.bitPattern), policies.map(\.bitPattern), spec.name)
            // The naive searches evaluated every state they met in full (policy and value).
            let naive = full.batches.reduce(0) { $0 + $1.count }
            print(
                "\(spec.name): lazy + reuse asked \(strict.policyRequests) policies and \(strict.valueRequests) values; naive \(naive) of each; reused \(selfPlay.reused)"
            )
            XCTAssertLessThan(strict.policyRequests, naive / 2)
            XCTAssertLessThan(strict.valueRequests, naive)
            XCTAssertGreaterThan(selfPlay.reused, 0)
        }
    }
}
