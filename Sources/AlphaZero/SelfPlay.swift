import Elimination
import NeuralNet
import Randomness

/// Plays games with a Gumbel search at every move: G games of one graph in lockstep, so every
/// simulation wave hands up to G leaves to the evaluator at once (one batched forward instead of
/// one per simulation). Each next move's search starts from what the last one evaluated below the
/// move it chose (the root's value, and the policies and values below it), so those states are
/// not evaluated twice; the search itself is fresh, as in the paper. Seeded: the Gumbel noise of every search comes from the driver's stream,
/// drawn in game order, so a seed gives the same games on the same machine.
public final class SelfPlay {
    public let evaluator: LeafEvaluator
    public var hp: AlphaZeroHyperparameters
    public var rng: Xoshiro256StarStar
    let id: UInt32
    /// Evaluator calls so far, the requests (states) in them, and evaluations the searches took
    /// from the previous move's search instead.
    public private(set) var waves = 0
    public private(set) var evaluations = 0
    public private(set) var reused = 0

    public init(evaluator: LeafEvaluator, hp: AlphaZeroHyperparameters, seed: UInt64, id: UInt32) {
        self.evaluator = evaluator
        self.hp = hp
        self.id = id
        rng = Xoshiro256StarStar(seed: seed, stream: 0x6A3B_E1 &+ UInt64(id))
    }

    /// Plays `count` full games of `spec` (task index `task`). Returns the episodes with their
    /// search targets and the costs the game computed. `abandon` is asked before every move: true
    /// throws `AlphaZeroError.abandoned` (an actor told that training is over stops within one
    /// move's search instead of finishing games nobody will train on).
    public func play(
        _ spec: GameSpec, task: Int, count: Int, policyVersion: UInt64, abandon: () -> Bool = { false }
    ) throws -> (episodes: [SearchEpisode], costs: [Int]) {
        guard count >= 1 else { throw AlphaZeroError.misuse("self-play needs at least one game, not \(count)") }
        try hp.validate()
        var states = [EliminationState](repeating: EliminationState(spec: spec), count: count)
        var orders = [[Int32]](repeating: [], count: count)
        var policies = [[Float]](repeating: [], count: count)
        for g in 0..<count { policies[g].reserveCapacity(SearchEpisode.policyCount(eliminable: spec.eliminable.count)) }
        guard !spec.eliminable.isEmpty else {
            return (
                (0..<count).map { _ in
                    SearchEpisode(task: task, order: [], improvedPolicies: [], policyVersion: policyVersion, actor: id)
                },
                [Int](repeating: 0, count: count)
            )
        }
        // Every game starts from the same state: one evaluation serves them all.
        let first = try evaluator.evaluate([states[0]])
        guard first.count == 1 else { throw AlphaZeroError.badEvaluation("\(first.count) evaluations for 1 state") }
        waves += 1
        evaluations += 1
        var rootEvaluations = [LeafEvaluation?](repeating: first[0], count: count)
        var known = [GumbelSearch.KnownEvaluations](repeating: [:], count: count)
        while !states[0].isTerminal {
            if abandon() { throw AlphaZeroError.abandoned }
            // What the last searches left out about the new roots (usually the policy of a child
            // no simulation chose below): one batch for them all.
            let missing = (0..<count).filter { rootEvaluations[$0]?.logits == nil || rootEvaluations[$0]?.value == nil }
            if !missing.isEmpty {
                let requests = missing.map {
                    LeafRequest(
                        state: states[$0], wantsPolicy: rootEvaluations[$0]?.logits == nil,
                        wantsValue: rootEvaluations[$0]?.value == nil)
                }
                let answers = try evaluator.evaluate(requests)
                guard answers.count == missing.count else {
                    throw AlphaZeroError.badEvaluation("\(answers.count) evaluations for \(missing.count) states")
                }
                waves += 1
                evaluations += missing.count
                for (i, g) in missing.enumerated() {
                    rootEvaluations[g] = LeafEvaluation(
                        logits: rootEvaluations[g]?.logits ?? answers[i].logits,
                        value: rootEvaluations[g]?.value ?? answers[i].value)
                }
            }
            var searches: [GumbelSearch] = []
            searches.reserveCapacity(count)
            for g in 0..<count {
                searches.append(
                    try GumbelSearch(
                        root: states[g], evaluation: rootEvaluations[g]!, known: known[g], hp: hp, rng: &rng))
            }
            let counts = try GumbelSearch.runLockstep(&searches, evaluator: evaluator)
            waves += counts.waves
            evaluations += counts.requests
            for g in 0..<count {
                let outcome = try searches[g].outcome()
                reused += searches[g].reused
                orders[g].append(Int32(outcome.action))
                policies[g] += outcome.improvedPolicy.map(Float.init)
                states[g].eliminateUnchecked(outcome.action)
                rootEvaluations[g] = outcome.childEvaluation
                known[g] = outcome.knownBelowChoice
            }
        }
        let episodes = (0..<count).map {
            SearchEpisode(
                task: task, order: orders[$0], improvedPolicies: policies[$0], policyVersion: policyVersion, actor: id)
        }
        return (episodes, states.map(\.cost))
    }
}
