import XCTest
import Elimination
@testable import PPO

/// Issue 17 item 3: above `TokenFeatures.candidateViewAbove` vertices the policy sees a fixed-size
/// candidate set instead of every vertex, so a step no longer costs n² attention.
final class CandidateViewTests: XCTestCase {
    /// A 600-equation program (past the threshold) at several points of an episode.
    func testLargeGraphsSeeTheCheapestVerticesAndBothModesChoices() throws {
        let spec = GameSpec(graph: GraphPreset.scalar.generate(equations: 600, seed: 3, inputs: 20, outputs: 10))
        XCTAssertTrue(TokenFeatures.usesCandidates(spec))
        XCTAssertEqual(TokenFeatures.maxTokens(spec), TokenFeatures.candidates)
        var state = EliminationState(spec: spec)
        var checked = 0
        for (i, v) in Baselines.markowitzOrder(spec).enumerated() {
            if i % 101 == 0 || spec.eliminable.count - i <= 2 {
                try check(state)
                checked += 1
            }
            state.eliminateUnchecked(v)
        }
        XCTAssertGreaterThanOrEqual(checked, 7)
    }

    private func check(_ state: EliminationState) throws {
        let remaining = state.remaining
        let T = TokenFeatures.tokenCount(state)
        XCTAssertEqual(T, min(TokenFeatures.candidates, remaining.count))
        var features = [Float](repeating: .nan, count: T * TokenFeatures.count)
        var vertices = [Int32](repeating: 0, count: T)
        var legal = [Bool](repeating: false, count: T)
        XCTAssertEqual(TokenFeatures.write(state, features: &features, vertices: &vertices, legal: &legal), T)
        XCTAssertTrue(features.allSatisfy { $0.isFinite && abs($0) < 20 })
        let ids = vertices.map { Int($0) }
        XCTAssertEqual(ids, ids.sorted())
        XCTAssertEqual(Set(ids).count, T)
        XCTAssertTrue(legal.allSatisfy { $0 } && ids.allSatisfy(state.isLegal), "outputs are no tokens")
        XCTAssertTrue(ids.contains(remaining.first!) && ids.contains(remaining.last!), "forward and reverse's choices")
        // At least all but two tokens cost no more than any vertex left out.
        let left = Set(remaining).subtracting(ids)
        if let cheapestLeft = left.map(state.previewCost).min() {
            XCTAssertGreaterThanOrEqual(
                ids.filter { state.previewCost($0) <= cheapestLeft }.count, TokenFeatures.candidates - 2)
        }
        let minCost = remaining.map(state.previewCost).min()!
        for (t, v) in ids.enumerated() {
            let f = features[(t * TokenFeatures.count)..<((t + 1) * TokenFeatures.count)].map { $0 }
            XCTAssertEqual(f[0], 0)
            XCTAssertEqual(f[3], log1pf(Float(state.previewCost(v))), accuracy: 1e-6)
            XCTAssertEqual(f[5], state.previewCost(v) == minCost ? 1 : 0, "minimum over every remaining vertex")
            XCTAssertEqual(f[20], v == remaining.last! ? 1 : 0)
            XCTAssertEqual(f[21], v == remaining.first! ? 1 : 0)
            let rank = remaining.firstIndex(of: v)!
            XCTAssertEqual(f[23], Float(rank) / Float(max(remaining.count - 1, 1)), accuracy: 1e-6)
        }
    }

    /// The view from costs kept move by move (`TokenFeatures.episodeCosts`, what actors, the rollout
    /// replay and decoding carry) is the full scan's view, bit for bit, at every step of whole
    /// episodes on random large graphs; and the tokens are the reference selection: the 62
    /// cheapest now (ties: lowest id), the lowest and highest id, filled up with the lowest ids.
    func testKeptCostsGiveTheFullScansViewOverWholeEpisodes() throws {
        var rng = Weyl(state: 23)
        let graphs = [
            GraphPreset.scalar.generate(equations: 530, seed: 8, inputs: 12, outputs: 6),
            GraphPreset.mixed.generate(equations: 520, seed: 2),
        ]
        var steps = 0
        for (g, graph) in graphs.enumerated() {
            let spec = GameSpec(graph: graph, layout: g == 0 ? .sparse : nil)
            XCTAssertTrue(TokenFeatures.usesCandidates(spec), graph.name)
            let order = g == 0 ? RandomOrders.order(spec, using: &rng) : Baselines.markowitzOrder(spec)
            var state = EliminationState(spec: spec)
            var kept = TokenFeatures.episodeCosts(state)
            XCTAssertNotNil(kept)
            for v in order {
                // Every step of the first third of the random order (later its fill-in makes every
                // scan slow), every fourth step of the tensor graph; the kept costs move every step.
                guard g == 0 ? state.steps < order.count / 3 : state.steps % 4 == 0 else {
                    TokenFeatures.eliminate(v, in: &state, costs: &kept)
                    continue
                }
                let T = TokenFeatures.tokenCount(state)
                var features = [[Float]](repeating: [Float](repeating: .nan, count: T * TokenFeatures.count), count: 2)
                var vertices = [[Int32]](repeating: [Int32](repeating: 0, count: T), count: 2)
                var legal = [[Bool]](repeating: [Bool](repeating: false, count: T), count: 2)
                for (i, costs) in [kept, nil].enumerated() {
                    XCTAssertEqual(
                        TokenFeatures.write(
                            state, costs: costs, features: &features[i], vertices: &vertices[i], legal: &legal[i]), T)
                }
                XCTAssertEqual(vertices[0], vertices[1], "step \(state.steps)")
                XCTAssertEqual(features[0].map(\.bitPattern), features[1].map(\.bitPattern), "step \(state.steps)")
                XCTAssertEqual(legal[0], legal[1])
                XCTAssertEqual(vertices[0].map { Int($0) }, Self.referenceTokens(state), "step \(state.steps)")
                steps += 1
                let expected = state.previewCost(v)
                XCTAssertEqual(TokenFeatures.eliminate(v, in: &state, costs: &kept), expected)
            }
            XCTAssertTrue(state.isTerminal)
        }
        XCTAssertGreaterThan(steps, 250)
    }

    /// The candidate view's tokens by definition: sort every remaining eliminable vertex.
    static func referenceTokens(_ state: EliminationState) -> [Int] {
        let remaining = state.remaining
        guard !remaining.isEmpty else { return [] }
        let costs = remaining.map(state.previewCost)
        let cheapest = remaining.indices.sorted { (costs[$0], $0) < (costs[$1], $1) }.prefix(
            TokenFeatures.candidates - 2)
        var ranks = Set(cheapest).union([0, remaining.count - 1])
        var next = 0
        while ranks.count < min(TokenFeatures.candidates, remaining.count) {
            ranks.insert(next)
            next += 1
        }
        return ranks.sorted().map { remaining[$0] }
    }

    func testPaperTasksKeepEveryVertexAsAToken() throws {
        for name in ["RoeFlux_3d", "BlackScholes_Jacobian", "Perceptron"] {
            let spec = GameSpec(graph: try PPOFixtures.graph(name))
            XCTAssertFalse(TokenFeatures.usesCandidates(spec), name)
            XCTAssertEqual(TokenFeatures.maxTokens(spec), spec.vertexCount, name)
        }
    }

    /// A greedy episode on a graph past the threshold, with a network sized by `maxTokens`.
    func testGreedyDecodingPlaysALargeGraph() throws {
        let spec = GameSpec(graph: GraphPreset.scalar.generate(equations: 530, seed: 5, inputs: 8, outputs: 4))
        XCTAssertTrue(TokenFeatures.usesCandidates(spec))
        let network = try PolicyNetwork(
            config: PPOFixtures.tiny, maxBatch: 1, maxTokens: TokenFeatures.maxTokens(spec), seed: 4)
        let greedy = try PolicyDecoder(network: network, spec: spec).greedy()
        XCTAssertEqual(Set(greedy.order), Set(spec.eliminable))
        XCTAssertEqual(try Baselines.score(greedy.order, on: spec).cost, greedy.cost)
    }
}

/// A small seeded generator for test orders (PPOTests does not depend on Randomness).
private struct Weyl: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
