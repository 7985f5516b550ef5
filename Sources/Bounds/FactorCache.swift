/// GroupBound's cache of member factors: λ_in or λ_out of a vertex by (vertex, side, that side's
/// shared vertices, that side's path ends), an exact map from key to value.
///
/// Why not a Dictionary: in the precedence split the tables look a factor up for every memo slot
/// (with path ends every slot is its own key), and `perf` put a quarter of reduction-50-1's split
/// CPU in Dictionary's probe loop, nearly all of it waiting on memory: each probe compares a
/// 144-byte key held apart from the others, and a miss in the young generation walks a chain of
/// such keys before the old one is asked. Here the probe walks an array of 8-byte slots (a 32-bit
/// tag of the hash and the entry's index; eight to a cache line, at most half full), and only a
/// slot whose tag matches reads its entry, whose full key is then compared: a lookup costs about
/// one slot line and, when found, one entry. Values are exact; the tag only skips entries.
struct FactorCache: GenerationStore {
    struct Key: Equatable {
        var v: Int32
        var upstream: Bool
        var shared: VertexSet
        var remaining: VertexSet
    }

    private struct Entry {
        var key: Key
        var value: Int32
    }

    private var entries: [Entry] = []
    /// Open addressing, linear probing: 0 empty, else (hash's high 32 bits) << 32 | (entry + 1).
    private var slots: [UInt64]
    /// The slots in use, so that `removeAll` (once per A* state) costs what was inserted, not the
    /// table's size.
    private var used: [Int32] = []

    init() { slots = [UInt64](repeating: 0, count: 1024) }

    var count: Int { entries.count }

    /// Deterministic (no per-process seed): the same run probes the same slots.
    @inline(__always) static func hash(_ key: Key) -> UInt64 {
        var h = UInt64(UInt32(bitPattern: key.v)) << 1 | (key.upstream ? 1 : 0)
        h = h &* 0xD6E8_FEB8_6659_FD93 ^ key.shared.folded
        h = (h ^ h >> 32) &* 0xFF51_AFD7_ED55_8CCD ^ key.remaining.folded
        // Murmur3's finalizer: every input bit reaches the low bits (the slot) and the high ones (the tag).
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        return h ^ h >> 33
    }

    func value(for key: Key) -> Int32? {
        let h = Self.hash(key), tag = h >> 32, mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[i]
            if slot == 0 { return nil }
            if slot >> 32 == tag {
                let entry = entries[Int(slot & 0xFFFF_FFFF) - 1]
                if entry.key == key { return entry.value }
            }
            i = (i + 1) & mask
        }
    }

    /// Adds a key not yet present (the caller looked it up first).
    mutating func insert(_ key: Key, _ value: Int32) {
        if (entries.count + 1) * 2 > slots.count { grow() }
        entries.append(Entry(key: key, value: value))
        place(Self.hash(key), entries.count)
    }

    mutating func removeAll() {
        for i in used { slots[Int(i)] = 0 }
        used.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
    }

    private mutating func place(_ h: UInt64, _ index: Int) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = (h >> 32) << 32 | UInt64(index)
        used.append(Int32(i))
    }

    private mutating func grow() {
        slots = [UInt64](repeating: 0, count: slots.count * 2)
        used.removeAll(keepingCapacity: true)
        for (n, entry) in entries.enumerated() { place(Self.hash(entry.key), n + 1) }
    }
}
