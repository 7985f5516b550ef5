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
    private var batch = TokenBatch()
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
            let T = write(chunk.map { requests[$0] })
            try batch.forwardPolicy(network)
            noteForward(rows: chunk.count)
            for (row, i) in chunk.enumerated() {
                let tokens = batch.tokenCounts[row]
                var logits: [Double] = []
                logits.reserveCapacity(tokens)
                for t in 0..<tokens where batch.legal[row * T + t] {
                    logits.append(Double(network.logits[row * T + t]))
                }
                out[i].logits = logits
            }
        }
        for chunk in chunks(valueRows) {
            write(chunk.map { requests[$0] })
            try batch.forwardValue(network)
            noteForward(rows: chunk.count)
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

    private func noteForward(rows B: Int) {
        forwards += 1
        rows += B
    }

    /// Writes the tokens of the requests' states (with the costs they carry) into one batch padded
    /// to the longest; returns T.
    @discardableResult
    private func write(_ requests: [LeafRequest]) -> Int {
        batch.write(requests.map(\.state), costs: requests.map(\.costs))
    }
}
