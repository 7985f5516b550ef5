import Elimination

/// A greedy rule run from a game's intermediate state to its end (`GreedyElimination`'s loop,
/// `LocalGreedy.completion`): the exact cost of finishing a state the way the rule would. What an
/// AlphaZero search's rollout from a leaf pays (`RolloutLeafEvaluator`). Holds what the rule's
/// scorer precomputes for the graph, so many completions of one graph share it.
public struct GreedyCompletion: Sendable {
    public let spec: GameSpec
    public let rule: GreedyRule
    private let scorer: GreedyScorer
    private let scan: [Int]

    public init(spec: GameSpec, rule: GreedyRule) {
        self.spec = spec
        self.rule = rule
        scorer = GreedyScorer(spec: spec)
        scan = rule.tieBreak.scanOrder(spec)
    }

    /// The rule whose order from the start state is the cheapest (the first in `GreedyRule.all`
    /// order among equals), with that order's cost.
    public static func cheapestRule(_ spec: GameSpec) -> (rule: GreedyRule, cost: Int) {
        var best = (rule: GreedyRule.all[0], cost: Int.max)
        for rule in GreedyRule.all {
            var state = EliminationState(spec: spec)
            _ = GreedyCompletion(spec: spec, rule: rule).complete(&state)
            if state.cost < best.cost { best = (rule, state.cost) }
        }
        return best
    }

    /// Eliminates what `state` has left in the rule's order; returns those vertices. `state` ends
    /// terminal; the completion cost is its `cost` after minus before. `state` must be of `spec`.
    @discardableResult
    public func complete(_ state: inout EliminationState) -> [Int] {
        let scorer = scorer, criterion = rule.criterion
        return LocalGreedy.completion(of: &state, scan: scan) { state, v in scorer.score(criterion, v, in: state) }
    }

    /// The multiplications the rule pays to finish `state`.
    public func cost(from state: EliminationState) -> Int {
        var end = state
        complete(&end)
        return end.cost - state.cost
    }
}
