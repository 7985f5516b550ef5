import XCTest
import Elimination
import Randomness
@testable import Search

/// `RelocationDescent`: never dearer, its cost is a full replay's, deterministic under a work
/// count, and it makes the long move a window polish cannot.
final class RelocationDescentTests: XCTestCase {
    /// Scalar and typed (not set-determined) random programs, and a random order of each.
    private func cases() -> [(spec: GameSpec, order: [Int])] {
        (500..<510 as Range<UInt64>).map { seed in
            let spec = GameSpec(graph: RandomPrograms.graph(seed: seed, equations: 40, tensors: seed % 2 == 0))
            var rng = SplitMix64(seed: seed)
            return (spec, RandomOrders.order(spec, using: &rng))
        }
    }

    func testNeverDearerAndCostsWhatAFullReplaySays() throws {
        var improved = 0, typed = 0
        for (spec, order) in cases() {
            let cost = try Baselines.score(order, on: spec).cost
            if !SetDeterminedGraphs.holds(for: spec) { typed += 1 }
            for budget in [200, 5_000, 1_000_000] {
                let out = try RelocationDescent(spec: spec).descend(order, seconds: 1) { Double($0) / Double(budget) }
                XCTAssertEqual(try Baselines.score(out.order, on: spec).cost, out.cost, spec.name)
                XCTAssertEqual(out.order.sorted(), order.sorted())
                XCTAssertLessThanOrEqual(out.cost, cost)
                XCTAssertEqual(out.moves > 0, out.cost < cost)
                if out.cost < cost { improved += 1 }
            }
        }
        XCTAssertGreaterThan(improved, 0, "random orders can be improved by relocations")
        XCTAssertGreaterThan(typed, 0, "typed graphs are among the cases")
    }

    /// The same work budget gives the same descent; a larger one descends at least as far (to a
    /// local optimum, where a further pass moves nothing); a zero budget changes nothing.
    func testDeterministicUnderAWorkCountAndStopsAtALocalOptimum() throws {
        let (spec, order) = cases()[1]
        let descent = RelocationDescent(spec: spec)
        func run(_ units: Double, from start: [Int] = order) throws -> RelocationDescent.Outcome {
            try descent.descend(start, seconds: 1) { Double($0) / units }
        }
        let small = try run(3_000), again = try run(3_000), full = try run(1e12)
        XCTAssertEqual(small, again)
        XCTAssertLessThanOrEqual(small.work, 3_000 + order.count * 2, "stops once the budget is spent")
        XCTAssertLessThanOrEqual(full.cost, small.cost)
        XCTAssertGreaterThan(full.passes, 1)
        let converged = try run(1e12, from: full.order)
        XCTAssertEqual(converged.cost, full.cost)
        XCTAssertEqual(converged.moves, 0)
        XCTAssertEqual(converged.passes, 1)
        let none = try descent.descend(order, seconds: 0) { _ in 0 }
        XCTAssertEqual(none.order, order)
        XCTAssertEqual(none.evaluations, 0)
    }

    /// v = a·b feeds w = sin v (then the output y = cos w); a chain of 20 vertices from z, which
    /// costs 1 per step in any order, sits between them in the order. Eliminating v first makes w
    /// cost 2 (a and b behind it) instead of 1: the only gain is to eliminate v after w, 21 steps
    /// later, farther than any window a polish orders exactly.
    func testMovesAnEarlyVertexPastEveryWindow() throws {
        let chain = 20
        var lines = ["v:f32[] = mul a b"]
        var last = "z"
        for k in 1...chain {
            lines.append("c\(k):f32[] = sin \(last)")
            last = "c\(k)"
        }
        lines += ["w:f32[] = sin v", "y:f32[] = cos w", "o:f32[] = cos \(last)"]
        let text = "{ lambda ; a:f32[] b:f32[] z:f32[]. let\n" + lines.joined(separator: "\n") + "\n in (y, o) }"
        let spec = GameSpec(graph: try ComputationalGraph.fromJaxpr(text, name: "far"))
        let order = Array(1...(chain + 2))  // v, the chain, w
        let cost = try Baselines.score(order, on: spec).cost
        XCTAssertEqual(cost, chain + 2 + 2)

        let polished = try ExactWindowPolish(spec: spec).polish(order, cost: cost, seconds: 1) { _ in 0 }
        XCTAssertEqual(polished.cost, cost, "no window of ≤ \(ExactWindowPolish.maxWindow) steps holds v and w")
        XCTAssertGreaterThan(polished.windows, 1)

        let out = try RelocationDescent(spec: spec).descend(order, seconds: 1) { _ in 0 }
        XCTAssertEqual(out.cost, chain + 1 + 2)
        XCTAssertEqual(try Baselines.score(out.order, on: spec).cost, out.cost)
        XCTAssertGreaterThan(out.order.firstIndex(of: 1)!, out.order.firstIndex(of: chain + 2)!, "v after w")
    }

    func testBlockMovesKeepTheBlockInItsOrder() {
        let base = Array(0..<10)
        for length in 1...3 {
            for from in 0...(10 - length) {
                for to in 0...(10 - length) where to != from {
                    var order = base
                    for move in RelocationDescent.blockMove(from: from, length: length, to: to) {
                        move.apply(to: &order)
                    }
                    XCTAssertEqual(Array(order[to..<(to + length)]), Array(base[from..<(from + length)]))
                    let rest = base.filter { !(from..<(from + length)).contains($0) }
                    XCTAssertEqual(order.filter { !(from..<(from + length)).contains($0) }, rest)
                }
            }
        }
    }
}
