import Elimination

/// The tokens of several states in one batch for one forward of the policy or value network: each
/// state's `TokenFeatures` (with the `RemainingCosts` its caller keeps, if any) in a row padded to
/// the longest, padding masked out (not a real token, not legal, features 0). The buffers grow to
/// the largest batch written and are reused between batches.
public struct TokenBatch {
    public private(set) var features: [Float] = []  // (B, T, F)
    public private(set) var tokenMask: [Bool] = []  // (B, T) true = real token
    public private(set) var legal: [Bool] = []  // (B, T)
    public private(set) var vertices: [Int32] = []  // (B, T) vertex id of each real token
    /// The shape of the last batch written, and each row's real tokens.
    public private(set) var B = 0, T = 0
    public private(set) var tokenCounts: [Int] = []

    public init() {}

    /// Writes `states` (row by row; `costs[row]`: that state's kept `RemainingCosts`, nil to have
    /// the candidate view rebuild them) padded to the most tokens among them. Returns T.
    @discardableResult
    public mutating func write(_ states: [EliminationState], costs: [RemainingCosts?]) -> Int {
        precondition(costs.count == states.count, "\(costs.count) costs for \(states.count) states")
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
                                state, costs: costs[row], features: f + row * T * F, vertices: v + row * T,
                                legal: l + row * T)
                            counts.append(written)
                            (m + row * T).update(repeating: true, count: written)
                            (m + row * T + written).update(repeating: false, count: T - written)
                            (l + row * T + written).update(repeating: false, count: T - written)
                            (f + (row * T + written) * F).update(repeating: 0, count: (T - written) * F)
                        }
                    }
                }
            }
        }
        (self.B, self.T, tokenCounts) = (B, T, counts)
        return T
    }

    /// The policy network's logits of the last batch written (`network.logits`, (B, T)).
    public func forwardPolicy(_ network: PolicyNetwork) throws {
        try features.withUnsafeBufferPointer { f in
            try tokenMask.withUnsafeBufferPointer { m in
                try network.forwardPolicy(features: f.baseAddress!, tokenMask: m.baseAddress!, B: B, T: T)
            }
        }
    }

    /// The value network's values of the last batch written (`network.values`, (B)).
    public func forwardValue(_ network: PolicyNetwork) throws {
        try features.withUnsafeBufferPointer { f in
            try tokenMask.withUnsafeBufferPointer { m in
                try network.forwardValue(features: f.baseAddress!, tokenMask: m.baseAddress!, B: B, T: T)
            }
        }
    }
}
