import Randomness
import XCTest
@testable import Bounds

/// FactorCache is an exact map: every key it holds gives back its own value, every other key
/// nothing, through growth and clearing, including keys that differ from a held one in a single
/// field or bit (a tag or slot shared by two keys must never return the other's value).
final class FactorCacheTests: XCTestCase {
    private struct ReferenceKey: Hashable {
        var v: Int32, upstream: Bool, shared: VertexSet, remaining: VertexSet
        init(_ key: FactorCache.Key) {
            (v, upstream, shared, remaining) = (key.v, key.upstream, key.shared, key.remaining)
        }
    }

    /// Random keys over all eight words of a VertexSet, and neighbours of them one change away.
    private func keys(_ count: Int, seed: UInt64) -> [FactorCache.Key] {
        var rng = SplitMix64(seed: seed)
        func set() -> VertexSet {
            var s = VertexSet()
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                s.insert(Int.random(in: 1...VertexSet.capacity, using: &rng))
            }
            return s
        }
        var out: [FactorCache.Key] = []
        while out.count < count {
            let key = FactorCache.Key(
                v: Int32.random(in: 1...40, using: &rng), upstream: Bool.random(using: &rng), shared: set(),
                remaining: set())
            out.append(key)
            var near = key
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: near.v += 1
            case 1: near.upstream.toggle()
            case 2: near.shared.insert(Int.random(in: 1...VertexSet.capacity, using: &rng))
            default: near.remaining = near.shared
            }
            out.append(near)
        }
        return out
    }

    func testItAgreesWithADictionaryThroughGrowthAndClearing() {
        var cache = FactorCache()
        for round in 0..<3 {
            let all = keys(20_000, seed: 40 + UInt64(round))
            let (held, absent) = (all[..<12_000], all[12_000...])
            var reference: [ReferenceKey: Int32] = [:]
            for (n, key) in held.enumerated() where reference[ReferenceKey(key)] == nil {
                XCTAssertNil(cache.value(for: key))
                let value = Int32(n % 977)
                cache.insert(key, value)
                reference[ReferenceKey(key)] = value
            }
            XCTAssertEqual(cache.count, reference.count)
            XCTAssertGreaterThan(cache.count, 11_000, "round \(round): the keys should be nearly all distinct")
            var wrong = 0, found = 0
            for key in all {
                let expected = reference[ReferenceKey(key)]
                if cache.value(for: key) != expected { wrong += 1 }
                if expected != nil { found += 1 }
            }
            XCTAssertEqual(wrong, 0, "round \(round): \(wrong) of \(all.count) look-ups differ from the dictionary")
            XCTAssertGreaterThanOrEqual(found, held.count)
            XCTAssertTrue(absent.contains { reference[ReferenceKey($0)] == nil })
            cache.removeAll()
            XCTAssertEqual(cache.count, 0)
            XCTAssertEqual(held.filter { cache.value(for: $0) != nil }.count, 0, "round \(round): kept after removeAll")
        }
    }
}
