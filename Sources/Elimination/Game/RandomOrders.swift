public enum RandomOrders {
    /// A uniformly random permutation of the eliminable vertices (Fisher–Yates); playing it is the
    /// same as choosing uniformly among the legal actions at every step.
    public static func order<R: RandomNumberGenerator>(_ spec: GameSpec, using rng: inout R) -> [Int] {
        var order = spec.eliminable
        shuffle(&order, using: &rng)
        return order
    }

    public static func shuffle<R: RandomNumberGenerator>(_ xs: inout [Int], using rng: inout R) {
        guard xs.count > 1 else { return }
        for i in stride(from: xs.count - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            xs.swapAt(i, j)
        }
    }
}
