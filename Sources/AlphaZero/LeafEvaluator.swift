import Elimination

/// What the search needs to know about a state it reaches: a prior logit for each legal action
/// (in `state.remaining` order, ascending vertex id) and the value, the expected return from the
/// state in cost units (minus the multiplications still to pay, so ≤ 0).
public struct LeafEvaluation: Sendable, Equatable {
    public var logits: [Double]
    public var value: Double

    public init(logits: [Double], value: Double) {
        self.logits = logits
        self.value = value
    }
}

/// Evaluates many leaves at once (one batched forward for a network). Tests inject hand-set
/// priors and values through it.
public protocol LeafEvaluator: AnyObject {
    /// One evaluation per state, in order. Every state is non-terminal.
    func evaluate(_ states: [EliminationState]) throws -> [LeafEvaluation]
}

extension LeafEvaluation {
    /// Refuses an evaluation that does not fit `state` (wrong count, NaN or infinite numbers).
    func check(for state: EliminationState) throws(AlphaZeroError) {
        let legal = state.spec.eliminable.count - state.steps
        guard logits.count == legal else {
            throw .badEvaluation("\(logits.count) logits for a state of \(state.spec.name) with \(legal) legal actions")
        }
        guard value.isFinite, logits.allSatisfy(\.isFinite) else {
            throw .badEvaluation("non-finite value \(value) or logits at step \(state.steps) of \(state.spec.name)")
        }
    }
}
