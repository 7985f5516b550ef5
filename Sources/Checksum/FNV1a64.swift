/// FNV-1a 64 (Fowler–Noll–Vo, variant 1a, 64-bit): the one checksum of the project. Checkpoints
/// store it over their parameter and Adam bytes (Docs/CHECKPOINT.md) so a damaged tensor never
/// loads as a silently different network even where HDF5's Fletcher-32 would miss it; the wire
/// protocol sends it with every Float32 buffer (weights, gradients; Docs/PROTOCOL.md §3). Chosen
/// over a faster hash because it is three lines in any language (a Python reader recomputes it)
/// and cheap next to computing the buffer it guards. Changing it changes both file formats.
public struct FNV1a64: Sendable {
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The hash of everything added so far (the offset basis before anything is added).
    public private(set) var value = FNV1a64.offsetBasis

    public init() {}

    /// Feeds `bytes`; adding A then B gives the hash of A followed by B.
    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var h = value
        for byte in bytes {
            h = (h ^ UInt64(byte)) &* Self.prime
        }
        value = h
    }

    /// Feeds the little-endian float32 bytes of `values` (the byte order of files and messages).
    public mutating func add(_ values: [Float]) {
        #if _endian(little)
        values.withUnsafeBytes { add($0) }
        #else
        values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { add($0) }
        #endif
    }

    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = FNV1a64()
        h.add(bytes)
        return h.value
    }

    public static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// The checksum of a Float32 buffer (parameters, gradients): FNV-1a 64 of its little-endian bytes.
    public static func checksum(of values: [Float]) -> UInt64 {
        var h = FNV1a64()
        h.add(values)
        return h.value
    }
}
