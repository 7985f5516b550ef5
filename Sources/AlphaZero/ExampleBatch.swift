import Elimination
import PPO

/// Training examples of the AlphaZero loss, one per move: the state's token features, its legal
/// mask, the improved policy π' scattered onto the tokens, and the return from that state. Rows
/// have T = the most tokens among them; shorter rows are padded with masked tokens (zero features,
/// not legal, target 0), which change neither the loss nor its gradient.
public struct ExampleBatch {
    public private(set) var B = 0
    public private(set) var T = 0
    public private(set) var features: [Float] = []  // (B, T, F)
    public private(set) var tokenMask: [Bool] = []  // (B, T) true = real token
    public private(set) var legal: [Bool] = []  // (B, T)
    public private(set) var targets: [Float] = []  // (B, T) π' on legal tokens, 0 elsewhere
    public private(set) var returns: [Float] = []  // (B) −(multiplications still to pay)

    public init() {}

    /// Adds one example; `improvedPolicy` is over the state's legal actions in ascending vertex id.
    public mutating func append(
        state: EliminationState, improvedPolicy: [Float], return value: Float
    ) throws(AlphaZeroError) {
        let F = TokenFeatures.count
        let tokens = TokenFeatures.tokenCount(state)
        let legalCount = state.spec.eliminable.count - state.steps
        guard improvedPolicy.count == legalCount else {
            throw .misuse(
                "π' of \(improvedPolicy.count) actions for a state of \(state.spec.name) with \(legalCount) legal actions"
            )
        }
        if tokens > T { widen(to: tokens) }
        var rowFeatures = [Float](repeating: 0, count: T * F)
        var rowLegal = [Bool](repeating: false, count: T)
        var vertices = [Int32](repeating: 0, count: T)
        rowFeatures.withUnsafeMutableBufferPointer { f in
            rowLegal.withUnsafeMutableBufferPointer { l in
                vertices.withUnsafeMutableBufferPointer { v in
                    _ = TokenFeatures.write(
                        state, features: f.baseAddress!, vertices: v.baseAddress!, legal: l.baseAddress!)
                }
            }
        }
        var rowTargets = [Float](repeating: 0, count: T)
        var a = 0
        for t in 0..<tokens where rowLegal[t] {
            rowTargets[t] = improvedPolicy[a]
            a += 1
        }
        features += rowFeatures
        tokenMask += (0..<T).map { $0 < tokens }
        legal += rowLegal
        targets += rowTargets
        returns.append(value)
        B += 1
    }

    /// Rows `range` as a batch of their own (same T), for splitting a minibatch into shards.
    public func rows(_ range: Range<Int>) -> ExampleBatch {
        let F = TokenFeatures.count
        var part = ExampleBatch()
        part.B = range.count
        part.T = T
        part.features = Array(features[(range.lowerBound * T * F)..<(range.upperBound * T * F)])
        part.tokenMask = Array(tokenMask[(range.lowerBound * T)..<(range.upperBound * T)])
        part.legal = Array(legal[(range.lowerBound * T)..<(range.upperBound * T)])
        part.targets = Array(targets[(range.lowerBound * T)..<(range.upperBound * T)])
        part.returns = Array(returns[range])
        return part
    }

    /// Re-lays the rows already stored with `newT` tokens each (padding at the end of each row).
    private mutating func widen(to newT: Int) {
        let F = TokenFeatures.count
        if B > 0 {
            var f = [Float](repeating: 0, count: B * newT * F), m = [Bool](repeating: false, count: B * newT)
            var l = [Bool](repeating: false, count: B * newT), y = [Float](repeating: 0, count: B * newT)
            for b in 0..<B {
                for t in 0..<T {
                    for k in 0..<F { f[(b * newT + t) * F + k] = features[(b * T + t) * F + k] }
                    m[b * newT + t] = tokenMask[b * T + t]
                    l[b * newT + t] = legal[b * T + t]
                    y[b * newT + t] = targets[b * T + t]
                }
            }
            (features, tokenMask, legal, targets) = (f, m, l, y)
        }
        T = newT
    }
}
