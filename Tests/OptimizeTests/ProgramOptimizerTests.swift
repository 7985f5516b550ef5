import Foundation
import XCTest
import Checkpoint
import Elimination
import PPO
@testable import Optimize
import Search
import TestFixtures

final class ProgramOptimizerTests: XCTestCase {
    private func graph(_ name: String) throws -> ComputationalGraph {
        let url = TestFixtures.root.appendingPathComponent("Datasets/\(name).graph")
        return try GraphFile.read(try String(contentsOf: url, encoding: .utf8), path: url.path)
    }

    /// An untrained tiny policy: what matters here is the plumbing, not the weights.
    private func tinyPolicy() throws -> LoadedPolicy {
        let net = try PolicyNetwork(config: TestFixtures.tinyNetwork, maxBatch: 1, maxTokens: 1, seed: 7)
        return LoadedPolicy(
            path: "tiny.h5", network: TestFixtures.tinyNetwork, parameters: net.parameterArray(), tasks: ["chain"],
            updates: 0)
    }

    /// mlp_gelu3, the tiny policy, and a work budget of about 30 greedy decodes in 0.2 s: the
    /// set-up of the polish and descent tests.
    private func mlpGelu3WithAWorkBudget() throws -> (
        ComputationalGraph, GameSpec, LoadedPolicy, LoadedPolicy.WorkBudget
    ) {
        let path = TestFixtures.root.appendingPathComponent("Datasets/corpus/jaxpr/mlp_gelu3.jaxpr").path
        let g = try ComputationalGraph.fromJaxpr(String(contentsOfFile: path, encoding: .utf8), name: "mlp_gelu3")
        let spec = GameSpec(graph: g)
        let rowsPerGreedy = Double((0..<spec.eliminable.count).reduce(0) { $0 + spec.vertexCount - $1 })
        let work = LoadedPolicy.WorkBudget(tokenRowsPerSecond: rowsPerGreedy * 30 / 0.2, ceiling: 1e6)
        return (g, spec, try tinyPolicy(), work)
    }

    private func optimizer(seconds: Double, threads: Int = 2) -> ProgramOptimizer {
        let clock = SteppingClock(step: 0.01)
        var o = ProgramOptimizer { clock.read() }
        o.seconds = seconds
        o.threads = threads
        o.samples = 4
        o.decodingSeconds = 0  // one batch of samples
        o.annealingIterations = 1_000  // fixed work: no probe against the stepping clock
        return o
    }

    func testPolicyAloneDecodesVerifiedOrders() throws {
        let g = try graph("RoeFlux_1d")
        let spec = GameSpec(graph: g)
        let outcome = try optimizer(seconds: 0).run(g, policy: try tinyPolicy())
        XCTAssertTrue(outcome.best.method.hasPrefix("policy-"), outcome.best.method)
        XCTAssertEqual(Set(outcome.candidates.map(\.method)), ["policy-greedy", "policy-samples"])
        XCTAssertEqual(try Baselines.score(outcome.best.order, on: spec).cost, outcome.best.cost)
        XCTAssertEqual(outcome.policyBest, outcome.best)
        XCTAssertEqual(outcome.policy, "tiny.h5")
        XCTAssertNotNil(outcome.policySeconds)
    }

    /// The decoding budget buys the deviation search and sampled orders (the stepping clock makes
    /// it fixed work): greedy and one batch at budget 0; with a budget, a search of several
    /// completions that stops within its share of the budget (`LoadedPolicy.searchShare`) and
    /// leaves the rest to samples, never a worse sampled best for the same seed; a budget the
    /// greedy decode already spent decodes nothing more.
    func testDecodingBudgetSamplesMoreBatches() throws {
        let path = TestFixtures.root.appendingPathComponent("Datasets/corpus/jaxpr/mlp_gelu3.jaxpr").path
        let g = try ComputationalGraph.fromJaxpr(String(contentsOfFile: path, encoding: .utf8), name: "mlp_gelu3")
        let spec = GameSpec(graph: g)
        let policy = try tinyPolicy()
        func samples(_ seconds: Double, methods: [String]) throws -> [SearchResult] {
            let clock = SteppingClock(step: 0.01)
            let decoded = try policy.decode(spec, batch: 4, seconds: seconds, seed: 5, polishShare: 0, descentShare: 0)
            { clock.read() }
            XCTAssertEqual(decoded.map(\.method), methods)
            for d in decoded { XCTAssertEqual(try Baselines.score(d.order, on: spec).cost, d.cost, d.method) }
            // Every read moves the clock 10 ms: the whole decode ended within the budget and the
            // overrun of its last completion or batch and a few reads of the clock (10 ms each).
            XCTAssertLessThanOrEqual(clock.read(), seconds + 0.065)
            return decoded
        }
        let one = try samples(0, methods: ["policy-greedy", "policy-samples"])
        let more = try samples(0.4, methods: ["policy-greedy", "policy-search", "policy-samples"])
        XCTAssertEqual(one[1].evaluations, 4)
        // The search asks the clock once per completion, each taken as one greedy decode (10 ms):
        // it stops when another would pass 0.75 × 0.4 s, after about 28 completions.
        XCTAssertGreaterThan(more[1].evaluations, 20)
        XCTAssertLessThanOrEqual(more[1].evaluations, Int(0.4 * LoadedPolicy.searchShare / 0.01))
        XCTAssertLessThanOrEqual(more[1].cost, more[0].cost, "the search starts from the greedy order")
        XCTAssertGreaterThan(more[2].evaluations, 4, "the rest of the budget samples several batches")
        XCTAssertLessThanOrEqual(more[2].cost, one[1].cost, "the first batch is the same seeded draw")
        let clock = SteppingClock(step: 0.01)
        let spent = try policy.decode(spec, batch: 4, seconds: 0.005, seed: 5, polishShare: 0, descentShare: 0) {
            clock.read()
        }
        XCTAssertEqual(spent.map(\.method), ["policy-greedy"])
        XCTAssertThrowsError(
            try {
                var o = optimizer(seconds: 0); o.decodingSeconds = -1; return o
            }().run(g, policy: policy))
    }

    /// A work budget (`LoadedPolicy.WorkBudget`) decodes the same orders whatever the wall clock
    /// does below its ceiling (two clocks at different speeds: the same results, the search and samples
    /// included), and stops at the ceiling: a wall clock past it after the greedy decode leaves the
    /// greedy order alone.
    func testAWorkBudgetIsReproducibleAndTheWallClockIsItsCeiling() throws {
        let path = TestFixtures.root.appendingPathComponent("Datasets/corpus/jaxpr/mlp_gelu3.jaxpr").path
        let g = try ComputationalGraph.fromJaxpr(String(contentsOfFile: path, encoding: .utf8), name: "mlp_gelu3")
        let spec = GameSpec(graph: g)
        let policy = try tinyPolicy()
        // A nominal rate such that the budget holds about 30 greedy decodes of this graph.
        let rowsPerGreedy = Double((0..<spec.eliminable.count).reduce(0) { $0 + spec.vertexCount - $1 })
        let work = LoadedPolicy.WorkBudget(tokenRowsPerSecond: rowsPerGreedy * 30 / 0.2, ceiling: 1e6)
        func decode(step: Double, work: LoadedPolicy.WorkBudget) throws -> [SearchResult] {
            var now = 0.0
            return try policy.decode(spec, batch: 4, seconds: 0.2, seed: 5, polishShare: 0, descentShare: 0, work: work)
            {
                now += step
                return now
            }
        }
        let slow = try decode(step: 0.05, work: work), fast = try decode(step: 0.0001, work: work)
        XCTAssertEqual(slow.map(\.method), ["policy-greedy", "policy-search", "policy-samples"])
        XCTAssertEqual(slow, fast)
        XCTAssertGreaterThan(slow.last!.evaluations, 4)
        let capped = try decode(
            step: 1, work: LoadedPolicy.WorkBudget(tokenRowsPerSecond: work.tokenRowsPerSecond, ceiling: 1.5))
        XCTAssertEqual(capped.map(\.method), ["policy-greedy"])
        XCTAssertEqual(capped[0], slow[0])
    }

    /// The exact polish (`LoadedPolicy.polishShare` of the budget, after the decoders): one more
    /// order, "policy-polish", never dearer than the cheapest decoded one and what the game says it
    /// costs; under a work budget the same orders whatever the wall clock does; no polish at share 0
    /// or with a budget of 0.
    func testThePolishComesLastIsNeverDearerAndIsReproducibleUnderAWorkBudget() throws {
        let (g, spec, policy, work) = try mlpGelu3WithAWorkBudget()
        func decode(step: Double, share: Double = LoadedPolicy.polishShare) throws -> [SearchResult] {
            var now = 0.0
            return try policy.decode(
                spec, batch: 4, seconds: 0.2, seed: 5, polishShare: share, descentShare: 0, work: work
            ) {
                now += step
                return now
            }
        }
        let slow = try decode(step: 0.05), fast = try decode(step: 0.0001)
        XCTAssertEqual(slow, fast)
        XCTAssertEqual(slow.last?.method, "policy-polish")
        let polished = slow.last!, decoded = slow.dropLast()
        XCTAssertEqual(try Baselines.score(polished.order, on: spec).cost, polished.cost)
        XCTAssertLessThanOrEqual(polished.cost, decoded.map(\.cost).min()!)
        XCTAssertGreaterThan(polished.evaluations, 1, "windows searched")
        XCTAssertFalse(try decode(step: 0.05, share: 0).contains { $0.method == "policy-polish" })
        XCTAssertFalse(
            try policy.decode(spec, batch: 4, seconds: 0, seed: 5) { 0 }.contains { $0.method == "policy-polish" })
        XCTAssertThrowsError(
            try {
                var o = optimizer(seconds: 0); o.polishShare = 1; return o
            }().run(g, policy: policy))
    }

    /// The long-range descent (`LoadedPolicy.descentShare` of the budget, after the polish): one
    /// more order, "policy-descent", from the cheapest so far, never dearer and what the game says
    /// it costs; under a work budget the same orders whatever the wall clock does; none at share 0.
    func testTheDescentComesLastIsNeverDearerAndIsReproducibleUnderAWorkBudget() throws {
        let (g, spec, policy, work) = try mlpGelu3WithAWorkBudget()
        func decode(step: Double, share: Double = LoadedPolicy.descentShare) throws -> [SearchResult] {
            var now = 0.0
            return try policy.decode(spec, batch: 4, seconds: 0.2, seed: 5, descentShare: share, work: work) {
                now += step
                return now
            }
        }
        let slow = try decode(step: 0.05), fast = try decode(step: 0.0001)
        XCTAssertEqual(slow, fast)
        XCTAssertEqual(slow.map(\.method).suffix(2), ["policy-polish", "policy-descent"])
        let descended = slow.last!, before = slow.dropLast()
        XCTAssertEqual(try Baselines.score(descended.order, on: spec).cost, descended.cost)
        XCTAssertLessThanOrEqual(descended.cost, before.map(\.cost).min()!)
        XCTAssertGreaterThan(descended.evaluations, 1, "candidates scored")
        XCTAssertFalse(try decode(step: 0.05, share: 0).contains { $0.method == "policy-descent" })
        XCTAssertThrowsError(
            try {
                var o = optimizer(seconds: 0); o.descentShare = 1 - o.polishShare; return o
            }().run(g, policy: policy))
    }

    /// Without a policy and without a budget: the deterministic heuristics, never worse than the
    /// best of forward, reverse and Markowitz.
    func testNoPolicyRunsTheClassicalHeuristics() throws {
        let g = try graph("RoeFlux_1d")
        let outcome = try optimizer(seconds: 0).run(g, policy: nil)
        XCTAssertNil(outcome.policy)
        XCTAssertNil(outcome.policyBest)
        XCTAssertLessThanOrEqual(outcome.best.cost, outcome.bestBaseline)
        XCTAssertTrue(outcome.candidates.contains { $0.method == "markowitz" })
        XCTAssertFalse(outcome.candidates.contains { $0.method.hasPrefix("anneal") })
    }

    /// Without fixed annealing work the lookahead greedy rules (O(n³)) stop once a quarter of the
    /// budget is spent: on the stepping clock (10 ms a reading) a budget of 0.05 s ends them within
    /// their first steps, so no lookahead order is among the candidates and the run still gives a
    /// verified order; a budget that fits them keeps both. (Before, `optimize --seconds 2` ran for
    /// minutes on programs of 500–1,000 vertices.)
    func testTheLookaheadRulesStopAtTheirShareOfTheBudget() throws {
        let g = try graph("RoeFlux_1d")
        let spec = GameSpec(graph: g)
        func run(seconds: Double) throws -> OptimizeOutcome {
            let clock = SteppingClock(step: 0.01)
            var o = ProgramOptimizer { clock.read() }
            o.seconds = seconds
            o.threads = 1
            return try o.run(g, policy: nil)
        }
        let short = try run(seconds: 0.05)
        XCTAssertFalse(
            short.candidates.contains { $0.method.hasPrefix("lookahead") }, "\(short.candidates.map(\.method))")
        XCTAssertEqual(try Baselines.score(short.best.order, on: spec).cost, short.best.cost)
        let long = try run(seconds: 10)
        XCTAssertEqual(long.candidates.filter { $0.method.hasPrefix("lookahead") }.count, 2)
    }

    /// An interrupt (the CLI's Ctrl-C) ends a search whose budget is far away at the threads' next
    /// look at the clock, with the best order found so far, verified: RoeFlux_1d with 1,000 s on the
    /// stepping clock (100,000 readings), interrupted once it reads past 2 s; the seconds reported
    /// are the clock's own, not the budgets' (which an interrupt moves past every deadline).
    func testAnInterruptEndsTheSearchWithTheBestOrderFoundSoFar() throws {
        let g = try graph("RoeFlux_1d")
        let spec = GameSpec(graph: g)
        let clock = SteppingClock(step: 0.01)
        var o = ProgramOptimizer { clock.read() }
        o.seconds = 1_000
        o.threads = 2
        o.interrupted = { clock.read() > 2 }
        let outcome = try o.run(g, policy: nil)
        XCTAssertTrue(outcome.interrupted)
        XCTAssertEqual(try Baselines.score(outcome.best.order, on: spec).cost, outcome.best.cost)
        XCTAssertLessThanOrEqual(outcome.best.cost, outcome.bestBaseline)
        XCTAssertGreaterThan(outcome.seconds, 0)
        XCTAssertLessThan(outcome.seconds, 10, "the run went on after the interrupt, or reported the jumped clock")
        XCTAssertEqual(try parseJSON(outcome.json.text)["interrupted"] as? Bool, true)
        XCTAssertTrue(outcome.lines.contains { $0.hasPrefix("interrupted:") })
        print("interrupted RoeFlux_1d: \(outcome.best.cost) (\(outcome.best.method)) after \(outcome.seconds) s")

        let whole = try optimizer(seconds: 0.5).run(g, policy: nil)
        XCTAssertFalse(whole.interrupted)
        XCTAssertNil(try parseJSON(whole.json.text)["interrupted"])
        XCTAssertFalse(whole.lines.contains { $0.hasPrefix("interrupted:") })
    }

    private func parseJSON(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The policy's first greedy decode hands the rest of its order to the cheapest step now once
    /// its share of the budget is spent (one network pass per step: a minute at 3,000 vertices):
    /// on the stepping clock a budget of 0.2 s cuts RoeFlux_1d's decode within its first moves, so
    /// the run's policy-greedy order differs from the whole decode's, is still verified, and the
    /// run ends near its budget. With fixed annealing work (reproducible runs) it is not cut.
    func testThePolicysGreedyDecodeEndsAtItsShareOfTheBudget() throws {
        let g = try graph("RoeFlux_1d")
        let spec = GameSpec(graph: g)
        let policy = try tinyPolicy()
        let whole = try policy.decode(spec, batch: 1, seconds: 0, seed: 1, polishShare: 0, descentShare: 0) { 0 }
        let clock = SteppingClock(step: 0.01)
        var o = ProgramOptimizer { clock.read() }
        o.seconds = 0.2
        o.threads = 1
        o.samples = 1
        o.decodingSeconds = 0
        let outcome = try o.run(g, policy: policy)
        let cut = try XCTUnwrap(outcome.candidates.first { $0.method == "policy-greedy" })
        XCTAssertNotEqual(cut.order, whole[0].order)
        XCTAssertEqual(try Baselines.score(cut.order, on: spec).cost, cut.cost)
        XCTAssertLessThanOrEqual(outcome.seconds, 0.4)
        let fixed = try optimizer(seconds: 0.2, threads: 1).run(g, policy: policy)
        XCTAssertEqual(fixed.candidates.first { $0.method == "policy-greedy" }?.order, whole[0].order)
    }

    /// The decoding is part of the run's budget: with `seconds` below `decodingSeconds` the policy
    /// decodes for `seconds` at most, and the run ends near its budget (before session 43 a budget of
    /// 0.2 s ran the default 0.8 s of decoding: 0.85 s of wall for `optimize --seconds 0.2`). With
    /// `seconds` 0 (the policy alone) the decoding keeps its whole budget.
    func testTheDecodingStaysWithinTheRunsBudget() throws {
        let g = try graph("RoeFlux_1d")
        let policy = try tinyPolicy()
        func run(seconds: Double) throws -> OptimizeOutcome {
            let clock = SteppingClock(step: 0.01)
            var o = ProgramOptimizer { clock.read() }
            o.seconds = seconds
            o.threads = 1
            o.samples = 2
            o.decodingSeconds = 0.8
            return try o.run(g, policy: policy)
        }
        let short = try run(seconds: 0.2)
        // The stepping clock moves at every reading, so the decode's last steps run a little past.
        XCTAssertLessThanOrEqual(try XCTUnwrap(short.policySeconds), 0.5)
        XCTAssertLessThanOrEqual(short.seconds, 0.6)
        let alone = try run(seconds: 0)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(alone.policySeconds), 0.8)
    }

    /// The decoding network holds the tokens a state has, not every vertex: the candidate view's
    /// 64 above 512 vertices (a generated program of 600 equations), every vertex below. The
    /// policy still decodes a verified order there.
    func testTheDecodingNetworkHoldsTheCandidateViewOnLargePrograms() throws {
        let small = GameSpec(graph: try graph("RoeFlux_1d"))
        XCTAssertEqual(LoadedPolicy.networkTokens(small), small.vertexCount)
        let large = GameSpec(graph: RandomGraphs.scalar(seed: 3, inputs: 6, equations: 600, outputs: 3))
        XCTAssertGreaterThan(large.vertexCount, TokenFeatures.candidateViewAbove)
        XCTAssertEqual(LoadedPolicy.networkTokens(large), TokenFeatures.candidates)
        let decoded = try tinyPolicy().decode(large, batch: 2, seconds: 0, seed: 1, polishShare: 0, descentShare: 0) {
            0
        }
        for d in decoded { XCTAssertEqual(try Baselines.score(d.order, on: large).cost, d.cost, d.method) }
    }

    /// With a budget, annealing starts from the policy's best order and the best classical one,
    /// on every thread; the answer is at most each of them, and the same seed gives the same run.
    func testSearchImprovesOnItsStartsAndIsReproducible() throws {
        let g = try graph("RoeFlux_1d")
        let spec = GameSpec(graph: g)
        let policy = try tinyPolicy()
        let a = try optimizer(seconds: 2).run(g, policy: policy)
        let b = try optimizer(seconds: 2).run(g, policy: policy)
        XCTAssertEqual(a.best, b.best)
        let annealed = a.candidates.filter { $0.method.hasPrefix("anneal from") }
        XCTAssertEqual(annealed.count, 2)
        XCTAssertTrue(annealed.contains { $0.method.contains("policy-") }, "\(annealed.map(\.method))")
        XCTAssertLessThanOrEqual(a.best.cost, a.policyBest!.cost)
        XCTAssertLessThanOrEqual(a.best.cost, a.bestBaseline)
        XCTAssertLessThan(a.best.cost, a.policyBest!.cost, "an untrained policy's order should be improvable")
        XCTAssertEqual(try Baselines.score(a.best.order, on: spec).cost, a.best.cost)
        for c in a.candidates { XCTAssertEqual(try Baselines.score(c.order, on: spec).cost, c.cost, c.method) }
    }

    /// `annealingCycles` gives each thread its own schedule (thread i takes entry i mod count):
    /// with a fixed count per cycle and no final descent, the thread of 4 cycles scores 4 × the
    /// count and the thread of one long cooling the count once (both from the best classical order
    /// here, no policy); each thread's order is at most its start's cost, the same seed gives the
    /// same run, and an empty or zero entry is refused.
    func testThreadsTakeTheirOwnCoolingSchedules() throws {
        let g = try graph("HumanHeartDipole")
        let spec = GameSpec(graph: g)
        func run(_ cycles: [Int]) throws -> OptimizeOutcome {
            var o = optimizer(seconds: 2)
            o.annealingCycles = cycles
            o.finalDescentShare = 0
            return try o.run(g, policy: nil)
        }
        let a = try run([4, 1]), b = try run([4, 1])
        XCTAssertEqual(a.candidates, b.candidates)
        let annealed = a.candidates.filter { $0.method.hasPrefix("anneal from") }
        XCTAssertEqual(annealed.map(\.evaluations), [4_000, 1_000])
        let start = try XCTUnwrap(a.candidates.filter { !$0.method.hasPrefix("anneal") }.min { $0.cost < $1.cost })
        for result in annealed {
            XCTAssertEqual(result.method, "anneal from \(start.method)")
            XCTAssertLessThanOrEqual(result.cost, start.cost)
            XCTAssertEqual(try Baselines.score(result.order, on: spec).cost, result.cost)
        }
        XCTAssertThrowsError(try run([]))
        XCTAssertThrowsError(try run([4, 0]))
    }

    /// Without a fixed count the annealing's temperature follows the clock (no probe of the rate):
    /// on the stepping clock (10 ms a reading) one thread's cycles, descent and later cycles are
    /// fixed work that ends at the deadline — within a few readings, not a cycle — and improves on
    /// its start; the same clock gives the same run.
    func testAClockDrivenRunEndsAtItsDeadlineAndRepeatsOnAFakeClock() throws {
        let g = try graph("HumanHeartDipole")
        func run() throws -> OptimizeOutcome {
            var o = optimizer(seconds: 3, threads: 1)
            o.annealingIterations = nil
            return try o.run(g, policy: nil)
        }
        let a = try run(), b = try run()
        XCTAssertEqual(a.candidates, b.candidates)
        XCTAssertGreaterThanOrEqual(a.seconds, 3 - ProgramOptimizer.laterCycleShare * 3)
        XCTAssertLessThanOrEqual(a.seconds, 3.1)
        let annealed = try XCTUnwrap(a.candidates.first { $0.method.hasPrefix("anneal from") })
        XCTAssertGreaterThan(annealed.evaluations, 1_000)
        let start = try XCTUnwrap(a.candidates.filter { !$0.method.hasPrefix("anneal") }.min { $0.cost < $1.cost })
        XCTAssertLessThanOrEqual(annealed.cost, start.cost)
    }

    /// The status of a long run: thread 0 reports its annealing within each cooling run at most
    /// once a second, as well as after each, and its descent at most once a second, so a piped
    /// `optimize --seconds 600` says where it is more often than once a cooling run (four of them). On the stepping clock (10 ms a reading),
    /// ten seconds: the seconds in the lines never go back, and there are more lines than runs.
    func testAClockDrivenRunReportsItsAnnealingAboutOnceASecond() throws {
        let g = try graph("HumanHeartDipole")
        var o = optimizer(seconds: 10, threads: 1)
        o.annealingIterations = nil
        let lines = LockedLines()
        _ = try o.run(g, policy: nil) { lines.append($0) }
        let annealing = lines.all.filter { $0.hasPrefix("annealing ") }
        let seconds = annealing.map { Double($0.dropFirst("annealing ".count).prefix { $0 != "/" })! }
        print("ProgramOptimizer: \(annealing.count) annealing lines in 10 clock seconds")
        XCTAssertEqual(seconds, seconds.sorted())
        // The cooling runs take 0.8 of the 8 seconds the thread gets (the heuristics before it read
        // the clock too), the descent the rest: a line a second while they cool, 4 at their ends.
        XCTAssertGreaterThanOrEqual(annealing.count, 7, "about one a second, where the runs' ends alone give 4")
        // The descent after the cooling runs reports too (it read the clock silently before).
        let descending = lines.all.filter { $0.hasPrefix("descending ") }
        print("ProgramOptimizer: \(descending.count) descending lines")
        XCTAssertGreaterThanOrEqual(descending.count, 1, "the descent's second and more of the ten said nothing")
        let all = lines.all.filter { $0.hasPrefix("annealing ") || $0.hasPrefix("descending ") }
        let stamps = all.map { Double($0.drop { $0 != " " }.dropFirst().prefix { $0 != "/" })! }
        XCTAssertEqual(stamps, stamps.sorted(), "one thread's status, in the order of its clock")
    }

    /// The classical threads (odd numbers) anneal while the policy decodes (`overlapsDecoding`, the
    /// default) rather than after it: under a fixed count nothing but the timing changes, so both
    /// give the same candidates in the same order — the policy's, the classical heuristics', then
    /// one annealing result per thread, threads 0 and 2 from the policy's order and thread 1 from
    /// the best classical one, each at most its start's cost.
    func testClassicalThreadsAnnealWhileThePolicyDecodesWithTheSameResults() throws {
        let (g, spec, policy, _) = try mlpGelu3WithAWorkBudget()
        func run(overlapping: Bool) throws -> OptimizeOutcome {
            var o = optimizer(seconds: 2, threads: 3)
            o.overlapsDecoding = overlapping
            return try o.run(g, policy: policy)
        }
        let overlapped = try run(overlapping: true), sequential = try run(overlapping: false)
        XCTAssertEqual(overlapped.candidates, sequential.candidates)
        let annealed = overlapped.candidates.filter { $0.method.hasPrefix("anneal from") }
        XCTAssertEqual(annealed.count, 3)
        let classical = try XCTUnwrap(
            overlapped.candidates.filter { !$0.method.hasPrefix("anneal") && !$0.method.hasPrefix("policy-") }
                .min { $0.cost < $1.cost })
        let policyBest = try XCTUnwrap(overlapped.policyBest)
        XCTAssertNotEqual(policyBest.order, classical.order, "two distinct starts, as the test means")
        for (thread, result) in annealed.enumerated() {
            let from = thread % 2 == 0 ? policyBest : classical
            XCTAssertTrue(result.method.hasPrefix("anneal from \(from.method)"), "\(thread): \(result.method)")
            XCTAssertLessThanOrEqual(result.cost, from.cost)
            XCTAssertEqual(try Baselines.score(result.order, on: spec).cost, result.cost)
        }
        XCTAssertEqual(ProgramOptimizer.threadSlots(threads: 5, policy: true).policy, [0, 2, 4])
        XCTAssertEqual(ProgramOptimizer.threadSlots(threads: 5, policy: true).classical, [1, 3])
        XCTAssertEqual(ProgramOptimizer.threadSlots(threads: 2, policy: false).classical, [0, 1])
    }

    func testJSONHasTheContractKeysInOrder() throws {
        let g = try graph("RoeFlux_1d")
        let json = try optimizer(seconds: 0).run(g, policy: nil).json
        guard case .object(let fields) = json else { return XCTFail("not an object") }
        XCTAssertEqual(
            fields.map(\.0),
            ["program", "cost", "order", "forward", "reverse", "markowitz", "method", "seconds", "policy"])
        XCTAssertTrue(json.text.contains("\"policy\": null"), json.text)
    }

    func testRefusesANegativeBudget() throws {
        let g = try graph("RoeFlux_1d")
        XCTAssertThrowsError(try optimizer(seconds: -1).run(g, policy: nil)) {
            XCTAssertTrue("\($0)".contains("≥ 0 seconds"), "\($0)")
        }
    }

    func testShippedPolicyIsFoundInTheDatasetsFolderOnly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-shipped-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("policies"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertNil(ShippedPolicy.path(inDatasets: dir.path))
        let file = dir.appendingPathComponent(ShippedPolicy.relativePath).path
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data()))
        XCTAssertEqual(ShippedPolicy.path(inDatasets: dir.path), file)
        // An empty file is not a checkpoint: the error names the flag and the file.
        XCTAssertThrowsError(try LoadedPolicy.read(file)) {
            XCTAssertTrue("\($0)".contains("--policy") && "\($0)".contains("generalist.h5"), "\($0)")
        }
    }

    /// The shipped generalist loads, and no held-out corpus program is among the tasks it trained on.
    func testShippedPolicyNeverTrainedOnAHeldOutProgram() throws {
        let datasets = TestFixtures.root.appendingPathComponent("Datasets")
        let path = try XCTUnwrap(ShippedPolicy.path(inDatasets: datasets.path))
        let policy = try LoadedPolicy.read(path)
        let data = try Data(contentsOf: datasets.appendingPathComponent("corpus/manifest.json"))
        let programs = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["programs"] as? [[String: Any]])
        let heldOut = Set(programs.filter { $0["split"] as? String == "heldout" }.compactMap { $0["name"] as? String })
        XCTAssertGreaterThanOrEqual(heldOut.count, 10)
        XCTAssertFalse(policy.tasks.isEmpty)
        XCTAssertTrue(heldOut.isDisjoint(with: policy.tasks), "trained on \(heldOut.intersection(policy.tasks))")
    }
}

/// `--seconds 0` is the policy alone, so a baseline can beat it: the outcome then names the baseline
/// (JSON `cheaper_baseline`, a line for people); with a budget the baselines are candidates and it
/// never does.
final class CheaperBaselineOutcomeTests: XCTestCase {
    private func outcome(bestCost: Int, spec: GameSpec, baselines: BaselineSummary, order: [Int]) -> OptimizeOutcome {
        OptimizeOutcome(
            program: spec.name, eliminable: spec.eliminable.count,
            best: SearchResult(method: "policy-greedy", order: order, cost: bestCost, evaluations: 1),
            baselines: baselines, seconds: 0.5, policy: "p.h5", policyBest: nil, policySeconds: nil, candidates: [],
            cheaperBaseline: baselines.cheaper(than: bestCost))
    }

    func testAPolicyOrderDearerThanABaselineNamesTheBaseline() throws {
        let url = TestFixtures.root.appendingPathComponent("Datasets/RoeFlux_1d.graph")
        let spec = GameSpec(graph: try GraphFile.read(try String(contentsOf: url, encoding: .utf8), path: url.path))
        let baselines = BaselineSummary(spec: spec)
        let dear = outcome(bestCost: baselines.best + 50, spec: spec, baselines: baselines, order: spec.eliminable)
        let cheaper = try XCTUnwrap(dear.cheaperBaseline)
        guard case .object(let fields) = dear.json, let entry = fields.first(where: { $0.0 == "cheaper_baseline" })?.1,
            case .object(let baselineFields) = entry
        else { return XCTFail("no cheaper_baseline in \(dear.json)") }
        XCTAssertEqual(baselineFields.map(\.0), ["name", "cost", "order"])
        guard case .int(let cost) = baselineFields[1].1 else { return XCTFail("cost \(baselineFields[1].1)") }
        XCTAssertEqual(cost, cheaper.cost)
        XCTAssertTrue(
            dear.lines.contains {
                $0.hasPrefix("\(cheaper.name) (cost \(baselines.best)) is cheaper than the policy's order")
            },
            "\(dear.lines)")
        let fine = outcome(bestCost: baselines.best, spec: spec, baselines: baselines, order: spec.eliminable)
        XCTAssertNil(fine.cheaperBaseline)
        guard case .object(let plain) = fine.json else { return XCTFail() }
        XCTAssertFalse(plain.contains { $0.0 == "cheaper_baseline" })
        XCTAssertFalse(fine.lines.contains { $0.contains("is cheaper than") })
    }
}

/// Lines handed over from any thread.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
