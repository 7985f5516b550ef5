import Elimination
import PPO
import Search
import TestFixtures
import XCTest

@testable import Optimize

/// `LoadedPolicy.decode`'s rounds after the first pass (fresh samples, their cheapest new orders
/// polished and descended), under work budgets with injected wall clocks: they use the budget the
/// first pass leaves, whether or not they improve, leave the first pass's results as they were,
/// never make the best dearer, are reproducible, stop at the wall-clock ceiling, and do not run
/// when the first pass uses the whole budget.
final class LoadedPolicyRoundsTests: XCTestCase {
    /// mlp_gelu3, an untrained tiny policy and a work budget of about 150 greedy decodes a nominal
    /// second: there the descent converges before a budget of 0.5 s is used.
    private struct Setup {
        let spec: GameSpec
        let policy: LoadedPolicy
        let work: LoadedPolicy.WorkBudget
        /// Nominal seconds of one sampled order.
        var perOrder: Double { 1.0 / 150 }

        init() throws {
            let path = TestFixtures.root.appendingPathComponent("Datasets/corpus/jaxpr/mlp_gelu3.jaxpr").path
            let g = try ComputationalGraph.fromJaxpr(String(contentsOfFile: path, encoding: .utf8), name: "mlp_gelu3")
            let spec = GameSpec(graph: g)
            self.spec = spec
            let net = try PolicyNetwork(config: TestFixtures.tinyNetwork, maxBatch: 1, maxTokens: 1, seed: 7)
            policy = LoadedPolicy(
                path: "tiny.h5", network: TestFixtures.tinyNetwork, parameters: net.parameterArray(),
                tasks: ["mlp_gelu3"], updates: 0)
            let rowsPerGreedy = Double((0..<spec.eliminable.count).reduce(0) { $0 + spec.vertexCount - $1 })
            work = LoadedPolicy.WorkBudget(tokenRowsPerSecond: rowsPerGreedy * 150, ceiling: 1e6)
        }

        /// The decode with a wall clock moving `step` a read: its results, the budget it used and
        /// the clock's reads.
        func decode(
            seconds: Double, polishShare: Double = LoadedPolicy.polishShare, maxRounds: Int = .max,
            step: Double = 0.001, ceiling: Double? = nil
        ) throws -> (results: [SearchResult], used: Double, reads: Double) {
            var now = 0.0
            var budget = work
            if let ceiling { budget.ceiling = ceiling }
            let (results, used) = try policy.decodeMeasured(
                spec, batch: 4, seconds: seconds, maxSamples: 4096, seed: 5, polishShare: polishShare,
                descentShare: LoadedPolicy.descentShare, work: budget, starts: [], maxRounds: maxRounds
            ) {
                now += step
                return now
            }
            return (results, used, (now / step).rounded())
        }
    }

    func testRoundsUseTheBudgetTheFirstPassLeavesAndKeepItsResults() throws {
        let s = try Setup()
        let first = try s.decode(seconds: 0.5, maxRounds: 0)
        XCTAssertLessThan(first.used, 0.45, "the first pass alone ends early here")
        XCTAssertFalse(first.results.contains { $0.method == "policy-rounds" })
        let all = try s.decode(seconds: 0.5)
        // The budget is used: the rounds end only when not even one more sampled order fits, and
        // the exact stages stop at the budget.
        XCTAssertGreaterThanOrEqual(all.used, 0.5 - s.perOrder)
        XCTAssertLessThan(all.used, 0.5 + 0.01)
        XCTAssertEqual(Array(all.results.dropLast()), first.results, "the first pass is what it was")
        let rounds = try XCTUnwrap(all.results.last)
        XCTAssertEqual(rounds.method, "policy-rounds")
        XCTAssertGreaterThanOrEqual(rounds.evaluations, 1, "rounds begun")
        XCTAssertLessThanOrEqual(all.results.map(\.cost).min()!, first.results.map(\.cost).min()!)
        for r in all.results { XCTAssertEqual(try Baselines.score(r.order, on: s.spec).cost, r.cost, r.method) }
    }

    /// Without the polish the descent converges fast: several rounds, none needed to improve for
    /// the next to begin, until the budget is used.
    func testRoundsGoOnUntilTheBudgetIsUsed() throws {
        let s = try Setup()
        let first = try s.decode(seconds: 1, polishShare: 0, maxRounds: 0)
        XCTAssertLessThan(first.used, 0.9)
        let all = try s.decode(seconds: 1, polishShare: 0)
        XCTAssertGreaterThanOrEqual(all.used, 1 - s.perOrder)
        XCTAssertEqual(Array(all.results.dropLast()), first.results)
        XCTAssertEqual(all.results.last?.method, "policy-rounds")
        XCTAssertGreaterThanOrEqual(all.results.last!.evaluations, 2, "rounds begun")
    }

    func testRoundsAreReproducibleUnderAWorkBudgetAndStopAtItsCeiling() throws {
        let s = try Setup()
        let slow = try s.decode(seconds: 0.5, step: 0.05), fast = try s.decode(seconds: 0.5, step: 0.0001)
        XCTAssertEqual(slow.results, fast.results)
        XCTAssertEqual(slow.used, fast.used)
        XCTAssertEqual(slow.results.last?.method, "policy-rounds")
        // A wall-clock ceiling reached during the rounds ends them; the first pass is the same.
        let first = try s.decode(seconds: 0.5, maxRounds: 0, step: 0.05)
        let cut = try s.decode(seconds: 0.5, step: 0.05, ceiling: 0.05 * (first.reads + (slow.reads - first.reads) / 2))
        XCTAssertEqual(Array(cut.results.prefix(first.results.count)), first.results)
        XCTAssertEqual(cut.used, .infinity, "stopped by the ceiling")
        XCTAssertLessThanOrEqual(cut.reads, slow.reads)
    }

    /// A wall clock past the work budget's ceiling before the decode's first reading of its work
    /// (a loaded machine): the decode ends, with no round.
    func testACeilingPassedAtOnceEndsTheDecode() throws {
        let s = try Setup()
        var reads = 0
        var budget = s.work
        budget.ceiling = 1
        let found = try s.policy.decode(s.spec, batch: 4, seconds: 0.5, seed: 5, work: budget) {
            reads += 1
            return reads == 1 ? 0 : 100
        }
        XCTAssertFalse(found.contains { $0.method == "policy-rounds" })
        XCTAssertEqual(found.first?.method, "policy-greedy")
    }

    func testNoRoundsWhenTheFirstPassUsesTheWholeBudget() throws {
        let s = try Setup()
        let first = try s.decode(seconds: 0.2, maxRounds: 0)
        XCTAssertGreaterThanOrEqual(first.used, 0.2)
        let all = try s.decode(seconds: 0.2)
        XCTAssertEqual(all.results, first.results)
        XCTAssertFalse(all.results.contains { $0.method == "policy-rounds" })
    }
}
