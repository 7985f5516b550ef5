import Elimination
import NeuralNet
import Randomness

/// Plays episodes with the current policy: `B` copies of one graph in lockstep, so every step is
/// one batched forward pass of shape (B, T_t) — the actors' hot loop. Sampling uses the actor's
/// own seeded stream; the result is episodes with the behaviour log-probabilities, and their costs.
public final class Actor {
    public let network: PolicyNetwork
    public var rng: Xoshiro256StarStar
    let id: UInt32
    /// The step's tokens (one row per episode; lockstep episodes of one graph are never padded).
    private var batch = TokenBatch()
    private var logp: [Float] = []

    public init(network: PolicyNetwork, seed: UInt64, id: UInt32) {
        self.network = network
        self.id = id
        rng = Xoshiro256StarStar(seed: seed, stream: 0xAC70 &+ UInt64(id))
    }

    /// Plays `count` full episodes of `spec` (task index `task`); `greedy` takes the most likely
    /// action instead of sampling. Returns the episodes and their costs (computed by the game).
    public func play(
        _ spec: GameSpec, task: Int, count: Int, policyVersion: UInt64, greedy: Bool = false
    ) throws -> (episodes: [Episode], costs: [Int]) {
        let B = count, L = spec.eliminable.count
        var states = (0..<B).map { _ in EliminationState(spec: spec) }
        var costs = states.map(TokenFeatures.episodeCosts)
        var orders = [[Int]](repeating: [], count: B)
        var logProbs = [[Float]](repeating: [], count: B)
        for _ in 0..<L {
            let T = batch.write(states, costs: costs)
            try batch.forwardPolicy(network)
            if logp.count < B * T { logp = [Float](repeating: 0, count: B * T) }
            let legal = batch.legal, vertices = batch.vertices
            logp.withUnsafeMutableBufferPointer { lp in
                legal.withUnsafeBufferPointer { l in
                    maskedLogSoftmaxForward(
                        logp: lp.baseAddress!, logits: network.logits, actionMask: l.baseAddress!, B: B, T: T)
                }
            }
            for row in 0..<B {
                let token: Int?
                if greedy {
                    token = (0..<T).filter { legal[row * T + $0] }.max { logp[row * T + $0] < logp[row * T + $1] }
                } else {
                    token = logp.withUnsafeBufferPointer { lp in
                        legal.withUnsafeBufferPointer { l in
                            sampleMaskedCategorical(
                                logp: lp.baseAddress! + row * T, actionMask: l.baseAddress! + row * T,
                                T: T, uniform: rng.nextUniform())
                        }
                    }
                }
                guard let token, legal[row * T + token], logp[row * T + token].isFinite else {
                    throw PPOError.degenerate(
                        "the policy has no legal action with finite probability (NaN weights?) at step \(states[row].steps) of \(spec.name)"
                    )
                }
                let vertex = Int(vertices[row * T + token])
                orders[row].append(vertex)
                logProbs[row].append(logp[row * T + token])
                TokenFeatures.eliminate(vertex, in: &states[row], costs: &costs[row])
            }
        }
        let episodes = (0..<B).map {
            Episode(task: task, order: orders[$0], logProbs: logProbs[$0], policyVersion: policyVersion, actor: id)
        }
        return (episodes, states.map(\.cost))
    }
}
