import Elimination
import NeuralNet
import PPO
import Randomness

/// Imitation pretraining (issue 14): the policy learns the moves of expert orders — the cheapest
/// orders annealing and the greedy rules found on training programs — by AlphaZero's own loss,
/// cross-entropy towards a target distribution (`ExpertTargets`: one-hot on the expert's move, or
/// spread over the moves that commute with it), and the value head learns the expert's return
/// from each state, multiplied by the task's `returnScale` (`TaskRewardScale`'s factor in a joint
/// run, so every program's return is about −100), through `AlphaZeroLearner.lossAndGradients`.
///
/// No padding waste: the examples of one program are cut into chunks of at most `rowsPerStep`
/// consecutive moves (similar token counts, so the few padded tokens are those a chunk's later
/// states have lost), and every Adam step trains on one chunk. An epoch visits every chunk once,
/// in an order shuffled with the learner's seeded stream. Pure compute: no files, no clock.
public final class ExpertPretraining {
    public let learner: AlphaZeroLearner
    /// The expert costs, by program index.
    public let expertCosts: [Int]
    /// Examples, one chunk of consecutive moves of one program each (the experts' own, then the
    /// DAgger ones `addVisitedStates` appends).
    private var chunks: [ExampleBatch]
    private let experts: [(spec: GameSpec, order: [Int])]
    private let returnScales: [Float]
    private let soften: Bool
    private let rowsPerStep: Int
    public private(set) var epochs = 0
    public private(set) var steps = 0

    /// One expert order per program; `returnScales[i]` multiplies program i's returns.
    public init(
        network: PolicyNetwork, settings: AlphaZeroHyperparameters, experts: [(spec: GameSpec, order: [Int])],
        returnScales: [Float], soften: Bool, rowsPerStep: Int, seed: UInt64
    ) throws {
        guard returnScales.count == experts.count, rowsPerStep >= 1, !experts.isEmpty else {
            throw AlphaZeroError.misuse(
                "pretraining on \(experts.count) experts with \(returnScales.count) return scales and \(rowsPerStep) rows per step"
            )
        }
        try settings.validate()
        learner = AlphaZeroLearner(network: network, hp: settings, seed: seed)
        var chunks: [ExampleBatch] = []
        var costs: [Int] = []
        for (i, expert) in experts.enumerated() {
            let targets = try ExpertTargets(order: expert.order, spec: expert.spec, soften: soften)
            costs.append(targets.cost)
            chunks += try Self.chunks(
                of: expert.order, targets: targets, moves: 0..<expert.order.count, spec: expert.spec,
                returnScale: returnScales[i], rowsPerStep: rowsPerStep)
        }
        self.chunks = chunks
        expertCosts = costs
        self.experts = experts
        self.returnScales = returnScales
        self.soften = soften
        self.rowsPerStep = rowsPerStep
    }

    /// The examples of `moves` of `order` (a full order with its `targets`), cut into chunks.
    private static func chunks(
        of order: [Int], targets: ExpertTargets, moves: Range<Int>, spec: GameSpec, returnScale: Float,
        rowsPerStep: Int
    ) throws -> [ExampleBatch] {
        var out: [ExampleBatch] = []
        var state = EliminationState(spec: spec)
        for v in order[..<moves.lowerBound] { state.eliminateUnchecked(v) }
        var chunk = ExampleBatch()
        for t in moves {
            try chunk.append(
                state: state, improvedPolicy: targets.policies[t], return: targets.returns[t] * returnScale)
            if chunk.B == rowsPerStep {
                out.append(chunk)
                chunk = ExampleBatch()
            }
            state.eliminateUnchecked(order[t])
        }
        if chunk.B > 0 { out.append(chunk) }
        return out
    }

    /// DAgger-style relabelling: examples from the states the policy itself reaches, labelled
    /// with the expert's move. `visited[i]` is an order the policy played on program i (its greedy
    /// decode); where it costs more than the expert's, the states after its first k moves, for
    /// `points` k evenly spaced, get the expert's continuation as target: the vertices still to
    /// eliminate in the expert's order (targets softened like the expert's), for the next `span`
    /// moves, and the value head that continuation's return. The examples stay for the rest of the
    /// run (aggregated, as DAgger does). Returns how many were added.
    @discardableResult
    public func addVisitedStates(_ visited: [[Int]], points: Int, span: Int) throws -> Int {
        guard visited.count == experts.count, points >= 0, span >= 1 else {
            throw AlphaZeroError.misuse(
                "DAgger on \(visited.count) visited orders for \(experts.count) experts, \(points) points, span \(span)"
            )
        }
        var added = 0
        for (i, expert) in experts.enumerated() where points > 0 {
            let played = visited[i], L = expert.order.count
            guard played.count == L, L >= 2 else {
                throw AlphaZeroError.misuse("a visited order of \(played.count) moves for \(expert.spec.name) (\(L))")
            }
            guard try Baselines.score(played, on: expert.spec).cost > expertCosts[i] else { continue }
            for j in 1...points {
                let k = j * L / (points + 1)
                guard k > 0, k < L else { continue }
                let done = Set(played[..<k])
                let order = Array(played[..<k]) + expert.order.filter { !done.contains($0) }
                let targets = try ExpertTargets(order: order, spec: expert.spec, soften: soften)
                let moves = k..<min(L, k + span)
                chunks += try Self.chunks(
                    of: order, targets: targets, moves: moves, spec: expert.spec, returnScale: returnScales[i],
                    rowsPerStep: rowsPerStep)
                added += moves.count
            }
        }
        return added
    }

    /// Examples in all (one per expert move).
    public var exampleCount: Int { chunks.reduce(0) { $0 + $1.B } }

    /// Means over an epoch's examples.
    public struct EpochMetrics: Sendable {
        public var policyLoss: Float
        public var valueLoss: Float
        public var gradNorm: Float
        public var steps: Int
    }

    /// The mean losses over every example, without changing the weights.
    public func evaluate() throws -> (policyLoss: Float, valueLoss: Float) {
        var policy: Float = 0, value: Float = 0, rows: Float = 0
        for chunk in chunks {
            let sums = try learner.lossAndGradients(chunk)
            (policy, value, rows) = (policy + sums.policyLoss, value + sums.valueLoss, rows + sums.rows)
        }
        learner.network.store.zeroGradients()
        return (policy / rows, value / rows)
    }

    /// One pass over every chunk in a shuffled order, one Adam step per chunk at `learningRate`.
    public func epoch(learningRate: Float) throws -> EpochMetrics {
        var order = Array(chunks.indices)
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, Int(learner.rng.next() % UInt64(i + 1)))
        }
        var policy: Float = 0, value: Float = 0, grad: Float = 0, rows: Float = 0
        for c in order {
            let sums = try learner.lossAndGradients(chunks[c])
            guard sums.policyLoss.isFinite, sums.valueLoss.isFinite else {
                throw AlphaZeroError.degenerate(
                    "the pretraining loss is not finite (policy \(sums.policyLoss), value \(sums.valueLoss))")
            }
            let norm = learner.network.store.clipGradients(maxNorm: learner.hp.maxGradNorm)
            guard norm.isFinite else { throw AlphaZeroError.degenerate("the gradient norm is not finite") }
            learner.network.store.adamStep(lr: learningRate, config: AdamConfig())
            (policy, value, rows, grad) = (
                policy + sums.policyLoss, value + sums.valueLoss, rows + sums.rows, grad + norm
            )
            steps += 1
        }
        epochs += 1
        return EpochMetrics(
            policyLoss: policy / rows, valueLoss: value / rows, gradNorm: grad / Float(order.count), steps: order.count)
    }
}
