/// FNV-1a, 64-bit: a checksum simple enough to recompute in three lines of Python
/// (Docs/CHECKPOINT.md), stored over the parameter and Adam bytes so a damaged tensor never loads
/// as a silently different network even where Fletcher-32 would miss it.
struct FNV1a64 {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    private(set) var value = FNV1a64.offsetBasis

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var h = value
        for byte in bytes {
            h = (h ^ UInt64(byte)) &* Self.prime
        }
        value = h
    }

    /// Feeds the little-endian float32 bytes of `values` (the file's byte order).
    mutating func add(_ values: [Float]) {
        #if _endian(little)
        values.withUnsafeBytes { add($0) }
        #else
        values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { add($0) }
        #endif
    }
}
