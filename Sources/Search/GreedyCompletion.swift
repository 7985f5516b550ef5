import Elimination

/// A greedy rule run from a game's intermediate state to its end (`GreedyElimination`'s loop,
/// `LocalGreedy.completion`): the exact cost of finishing a state the way the rule would. What an
/// AlphaZero search's rollout from a leaf pays (`RolloutLeafEvaluator`). Holds what the rule's
/// scorer precomputes for the graph, so many completions of one graph share it.
///
/// With an `endgame` of E vertices, the rule orders all but the last E it would take and those E
/// are ordered exactly (`ExactElimination`'s dynamic programme over the 2^E subsets, from the
/// state the rule left): never dearer than the rule alone, at 2^E · E extra steps. Greedy rules
/// are worst at the end of the game, where a wrong choice among few vertices costs the most
/// (Docs/RESULTS.md, az6).
public struct GreedyCompletion: Sendable {
    public let spec: GameSpec
    public let rule: GreedyRule
    /// Vertices ordered exactly at the end (0 or 1: the rule alone).
    public let endgame: Int
    private let scorer: GreedyScorer
    private let scan: [Int]
    private let setDetermined: Bool

    /// The most `endgame` vertices a completion orders exactly (2^12 · 12 steps, about 50,000).
    public static let maxEndgame = 12

    /// `endgame` in 0…`maxEndgame`.
    public init(spec: GameSpec, rule: GreedyRule, endgame: Int = 0) {
        precondition(endgame >= 0 && endgame <= Self.maxEndgame, "endgame \(endgame) outside 0…\(Self.maxEndgame)")
        self.spec = spec
        self.rule = rule
        self.endgame = endgame
        scorer = GreedyScorer(spec: spec)
        scan = rule.tieBreak.scanOrder(spec)
        setDetermined = endgame > 1 && SetDeterminedGraphs.holds(for: spec)
    }

    /// The rule whose order from the start state is the cheapest (the first in `GreedyRule.all`
    /// order among equals), with that order's cost: `rankedRules(spec)[0]`.
    public static func cheapestRule(_ spec: GameSpec) -> (rule: GreedyRule, cost: Int) {
        rankedRules(spec)[0]
    }

    /// Every rule of `GreedyRule.all` with the cost of its order from the start state, cheapest
    /// first (`GreedyRule.all` order among equals).
    public static func rankedRules(_ spec: GameSpec) -> [(rule: GreedyRule, cost: Int)] {
        let costs = GreedyRule.all.enumerated().map { i, rule in
            var state = EliminationState(spec: spec)
            _ = GreedyCompletion(spec: spec, rule: rule).complete(&state)
            return (i, rule, state.cost)
        }
        return costs.sorted { ($0.2, $0.0) < ($1.2, $1.0) }.map { (rule: $0.1, cost: $0.2) }
    }

    /// Eliminates what `state` has left in the rule's order (its last `endgame` vertices in the
    /// cheapest order); returns those vertices. `state` ends terminal; the completion cost is its
    /// `cost` after minus before. `state` must be of `spec`.
    @discardableResult
    public func complete(_ state: inout EliminationState) -> [Int] {
        let head = greedy(&state, leaving: endgame > 1 ? endgame : 0)
        guard !state.isTerminal else { return head }
        // The rule's own tail should the exact search refuse (more states than its limit).
        let tail = (try? endgameSearch(state).cheapestCompletion(from: state).order) ?? greedy(&state, leaving: 0)
        if !state.isTerminal { for v in tail { state.eliminateUnchecked(v) } }
        return head + tail
    }

    /// The multiplications the completion pays to finish `state`.
    public func cost(from state: EliminationState) -> Int {
        var end = state
        greedy(&end, leaving: endgame > 1 ? endgame : 0)
        guard !end.isTerminal else { return end.cost - state.cost }
        if let rest = try? endgameSearch(end).cheapestCost(from: end) { return end.cost - state.cost + rest }
        greedy(&end, leaving: 0)
        return end.cost - state.cost
    }

    @discardableResult
    private func greedy(_ state: inout EliminationState, leaving: Int) -> [Int] {
        let scorer = scorer, criterion = rule.criterion
        return LocalGreedy.completion(of: &state, scan: scan, leaving: leaving) { state, v in
            scorer.score(criterion, v, in: state)
        }
    }

    /// The exact search over the vertices `state` has left (at most `endgame`, within any state
    /// limit: 2^12 memo entries against ExactElimination's 2^21).
    private func endgameSearch(_ state: EliminationState) -> ExactElimination {
        ExactElimination(remainingOf: state, setDetermined: setDetermined)
    }
}

extension ExactElimination {
    /// The search over the vertices `state` has not eliminated yet, from `state`.
    init(remainingOf state: EliminationState, setDetermined: Bool) {
        spec = state.spec
        stateLimit = Self.defaultStateLimit
        isolated = []
        ordered = state.spec.eliminable.filter { !state.isEliminated($0) }
        self.setDetermined = setDetermined
    }
}
