/// Reads little-endian fields from one frame, checking every length against the bytes left
/// before touching or allocating anything. Field names are autoclosures so the happy path
/// builds no strings; they only appear in errors ("episodes[3].order").
struct ByteReader {
    private let bytes: [UInt8]
    private var offset = 0
    /// Which frame this is, for `trailingBytes`.
    let frame: String

    init(_ bytes: [UInt8], frame: String) {
        self.bytes = bytes
        self.frame = frame
    }

    var remaining: Int { bytes.count - offset }

    private mutating func take(_ n: Int, _ field: () -> String) throws(WireError) -> Range<Int> {
        guard n <= remaining else { throw .truncated(field: field(), needed: n, remaining: remaining) }
        defer { offset += n }
        return offset..<(offset + n)
    }

    mutating func integer<T: FixedWidthInteger>(_: T.Type, _ field: @autoclosure () -> String) throws(WireError) -> T {
        let range = try take(MemoryLayout<T>.size, field)
        var value = T.zero
        withUnsafeMutableBytes(of: &value) { dst in
            bytes.withUnsafeBytes { src in dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[range])) }
        }
        return T(littleEndian: value)
    }

    mutating func bool(_ field: @autoclosure () -> String) throws(WireError) -> Bool {
        switch try integer(UInt8.self, field()) {
        case 0: return false
        case 1: return true
        case let other: throw .invalidEnum(field: field(), value: Int(other))
        }
    }

    mutating func float32(_ field: @autoclosure () -> String) throws(WireError) -> Float {
        Float(bitPattern: try integer(UInt32.self, field()))
    }

    /// A `u32` count, checked against its limit first (so an absurd count gets its own error)
    /// and then against the bytes left, assuming each element takes at least `elementBytes`.
    mutating func count(_ field: @autoclosure () -> String, limit: Int, elementBytes: Int) throws(WireError) -> Int {
        let n = Int(try integer(UInt32.self, field()))
        guard n <= limit else { throw .limitExceeded(field: field(), value: n, limit: limit) }
        guard n * elementBytes <= remaining else {
            throw .truncated(field: field(), needed: n * elementBytes, remaining: remaining)
        }
        return n
    }

    /// `u32` byte count + valid UTF-8.
    mutating func string(
        _ field: @autoclosure () -> String, maxBytes: Int, allowEmpty: Bool = true
    ) throws(WireError) -> String {
        let n = try count(field(), limit: maxBytes, elementBytes: 1)
        if n == 0 && !allowEmpty { throw .invalidValue(field: field(), reason: "must not be empty") }
        let range = try take(n, field)
        guard let s = String(validating: bytes[range], as: UTF8.self) else { throw .invalidUTF8(field: field()) }
        return s
    }

    mutating func int32s(count n: Int, _ field: @autoclosure () -> String) throws(WireError) -> [Int32] {
        try array(count: n, field)
    }

    mutating func float32s(count n: Int, _ field: @autoclosure () -> String) throws(WireError) -> [Float] {
        try array(count: n, field)
    }

    /// Bulk copy of 4-byte little-endian elements; on a big-endian host each is byte-swapped.
    private mutating func array<T: BitwiseCopyable>(count n: Int, _ field: () -> String) throws(WireError) -> [T] {
        let range = try take(n * MemoryLayout<T>.stride, field)
        let out = [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            bytes.withUnsafeBytes { src in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: src[range]))
            }
            initialized = n
        }
        #if _endian(big)
        return out.map { element in
            var e = element
            withUnsafeMutableBytes(of: &e) { $0.reverse() }
            return e
        }
        #else
        return out
        #endif
    }

    /// The body must be consumed exactly: leftovers mean the sender meant a different layout.
    func finish() throws(WireError) {
        guard remaining == 0 else { throw .trailingBytes(frame: frame, count: remaining) }
    }
}
