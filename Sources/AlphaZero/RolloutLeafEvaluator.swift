import Elimination
import Search

/// Leaf values the exact game vouches for: another evaluator's value mixed with a rollout,
/// (1 − λ) · v_inner + λ · v_rollout, where v_rollout is minus the multiplications the task's
/// cheapest greedy rule (`GreedyCompletion.cheapestRule`, chosen once per graph from the start
/// state) pays to finish the leaf — an achievable return, in the search's cost units as the
/// inner value. λ is `AlphaZeroHyperparameters.rolloutWeight`. Policies are the inner
/// evaluator's, untouched. With λ = 1 the inner evaluator is asked for no value at all (requests
/// wanting only a value never reach it). A rollout is O(n log n) work on the CPU, no forward.
public final class RolloutLeafEvaluator: LeafEvaluator {
    public let inner: LeafEvaluator
    public let weight: Double
    /// Rollouts run so far.
    public private(set) var rollouts = 0
    /// The completion of each graph seen so far (each spec held, so its identifier stays its own).
    private var completions: [ObjectIdentifier: GreedyCompletion] = [:]

    /// `weight` in [0, 1] (`AlphaZeroHyperparameters.validate` checks the field).
    public init(inner: LeafEvaluator, weight: Double) {
        self.inner = inner
        self.weight = weight
    }

    /// `inner` itself when `hp.rolloutWeight` is 0 (the network alone, bit-identical to a search
    /// without rollouts), else `inner` mixed with rollouts.
    public static func wrapping(_ inner: LeafEvaluator, hp: AlphaZeroHyperparameters) -> LeafEvaluator {
        hp.rolloutWeight == 0 ? inner : RolloutLeafEvaluator(inner: inner, weight: hp.rolloutWeight)
    }

    public func evaluate(_ requests: [LeafRequest]) throws -> [LeafEvaluation] {
        let rolloutOnly = weight == 1
        var forwarded: [LeafRequest] = [], rows: [Int] = []
        for (i, request) in requests.enumerated() {
            let wantsValue = request.wantsValue && !rolloutOnly
            if request.wantsPolicy || wantsValue {
                forwarded.append(
                    LeafRequest(
                        state: request.state, wantsPolicy: request.wantsPolicy, wantsValue: wantsValue,
                        costs: request.costs))
                rows.append(i)
            }
        }
        var out = [LeafEvaluation](repeating: LeafEvaluation(logits: nil, value: nil), count: requests.count)
        if !forwarded.isEmpty {
            let answers = try inner.evaluate(forwarded)
            guard answers.count == forwarded.count else {
                throw AlphaZeroError.badEvaluation("\(answers.count) evaluations for \(forwarded.count) requests")
            }
            for (k, i) in rows.enumerated() {
                out[i] = answers[k]
                // Values are the mixed ones only: none for a request that asked for none.
                if rolloutOnly || !requests[i].wantsValue { out[i].value = nil }
            }
        }
        for (i, request) in requests.enumerated() where request.wantsValue {
            let rollout = -Double(rolloutCost(request.state))
            if rolloutOnly {
                out[i].value = rollout
            } else {
                guard let network = out[i].value else {
                    throw AlphaZeroError.badEvaluation(
                        "no value for a state of \(request.state.spec.name) at step \(request.state.steps)")
                }
                out[i].value = (1 - weight) * network + weight * rollout
            }
        }
        return out
    }

    /// The multiplications the graph's cheapest greedy rule pays to finish `state`.
    public func rolloutCost(_ state: EliminationState) -> Int {
        let key = ObjectIdentifier(state.spec)
        let completion: GreedyCompletion
        if let known = completions[key] {
            completion = known
        } else {
            completion = GreedyCompletion(spec: state.spec, rule: GreedyCompletion.cheapestRule(state.spec).rule)
            completions[key] = completion
        }
        rollouts += 1
        return completion.cost(from: state)
    }
}
