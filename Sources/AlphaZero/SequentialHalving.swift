/// The root's visit schedule of Sequential Halving with Gumbel (paper §3.2; mctx's
/// `get_sequence_of_considered_visits`). Simulation k may only visit a considered root action
/// whose visit count equals `consideredVisits[k]`; among those the search takes the best by
/// g + logits + σ(q̂). With m considered actions and n simulations the budget is split into
/// ⌈log2 m⌉ phases; each phase gives every surviving action max(1, ⌊n / (⌈log2 m⌉ · survivors)⌋)
/// more visits, then keeps the better half (at least two), until n simulations are used.
public enum SequentialHalving {
    /// The visit count simulation k must pick from, for k in 0..<simulations.
    public static func consideredVisits(maxConsidered m: Int, simulations n: Int) -> [Int] {
        guard m > 1 else { return Array(0..<max(n, 0)) }
        let log2m = ceilLog2(m)
        var sequence: [Int] = []
        sequence.reserveCapacity(n)
        var visits = [Int](repeating: 0, count: m)
        var considered = m
        while sequence.count < n {
            let extra = max(1, n / (log2m * considered))
            for _ in 0..<extra {
                sequence.append(contentsOf: visits[0..<considered])
                for i in 0..<considered { visits[i] += 1 }
            }
            considered = max(2, considered / 2)
        }
        return Array(sequence.prefix(n))
    }

    /// ⌈log2 m⌉ for m ≥ 1.
    static func ceilLog2(_ m: Int) -> Int {
        var k = 0
        while 1 << k < m { k += 1 }
        return k
    }
}
