import AlphaZero
import Elimination
import Optimize
import PPO
import Search
import TestFixtures
import XCTest
@testable import Training

/// `FinalDecode` with an injected clock (every read a fixed step later, no sleep): the search
/// decode, then `LoadedPolicy.decode`'s stages on the network's weights fill the budget — the
/// samples continue after the deviation search has run out of alternatives — and the caller's
/// starts join the polish and the descent; every order is the game's.
final class FinalDecodeTests: XCTestCase {
    func testTheDecodeFillsItsBudgetAfterTheDeviationSearchRunsOut() throws {
        let spec = GameSpec(graph: try TestFixtures.chain())
        let network = try PolicyNetwork(
            config: TestFixtures.tinyNetwork, maxBatch: 4, maxTokens: spec.vertexCount, seed: 3)
        var hp = AlphaZeroHyperparameters()
        hp.simulations = 2
        // Left alone, the deviation search runs out of alternatives after this many completions.
        let exhausted = try PolicyDecoder(network: network, spec: spec).deviationSearch { false }.completions
        let seconds = 1.0, ticks = SteppingClock(step: 0.01)
        XCTAssertLessThan(Double(exhausted) * ticks.step, seconds / 4, "the deviation search alone ends early")
        let forward = Baselines.forwardOrder(spec)
        let start = try SearchResult.rescored(method: "start", order: forward, evaluations: 0, on: spec)
        let t0 = ticks.read()
        let outcome = try FinalDecode.run(
            network: network, spec: spec, settings: hp, simulations: 2, seconds: seconds, starts: [start], seed: 5,
            policyVersion: 0, clock: ticks.read)
        let methods = outcome.results.map(\.method)
        XCTAssertEqual(methods.first, FinalDecode.searchMethod)
        XCTAssertTrue(methods.contains("policy-greedy"), "\(methods)")
        let deviation = outcome.results.first { $0.method == "policy-search" }
        XCTAssertEqual(deviation?.evaluations ?? 1, exhausted, "the deviation search ran out within its share")
        let samples = try XCTUnwrap(outcome.results.first { $0.method == "policy-samples" }, "\(methods)")
        XCTAssertGreaterThan(samples.evaluations, FinalDecode.sampleBatch, "more than one batch of samples")
        // The decoders' share of the budget is used, not left when the deviation search ran out.
        let decoders = seconds * (1 - LoadedPolicy.polishShare - LoadedPolicy.descentShare)
        XCTAssertGreaterThanOrEqual(ticks.now - t0, decoders)
        XCTAssertEqual(outcome.seconds, ticks.now - t0, accuracy: 2 * ticks.step)
        // The descent starts from the cheapest order, the caller's start included.
        let descent = try XCTUnwrap(outcome.results.first { $0.method == "policy-descent" }, "\(methods)")
        XCTAssertLessThanOrEqual(descent.cost, start.cost)
        for r in outcome.results {
            XCTAssertEqual(try Baselines.score(r.order, on: spec).cost, r.cost, r.method)
        }
        XCTAssertEqual(outcome.best?.cost, outcome.results.map(\.cost).min())
        let fields = Dictionary(uniqueKeysWithValues: outcome.fields.map { ($0.0, $0.1.text) })
        XCTAssertEqual(fields["simulations"], "2")
        XCTAssertEqual(fields["samples"], "\(samples.evaluations)")
        XCTAssertEqual(fields["descent_cost"], "\(descent.cost)")
        XCTAssertEqual(fields["best_method"], "\"\(outcome.best!.method)\"")
    }
}
