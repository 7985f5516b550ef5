/// FNV-1a 64 (Fowler–Noll–Vo, variant 1a, 64-bit) over bytes: the checksum of a Float32 buffer
/// (weights, parameters, gradients; Docs/PROTOCOL.md §3). Chosen over a faster hash because it is
/// a few lines in any language (a Python reader of a checkpoint can recompute it) and it is cheap
/// next to computing the buffer it guards.
public enum FNV1a64 {
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = offsetBasis
        for b in bytes {
            h = (h ^ UInt64(b)) &* prime
        }
        return h
    }

    public static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// The checksum of a parameter buffer: FNV-1a 64 of its little-endian Float32 bytes.
    public static func checksum(of parameters: [Float]) -> UInt64 {
        #if _endian(little)
        return parameters.withUnsafeBytes { hash($0) }
        #else
        var w = ByteWriter(capacity: parameters.count * 4)
        w.float32s(parameters)
        return hash(w.bytes)
        #endif
    }
}
