/// SplitMix64: a small, fast, seedable generator (Steele, Lea & Flood 2014). Core code never uses
/// the system RNG; every stream is derived from one seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

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
