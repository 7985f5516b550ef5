import Elimination
import Randomness

/// One seed drives a whole search run; each method draws from its own stream derived from
/// (seed, stream index), so adding a method never shifts another method's random numbers.
public enum SeedStreams {
    public static func seed(_ seed: UInt64, stream: UInt64) -> UInt64 {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        return mixer.next()
    }
}
