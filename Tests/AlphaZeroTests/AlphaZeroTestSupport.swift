import Elimination
@testable import AlphaZero

/// Small games with known costs and an evaluator whose answers the test sets by hand.
enum AlphaZeroFixtures {
    /// v1 = a·b, v2 = sin v1, v3 = v1·v2, v4 = cos v3 (output). Eliminable 1, 2, 3. Every edge is
    /// scalar, so a step costs (predecessors) × (successors): at the start 1 costs 2·2 = 4,
    /// 2 costs 1·1 = 1, 3 costs 2·1 = 2.
    static func threeVertexGame() throws -> GameSpec {
        GameSpec(
            graph: try ComputationalGraph.fromJaxpr(
                """
                { lambda ; a:f32[] b:f32[]. let
                    c:f32[] = mul a b
                    d:f32[] = sin c
                    e:f32[] = mul c d
                    f:f32[] = cos e
                  in (f) }
                """, name: "three"))
    }

    /// v1 = a·b, v2 = sin v1, v3 = cos v1, v4 = v2·v3, v5 = v4 + a, v6 = exp v5 (output).
    /// Eliminable 1…5; at the start the steps cost 1: 2·2 = 4, 2: 1, 3: 1, 4: 2·1 = 2, 5: 2·1 = 2.
    static func fiveVertexGame() throws -> GameSpec {
        GameSpec(
            graph: try ComputationalGraph.fromJaxpr(
                """
                { lambda ; a:f32[] b:f32[]. let
                    c:f32[] = mul a b
                    d:f32[] = sin c
                    e:f32[] = cos c
                    f:f32[] = mul d e
                    g:f32[] = add f a
                    h:f32[] = exp g
                  in (h) }
                """, name: "five"))
    }

    /// The eliminated vertices of a state, ascending.
    static func eliminated(_ state: EliminationState) -> [Int] {
        state.spec.eliminable.filter { state.isEliminated($0) }
    }
}

/// Answers with a closure of the state and records every batch it was given. By default it
/// answers policy and value whatever was asked; `strict` answers only what each request asks.
final class FakeEvaluator: LeafEvaluator {
    let answer: (EliminationState) -> LeafEvaluation
    let strict: Bool
    private(set) var batches: [[EliminationState]] = []
    private(set) var policyRequests = 0, valueRequests = 0

    init(strict: Bool = false, _ answer: @escaping (EliminationState) -> LeafEvaluation) {
        self.strict = strict
        self.answer = answer
    }

    /// The hand-set evaluator of the 3-vertex game (`AlphaZeroFixtures.threeVertexGame`): root
    /// logits [1, 0, 0], zero logits elsewhere; values v̂(root) = −7, v̂({1}) = −2, v̂({2}) = −4,
    /// v̂({3}) = −6, −1 after two steps. `strict`: answers only what each request asks for.
    static func threeVertex(strict: Bool = false) -> FakeEvaluator {
        FakeEvaluator(strict: strict) { state in
            let gone = AlphaZeroFixtures.eliminated(state)
            let logits = gone.isEmpty ? [1.0, 0, 0] : [Double](repeating: 0, count: state.remaining.count)
            let value: Double
            switch gone {
            case []: value = -7
            case [1]: value = -2
            case [2]: value = -4
            case [3]: value = -6
            default: value = -1
            }
            return LeafEvaluation(logits: logits, value: value)
        }
    }

    /// Uniform priors (logits 0) and a fixed value.
    static func uniform(value: Double = 0) -> FakeEvaluator {
        FakeEvaluator { LeafEvaluation(logits: [Double](repeating: 0, count: $0.remaining.count), value: value) }
    }

    func evaluate(_ requests: [LeafRequest]) throws -> [LeafEvaluation] {
        batches.append(requests.map(\.state))
        return requests.map { request in
            if request.wantsPolicy { policyRequests += 1 }
            if request.wantsValue { valueRequests += 1 }
            let full = answer(request.state)
            return strict
                ? LeafEvaluation(
                    logits: request.wantsPolicy ? full.logits : nil, value: request.wantsValue ? full.value : nil)
                : full
        }
    }
}

extension AlphaZeroHyperparameters {
    /// A deterministic search (no Gumbel noise) with `simulations` and mctx's c_scale 0.1, so hand
    /// calculations stay readable.
    static func handCalculation(simulations: Int, maxConsidered: Int = 16) -> AlphaZeroHyperparameters {
        var hp = AlphaZeroHyperparameters()
        hp.simulations = simulations
        hp.maxConsideredActions = maxConsidered
        hp.gumbelScale = 0
        hp.cScale = 0.1
        return hp
    }
}
