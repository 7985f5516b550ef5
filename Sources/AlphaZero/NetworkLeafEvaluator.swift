import Elimination
import NeuralNet
import PPO

/// Leaves valued by the policy and value networks: the requests for a policy go through one policy
/// forward of shape (B, T), those for a value through one value forward, T the most tokens among
/// them; shorter states are padded with masked tokens, which attention and the value pooling
/// ignore. More than `network.maxBatch` states are split into several forwards. The value network
/// predicts symlog of the return in `TaskRewardScale`'s units; the search gets it back in cost
/// units (divided by the graph's factor), capped at 0 (no state can pay back multiplications).
/// A request's kept `RemainingCosts` go to `TokenFeatures.write`. Logits are one per token, so on
/// the candidate view (graphs past `TokenFeatures.candidateViewAbove`) they cover the candidates
/// only, not every legal action: the search refuses them there (`LeafEvaluation.check`).
public final class NetworkLeafEvaluator: LeafEvaluator {
    public let network: PolicyNetwork
    private var features: [Float] = []  // (B, T, F)
    private var tokenMask: [Bool] = []  // (B, T) true = real token
    private var legal: [Bool] = []  // (B, T)
    private var vertices: [Int32] = []  // (B, T)
    /// Forwards run so far (policy and value each count), and the states in them.
    public private(set) var forwards = 0
    public private(set) var rows = 0
    /// `TaskRewardScale` factors of the graphs seen so far (each held, so its identifier stays its own).
    private var returnScales: [ObjectIdentifier: (spec: GameSpec, factor: Double)] = [:]

    public init(network: PolicyNetwork) {
        self.network = network
    }

    public func evaluate(_ requests: [LeafRequest]) throws -> [LeafEvaluation] {
        var out = [LeafEvaluation](repeating: LeafEvaluation(logits: nil, value: nil), count: requests.count)
        let policyRows = requests.indices.filter { requests[$0].wantsPolicy }
        let valueRows = requests.indices.filter { requests[$0].wantsValue }
        for chunk in chunks(policyRows) {
            let (T, counts) = write(chunk.map { requests[$0] })
            try forward(policy: true, B: chunk.count, T: T)
            for (row, i) in chunk.enumerated() {
                var logits: [Double] = []
                logits.reserveCapacity(counts[row])
                for t in 0..<counts[row] where legal[row * T + t] { logits.append(Double(network.logits[row * T + t])) }
                out[i].logits = logits
            }
        }
        for chunk in chunks(valueRows) {
            let (T, _) = write(chunk.map { requests[$0] })
            try forward(policy: false, B: chunk.count, T: T)
            for (row, i) in chunk.enumerated() {
                let scale = returnScale(requests[i].state.spec)
                out[i].value = min(0, Double(symexp(network.values[row])) / scale)
            }
        }
        return out
    }

    private func returnScale(_ spec: GameSpec) -> Double {
        if let known = returnScales[ObjectIdentifier(spec)] { return known.factor }
        let factor = Double(TaskRewardScale.factor(of: spec))
        returnScales[ObjectIdentifier(spec)] = (spec, factor)
        return factor
    }

    private func chunks(_ rows: [Int]) -> [ArraySlice<Int>] {
        stride(from: 0, to: rows.count, by: network.maxBatch).map { rows[$0..<min($0 + network.maxBatch, rows.count)] }
    }

    private func forward(policy: Bool, B: Int, T: Int) throws {
        try features.withUnsafeBufferPointer { f in
            try tokenMask.withUnsafeBufferPointer { m in
                if policy {
                    try network.forwardPolicy(features: f.baseAddress!, tokenMask: m.baseAddress!, B: B, T: T)
                } else {
                    try network.forwardValue(features: f.baseAddress!, tokenMask: m.baseAddress!, B: B, T: T)
                }
            }
        }
        forwards += 1
        rows += B
    }

    /// Writes the tokens of the requests' states (with the costs they carry) padded to the longest;
    /// returns T and each state's token count.
    private func write(_ requests: [LeafRequest]) -> (T: Int, counts: [Int]) {
        let states = requests.map(\.state)
        let B = states.count, F = TokenFeatures.count
        var T = 0
        for state in states { T = max(T, TokenFeatures.tokenCount(state)) }
        if features.count < B * T * F { features = [Float](repeating: 0, count: B * T * F) }
        if tokenMask.count < B * T {
            tokenMask = [Bool](repeating: false, count: B * T)
            legal = [Bool](repeating: false, count: B * T)
            vertices = [Int32](repeating: 0, count: B * T)
        }
        var counts: [Int] = []
        counts.reserveCapacity(B)
        features.withUnsafeMutableBufferPointer { f in
            tokenMask.withUnsafeMutableBufferPointer { m in
                legal.withUnsafeMutableBufferPointer { l in
                    vertices.withUnsafeMutableBufferPointer { v in
                        let f = f.baseAddress!, m = m.baseAddress!, l = l.baseAddress!, v = v.baseAddress!
                        for (row, state) in states.enumerated() {
                            let written = TokenFeatures.write(
                                state, costs: requests[row].costs, features: f + row * T * F, vertices: v + row * T,
                                legal: l + row * T)
                            counts.append(written)
                            // Padding: masked, not legal, features 0.
                            (m + row * T).update(repeating: true, count: written)
                            (m + row * T + written).update(repeating: false, count: T - written)
                            (l + row * T + written).update(repeating: false, count: T - written)
                            (f + (row * T + written) * F).update(repeating: 0, count: (T - written) * F)
                        }
                    }
                }
            }
        }
        return (T, counts)
    }
}
