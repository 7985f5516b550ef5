/// A memo whose size has a ceiling, for a search that runs for its whole budget: two generations of
/// at most `limit` entries each. When the young one holds `limit` entries it becomes the old one
/// (the one before is dropped) and a new young one starts; a value found in the old generation
/// moves back into the young one. So the values in use stay (the blocks a run of splits re-solves
/// again and again) and at most 2·`limit` entries are kept. Values are exact; an entry dropped is
/// only computed again. A value found in the old generation stays there too until that generation
/// is dropped, so `count` may count it twice.
///
/// Two memos age this way, each in the table that suits it (`Store`): the precedence split's block
/// values (`SplitMemo`, a Dictionary: without a ceiling 723,000 entries, about 0.9 GB, after five
/// minutes of a 153-vertex program's split: Docs/RESULTS.md "A ceiling on the split's memo") and
/// GroupBound's member factors (`FactorCache`, open addressing for its hot loop: without a ceiling
/// 14 GB in a ten-minute bound, Docs/RESULTS.md "(bounds22)").
struct GenerationalMemo<Store: GenerationStore> {
    private var young = Store()
    private var old = Store()
    /// Entries per generation (at least 1).
    var limit: Int {
        didSet { limit = max(1, limit) }
    }

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Entries held now (≤ 2·limit).
    var count: Int { young.count + old.count }

    mutating func value(for key: Store.Key) -> Store.Value? {
        if let known = young.value(for: key) { return known }
        guard let known = old.value(for: key) else { return nil }
        remember(key, known)
        return known
    }

    /// Remembers the value of a key `value(for:)` did not find.
    mutating func remember(_ key: Store.Key, _ value: Store.Value) {
        if young.count >= limit {
            swap(&old, &young)
            young.removeAll()
        }
        young.insert(key, value)
    }

    /// Forgets everything (the memo of another set).
    mutating func removeAll() {
        young.removeAll()
        old.removeAll()
    }
}

/// A table of exact values that GenerationalMemo ages in generations.
protocol GenerationStore {
    associatedtype Key
    associatedtype Value
    init()
    var count: Int { get }
    func value(for key: Key) -> Value?
    /// Adds a key not yet present (the caller looked it up first).
    mutating func insert(_ key: Key, _ value: Value)
    /// Empties the table, keeping its capacity.
    mutating func removeAll()
}

/// A Dictionary as a generation of a GenerationalMemo.
struct HashedStore<Key: Hashable, Value>: GenerationStore {
    private var table: [Key: Value] = [:]
    init() {}
    var count: Int { table.count }
    func value(for key: Key) -> Value? { table[key] }
    mutating func insert(_ key: Key, _ value: Value) { table[key] = value }
    mutating func removeAll() { table.removeAll(keepingCapacity: true) }
}
