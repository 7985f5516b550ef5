import Foundation
import Randomness
import XCTest

@testable import Bounds
import Elimination

/// The probe behind RESULTS' bounds8 paragraph: the cheapest order that keeps a base order's
/// relative order of the vertices outside K and places K's vertices anywhere, by an exact dynamic
/// program over (prefix of the others, subset of K). Scalar graphs are set-determined, so a state is
/// the set (prefix ∪ K's subset) and each step's cost comes from `SetGraph`.
final class InterleavingProbeTests: XCTestCase {
    /// (cost, order) of the cheapest interleaving of `K` into `base` (the other vertices, in order).
    static func cheapestInterleaving(_ graph: ScalarGraph, base: [Int], K: [Int]) -> (cost: Int, order: [Int]) {
        let k = K.count, n = base.count, full = (1 << k) - 1
        var sets = SetGraph(graph: graph)
        var best = [[Int]](repeating: [Int](repeating: Int.max, count: 1 << k), count: n + 1)
        var choice = [[Int]](repeating: [Int](repeating: -1, count: 1 << k), count: n + 1)
        for i in stride(from: n, through: 0, by: -1) {
            let prefix = VertexSet(base[0..<i])
            for mask in stride(from: full, through: 0, by: -1) {
                if i == n && mask == full {
                    best[i][mask] = 0
                    continue
                }
                var set = prefix
                for j in 0..<k where mask & (1 << j) != 0 { set.insert(K[j]) }
                sets.load(set)
                if i < n {
                    best[i][mask] = sets.cost(base[i]) + best[i + 1][mask]
                    choice[i][mask] = -1
                }
                for j in 0..<k where mask & (1 << j) == 0 {
                    let c = sets.cost(K[j]) + best[i][mask | (1 << j)]
                    if c < best[i][mask] {
                        best[i][mask] = c
                        choice[i][mask] = j
                    }
                }
            }
        }
        var i = 0, mask = 0, order: [Int] = []
        while !(i == n && mask == full) {
            let j = choice[i][mask]
            if j < 0 {
                order.append(base[i])
                i += 1
            } else {
                order.append(K[j])
                mask |= 1 << j
            }
        }
        return (best[0][0], order)
    }

    /// On random graphs: the dynamic program's value is the least cost over every interleaving
    /// (enumerated), and its order is one of them and costs that value.
    func testDynamicProgramEqualsEveryInterleavingEnumerated() throws {
        var checked = 0
        for seed in UInt64(1)...40 {
            let spec = BoundsFixtures.randomScalar(seed: seed, maxEliminable: 8)
            let graph = try ScalarGraph(spec: spec)
            var rng = SplitMix64(seed: seed)
            let order = RandomOrders.order(spec, using: &rng)
            guard order.count >= 4 else { continue }
            let K = Array(order.prefix(3)).sorted()
            let base = order.filter { !K.contains($0) }
            let probe = Self.cheapestInterleaving(graph, base: base, K: K)
            // Every interleaving: choose K's positions among order.count slots, in every order of K.
            var least = Int.max
            func place(_ rest: [Int], _ prefix: [Int], _ i: Int) throws {
                if rest.isEmpty && i == base.count {
                    least = min(least, try Baselines.score(prefix, on: spec).cost)
                    return
                }
                if i < base.count { try place(rest, prefix + [base[i]], i + 1) }
                for (j, v) in rest.enumerated() {
                    var r = rest
                    r.remove(at: j)
                    try place(r, prefix + [v], i)
                }
            }
            try place(K, [], 0)
            XCTAssertEqual(probe.cost, least, "seed \(seed)")
            XCTAssertEqual(try Baselines.score(probe.order, on: spec).cost, probe.cost, "seed \(seed)")
            XCTAssertEqual(base, probe.order.filter { !K.contains($0) }, "seed \(seed)")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 30)
    }

    /// RoeFlux_1d's gap chain X = v32 → … → v41 re-interleaved into the record's order of the other
    /// 92 vertices: an order of every eliminable vertex, costing what the game says, never above the
    /// record (the record is one of the interleavings).
    func testRoeFluxChainReinterleavedIntoTheRecord() throws {
        let spec = GameSpec(graph: try BoundsFixtures.graph("RoeFlux_1d"))
        let graph = try ScalarGraph(spec: spec)
        let data = try Data(contentsOf: BoundsFixtures.root.appendingPathComponent("Datasets/best-orders.json"))
        let entry = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["RoeFlux_1d"] as? [String: Any])
        let record = try XCTUnwrap(entry["order"] as? [Int])
        let recordCost = try Baselines.score(record, on: spec).cost
        let K = [32, 35, 36, 39, 40, 41]
        let probe = Self.cheapestInterleaving(graph, base: record.filter { !K.contains($0) }, K: K)
        XCTAssertEqual(probe.order.sorted(), spec.eliminable.sorted())
        XCTAssertEqual(try Baselines.score(probe.order, on: spec).cost, probe.cost)
        XCTAssertLessThanOrEqual(probe.cost, recordCost)
        XCTAssertEqual(probe.cost, recordCost, "bounds8's finding: no re-interleaving of the chain beats the record")
    }
}
