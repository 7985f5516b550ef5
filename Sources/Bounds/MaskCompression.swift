/// Tables that compress the bits of a mask lying in a pattern to 0..<2^popcount(pattern), keeping
/// their order (what a `pext` instruction does), a byte at a time, kept across calls.
///
/// GroupBound's exact table indexes a member's memo by the bits of the mask in that member's side
/// pattern. A pattern's table is a function of the pattern alone, not of the group, and the
/// precedence split re-solves the same blocks thousands of times with the same few patterns: there
/// building the tables anew for each call was most of the table's own time once the walk settled
/// only the allowed subsets (measured with `perf`). So each pattern's table is built once.
///
/// Layout: `tables[base + byte · 256 + x]` is the compressed index of the pattern's bits in byte
/// `byte` of a mask whose byte is x (bits outside the pattern count nothing); `base` from
/// `base(of:)`. Patterns up to `maxBits` bits.
struct MaskCompression {
    /// Bits of a pattern (and of the masks compressed): GroupBound merges groups of at most 20.
    static let maxBits = 24
    static let bytes = maxBits / 8
    private static let tableSize = bytes * 256

    /// When this many patterns are held, the next call that needs room starts the tables afresh
    /// (48 MiB at 3 KiB a pattern).
    var patternLimit = 1 << 14

    private(set) var tables: [Int32] = []
    private var bases: [Int: Int] = [:]

    /// Patterns held.
    var count: Int { bases.count }

    /// The base of each pattern's table, building the missing ones. All bases returned by one call
    /// stay valid until the next call (room is made, if needed, before any of them is built).
    mutating func bases(of patterns: [Int]) -> [Int] {
        if bases.count + patterns.count > patternLimit {
            bases.removeAll(keepingCapacity: true)
            tables.removeAll(keepingCapacity: true)
        }
        return patterns.map { base(of: $0) }
    }

    private mutating func base(of pattern: Int) -> Int {
        precondition(pattern >= 0 && pattern < 1 << Self.maxBits, "a pattern has at most \(Self.maxBits) bits")
        if let known = bases[pattern] { return known }
        let base = tables.count
        tables.append(contentsOf: repeatElement(0, count: Self.tableSize))
        var rank = 0
        for byte in 0..<Self.bytes {
            // Entry x is entry x without its lowest bit, plus that bit's place if the pattern has
            // it; bit j's place is the number of the pattern's bits below j.
            var place = [Int32](repeating: -1, count: 8)
            for bit in 0..<8 where pattern & (1 << (8 * byte + bit)) != 0 {
                place[bit] = Int32(rank)
                rank += 1
            }
            let start = base + byte * 256
            for x in 1..<256 {
                let p = place[x.trailingZeroBitCount]
                tables[start + x] = tables[start + (x & (x - 1))] | (p >= 0 ? 1 << p : 0)
            }
        }
        bases[pattern] = base
        return base
    }
}
