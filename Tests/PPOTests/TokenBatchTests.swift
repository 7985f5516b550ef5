import XCTest
import Elimination
@testable import PPO

final class TokenBatchTests: XCTestCase {
    /// States of different lengths in one batch: each row is what `TokenFeatures.write` writes for
    /// the state alone, then padding (masked, not legal, features 0) up to the longest.
    func testRowsAreEachStateAloneThenMaskedPadding() throws {
        let spec = GameSpec(graph: try SmallGraphs.chain())
        var states: [EliminationState] = []
        var state = EliminationState(spec: spec)
        for v in spec.eliminable.prefix(3) {
            states.append(state)
            state.eliminateUnchecked(v)
        }
        var batch = TokenBatch()
        // A larger batch first: the buffers keep their size, stale numbers must not show through.
        batch.write(states + states, costs: [RemainingCosts?](repeating: nil, count: 2 * states.count))
        let T = batch.write(states.reversed(), costs: [RemainingCosts?](repeating: nil, count: states.count))
        let F = TokenFeatures.count
        XCTAssertEqual(T, TokenFeatures.tokenCount(states[0]))
        XCTAssertEqual([batch.B, batch.T], [states.count, T])
        for (row, state) in states.reversed().enumerated() {
            let n = TokenFeatures.tokenCount(state)
            var features = [Float](repeating: 0, count: n * F)
            var vertices = [Int32](repeating: 0, count: n), legal = [Bool](repeating: false, count: n)
            TokenFeatures.write(state, features: &features, vertices: &vertices, legal: &legal)
            XCTAssertEqual(batch.tokenCounts[row], n)
            XCTAssertEqual(Array(batch.features[(row * T * F)..<((row * T + n) * F)]), features)
            XCTAssertEqual(Array(batch.vertices[(row * T)..<(row * T + n)]), vertices)
            XCTAssertEqual(Array(batch.legal[(row * T)..<(row * T + T)]), legal + Array(repeating: false, count: T - n))
            XCTAssertEqual(
                Array(batch.tokenMask[(row * T)..<(row * T + T)]),
                Array(repeating: true, count: n) + Array(repeating: false, count: T - n))
            XCTAssertTrue(batch.features[((row * T + n) * F)..<((row + 1) * T * F)].allSatisfy { $0 == 0 })
        }
        XCTAssertLessThan(TokenFeatures.tokenCount(states[2]), T, "the batch pads a shorter row")
    }
}
