// The generator of the neural-net code and the actors: xoshiro256** (Blackman & Vigna), seeded
// through SplitMix64 as its authors recommend. Core code never uses the system RNG, so a run is
// reproducible from its seed, and each actor derives its own stream from (seed, stream index).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// xoshiro256**: fast, 256 bits of state, passes BigCrush. Also supplies uniforms in [0, 1) and
/// standard normals (Box–Muller). Conforms to `RandomNumberGenerator`, so
/// `Int.random(in: 0..<n, using: &rng)` works with it too.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    @usableFromInline var s0, s1, s2, s3: UInt64
    /// Box–Muller makes normals in pairs; the second one waits here for the next call.
    @usableFromInline var spareGaussian: Double?

    /// Different (seed, stream) pairs give unrelated sequences; the same pair, the same sequence.
    /// Give each actor its index as `stream` so that one seed drives the whole cluster.
    public init(seed: UInt64, stream: UInt64 = 0) {
        // Hash the seed and the stream index in turn so that, e.g., (1, 0) and (0, 1) differ.
        var seedMixer = SplitMix64(seed: seed)
        var streamMixer = SplitMix64(seed: stream ^ 0x5851_F42D_4C95_7F2D)
        var expander = SplitMix64(seed: seedMixer.next() ^ streamMixer.next())
        s0 = expander.next()
        s1 = expander.next()
        s2 = expander.next()
        s3 = expander.next()
        spareGaussian = nil
    }

    /// The complete state, for checkpoints: the four words, then 1 and the spare normal's bits
    /// if one is waiting (0, 0 otherwise). Restoring it continues the stream exactly.
    public var checkpointState: [UInt64] {
        [s0, s1, s2, s3, spareGaussian == nil ? 0 : 1, spareGaussian?.bitPattern ?? 0]
    }

    /// Restores `checkpointState`; nil if the words cannot be a state (wrong count, all zero).
    public init?(checkpointState w: [UInt64]) {
        guard w.count == 6, w[0] | w[1] | w[2] | w[3] != 0, w[4] <= 1 else { return nil }
        (s0, s1, s2, s3) = (w[0], w[1], w[2], w[3])
        spareGaussian = w[4] == 1 ? Double(bitPattern: w[5]) : nil
    }

    /// Starts from an explicit state, to compare with the authors' reference implementation.
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        (s0, s1, s2, s3) = state
        spareGaussian = nil
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, by: 45)
        return result
    }

    /// Uniform in [0, 1), from the top 53 bits so every value is an exact multiple of 2^-53.
    @inlinable
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Standard normal (mean 0, variance 1) by the Box–Muller transform.
    public mutating func nextGaussian() -> Double {
        if let spare = spareGaussian {
            spareGaussian = nil
            return spare
        }
        let u1 = 1 - nextUniform()  // in (0, 1], so log(u1) is finite
        let u2 = nextUniform()
        let radius = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spareGaussian = radius * sin(angle)
        return radius * cos(angle)
    }
}

@inlinable
func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
}
