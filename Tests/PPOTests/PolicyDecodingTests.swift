import XCTest
import Elimination
@testable import PPO

final class PolicyDecodingTests: XCTestCase {
    /// PropaneCombustion and a decoder of the untrained tiny policy (seed 4).
    static func propaneDecoder(maxBatch: Int) throws -> (GameSpec, PolicyDecoder) {
        let graph = try PPOFixtures.graph("PropaneCombustion")
        let spec = GameSpec(graph: graph)
        let network = try PolicyNetwork(
            config: PPOFixtures.tiny, maxBatch: maxBatch, maxTokens: graph.vertexCount, seed: 4)
        return (spec, PolicyDecoder(network: network, spec: spec))
    }

    func testGreedyAndBeamReturnValidReScoredOrders() throws {
        let (spec, decoder) = try Self.propaneDecoder(maxBatch: 16)
        let greedy = try decoder.greedy()
        XCTAssertEqual(try Baselines.score(greedy.order, on: spec).cost, greedy.cost)
        // A beam of width 1 expanding one child is greedy decoding.
        XCTAssertEqual(try decoder.beam(width: 1, expand: 1), greedy)
        let wide = try decoder.beam(width: 4, expand: 4)
        XCTAssertEqual(try Baselines.score(wide.order, on: spec).cost, wide.cost)
        XCTAssertEqual(Set(wide.order), Set(spec.eliminable))
        print("PropaneCombustion, untrained tiny policy: greedy \(greedy.cost), beam(4,4) \(wide.cost)")
    }

    /// The deviation search starts from the greedy order, asks `shouldStop` before every further
    /// completion (so `n` answers of "go on" buy exactly `n` more), returns legal orders the game
    /// re-scores to the reported cost, never worse than greedy, and is deterministic: a longer run
    /// follows the shorter one's path, so it is never worse either.
    func testDeviationSearchImprovesOnGreedyWithinItsBudget() throws {
        let (spec, decoder) = try Self.propaneDecoder(maxBatch: 1)
        let greedy = try decoder.greedy()
        func search(_ more: Int) throws -> PolicyDecoder.DeviationSearchResult {
            var asked = 0
            let result = try decoder.deviationSearch {
                asked += 1
                return asked > more
            }
            XCTAssertEqual(result.completions, more + 1)
            XCTAssertEqual(result.greedy, greedy)
            for found in [result.greedy, result.best] {
                XCTAssertEqual(try Baselines.score(found.order, on: spec).cost, found.cost)
                XCTAssertEqual(found.order.count, spec.eliminable.count)
                XCTAssertEqual(Set(found.order), Set(spec.eliminable))
            }
            return result
        }
        XCTAssertEqual(try search(0).best, greedy)
        let short = try search(10), long = try search(60)
        XCTAssertLessThanOrEqual(short.best.cost, greedy.cost)
        XCTAssertLessThanOrEqual(long.best.cost, short.best.cost)
        XCTAssertEqual(try search(60).best, long.best)
        XCTAssertLessThan(long.best.cost, greedy.cost, "60 deviations of an untrained policy find something cheaper")
        print(
            "PropaneCombustion, untrained tiny policy: greedy \(greedy.cost),",
            "10 deviations \(short.best.cost), 60 \(long.best.cost)")
    }

    /// `stopsGreedy` ends the policy's part of the first greedy decode after the moves it allowed:
    /// the order starts with the policy's greedy moves and goes on with the cheapest step now (no
    /// network), is a legal order the game re-scores to its cost, and no deviation is searched.
    func testAGreedyDecodeStoppedEarlyEndsByTheCheapestStepNow() throws {
        let (spec, decoder) = try Self.propaneDecoder(maxBatch: 1)
        let greedy = try decoder.greedy()
        for moves in [0, 7, spec.eliminable.count - 1] {
            var asked = 0
            let cut = try decoder.deviationSearch(shouldStop: {
                XCTFail("no search after a cut"); return true
            }) {
                asked += 1
                return asked > moves
            }
            XCTAssertEqual(cut.completions, 1)
            XCTAssertEqual(cut.best, cut.greedy)
            XCTAssertEqual(Array(cut.greedy.order.prefix(moves)), Array(greedy.order.prefix(moves)), "\(moves)")
            XCTAssertEqual(try Baselines.score(cut.greedy.order, on: spec).cost, cut.greedy.cost)
            XCTAssertEqual(Set(cut.greedy.order), Set(spec.eliminable))
            // The rest is the cheapest step now, from the state the policy left.
            var state = EliminationState(spec: spec)
            for v in cut.greedy.order.prefix(moves) { state.eliminateUnchecked(v) }
            for v in cut.greedy.order.dropFirst(moves) {
                let cheapest = spec.eliminable.filter { !state.isEliminated($0) }.map { state.previewCost($0) }.min()!
                XCTAssertEqual(state.previewCost(v), cheapest)
                state.eliminateUnchecked(v)
            }
        }
        // Never stopped: the plain search.
        XCTAssertEqual(try decoder.deviationSearch(shouldStop: { true }, stopsGreedy: { false }).greedy, greedy)
        // Above 512 vertices (the candidate view) the rest comes from the kept costs, the same rule.
        let large = GameSpec(graph: RandomGraphs.scalar(seed: 3, inputs: 6, equations: 600, outputs: 3))
        let network = try PolicyNetwork(
            config: PPOFixtures.tiny, maxBatch: 1, maxTokens: TokenFeatures.maxTokens(large), seed: 4)
        var asked = 0
        let cut = try PolicyDecoder(network: network, spec: large).deviationSearch(shouldStop: { true }) {
            asked += 1
            return asked > 5
        }
        XCTAssertEqual(try Baselines.score(cut.greedy.order, on: large).cost, cut.greedy.cost)
        var state = EliminationState(spec: large)
        for v in cut.greedy.order.prefix(5) { state.eliminateUnchecked(v) }
        for v in cut.greedy.order.dropFirst(5) {
            let remaining = large.eliminable.filter { !state.isEliminated($0) }
            let cheapest = remaining.map { state.previewCost($0) }.min()!
            XCTAssertEqual(v, remaining.first { state.previewCost($0) == cheapest }, "cheapest now, lowest id")
            state.eliminateUnchecked(v)
        }
    }
}

final class PolicyTreeSearchTests: XCTestCase {
    func testTreeSearchReturnsAValidReScoredOrderNoWorseThanItsOwnPlay() throws {
        let graph = try PPOFixtures.graph("PropaneCombustion")
        let spec = GameSpec(graph: graph)
        let network = try PolicyNetwork(config: PPOFixtures.tiny, maxBatch: 1, maxTokens: graph.vertexCount, seed: 4)
        let search = PolicyTreeSearch(network: network, spec: spec)
        let result = try search.search(simulations: 8)
        XCTAssertEqual(try Baselines.score(result.order, on: spec).cost, result.cost)
        XCTAssertEqual(Set(result.order), Set(spec.eliminable))
        XCTAssertEqual(result.order.count, spec.eliminable.count)
        // More simulations explore more complete orders; the result is the cheapest one met.
        let wider = try PolicyTreeSearch(network: network, spec: spec).search(simulations: 32)
        print("PropaneCombustion, untrained tiny policy: tree search 8 sims \(result.cost), 32 sims \(wider.cost)")
        XCTAssertEqual(try Baselines.score(wider.order, on: spec).cost, wider.cost)
    }

    /// On a graph past `TokenFeatures.candidateViewAbove`, the costs each node keeps from its parent
    /// give the same search as costs rebuilt from every node's state: the same order and cost.
    func testKeptCandidateCostsSearchAsRebuiltOnes() throws {
        let spec = GameSpec(graph: GraphPreset.scalar.generate(equations: 510, seed: 8, inputs: 12, outputs: 6))
        XCTAssertTrue(TokenFeatures.usesCandidates(spec), "\(spec.vertexCount) vertices")
        let network = try PolicyNetwork(
            config: PPOFixtures.tiny, maxBatch: 1, maxTokens: TokenFeatures.maxTokens(spec), seed: 4)
        let kept = try PolicyTreeSearch(network: network, spec: spec).search(simulations: 1)
        let naive = PolicyTreeSearch(network: network, spec: spec)
        naive.rebuildsCosts = true
        let rebuilt = try naive.search(simulations: 1)
        XCTAssertEqual(kept.order, rebuilt.order)
        XCTAssertEqual(kept.cost, rebuilt.cost)
        XCTAssertEqual(try Baselines.score(kept.order, on: spec).cost, kept.cost)
        print("510-equation scalar program, untrained tiny policy, 1 simulation: tree search \(kept.cost)")
    }
}
