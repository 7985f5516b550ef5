import Elimination
import NeuralNet
import PPO

/// Leaves valued by the policy and value networks: B states go through one policy forward and one
/// value forward of shape (B, T), T the most tokens among them; shorter states are padded with
/// masked tokens, which attention and the value pooling ignore. More than `network.maxBatch`
/// states are split into several forwards. The value network predicts symlog of the return;
/// the search gets it back in cost units, capped at 0 (no state can pay back multiplications).
public final class NetworkLeafEvaluator: LeafEvaluator {
    public let network: PolicyNetwork
    private var features: [Float] = []   // (B, T, F)
    private var tokenMask: [Bool] = []    // (B, T) true = real token
    private var legal: [Bool] = []        // (B, T)
    private var vertices: [Int32] = []    // (B, T)
    /// Forwards run so far (for benchmarks: leaves per forward).
    public private(set) var forwards = 0

    public init(network: PolicyNetwork) {
        self.network = network
    }

    public func evaluate(_ states: [EliminationState]) throws -> [LeafEvaluation] {
        var out: [LeafEvaluation] = []
        out.reserveCapacity(states.count)
        var start = 0
        while start < states.count {
            let end = min(start + network.maxBatch, states.count)
            out += try evaluateChunk(states[start..<end])
            start = end
        }
        return out
    }

    private func evaluateChunk(_ states: ArraySlice<EliminationState>) throws -> [LeafEvaluation] {
        let B = states.count, F = TokenFeatures.count
        let T = states.map(TokenFeatures.tokenCount).max() ?? 0
        if features.count < B * T * F { features = [Float](repeating: 0, count: B * T * F) }
        if tokenMask.count < B * T {
            tokenMask = [Bool](repeating: false, count: B * T)
            legal = [Bool](repeating: false, count: B * T)
            vertices = [Int32](repeating: 0, count: B * T)
        }
        var counts: [Int] = []
        for (row, state) in states.enumerated() {
            let written = features.withUnsafeMutableBufferPointer { f in
                legal.withUnsafeMutableBufferPointer { l in
                    vertices.withUnsafeMutableBufferPointer { v in
                        TokenFeatures.write(state, features: f.baseAddress! + row * T * F,
                                            vertices: v.baseAddress! + row * T, legal: l.baseAddress! + row * T)
                    }
                }
            }
            counts.append(written)
            for t in 0..<T {
                tokenMask[row * T + t] = t < written
                if t >= written {
                    legal[row * T + t] = false
                    for k in 0..<F { features[(row * T + t) * F + k] = 0 }
                }
            }
        }
        try features.withUnsafeBufferPointer { f in
            try tokenMask.withUnsafeBufferPointer { m in
                try network.forwardPolicy(features: f.baseAddress!, tokenMask: m.baseAddress!, B: B, T: T)
                try network.forwardValue(features: f.baseAddress!, tokenMask: m.baseAddress!, B: B, T: T)
            }
        }
        forwards += 1
        return (0..<B).map { row in
            var logits: [Double] = []
            for t in 0..<counts[row] where legal[row * T + t] { logits.append(Double(network.logits[row * T + t])) }
            return LeafEvaluation(logits: logits, value: min(0, Double(symexp(network.values[row]))))
        }
    }
}
