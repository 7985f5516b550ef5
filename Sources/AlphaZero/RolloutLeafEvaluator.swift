import Elimination
import Search

/// Leaf values the exact game vouches for: another evaluator's value mixed with a rollout,
/// (1 − λ) · v_inner + λ · v_rollout, where v_rollout is minus the multiplications the cheapest
/// of the task's k cheapest greedy rules (`GreedyCompletion.rankedRules`, chosen once per graph
/// from the start state) pays to finish the leaf — an achievable return, in the search's cost
/// units as the inner value. λ is `AlphaZeroHyperparameters.rolloutWeight`, k `rolloutRules`
/// (1: the single cheapest rule); each rule's completion orders its last E =
/// `rolloutEndgame` vertices exactly (`GreedyCompletion.endgame`; 0: the rule alone). Policies are the inner evaluator's, untouched. With λ = 1 the
/// inner evaluator is asked for no value at all (requests wanting only a value never reach it).
/// A rollout is k · (O(n log n) + 2^E · E) work on the CPU, no forward.
public final class RolloutLeafEvaluator: LeafEvaluator {
    public let inner: LeafEvaluator
    public let weight: Double
    /// k: each rollout is the cheapest of the k rules cheapest from the start state.
    public let rules: Int
    /// E: vertices each rule's completion orders exactly at the end.
    public let endgame: Int
    /// Rollouts run so far (a rollout of k rules counts once).
    public private(set) var rollouts = 0
    /// The k completions of each graph seen so far (each spec held, so its identifier stays its own).
    private var completions: [ObjectIdentifier: [GreedyCompletion]] = [:]

    /// `weight` in [0, 1], `rules` in 1…`GreedyRule.all.count` (`AlphaZeroHyperparameters.validate`
    /// checks the fields; more rules than there are means all of them).
    public init(inner: LeafEvaluator, weight: Double, rules: Int = 1, endgame: Int = 0) {
        self.inner = inner
        self.weight = weight
        self.rules = max(1, rules)
        self.endgame = endgame
    }

    /// `inner` itself when `hp.rolloutWeight` is 0 (the network alone, bit-identical to a search
    /// without rollouts), else `inner` mixed with rollouts of `hp.rolloutRules` rules and
    /// `hp.rolloutEndgame` exact vertices.
    public static func wrapping(_ inner: LeafEvaluator, hp: AlphaZeroHyperparameters) -> LeafEvaluator {
        hp.rolloutWeight == 0
            ? inner
            : RolloutLeafEvaluator(
                inner: inner, weight: hp.rolloutWeight, rules: hp.rolloutRules, endgame: hp.rolloutEndgame)
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

    /// The fewest multiplications any of the graph's k cheapest greedy rules (each with the exact
    /// endgame) pays to finish `state`.
    public func rolloutCost(_ state: EliminationState) -> Int {
        let key = ObjectIdentifier(state.spec)
        let ruleCompletions: [GreedyCompletion]
        if let known = completions[key] {
            ruleCompletions = known
        } else {
            ruleCompletions = GreedyCompletion.rankedRules(state.spec).prefix(rules).map {
                GreedyCompletion(spec: state.spec, rule: $0.rule, endgame: endgame)
            }
            completions[key] = ruleCompletions
        }
        rollouts += 1
        var cheapest = Int.max
        for completion in ruleCompletions { cheapest = min(cheapest, completion.cost(from: state)) }
        return cheapest
    }
}
