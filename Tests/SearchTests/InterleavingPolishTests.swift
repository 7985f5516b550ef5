import XCTest
import Elimination
import Randomness
@testable import Search

/// `InterleavingPolish`: on set-determined (scalar) graphs the dynamic programme's order is the
/// cheapest of every interleaving of K into the others (enumerated); on typed graphs it is never
/// dearer and costs what the game says; the result is a permutation that keeps the others' order
/// and everything outside the span; the budget stops the polish.
final class InterleavingPolishTests: XCTestCase {
    /// Random programs (scalar or typed) and a random order of each.
    private func cases(tensors: Bool, equations: Int = 9) -> [(spec: GameSpec, order: [Int])] {
        (400..<424 as Range<UInt64>).map { seed in
            let spec = GameSpec(graph: RandomPrograms.graph(seed: seed, equations: equations, tensors: tensors))
            var rng = SplitMix64(seed: seed)
            return (spec, RandomOrders.order(spec, using: &rng))
        }
    }

    /// The least cost over every order that keeps `order[span]`'s vertices outside K in their order
    /// and places K's anywhere within the span (enumerated), the rest of `order` as it is.
    private func leastInterleaving(_ order: [Int], K: [Int], span: Range<Int>, spec: GameSpec) throws -> Int {
        let others = order[span].filter { !K.contains($0) }
        let prefix = Array(order[..<span.lowerBound]), suffix = Array(order[span.upperBound...])
        var least = Int.max
        func place(_ rest: [Int], _ built: [Int], _ i: Int) throws {
            if rest.isEmpty && i == others.count {
                least = min(least, try Baselines.score(prefix + built + suffix, on: spec).cost)
                return
            }
            if i < others.count { try place(rest, built + [others[i]], i + 1) }
            for (j, v) in rest.enumerated() {
                var r = rest
                r.remove(at: j)
                try place(r, built + [v], i)
            }
        }
        try place(K, [], 0)
        return least
    }

    /// The checks every outcome passes: a permutation, the others' order and the steps outside the
    /// span kept, the cost a full replay's, never dearer.
    private func checkShape(
        _ step: InterleavingPolish.Step, _ order: [Int], cost: Int, K: [Int], span: Range<Int>, spec: GameSpec
    ) throws {
        XCTAssertEqual(step.order.sorted(), spec.eliminable.sorted())
        XCTAssertEqual(try Baselines.score(step.order, on: spec).cost, step.cost)
        XCTAssertLessThanOrEqual(step.cost, cost)
        XCTAssertEqual(step.improved, step.cost < cost)
        XCTAssertEqual(Array(step.order[..<span.lowerBound]), Array(order[..<span.lowerBound]))
        XCTAssertEqual(Array(step.order[span.upperBound...]), Array(order[span.upperBound...]))
        XCTAssertEqual(step.order.filter { !K.contains($0) }, order.filter { !K.contains($0) })
        if !step.improved { XCTAssertEqual(step.order, order) }
    }

    func testScalarGraphsGetTheCheapestOfEveryInterleaving() throws {
        var checked = 0, improved = 0, maxGap = 0, setDetermined = 0
        for (spec, order) in cases(tensors: false) where order.count >= 6 {
            // Scalar programs with a non-dense-scalar edge (an integer power, a select) are not
            // set-determined: there the programme is a heuristic, never below the enumerated least.
            let exact = SetDeterminedGraphs.holds(for: spec)
            if exact { setDetermined += 1 }
            let polish = InterleavingPolish(spec: spec)
            let cost = try Baselines.score(order, on: spec).cost
            var rng = SplitMix64(seed: UInt64(order.count) &* 31 &+ UInt64(cost))
            for (k, span) in [(3, 0..<order.count), (2, 0..<order.count), (3, 1..<(order.count - 1))] {
                // K: k random vertices of the span.
                var pool = Array(order[span])
                var K: [Int] = []
                for _ in 0..<k {
                    K.append(pool.remove(at: Int(rng.next() % UInt64(pool.count))))
                }
                let step = try polish.interleave(order, cost: cost, K: K, span: span)
                try checkShape(step, order, cost: cost, K: K, span: span, spec: spec)
                let least = try leastInterleaving(order, K: K, span: span, spec: spec)
                maxGap = max(maxGap, abs(step.cost - least))
                if exact {
                    XCTAssertEqual(step.cost, least, "\(spec.name) K \(K) span \(span)")
                } else {
                    XCTAssertGreaterThanOrEqual(step.cost, least, "\(spec.name) K \(K) span \(span)")
                }
                checked += 1
                if step.improved { improved += 1 }
            }
        }
        print(
            "interleaving vs enumeration on scalar graphs: \(checked) sets, \(improved) improved,",
            "max |difference| \(maxGap)")
        print("of which on the \(setDetermined) set-determined graphs: \(setDetermined * 3) sets")
        XCTAssertGreaterThan(setDetermined, 8)
        XCTAssertGreaterThan(checked, 40)
        XCTAssertGreaterThan(improved, 5, "random orders have cheaper interleavings")
    }

    func testTypedGraphsAreNeverDearerAndCostWhatTheGameSays() throws {
        var typed = 0, checked = 0, improved = 0, atLeast = 0
        for (spec, order) in cases(tensors: true) where order.count >= 6 {
            if !SetDeterminedGraphs.holds(for: spec) { typed += 1 }
            let polish = InterleavingPolish(spec: spec)
            let cost = try Baselines.score(order, on: spec).cost
            for start in stride(from: 0, to: order.count - 2, by: 2) {
                let K = [order[start], order[order.count - 1 - start / 2], order[(start + order.count) / 2]]
                guard Set(K).count == 3 else { continue }
                let span = 0..<order.count
                let step = try polish.interleave(order, cost: cost, K: K, span: span)
                try checkShape(step, order, cost: cost, K: K, span: span, spec: spec)
                // A heuristic on typed graphs: never below the enumerated least.
                let least = try leastInterleaving(order, K: K, span: span, spec: spec)
                XCTAssertGreaterThanOrEqual(step.cost, least)
                if step.cost == least { atLeast += 1 }
                checked += 1
                if step.improved { improved += 1 }
            }
        }
        print(
            "typed graphs: \(typed) not set-determined, \(checked) sets, \(improved) improved,",
            "\(atLeast) reached the enumerated least")
        XCTAssertGreaterThan(typed, 5, "typed graphs are among the cases")
        XCTAssertGreaterThan(checked, 40)
        XCTAssertGreaterThan(improved, 0)
    }

    func testBadSetsAreRefused() throws {
        let (spec, order) = cases(tensors: false)[0]
        let polish = InterleavingPolish(spec: spec)
        XCTAssertThrowsError(try polish.interleave(order, cost: 0, K: [order[0], order[0]], span: 0..<order.count))
        XCTAssertThrowsError(try polish.interleave(order, cost: 0, K: [order[0]], span: 1..<order.count))
        XCTAssertThrowsError(try polish.interleave(order, cost: 0, K: [order[0]], span: 0..<(order.count + 1)))
        XCTAssertThrowsError(try polish.polish(order, cost: 0, size: 1, seconds: 1) { _ in 0 })
    }

    /// With a budget counted in work the polish is reproducible and never dearer; a tiny budget
    /// runs one set, a zero one none; a larger one runs more sets.
    func testThePolishIsDeterministicAndTheBudgetStopsIt() throws {
        for tensors in [false, true] {
            let spec = GameSpec(graph: RandomPrograms.graph(seed: 17, equations: 60, tensors: tensors))
            var rng = SplitMix64(seed: 17)
            let order = RandomOrders.order(spec, using: &rng)
            let cost = try Baselines.score(order, on: spec).cost
            let polish = InterleavingPolish(spec: spec)
            func run(_ work: Double) throws -> InterleavingPolish.Outcome {
                try polish.polish(order, cost: cost, size: 5, seconds: 1) { Double($0) / work }
            }
            let tiny = try run(1), small = try run(200_000), again = try run(200_000), large = try run(2_000_000)
            XCTAssertEqual(small, again)
            XCTAssertEqual(tiny.sets, 1)
            XCTAssertGreaterThan(large.sets, small.sets)
            for out in [tiny, small, large] {
                XCTAssertEqual(out.order.sorted(), spec.eliminable.sorted())
                XCTAssertEqual(try Baselines.score(out.order, on: spec).cost, out.cost)
                XCTAssertLessThanOrEqual(out.cost, cost)
            }
            XCTAssertLessThan(large.cost, cost, "a random order of \(spec.name) has a cheaper interleaving")
            print(
                "polish, tensors \(tensors): \(cost) → \(small.cost) (\(small.sets) sets)",
                "→ \(large.cost) (\(large.sets) sets)")
            let none = try polish.polish(order, cost: cost, size: 5, seconds: 0) { _ in 0 }
            XCTAssertEqual(
                none, InterleavingPolish.Outcome(order: order, cost: cost, sets: 0, improvements: 0, work: 0))
        }
    }

    /// In the final stage the re-interleaving runs only once the descent and the window polish stop,
    /// so with it on the order is never dearer than with it off (same work budget), and it is off
    /// by default.
    func testTheFinalStageWithItIsNeverDearer() throws {
        var lower = 0
        for seed in UInt64(30)..<34 {
            let spec = GameSpec(graph: RandomPrograms.graph(seed: seed, equations: 25, tensors: seed % 2 == 0))
            var rng = SplitMix64(seed: seed)
            let order = RandomOrders.order(spec, using: &rng)
            let cost = try Baselines.score(order, on: spec).cost
            let descent = RelocationDescent(spec: spec)
            func run(_ k: Int) throws -> RelocationDescent.Interleaved {
                try descent.descendAndPolish(
                    order, cost: cost, seconds: 1, interleaving: k, stepSeconds: 2e-5, stateSeconds: 2e-5
                ) { $0 }
            }
            let off = try run(0), on = try run(5)
            let byDefault = try descent.descendAndPolish(
                order, cost: cost, seconds: 1, stepSeconds: 2e-5, stateSeconds: 2e-5
            ) { $0 }
            XCTAssertEqual(byDefault, off)
            XCTAssertEqual(try Baselines.score(on.order, on: spec).cost, on.cost)
            XCTAssertLessThanOrEqual(on.cost, off.cost, spec.name)
            if on.cost < off.cost { lower += 1 }
        }
        print("final stage: the re-interleaving lowered \(lower) of 4 descended random orders")
    }
}
