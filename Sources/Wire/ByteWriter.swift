/// Appends little-endian fields to one growing frame. Writing never fails: limits are the
/// decoder's job, so an encoder bug shows up as the peer's `WireError`, not as a crash here.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func integer<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func bool(_ value: Bool) { integer(UInt8(value ? 1 : 0)) }

    mutating func float32(_ value: Float) { integer(value.bitPattern) }

    /// A `u32` count. Counts above UInt32.max cannot occur below the 64 MiB message limit;
    /// the conversion traps rather than silently writing a wrong count.
    mutating func count(_ n: Int) { integer(UInt32(n)) }

    /// `u32` byte count + UTF-8 bytes.
    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            count(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    /// The elements only (the caller writes the count where the layout wants it).
    mutating func int32s(_ values: [Int32]) {
        #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for v in values { integer(v) }
        #endif
    }

    mutating func float32s(_ values: [Float]) {
        #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for v in values { float32(v) }
        #endif
    }
}
