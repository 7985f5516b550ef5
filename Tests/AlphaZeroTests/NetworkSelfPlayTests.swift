import XCTest
import Elimination
import NeuralNet
import PPO
import Randomness
import TestFixtures
@testable import AlphaZero

/// The network evaluator, the lockstep self-play driver and the update step, on the tiny network.
final class NetworkSelfPlayTests: XCTestCase {
    private func network(maxBatch: Int, spec: GameSpec, seed: UInt64 = 3) throws -> PolicyNetwork {
        try PolicyNetwork(config: TestFixtures.tinyNetwork, maxBatch: maxBatch, maxTokens: spec.vertexCount, seed: seed)
    }

    func testBatchedLeavesOfDifferentSizesEqualOneAtATime() throws {
        let spec = GameSpec(graph: try TestFixtures.chain())
        // States at different depths, so the batch pads the shorter ones.
        var states: [EliminationState] = []
        var state = EliminationState(spec: spec)
        for v in spec.eliminable {
            states.append(state)
            state.eliminateUnchecked(v)
        }
        // maxBatch 3 < 6 states: the evaluator also splits into several forwards.
        let evaluator = NetworkLeafEvaluator(network: try network(maxBatch: 3, spec: spec))
        let together = try evaluator.evaluate(states)
        XCTAssertEqual(evaluator.forwards, 2 * ((states.count + 2) / 3), "a policy and a value forward per chunk of 3")
        XCTAssertGreaterThan(states.count, 3)
        var maxDiff = 0.0
        for (i, s) in states.enumerated() {
            let alone = try evaluator.evaluate([s])[0]
            let logits = try XCTUnwrap(alone.logits), batchedLogits = try XCTUnwrap(together[i].logits)
            let value = try XCTUnwrap(alone.value), batchedValue = try XCTUnwrap(together[i].value)
            XCTAssertEqual(logits.count, s.remaining.count)
            XCTAssertEqual(batchedLogits.count, logits.count)
            for (a, b) in zip(batchedLogits, logits) { maxDiff = max(maxDiff, abs(a - b)) }
            maxDiff = max(maxDiff, abs(batchedValue - value))
            XCTAssertLessThanOrEqual(value, 0)
        }
        print("batched vs single leaf evaluation maxdiff", maxDiff)
        XCTAssertLessThan(maxDiff, 1e-4)
    }

    func testAnswersOnlyWhatIsAsked() throws {
        let spec = GameSpec(graph: try TestFixtures.chain())
        let evaluator = NetworkLeafEvaluator(network: try network(maxBatch: 4, spec: spec))
        var later = EliminationState(spec: spec)
        later.eliminateUnchecked(spec.eliminable[0])
        let both = try evaluator.evaluate([EliminationState(spec: spec), later])
        let answers = try evaluator.evaluate([
            LeafRequest(state: EliminationState(spec: spec), wantsPolicy: true, wantsValue: false),
            LeafRequest(state: later, wantsPolicy: false, wantsValue: true),
        ])
        XCTAssertEqual(
            evaluator.forwards, 4, "two forwards for both, one policy and one value forward for the split requests")
        XCTAssertNil(answers[0].value)
        XCTAssertNil(answers[1].logits)
        XCTAssertEqual(try XCTUnwrap(answers[0].logits).count, spec.eliminable.count)
        XCTAssertEqual(try XCTUnwrap(answers[1].value), try XCTUnwrap(both[1].value), accuracy: 1e-4)
        for (a, b) in zip(try XCTUnwrap(answers[0].logits), try XCTUnwrap(both[0].logits)) {
            XCTAssertEqual(a, b, accuracy: 1e-4)
        }
    }

    func testLockstepSelfPlayBatchesLeavesAndIsSeeded() throws {
        let spec = GameSpec(graph: try TestFixtures.chain())
        var hp = AlphaZeroHyperparameters()
        hp.simulations = 8
        let G = 4
        func play(seed: UInt64) throws -> (SelfPlay, [SearchEpisode], [Int], Int) {
            let evaluator = NetworkLeafEvaluator(network: try network(maxBatch: G, spec: spec))
            let selfPlay = SelfPlay(evaluator: evaluator, hp: hp, seed: seed, id: 0)
            let (episodes, costs) = try selfPlay.play(spec, task: 0, count: G, policyVersion: 1)
            return (selfPlay, episodes, costs, evaluator.forwards)
        }
        let (selfPlay, episodes, costs, forwards) = try play(seed: 11)
        let L = spec.eliminable.count
        XCTAssertEqual(episodes.count, G)
        for (episode, cost) in zip(episodes, costs) {
            XCTAssertEqual(try Baselines.score(episode.order.map(Int.init), on: spec).cost, cost)
            XCTAssertEqual(episode.improvedPolicies.count, SearchEpisode.policyCount(eliminable: L))
        }
        // At most a policy and a value forward per wave: never one forward per leaf.
        XCTAssertLessThanOrEqual(forwards, 2 * selfPlay.waves)
        XCTAssertGreaterThan(
            Double(selfPlay.evaluations) / Double(selfPlay.waves), Double(G) - 1,
            "waves carry a request of (nearly) every game")
        XCTAssertGreaterThan(selfPlay.reused, 0, "the next move's search starts from what the last one evaluated")
        // The replay buffer accepts what self-play produced.
        var buffer = ReplayBuffer(capacity: 8, specs: [spec])
        for episode in episodes { try buffer.add(episode) }
        XCTAssertEqual(buffer.moveCount, G * L)
        // Seeded: the same seed plays the same games bit for bit.
        let (_, again, againCosts, _) = try play(seed: 11)
        XCTAssertEqual(again, episodes)
        XCTAssertEqual(againCosts, costs)
        let (_, other, _, _) = try play(seed: 12)
        XCTAssertNotEqual(other.map(\.improvedPolicies), episodes.map(\.improvedPolicies))
    }

    /// An actor told that training is over abandons its batch within a move: `abandon` is asked
    /// before every move, and true stops the games with `abandoned` (nothing kept); never true,
    /// the games are the same as without it.
    func testAbandonStopsTheGamesBeforeTheNextMove() throws {
        let spec = GameSpec(graph: try TestFixtures.chain())
        var hp = AlphaZeroHyperparameters()
        hp.simulations = 4
        func selfPlay() throws -> SelfPlay {
            SelfPlay(
                evaluator: NetworkLeafEvaluator(network: try network(maxBatch: 2, spec: spec)), hp: hp, seed: 5, id: 0)
        }
        let L = spec.eliminable.count
        XCTAssertGreaterThan(L, 2)
        var asked = 0
        let stopped = try selfPlay()
        XCTAssertThrowsError(
            try stopped.play(spec, task: 0, count: 2, policyVersion: 0) {
                asked += 1
                return asked == 3
            }
        ) { XCTAssertEqual($0 as? AlphaZeroError, .abandoned) }
        XCTAssertEqual(asked, 3, "asked before moves 1, 2 and 3; stopped before the third")
        let whole = try selfPlay()
        let full = try whole.play(spec, task: 0, count: 2, policyVersion: 0)
        XCTAssertGreaterThan(whole.waves, stopped.waves, "the abandoned batch searched less")
        asked = 0
        let played = try selfPlay().play(spec, task: 0, count: 2, policyVersion: 0) {
            asked += 1
            return false
        }
        XCTAssertEqual(asked, L, "once per move")
        XCTAssertEqual(played.episodes, full.episodes)
    }

    /// The gradient of a minibatch is the sum of its shards' parts (each over the same N), and
    /// padding rows to a longer T changes nothing.
    func testShardsAddUpToTheWholeGradient() throws {
        let spec = GameSpec(graph: try TestFixtures.chain())
        var buffer = ReplayBuffer(capacity: 4, specs: [spec])
        var rng = Xoshiro256StarStar(seed: 2)
        for _ in 0..<2 {
            let order = RandomOrders.order(spec, using: &rng)
            try buffer.add(ReplayBufferTests.episode(order, on: spec))
        }
        let batch = try buffer.batch(buffer.sample(count: 6, rng: &rng))
        let whole = try network(maxBatch: 6, spec: spec)
        let learner = AlphaZeroLearner(network: whole, hp: AlphaZeroHyperparameters(), seed: 1)
        let sums = try learner.lossAndGradients(batch)
        let wholeGradient = Array(UnsafeBufferPointer(start: whole.store.gradients, count: whole.store.count))

        // The same weights, buffers of 2 rows: three forwards, each adding (Σ its rows)/6.
        let sharded = try network(maxBatch: 2, spec: spec)
        let shardLearner = AlphaZeroLearner(network: sharded, hp: AlphaZeroHyperparameters(), seed: 1)
        sharded.store.zeroGradients()
        var shardSums = AlphaZeroLearner.LossSums()
        for range in [0..<2, 2..<4, 4..<6] {
            let s = try shardLearner.addGradients(batch.rows(range), N: 6)
            shardSums.policyLoss += s.policyLoss
            shardSums.valueLoss += s.valueLoss
        }
        let shardGradient = Array(UnsafeBufferPointer(start: sharded.store.gradients, count: sharded.store.count))
        var maxDiff: Float = 0, scale: Float = 0
        for (a, b) in zip(wholeGradient, shardGradient) {
            maxDiff = max(maxDiff, abs(a - b))
            scale = max(scale, abs(a))
        }
        print("whole vs sharded gradient maxdiff", maxDiff, "of max", scale)
        XCTAssertGreaterThan(scale, 0)
        XCTAssertLessThan(maxDiff, 1e-5 * max(scale, 1))
        XCTAssertEqual(sums.policyLoss, shardSums.policyLoss, accuracy: 1e-4)
        XCTAssertEqual(sums.valueLoss, shardSums.valueLoss, accuracy: 1e-3)
    }

    func testUpdateStepsFitTheTargets() throws {
        // Self-play on the chain, then repeated Adam steps: the loss on the buffer falls.
        let spec = GameSpec(graph: try TestFixtures.chain())
        var hp = AlphaZeroHyperparameters()
        hp.simulations = 8
        hp.minibatchSize = 16
        let net = try network(maxBatch: 16, spec: spec)
        let selfPlay = SelfPlay(evaluator: NetworkLeafEvaluator(network: net), hp: hp, seed: 4, id: 0)
        var buffer = ReplayBuffer(capacity: 8, specs: [spec])
        for episode in try selfPlay.play(spec, task: 0, count: 4, policyVersion: 0).episodes { try buffer.add(episode) }
        let learner = AlphaZeroLearner(network: net, hp: hp, seed: 9)
        var probe = Xoshiro256StarStar(seed: 99)
        let fixed = try buffer.batch(buffer.sample(count: 16, rng: &probe))
        let before = try learner.lossAndGradients(fixed)
        for _ in 0..<40 { _ = try learner.step(replay: buffer) }
        let after = try learner.lossAndGradients(fixed)
        let total = { (s: AlphaZeroLearner.LossSums) in (s.policyLoss + hp.valueCoef * s.valueLoss) / s.rows }
        print(
            "AlphaZero loss on a fixed minibatch: \(total(before)) → \(total(after)) (value \(before.valueLoss / 16) → \(after.valueLoss / 16))"
        )
        XCTAssertLessThan(total(after), total(before) * 0.8)
        XCTAssertEqual(net.store.step, 40)
    }

    /// On a graph past `TokenFeatures.candidateViewAbove`, the costs each search node keeps from its
    /// parent give the same search as costs rebuilt from every request's state: the same move, visits,
    /// improved policy and completed Q. The kept path really hands its costs to the evaluator.
    func testKeptCandidateCostsSearchAsRebuiltOnes() throws {
        let spec = GameSpec(graph: GraphPreset.scalar.generate(equations: 510, seed: 8, inputs: 12, outputs: 6))
        XCTAssertTrue(TokenFeatures.usesCandidates(spec), "\(spec.vertexCount) vertices")
        let network = try PolicyNetwork(
            config: TestFixtures.tinyNetwork, maxBatch: 1, maxTokens: TokenFeatures.maxTokens(spec), seed: 4)
        var hp = AlphaZeroHyperparameters()
        hp.simulations = 16
        hp.maxConsideredActions = 2  // few root actions: simulations go deep and ask for policies
        let root = EliminationState(spec: spec)
        func search(rebuildsCosts: Bool) throws -> (GumbelSearch.Outcome, CandidateViewEvaluator) {
            let evaluator = CandidateViewEvaluator(network: network)
            var rng = Xoshiro256StarStar(seed: 11)
            var searches = [
                try GumbelSearch(root: root, evaluation: try evaluator.evaluate([root])[0], hp: hp, rng: &rng)
            ]
            searches[0].rebuildsCosts = rebuildsCosts
            _ = try GumbelSearch.runLockstep(&searches, evaluator: evaluator)
            return (try searches[0].outcome(), evaluator)
        }
        let (kept, keptEvaluator) = try search(rebuildsCosts: false)
        let (rebuilt, rebuiltEvaluator) = try search(rebuildsCosts: true)
        XCTAssertEqual(kept.action, rebuilt.action)
        XCTAssertEqual(kept.visits, rebuilt.visits)
        XCTAssertEqual(kept.improvedPolicy, rebuilt.improvedPolicy)
        XCTAssertEqual(kept.completedQ, rebuilt.completedQ)
        XCTAssertEqual(kept.rootValue, rebuilt.rootValue)
        // The evaluations of the nodes below the move: their features were written with kept costs.
        XCTAssertEqual(kept.childEvaluation, rebuilt.childEvaluation)
        XCTAssertFalse(kept.knownBelowChoice.isEmpty)
        XCTAssertEqual(kept.knownBelowChoice, rebuilt.knownBelowChoice)
        XCTAssertGreaterThan(keptEvaluator.withCosts, 0)
        XCTAssertEqual(keptEvaluator.withCosts, keptEvaluator.requests - 1, "every request but the root's has costs")
        XCTAssertEqual(rebuiltEvaluator.withCosts, 0)
        XCTAssertEqual(keptEvaluator.requests, rebuiltEvaluator.requests)
        print(
            "510-equation scalar program, tiny network, \(hp.simulations) simulations: move \(kept.action),",
            "\(keptEvaluator.requests) requests")
    }
}

/// Test only: network leaf evaluations of states on the candidate view, which `NetworkLeafEvaluator`
/// does not serve (its logits are the candidate tokens', the search wants one per legal action):
/// the candidates get the policy's logits, every other legal action the lowest of them minus 1;
/// the value is minus the value head's output (unscaled, so that no untrained output caps at 0).
/// Counts the requests and those that carry the search's kept costs.
private final class CandidateViewEvaluator: LeafEvaluator {
    let network: PolicyNetwork
    private(set) var requests = 0, withCosts = 0
    private var batch = TokenBatch()

    init(network: PolicyNetwork) { self.network = network }

    func evaluate(_ requests: [LeafRequest]) throws -> [LeafEvaluation] {
        try requests.map { request in
            self.requests += 1
            if request.costs != nil { withCosts += 1 }
            let T = batch.write([request.state], costs: [request.costs])
            try batch.forwardPolicy(network)
            var byVertex: [Int: Double] = [:]
            for t in 0..<T where batch.legal[t] { byVertex[Int(batch.vertices[t])] = Double(network.logits[t]) }
            let floor = (byVertex.values.min() ?? 0) - 1
            try batch.forwardValue(network)
            return LeafEvaluation(
                logits: request.state.remaining.map { byVertex[$0] ?? floor },
                value: -abs(Double(network.values[0])))
        }
    }
}
