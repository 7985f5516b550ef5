import Foundation
import XCTest
import Elimination
@testable import PPO

/// The lookahead token features (24–28, issue 14) and the 24-feature path of older checkpoints.
final class LookaheadFeatureTests: XCTestCase {
    /// inputs a, b; v1 = a·b, v2 = sin v1, v3 = cos v1, v4 = v2·v3 (the output). Every edge is a
    /// scalar, so every (in, out) pair costs 1 and every Markowitz weight is 1.
    static let diamond = """
        { lambda ; a:f32[] b:f32[]. let
            c:f32[] = mul a b
            d:f32[] = sin c
            e:f32[] = cos c
            f:f32[] = mul d e
          in (f,) }
        """

    func testLookaheadOfAHandBuiltGraph() throws {
        let state = EliminationState(graph: try .fromJaxpr(Self.diamond, name: "diamond"))
        XCTAssertEqual([1, 2, 3].map(state.previewCost), [4, 1, 1])
        // Eliminating v1 gives v2 and v3 both inputs as predecessors: each costs 2 × 1 instead of 1.
        XCTAssertEqual(
            state.lookahead(of: 1),
            NeighbourLookahead(costBefore: 2, costAfter: 4, markowitzBefore: 2, markowitzAfter: 4))
        // Eliminating v2 replaces v1 → v2 by v1 → v4 (v4 is an output: not counted): v1 keeps 2 × 2.
        XCTAssertEqual(
            state.lookahead(of: 2),
            NeighbourLookahead(costBefore: 4, costAfter: 4, markowitzBefore: 4, markowitzAfter: 4))
        XCTAssertEqual(state.lookahead(of: 3), state.lookahead(of: 2))

        let f = try tokens(state)
        XCTAssertEqual(f.count, 4)
        // v1: Δcost 2, neighbours 2 → 4, ΔM 2, lookahead score 4 + 2 = 6, not the minimum (v2, v3: 1).
        XCTAssertEqual(f[0][24], log1pf(2), accuracy: 1e-6)
        XCTAssertEqual(f[0][25], log1pf(4) - log1pf(2), accuracy: 1e-6)
        XCTAssertEqual(f[0][26], log1pf(2), accuracy: 1e-6)
        XCTAssertEqual(f[0][27], log1pf(6), accuracy: 1e-6)
        XCTAssertEqual(f[0][28], 0)
        for t in [1, 2] {
            XCTAssertEqual(Array(f[t][24...27]), [0, 0, 0, log1pf(1)])
            XCTAssertEqual(f[t][28], 1)
        }
        XCTAssertEqual(Array(f[3][24...28]), [0, 0, 0, 0, 0], "the output")
    }

    /// Against the definition: copy the state, eliminate v, re-read the neighbours' costs and
    /// Markowitz degrees; over whole episodes of scalar and tensor programs, in both layouts.
    func testLookaheadMatchesEliminatingAndRescoring() throws {
        let corpus = PPOFixtures.root.appendingPathComponent("Datasets/corpus/jaxpr")
        var graphs = [try PPOFixtures.graph("RoeFlux_1d"), try PPOFixtures.graph("Encoder")]
        for name in ["attention_head", "wave2d_leapfrog"] {
            let text = try String(contentsOf: corpus.appendingPathComponent("\(name).jaxpr"), encoding: .utf8)
            graphs.append(try .fromJaxpr(text, name: name))
        }
        var checked = 0
        for graph in graphs {
            for layout in [StateLayout.dense, .sparse] {
                let spec = GameSpec(graph: graph, layout: layout)
                var state = EliminationState(spec: spec)
                var k = 0
                while !state.isTerminal {
                    let remaining = state.remaining
                    // Every few steps, every remaining vertex; a pseudo-random order of moves.
                    if k % 7 == 0 {
                        for v in remaining {
                            XCTAssertEqual(state.lookahead(of: v), bruteForce(state, v), "\(graph.name) v\(v)")
                            checked += 1
                        }
                    }
                    state.eliminateUnchecked(remaining[(k * 31 + 5) % remaining.count])
                    k += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 500)
    }

    /// A 24-feature network reads the first 24 of every token's numbers; widened to all the
    /// features with zero weights for the new ones, it computes the same logits and values.
    func testNarrowNetworksReadTheFirstFeaturesAndWidenExactly() throws {
        var oldConfig = PPOFixtures.tiny
        oldConfig.features = TokenFeatures.withoutLookahead
        let spec = GameSpec(graph: try PPOFixtures.graph("RoeFlux_1d"))
        var state = EliminationState(spec: spec)
        state.eliminateUnchecked(spec.eliminable[2])
        let T = TokenFeatures.tokenCount(state), F = TokenFeatures.count
        let net = try PolicyNetwork(config: oldConfig, maxBatch: 1, maxTokens: T, seed: 3)
        var features = [Float](repeating: 0, count: T * F)
        var vertices = [Int32](repeating: 0, count: T)
        var legal = [Bool](repeating: false, count: T)
        TokenFeatures.write(state, features: &features, vertices: &vertices, legal: &legal)
        let all = [Bool](repeating: true, count: T)
        func logits(_ n: PolicyNetwork, _ f: [Float]) throws -> [Float] {
            try n.forwardPolicy(features: f, tokenMask: all, B: 1, T: T)
            return Array(UnsafeBufferPointer(start: n.logits, count: T))
        }
        let before = try logits(net, features)
        try net.forwardValue(features: features, tokenMask: all, B: 1, T: T)
        let value = net.values[0]

        // A lookahead feature changes nothing for it; one of its own 24 does.
        var lookahead = features, own = features
        for t in 0..<T {
            lookahead[t * F + 27] += 5
            own[t * F + 3] += 5
        }
        XCTAssertEqual(try logits(net, lookahead), before)
        XCTAssertNotEqual(try logits(net, own), before)

        // Widened (zero weights for the new features): the same logits and value.
        let wide = try PolicyNetwork(config: PPOFixtures.tiny, maxBatch: 1, maxTokens: T, seed: 9)
        try wide.loadWidening(net.parameterArray(), from: oldConfig)
        XCTAssertEqual(
            wide.parameterCount - net.parameterCount,
            (F - oldConfig.features) * (oldConfig.policy.width + oldConfig.value.width))
        let widened = try logits(wide, features)
        for t in 0..<T { XCTAssertEqual(widened[t], before[t], accuracy: 1e-5) }
        try wide.forwardValue(features: features, tokenMask: all, B: 1, T: T)
        XCTAssertEqual(wide.values[0], value, accuracy: 1e-5)

        var tooWide = PPOFixtures.tiny
        tooWide.features = TokenFeatures.count + 1
        XCTAssertThrowsError(try PolicyNetwork(config: tooWide, maxBatch: 1, maxTokens: 4, seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("\(TokenFeatures.count + 1) token features"), "\(error)")
        }
    }

    private func bruteForce(_ state: EliminationState, _ v: Int) -> NeighbourLookahead {
        let spec = state.spec
        var neighbours: [Int] = []
        state.forEachNeighbour(of: v) { if !spec.isOutput[$0 - 1] { neighbours.append($0) } }
        var after = state.clone()
        after.eliminateUnchecked(v)
        var r = NeighbourLookahead()
        for u in neighbours {
            r.costBefore += state.previewCost(u)
            r.costAfter += after.previewCost(u)
            r.markowitzBefore += state.markowitzDegree(u)
            r.markowitzAfter += after.markowitzDegree(u)
        }
        return r
    }

    private func tokens(_ state: EliminationState) throws -> [[Float]] {
        let T = TokenFeatures.tokenCount(state), F = TokenFeatures.count
        var features = [Float](repeating: .nan, count: T * F)
        var vertices = [Int32](repeating: 0, count: T)
        var legal = [Bool](repeating: false, count: T)
        TokenFeatures.write(state, features: &features, vertices: &vertices, legal: &legal)
        XCTAssertEqual(vertices.map(Int.init), Array(1...T))
        return (0..<T).map { Array(features[($0 * F)..<(($0 + 1) * F)]) }
    }
}
