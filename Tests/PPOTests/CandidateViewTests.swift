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
