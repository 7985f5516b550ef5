/// A set of vertex ids 1…256 in four words: the key of a set-determined search state (the
/// eliminated vertices). A value type with cheap hashing and no allocation.
public struct VertexSet: Hashable, Sendable {
    public static let capacity = 256
    var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

    public init() {}

    public init(_ vertices: some Sequence<Int>) {
        for v in vertices { insert(v) }
    }

    @inline(__always) public func contains(_ v: Int) -> Bool {
        let i = v - 1, bit = UInt64(1) << UInt64(i & 63)
        switch i >> 6 {
        case 0: return w0 & bit != 0
        case 1: return w1 & bit != 0
        case 2: return w2 & bit != 0
        default: return w3 & bit != 0
        }
    }

    @inline(__always) public mutating func insert(_ v: Int) {
        let i = v - 1, bit = UInt64(1) << UInt64(i & 63)
        switch i >> 6 {
        case 0: w0 |= bit
        case 1: w1 |= bit
        case 2: w2 |= bit
        default: w3 |= bit
        }
    }

    @inline(__always) public func inserting(_ v: Int) -> VertexSet {
        var copy = self
        copy.insert(v)
        return copy
    }

    @inline(__always) public mutating func remove(_ v: Int) {
        let i = v - 1, bit = ~(UInt64(1) << UInt64(i & 63))
        switch i >> 6 {
        case 0: w0 &= bit
        case 1: w1 &= bit
        case 2: w2 &= bit
        default: w3 &= bit
        }
    }

    public var count: Int {
        w0.nonzeroBitCount + w1.nonzeroBitCount + w2.nonzeroBitCount + w3.nonzeroBitCount
    }

    public func hash(into hasher: inout Hasher) {
        // One mixed word: cheaper than hashing four and good enough for a memo of states.
        hasher.combine(w0 &* 0x9E37_79B9_7F4A_7C15 ^ w1 &* 0xC2B2_AE3D_27D4_EB4F ^ w2 &* 0x1656_67B1_9E37_79F9 ^ w3)
    }
}

extension VertexSet {
    @inline(__always) public func removing(_ v: Int) -> VertexSet {
        var copy = self
        copy.remove(v)
        return copy
    }
}

extension VertexSet {
    @inline(__always) func union(_ other: VertexSet) -> VertexSet {
        var copy = self
        copy.formUnion(other)
        return copy
    }

    @inline(__always) mutating func formUnion(_ other: VertexSet) {
        w0 |= other.w0
        w1 |= other.w1
        w2 |= other.w2
        w3 |= other.w3
    }

    @inline(__always) func intersection(_ other: VertexSet) -> VertexSet {
        var copy = self
        copy.w0 &= other.w0
        copy.w1 &= other.w1
        copy.w2 &= other.w2
        copy.w3 &= other.w3
        return copy
    }

    @inline(__always) func subtracting(_ other: VertexSet) -> VertexSet {
        var copy = self
        copy.w0 &= ~other.w0
        copy.w1 &= ~other.w1
        copy.w2 &= ~other.w2
        copy.w3 &= ~other.w3
        return copy
    }
}
