/// A set of vertex ids 1…512 in eight words: the key of a set-determined search state (the
/// eliminated vertices). A value type with cheap hashing and no allocation. Eight words rather than
/// four (bounds13) so programs of up to 512 vertices (issue 14's 500 equations) get a bound; it costs
/// the proofs that fit in four a few per cent (Docs/RESULTS.md "(bounds13)").
public struct VertexSet: Hashable, Sendable {
    public static let capacity = 512
    var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0
    var w4: UInt64 = 0, w5: UInt64 = 0, w6: UInt64 = 0, w7: UInt64 = 0

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
        case 3: return w3 & bit != 0
        case 4: return w4 & bit != 0
        case 5: return w5 & bit != 0
        case 6: return w6 & bit != 0
        default: return w7 & bit != 0
        }
    }

    @inline(__always) public mutating func insert(_ v: Int) {
        let i = v - 1, bit = UInt64(1) << UInt64(i & 63)
        switch i >> 6 {
        case 0: w0 |= bit
        case 1: w1 |= bit
        case 2: w2 |= bit
        case 3: w3 |= bit
        case 4: w4 |= bit
        case 5: w5 |= bit
        case 6: w6 |= bit
        default: w7 |= bit
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
        case 3: w3 &= bit
        case 4: w4 &= bit
        case 5: w5 &= bit
        case 6: w6 &= bit
        default: w7 &= bit
        }
    }

    public var count: Int {
        w0.nonzeroBitCount + w1.nonzeroBitCount + w2.nonzeroBitCount + w3.nonzeroBitCount
            + w4.nonzeroBitCount + w5.nonzeroBitCount + w6.nonzeroBitCount + w7.nonzeroBitCount
    }

    /// The eight words mixed into one: cheaper to hash than eight and good enough for a memo of
    /// states (`hash(into:)`) or of factors (FactorCache).
    @inline(__always) var folded: UInt64 {
        let low = w0 &* 0x9E37_79B9_7F4A_7C15 ^ w1 &* 0xC2B2_AE3D_27D4_EB4F ^ w2 &* 0x1656_67B1_9E37_79F9 ^ w3
        let high = w4 &* 0x9E37_79B9_7F4A_7C15 ^ w5 &* 0xC2B2_AE3D_27D4_EB4F ^ w6 &* 0x1656_67B1_9E37_79F9 ^ w7
        return low ^ high &* 0xFF51_AFD7_ED55_8CCD
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(folded) }
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
        w4 |= other.w4
        w5 |= other.w5
        w6 |= other.w6
        w7 |= other.w7
    }

    @inline(__always) func intersection(_ other: VertexSet) -> VertexSet {
        var copy = self
        copy.w0 &= other.w0
        copy.w1 &= other.w1
        copy.w2 &= other.w2
        copy.w3 &= other.w3
        copy.w4 &= other.w4
        copy.w5 &= other.w5
        copy.w6 &= other.w6
        copy.w7 &= other.w7
        return copy
    }

    @inline(__always) func subtracting(_ other: VertexSet) -> VertexSet {
        var copy = self
        copy.w0 &= ~other.w0
        copy.w1 &= ~other.w1
        copy.w2 &= ~other.w2
        copy.w3 &= ~other.w3
        copy.w4 &= ~other.w4
        copy.w5 &= ~other.w5
        copy.w6 &= ~other.w6
        copy.w7 &= ~other.w7
        return copy
    }
}
