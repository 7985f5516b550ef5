import Randomness
import XCTest
@testable import Elimination

/// `RemainingCosts` kept move by move agrees with the state at every step of whole episodes: every
/// remaining vertex's cost now, their sum and minimum, the k cheapest (ties: lowest id), ranks by id.
final class RemainingCostsTests: XCTestCase {
    func testKeptCostsMatchTheStateOverWholeEpisodesInBothLayouts() throws {
        var rng = SplitMix64(seed: 17)
        var graphs = try StateLayoutTests.graphs()
        graphs.append(RandomGraphs.scalar(seed: 9, inputs: 4, equations: 300, outputs: 5))
        for graph in graphs {
            for layout in StateLayout.allCases {
                let spec = GameSpec(graph: graph, layout: layout)
                let orders = [Baselines.markowitzOrder(spec), RandomOrders.order(spec, using: &rng)]
                for order in orders {
                    var state = EliminationState(spec: spec)
                    var kept = RemainingCosts(state)
                    for (step, v) in order.enumerated() {
                        let expected = state.previewCost(v)
                        XCTAssertEqual(kept.eliminate(v, in: &state), expected)
                        if step % 10 == 0 || order.count - step < 3 {
                            try check(kept, against: state, "\(graph.name) \(layout) step \(step)")
                        }
                    }
                    XCTAssertTrue(state.isTerminal)
                    XCTAssertEqual(kept.count, 0)
                    XCTAssertNil(kept.minimum)
                    XCTAssertEqual(kept.cheapest(5), [])
                }
            }
        }
    }

    func testAFreshIndexOfAStartedEpisodeEqualsTheKeptOne() throws {
        let spec = GameSpec(graph: RandomGraphs.scalar(seed: 4, inputs: 3, equations: 200, outputs: 4))
        var state = EliminationState(spec: spec)
        var kept = RemainingCosts(state)
        for v in Baselines.markowitzOrder(spec).prefix(120) { kept.eliminate(v, in: &state) }
        let fresh = RemainingCosts(state)
        XCTAssertEqual(fresh.count, kept.count)
        XCTAssertEqual(fresh.total, kept.total)
        XCTAssertEqual(fresh.cheapest(fresh.count), kept.cheapest(kept.count))
        try check(fresh, against: state, "fresh")
    }

    private func check(_ kept: RemainingCosts, against state: EliminationState, _ where: String) throws {
        let remaining = state.remaining
        XCTAssertEqual(kept.count, remaining.count, `where`)
        let costs = remaining.map(state.previewCost)
        XCTAssertEqual(kept.total, costs.reduce(0, +), `where`)
        XCTAssertEqual(kept.minimum, costs.min(), `where`)
        for (rank, v) in remaining.enumerated() {
            XCTAssertEqual(kept.cost(of: v), costs[rank], `where`)
            XCTAssertEqual(kept.rank(of: v), rank, `where`)
            XCTAssertEqual(kept.vertex(atRank: rank), v, `where`)
        }
        // The cheapest, cheapest first, ties by id: a stable sort of the ascending ids by cost.
        let byCost = remaining.indices.sorted { (costs[$0], $0) < (costs[$1], $1) }.map { remaining[$0] }
        for k in [0, 1, 7, 62, remaining.count + 3] {
            XCTAssertEqual(kept.cheapest(k), Array(byCost.prefix(k)), "\(`where`) k \(k)")
        }
    }
}
