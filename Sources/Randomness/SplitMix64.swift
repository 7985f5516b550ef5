// Every random number generator of the project lives in this module (SplitMix64 here,
// Xoshiro256StarStar beside it), so the game (Elimination), the search, the neural-net code and the
// tests share them without depending on each other. Each user imports Randomness itself.

/// SplitMix64: a small, fast, seedable generator (Steele, Lea & Flood 2014). Core code never uses
/// the system RNG; every stream is derived from one seed. NeuralNet also uses it to expand a 64-bit
/// seed into xoshiro256**'s state, as xoshiro's authors recommend.
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
