import Elimination

/// A state the search needs numbers for: its policy logits (to choose among its actions), its
/// value (to back up), or both. The search asks for a leaf's value when it reaches it and for its
/// policy only when a later simulation must choose below it, so leaves visited once never cost
/// a policy forward.
public struct LeafRequest {
    public let state: EliminationState
    public let wantsPolicy: Bool
    public let wantsValue: Bool
    /// `state`'s `RemainingCosts` kept by the search (`TokenFeatures.episodeCosts`, the candidate
    /// view on large graphs), nil if it keeps none: a network evaluator then rebuilds them.
    public let costs: RemainingCosts?

    public init(state: EliminationState, wantsPolicy: Bool, wantsValue: Bool, costs: RemainingCosts? = nil) {
        self.state = state
        self.wantsPolicy = wantsPolicy
        self.wantsValue = wantsValue
        self.costs = costs
    }
}

/// What the evaluator knows about a state: a prior logit for each legal action (in
/// `state.remaining` order, ascending vertex id) and the value, the expected return from the state
/// in cost units (minus the multiplications still to pay, so ≤ 0). Either may be missing when it
/// was not asked for; an evaluator may also answer more than it was asked.
public struct LeafEvaluation: Sendable, Equatable {
    public var logits: [Double]?
    public var value: Double?

    public init(logits: [Double]?, value: Double?) {
        self.logits = logits
        self.value = value
    }
}

/// Evaluates many leaves at once (one batched forward per network for a network). Tests inject
/// hand-set priors and values through it.
public protocol LeafEvaluator: AnyObject {
    /// One evaluation per request, in order, with at least what each asks for. Every state is
    /// non-terminal.
    func evaluate(_ requests: [LeafRequest]) throws -> [LeafEvaluation]
}

extension LeafEvaluator {
    /// Policy and value of each state.
    public func evaluate(_ states: [EliminationState]) throws -> [LeafEvaluation] {
        try evaluate(states.map { LeafRequest(state: $0, wantsPolicy: true, wantsValue: true) })
    }
}

extension LeafEvaluation {
    /// Refuses an evaluation that does not fit `state` or lacks what was asked (wrong count, NaN
    /// or infinite numbers).
    func check(for state: EliminationState, policy: Bool, value wantsValue: Bool) throws(AlphaZeroError) {
        let legal = state.spec.eliminable.count - state.steps
        if policy && logits == nil {
            throw .badEvaluation("no logits for a state of \(state.spec.name) at step \(state.steps)")
        }
        if wantsValue && value == nil {
            throw .badEvaluation("no value for a state of \(state.spec.name) at step \(state.steps)")
        }
        if let logits {
            guard logits.count == legal else {
                throw .badEvaluation(
                    "\(logits.count) logits for a state of \(state.spec.name) with \(legal) legal actions")
            }
            guard logits.allSatisfy(\.isFinite) else {
                throw .badEvaluation("non-finite logits at step \(state.steps) of \(state.spec.name)")
            }
        }
        if let value, !value.isFinite {
            throw .badEvaluation("non-finite value \(value) at step \(state.steps) of \(state.spec.name)")
        }
    }
}
