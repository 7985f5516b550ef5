import XCTest
@testable import Bounds
import Elimination
import Randomness

/// The lower bound never exceeds the true optimum of what is left, from any set, and is consistent
/// (what A*'s closed set and the anytime bound rely on).
final class CutBoundTests: XCTestCase {
    func testNeverExceedsTheOptimumFromAnySetOnRandomScalarGraphs() throws {
        var sets = 0, tight = 0, positive = 0, pairsHelped = 0, groupsHelped = 0
        for seed in 0..<250 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: seed, maxEliminable: 9)
            let optimum = BoundsFixtures.optimumFromEverySet(spec)
            let graph = try ScalarGraph(spec: spec)
            var setGraph = SetGraph(graph: graph)
            var cuts = CutBound(graph: graph)
            var pairs = GroupBound(graph: graph, maxSize: 2)
            // Groups of up to 3 enumerated, then merged up to 9 (the whole graph, at most).
            var groups = GroupBound(graph: graph, maxSize: 3, mergeSize: 9)
            var child = SetGraph(graph: graph)
            for (set, value) in optimum {
                setGraph.load(set)
                let h = cuts.evaluate(setGraph)
                let withPairs = pairs.evaluate(setGraph)
                let withGroups = groups.evaluate(setGraph)
                XCTAssertLessThanOrEqual(
                    withPairs, value, "\(spec.name): h \(h) + pairs > optimum \(value) after \(set)")
                XCTAssertLessThanOrEqual(
                    withGroups, value, "\(spec.name): h \(h) + merged groups > optimum \(value) after \(set)")
                if withPairs > h { pairsHelped += 1 }
                if withGroups > withPairs { groupsHelped += 1 }
                // Consistency: h(S) ≤ cost(v) + h(S + v) for every remaining v.
                for v in spec.eliminable where !set.contains(v) {
                    let step = setGraph.cost(v)
                    child.load(set.inserting(v))
                    XCTAssertLessThanOrEqual(h, step + cuts.evaluate(child), "\(spec.name) inconsistent at v\(v)")
                }
                sets += 1
                if withGroups == value { tight += 1 }
                if h > 0 { positive += 1 }
            }
        }
        print(
            "CutBound: \(sets) sets, bound tight on \(tight), positive on \(positive), raised by pairs on \(pairsHelped), by larger groups beyond pairs on \(groupsHelped)"
        )
        XCTAssertGreaterThan(sets, 5_000)
        // A bound that is always 0 would pass the inequality: it must be informative.
        XCTAssertGreaterThan(positive, sets / 2)
        XCTAssertGreaterThan(pairsHelped, 100)
        XCTAssertGreaterThan(groupsHelped, 20)
    }

    /// `degree` walks the original graph through T to |P_T(v)| and |succ_T(v)|, which SetGraph gets
    /// by rebuilding the graph after T; as the limit of `disjointPaths` it changes no λ, with path
    /// ends or without (it is a cut: the flow stops there instead of failing one more search).
    func testTheDegreeWalkIsTheSetGraphsDegreeAndLimitsNoFlow() throws {
        var checked = 0, reached = 0
        let specs = (0..<60 as Range<UInt64>).map { BoundsFixtures.randomScalar(seed: 500 + $0, maxEliminable: 12) }
        for (seed, spec) in specs.enumerated() {
            let graph = try ScalarGraph(spec: spec)
            var (sets, cuts) = (SetGraph(graph: graph), CutBound(graph: graph))
            var rng = SplitMix64(seed: UInt64(seed))
            for _ in 0..<20 {
                let set = VertexSet(spec.eliminable.filter { _ in rng.next() % 3 == 0 })
                sets.load(set)
                for v in spec.eliminable where !set.contains(v) {
                    let degrees = [true, false].map { cuts.degree(of: v, upstream: $0, after: set) }
                    XCTAssertEqual(
                        degrees, [sets.predecessorCount[v - 1], sets.successorCount[v - 1]],
                        "\(spec.name) v\(v) after \(set)")
                    let ends = VertexSet(spec.eliminable.filter { !set.contains($0) && $0 != v && rng.next() % 4 == 0 })
                    for (side, upstream) in [true, false].enumerated() {
                        let free = cuts.disjointPaths(
                            to: v, upstream: upstream, set: set, limit: Int.max, remaining: ends)
                        let limited = cuts.disjointPaths(
                            to: v, upstream: upstream, set: set, limit: degrees[side], remaining: ends)
                        XCTAssertEqual(limited, free, "\(spec.name) v\(v) after \(set), ends \(ends)")
                        XCTAssertLessThanOrEqual(free, degrees[side])
                        if free == degrees[side] { reached += 1 }
                        checked += 1
                    }
                }
            }
        }
        print("degree: \(checked) flows checked, \(reached) of them reach the degree (their last search saved)")
        XCTAssertGreaterThan(checked, 5_000)
        XCTAssertGreaterThan(reached, checked / 4)
    }

    /// `disjointPaths` against its definition (Menger): the fewest nodes outside T, path ends
    /// included, whose removal leaves no path from a path end (a fixed node or a `remaining` vertex)
    /// to v, found by trying every node set in order of size. Random T and path ends, both sides,
    /// with and without output copies (a fixed node upstream of v).
    func testDisjointPathsIsTheSmallestCutOutsideT() throws {
        var rng = SplitMix64(seed: 8080)
        var checked = 0, positive = 0, throughT = 0, raisedByEnds = 0
        for seed in 0..<80 as Range<UInt64> {
            let spec = BoundsFixtures.randomScalar(seed: 9100 + seed, maxEliminable: 10, outputCopies: seed % 4 == 0)
            let graph = try ScalarGraph(spec: spec)
            var cuts = CutBound(graph: graph)
            for _ in 0..<12 {
                let v = spec.eliminable[Int(rng.next() % UInt64(spec.eliminable.count))]
                let others = spec.eliminable.filter { $0 != v }
                let gone = VertexSet(others.filter { _ in rng.next() % 3 == 0 })
                let ends = VertexSet(others.filter { !gone.contains($0) && rng.next() % 4 == 0 })
                for upstream in [true, false] {
                    let flow = cuts.disjointPaths(to: v, upstream: upstream, set: gone, limit: Int.max, remaining: ends)
                    let cut = Self.smallestCut(graph, v, upstream: upstream, gone: gone, ends: ends)
                    XCTAssertEqual(flow, cut, "\(spec.name) v\(v) upstream \(upstream) T \(gone) ends \(ends)")
                    let plain = cuts.disjointPaths(to: v, upstream: upstream, set: gone, limit: Int.max)
                    XCTAssertEqual(plain, Self.smallestCut(graph, v, upstream: upstream, gone: gone, ends: VertexSet()))
                    let bare = cuts.disjointPaths(to: v, upstream: upstream, set: VertexSet(), limit: Int.max)
                    checked += 1
                    if flow > 0 { positive += 1 }
                    if plain > bare { throughT += 1 }
                    if flow > plain { raisedByEnds += 1 }
                }
            }
        }
        XCTAssertEqual(checked, 1_920)
        // Informative cases: positive flows, flows raised by sharing T, and by path ends.
        XCTAssertGreaterThan(positive, checked / 2)
        XCTAssertGreaterThan(throughT, 50)
        XCTAssertGreaterThan(raisedByEnds, 50)
    }

    /// The size of the smallest set of nodes outside `gone` (vertices of T: never cut) separating
    /// v from the path ends of its side, by brute force over node sets of growing size.
    private static func smallestCut(
        _ graph: ScalarGraph, _ v: Int, upstream: Bool, gone: VertexSet, ends: VertexSet
    ) -> Int {
        let I = graph.inputCount, t = graph.node(ofVertex: v)
        // Node-indexed both ways (`predecessors` is indexed by vertex).
        var into = [[Int]](repeating: [], count: graph.nodeCount)
        for (x, successors) in graph.successors.enumerated() { for y in successors { into[y].append(x) } }
        let away = upstream ? into : graph.successors
        func isVertex(_ x: Int, in set: VertexSet) -> Bool { x >= I && set.contains(x - I + 1) }
        var region = Set<Int>(), stack = [t]
        while let x = stack.popLast() {
            for y in away[x] where !region.contains(y) {
                region.insert(y)
                stack.append(y)
            }
        }
        let pathEnds = region.filter { graph.isFixed[$0] || isVertex($0, in: ends) }
        let candidates = region.filter { !isVertex($0, in: gone) }.sorted()
        func separates(_ cut: Set<Int>) -> Bool {
            var seen = Set<Int>(), stack = [t]
            while let x = stack.popLast() {
                for y in away[x] where !cut.contains(y) && !seen.contains(y) {
                    if pathEnds.contains(y) { return false }
                    seen.insert(y)
                    stack.append(y)
                }
            }
            return true
        }
        func exists(size: Int, from start: Int, _ cut: inout Set<Int>) -> Bool {
            guard size > 0 else { return separates(cut) }
            guard start < candidates.count else { return false }
            for i in start..<candidates.count {
                cut.insert(candidates[i])
                defer { cut.remove(candidates[i]) }
                if exists(size: size - 1, from: i + 1, &cut) { return true }
            }
            return false
        }
        for size in 0...candidates.count {
            var cut = Set<Int>()
            if exists(size: size, from: 0, &cut) { return size }
        }
        return candidates.count
    }

    func testMengerCountsOnAHandMadeDiamond() throws {
        // a, b → v1 = a*b; v2 = sin v1; v3 = cos v1; v4 = v2 + v3 (output): v1 has 2 disjoint paths
        // in and one out (through v2 or v3, which meet at v4), so its term is 2·1 and v2, v3 have 1·1.
        let text = """
            { lambda ; a:f32[] b:f32[]. let c:f32[] = mul a b; d:f32[] = sin c; e:f32[] = cos c; f:f32[] = add d e in (f) }
            """
        let spec = GameSpec(graph: try ComputationalGraph.fromJaxpr(text, name: "diamond"))
        let graph = try ScalarGraph(spec: spec)
        var sets = SetGraph(graph: graph)
        var cuts = CutBound(graph: graph)
        sets.load(VertexSet())
        XCTAssertEqual(cuts.evaluate(sets), 2 + 1 + 1)
        XCTAssertEqual(cuts.terms[0...2], [2, 1, 1])
        // After eliminating v2 and v3, v1 has the single successor v4 twice over: still 2·1.
        sets.load(VertexSet([2, 3]))
        XCTAssertEqual(cuts.evaluate(sets), 2)
        XCTAssertEqual(BoundsFixtures.optimumFromEverySet(spec)[VertexSet()], 4)
    }

    /// A graph built without the reach tables (`forSetSearch` false: how BoundRun takes one larger
    /// than the set-keyed search holds) gets the same start terms, vertex by vertex, as the search's
    /// own CutBound at the empty set: the walked reach rows are the tables' rows. With copies too.
    func testStartTermsWithoutTheReachTablesAreTheSearchsStartTerms() throws {
        var graphs = 0, positive = 0, withCopies = 0
        for seed in 0..<120 as Range<UInt64> {
            let spec =
                seed % 4 == 3
                ? BoundsFixtures.randomScalar(seed: seed, maxEliminable: 12, outputCopies: true)
                : GameSpec(
                    graph: RandomGraphs.scalar(
                        seed: seed, inputs: 2 + Int(seed % 4), equations: 30 + Int(seed % 90),
                        outputs: 1 + Int(seed % 3)))
            let tables = try ScalarGraph(spec: spec)
            let walked = try ScalarGraph(spec: spec, forSetSearch: false)
            XCTAssertTrue(tables.hasReachTables)
            XCTAssertFalse(walked.hasReachTables)
            var sets = SetGraph(graph: tables)
            sets.load(VertexSet())
            var searchCuts = CutBound(graph: tables), startCuts = CutBound(graph: walked)
            let h = searchCuts.evaluate(sets)
            let start = startCuts.startTerms()
            XCTAssertEqual(start.done, spec.vertexCount, spec.name)
            XCTAssertEqual(start.total, h, spec.name)
            XCTAssertEqual(startCuts.terms, searchCuts.terms, spec.name)
            XCTAssertEqual(startCuts.lambdaIn, searchCuts.lambdaIn, spec.name)
            XCTAssertEqual(startCuts.lambdaOut, searchCuts.lambdaOut, spec.name)
            // The tables' CutBound gives the same start terms through either entry.
            var again = CutBound(graph: tables)
            XCTAssertEqual(again.startTerms().total, h, spec.name)
            graphs += 1
            if h > 0 { positive += 1 }
            if tables.hasOutputCopies { withCopies += 1 }
        }
        print(
            "start terms without the reach tables: \(graphs) graphs, \(positive) with a positive bound, \(withCopies) with output copies"
        )
        // Informative (a bound that is always 0 would be equal too), and both kinds of graphs seen.
        XCTAssertGreaterThan(positive, graphs * 9 / 10)
        XCTAssertGreaterThanOrEqual(withCopies, 30)
        XCTAssertLessThan(withCopies, graphs)
    }

    /// Stopped early, the start terms are the terms of the vertices done so far: a partial sum of
    /// terms that are each ≥ 0, so still a lower bound.
    func testStartTermsStoppedEarlyAreThePartialSum() throws {
        let spec = GameSpec(graph: RandomGraphs.scalar(seed: 5, inputs: 3, equations: 80, outputs: 2))
        let graph = try ScalarGraph(spec: spec, forSetSearch: false)
        var all = CutBound(graph: graph)
        let full = all.startTerms()
        XCTAssertEqual(full.total, all.terms.reduce(0, +))
        for k in [0, 1, 17, 79] {
            var asked = 0
            var partial = CutBound(graph: graph)
            let part = partial.startTerms(shouldStop: {
                defer { asked += 1 }
                return asked >= k
            })
            XCTAssertEqual(part.done, k)
            XCTAssertEqual(part.total, all.terms[0..<k].reduce(0, +), "first \(k) vertices")
            XCTAssertLessThanOrEqual(part.total, full.total)
        }
    }
}
