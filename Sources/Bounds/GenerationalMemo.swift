/// A memo whose size has a ceiling, for a search that runs for its whole budget (the precedence
/// split's block values): two generations of at most `limit` entries each. When the young one holds
/// `limit` entries it becomes the old one (the one before is dropped) and a new young one starts; a
/// value found in the old generation moves back into the young one. So the values in use stay (the
/// blocks a run of splits re-solves again and again) and at most 2·`limit` entries are kept, where
/// an unbounded memo grew with every split (723,000 entries, about 0.9 GB, after five minutes of a
/// 153-vertex program's split: Docs/RESULTS.md "A ceiling on the split's memo"). Values are exact;
/// an entry dropped is only computed again. GroupBound's factor cache ages its terms the same way
/// (in its own open-addressing table, for speed). A value found in the old generation stays there
/// too until that generation is dropped, so `count` may count it twice.
struct GenerationalMemo<Key: Hashable, Value> {
    private var young: [Key: Value] = [:]
    private var old: [Key: Value] = [:]
    /// Entries per generation (at least 1).
    let limit: Int

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Entries held now (≤ 2·limit).
    var count: Int { young.count + old.count }

    mutating func value(for key: Key) -> Value? {
        if let known = young[key] { return known }
        guard let known = old[key] else { return nil }
        remember(key, known)
        return known
    }

    mutating func remember(_ key: Key, _ value: Value) {
        if young.count >= limit {
            swap(&old, &young)
            young.removeAll(keepingCapacity: true)
        }
        young[key] = value
    }
}
