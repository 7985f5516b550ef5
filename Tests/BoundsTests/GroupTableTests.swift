import TestFixtures
import XCTest
@testable import Bounds
import Elimination
import Randomness

/// GroupBound's table memoises each member's two factors, λ_in and λ_out, by that side's bits of
/// the mask alone. These tests compute D(G | before, after) from the claim's definitions instead
/// (every term from whole sets, nothing memoised) and require the same value on random groups of
/// random graphs, at the start and at later states, with and without known precedences.
final class GroupTableTests: XCTestCase {
    /// D(G | before, after) by dynamic programming over G's subsets, each term c(v, A) straight from
    /// its definition: S ∪ A ∪ before(v) ∪ before(a ∈ A) shareable; with `after`, after(v), after(m)
    /// and m itself for every member m not yet gone are path ends (with `memberEnds` the members not
    /// yet gone alone), less the shared ones; only orders the precedences allow.
    private func reference(
        _ cuts: CutBound, _ s: VertexSet, _ members: [Int], before: [VertexSet]?, after: [VertexSet]?,
        memberEnds: Bool
    ) -> Int {
        var cuts = cuts
        let k = members.count, full = (1 << k) - 1
        var best = [Int](repeating: Int.max, count: 1 << k)
        best[full] = 0
        for mask in stride(from: full - 1, through: 0, by: -1) {
            for i in 0..<k where mask & (1 << i) == 0 {
                let allowed = members.indices.allSatisfy { j in
                    guard after != nil, j != i else { return true }
                    let gone = mask & (1 << j) != 0
                    if before![i].contains(members[j]) && !gone { return false }
                    if after![i].contains(members[j]) && gone { return false }
                    return true
                }
                guard allowed, best[mask | (1 << i)] != Int.max else { continue }
                let v = members[i]
                var shared = s
                if let before { shared.formUnion(before[i]) }
                var ends = VertexSet()
                if let after { ends.formUnion(after[i]) }
                for j in 0..<k where j != i {
                    if mask & (1 << j) != 0 {
                        shared.insert(members[j])
                        if let before { shared.formUnion(before[j]) }
                    } else {
                        if memberEnds || after != nil { ends.insert(members[j]) }
                        if let after { ends.formUnion(after[j]) }
                    }
                }
                ends = ends.subtracting(shared)
                ends.remove(v)
                let lin = cuts.disjointPaths(to: v, upstream: true, set: shared, limit: Int.max, remaining: ends)
                let term =
                    lin == 0
                    ? 0
                    : lin
                        * (cuts.disjointPaths(to: v, upstream: false, set: shared, limit: Int.max, remaining: ends)
                            - cuts.graph.freeSuccessors[v - 1])
                best[mask] = min(best[mask], term + best[mask | (1 << i)])
            }
        }
        return best[0]
    }

    func testTheFactoredTableEqualsTheTermsDefinition() throws {
        var rng = SplitMix64(seed: 4242)
        var checked = 0, large = 0, ordered = 0
        for seed in 0..<30 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(
                seed: 31000 + seed, maxEliminable: 13, outputCopies: seed % 5 == 0)
            let graph = try ScalarGraph(spec: spec)
            let order = spec.eliminable.shuffled(using: &rng)
            let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
            // The start, and a state after the first one or two vertices of the order.
            for gone in [0, 1 + Int(rng.next() % 2)] where gone < order.count - 1 {
                let s = VertexSet(order.prefix(gone))
                var sets = SetGraph(graph: graph)
                sets.load(s)
                let rest = Array(order.dropFirst(gone))
                // Every vertex left (often above GroupBound.directMemoSize: the compressed memo),
                // and a random part of them.
                var part = rest.filter { _ in rng.next() % 2 == 0 }
                if part.count < 2 { part = Array(rest.prefix(2)) }
                for members in [rest.sorted(), part.sorted()] {
                    if members.count > GroupBound.directMemoSize { large += 1 }
                    for memberEnds in [false, true] {
                        var bounds = GroupBound(graph: graph, maxSize: 2)
                        bounds.remainingEnds = memberEnds
                        _ = bounds.evaluate(sets)
                        let plain = try XCTUnwrap(bounds.exactCost(members, sets.set))
                        XCTAssertEqual(
                            plain,
                            reference(bounds.cuts, sets.set, members, before: nil, after: nil, memberEnds: memberEnds),
                            "\(spec.name) S \(order.prefix(gone)) G \(members) ends \(memberEnds)")
                        checked += 1
                        guard !memberEnds else { continue }
                        // Precedences from the order: random parts of what it puts before and after.
                        let before = members.map { x in
                            VertexSet(rest.filter { position[$0]! < position[x]! && rng.next() % 3 != 0 })
                        }
                        let after = members.map { x in
                            VertexSet(rest.filter { position[$0]! > position[x]! && rng.next() % 3 != 0 })
                        }
                        let predecessors = try XCTUnwrap(bounds.exactCost(members, sets.set, before: before))
                        XCTAssertEqual(
                            predecessors,
                            reference(bounds.cuts, sets.set, members, before: before, after: nil, memberEnds: false),
                            "\(spec.name) G \(members) before")
                        let both = try XCTUnwrap(bounds.exactCost(members, sets.set, before: before, after: after))
                        XCTAssertEqual(
                            both,
                            reference(bounds.cuts, sets.set, members, before: before, after: after, memberEnds: false),
                            "\(spec.name) G \(members) before and after")
                        if both > predecessors { ordered += 1 }
                        checked += 2
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 250)
        // The compressed memo (groups above directMemoSize) and the path ends are exercised.
        XCTAssertGreaterThan(large, 6)
        XCTAssertGreaterThan(ordered, 6)
        print("GroupTable: \(checked) group costs equal their definition (\(large) groups above the direct memo)")
    }

    /// What the table's subcube fill rests on: sharing more vertices never lowers a factor (a
    /// shared vertex is a node of infinite capacity, and more capacity never lowers a maximum
    /// flow). Random graphs, random nested sets X ⊆ Y, every vertex outside Y, both sides.
    func testSharingMoreVerticesNeverLowersAFactor() throws {
        var rng = SplitMix64(seed: 977)
        var compared = 0, raised = 0
        for seed in 0..<40 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 52000 + seed, maxEliminable: 14)
            var cuts = CutBound(graph: try ScalarGraph(spec: spec))
            for _ in 0..<6 {
                let y = spec.eliminable.filter { _ in rng.next() % 2 == 0 }
                let x = y.filter { _ in rng.next() % 2 == 0 }
                for v in spec.eliminable where !y.contains(v) {
                    for upstream in [true, false] {
                        let small = cuts.disjointPaths(to: v, upstream: upstream, set: VertexSet(x), limit: Int.max)
                        let large = cuts.disjointPaths(to: v, upstream: upstream, set: VertexSet(y), limit: Int.max)
                        XCTAssertLessThanOrEqual(small, large, "\(spec.name) v\(v) X \(x) Y \(y) upstream \(upstream)")
                        compared += 1
                        if large > small { raised += 1 }
                    }
                }
            }
        }
        XCTAssertGreaterThan(compared, 1000)
        // Not vacuous: sharing often does raise a factor.
        XCTAssertGreaterThan(raised, 50)
    }

    /// The generator's map–reduce–normalise program of 70 equations (seed 21) at the empty set, with
    /// its cut terms.
    private func reductionStart() throws -> (ScalarGraph, SetGraph, GroupBound) {
        let graph = try ScalarGraph(spec: GameSpec(graph: GraphPreset.reduction.generate(equations: 70, seed: 21)))
        var sets = SetGraph(graph: graph)
        sets.load(VertexSet())
        var bounds = GroupBound(graph: graph, maxSize: 2)
        _ = bounds.cutBound(sets)
        return (graph, sets, bounds)
    }

    /// The fill at work: where two layers of a map–reduce–normalise program meet (15 members, the
    /// later ones seeing up to 11 of the others among their ancestors), the table takes a flow for
    /// fewer than one slot in ten it reads (140 for 20,738 when written), and it agrees with its
    /// definition on a group of 9.
    func testTheSubcubeFillSettlesAReductionGroupWithFewFlows() throws {
        var (graph, sets, bounds) = try reductionStart()
        // Layer 2 is v16 … v30 (15 operations a layer over 4 lanes: 4 muls, 4 maps, 3 adds, 4
        // divides): its sum and divides and the next layer's muls and maps, where the lanes cross.
        let layer = Array(24...38)
        let before = bounds.factorFlows
        let cost = try XCTUnwrap(bounds.exactCost(layer, sets.set))
        let flows = bounds.factorFlows - before
        // The memo's slots: member v's λ_in by its ancestors in the layer, λ_out by its descendants
        // (one flow each before the fill).
        let W = graph.words, I = graph.inputCount
        func related(_ v: Int, _ table: [UInt64]) -> Int {
            let x = graph.node(ofVertex: v)
            return layer.filter { u in
                let y = I + u - 1
                return table[x * W + y >> 6] & (UInt64(1) << UInt64(y & 63)) != 0
            }.count
        }
        let slots = layer.reduce(0) { $0 + 1 << related($1, graph.ancestors) + 1 << related($1, graph.descendants) }
        XCTAssertLessThan(flows * 10, slots, "\(flows) flows for \(slots) slots")
        XCTAssertGreaterThan(cost, layer.reduce(0) { $0 + bounds.cuts.terms[$1 - 1] })
        let part = Array(20...28)
        XCTAssertEqual(
            try XCTUnwrap(bounds.exactCost(part, sets.set)),
            reference(bounds.cuts, sets.set, part, before: nil, after: nil, memberEnds: false))
        print("GroupTable: a reduction group of 15 settled with \(flows) flows for \(slots) slots, D = \(cost)")
    }

    /// With precedences the table settles only the subsets an allowed order passes through: under a
    /// total order of 14 members, the 14 prefixes short of the whole group (of 16,383 subsets), and
    /// D(G) is that order's cost, term by term from the definition.
    func testATotalOrderSettlesOnlyItsPrefixes() throws {
        var (_, sets, bounds) = try reductionStart()
        let members = Array(24...37)
        // Any order of eliminable vertices is one (the division by the sum before the sum, here).
        let order = Array(members.reversed())
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        let before = members.map { x in VertexSet(members.filter { position[$0]! < position[x]! }) }
        let after = members.map { x in VertexSet(members.filter { position[$0]! > position[x]! }) }
        let settled = bounds.masksSettled
        let cost = try XCTUnwrap(bounds.exactCost(members, sets.set, before: before, after: after))
        XCTAssertEqual(bounds.masksSettled - settled, members.count)
        XCTAssertEqual(cost, reference(bounds.cuts, sets.set, members, before: before, after: after, memberEnds: false))
        // Without precedences, every subset short of the whole group.
        let all = bounds.masksSettled
        _ = try XCTUnwrap(bounds.exactCost(members, sets.set))
        XCTAssertEqual(bounds.masksSettled - all, (1 << members.count) - 1)
    }
}
