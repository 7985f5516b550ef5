import XCTest
import Elimination
import NeuralNet
import Randomness
@testable import AlphaZero

final class ReplayBufferTests: XCTestCase {
    /// A uniform π' for every move of `order` on `spec`.
    static func episode(_ order: [Int], on spec: GameSpec, task: Int = 0) -> SearchEpisode {
        let L = spec.eliminable.count
        var policies: [Float] = []
        for t in 0..<L { policies += [Float](repeating: 1 / Float(L - t), count: L - t) }
        return SearchEpisode(
            task: task, order: order.map(Int32.init), improvedPolicies: policies, policyVersion: 0, actor: 0)
    }

    func testReturnsComeFromTheGamesOwnCosts() throws {
        let spec = try AlphaZeroFixtures.threeVertexGame()
        var buffer = ReplayBuffer(capacity: 4, specs: [spec])
        // Order 2, 1, 3: steps cost 1, then 2 (vertex 1 now feeds only 3), then vertex 3 has
        // predecessors a, b and successor 4: 2. Returns from each move: −5, −4, −2.
        let steps = try Baselines.score([2, 1, 3], on: spec).steps
        XCTAssertEqual(steps, [1, 2, 2])
        XCTAssertEqual(try buffer.add(Self.episode([2, 1, 3], on: spec)), 5)
        XCTAssertEqual(buffer.games[0].returns, [-5, -4, -2])
        XCTAssertEqual(SearchEpisode.policyOffset(move: 2, eliminable: 3), 5)
        XCTAssertEqual(SearchEpisode.policyCount(eliminable: 3), 6)
        // The examples: move 1 is the state after vertex 2, with two legal actions.
        let batch = try buffer.batch([ReplayBuffer.MoveKey(game: 0, move: 1), ReplayBuffer.MoveKey(game: 0, move: 0)])
        XCTAssertEqual(batch.B, 2)
        XCTAssertEqual(batch.T, 4, "the first state has 4 tokens (3 eliminable + the output)")
        // In TaskRewardScale's units: percent of the best baseline (the stored returns stay raw).
        let best = BaselineSummary(spec: spec).best
        XCTAssertGreaterThan(best, 0)
        XCTAssertEqual(buffer.returnScales, [100 / Float(best)])
        XCTAssertEqual(batch.returns, [-4 * 100 / Float(best), -5 * 100 / Float(best)])
        // Row 0 had 3 tokens (vertices 1, 3, output 4) padded to 4.
        XCTAssertEqual(Array(batch.tokenMask[0..<4]), [true, true, true, false])
        XCTAssertEqual(Array(batch.legal[0..<4]), [true, true, false, false])
        XCTAssertEqual(Array(batch.targets[0..<4]), [0.5, 0.5, 0, 0])
        let third: Float = 1 / 3
        XCTAssertEqual(Array(batch.targets[4..<8]), [third, third, third, 0])
    }

    func testKeepsTheMostRecentGamesAndSamplesEveryMove() throws {
        let spec = try AlphaZeroFixtures.threeVertexGame()
        var buffer = ReplayBuffer(capacity: 2, specs: [spec])
        for order in [[1, 2, 3], [2, 1, 3], [3, 2, 1]] { try buffer.add(Self.episode(order, on: spec)) }
        XCTAssertEqual(buffer.games.map { $0.episode.order }, [[2, 1, 3], [3, 2, 1]], "the oldest game went first")
        XCTAssertEqual(buffer.added, 3)
        XCTAssertEqual(buffer.moveCount, 6)
        var rng = Xoshiro256StarStar(seed: 5)
        let keys = buffer.sample(count: 600, rng: &rng)
        var seen = Set<[Int]>()
        for key in keys {
            XCTAssertTrue((0..<2).contains(key.game) && (0..<3).contains(key.move))
            seen.insert([key.game, key.move])
        }
        XCTAssertEqual(seen.count, 6, "every stored move can be drawn")
        var again = Xoshiro256StarStar(seed: 5)
        XCTAssertEqual(buffer.sample(count: 600, rng: &again), keys, "the same stream draws the same minibatch")
    }

    func testRefusesEpisodesThatDoNotFit() throws {
        let spec = try AlphaZeroFixtures.threeVertexGame()
        var buffer = ReplayBuffer(capacity: 2, specs: [spec])
        XCTAssertThrowsError(try buffer.add(Self.episode([1, 2, 3], on: spec, task: 1))) {
            XCTAssertTrue("\($0)".contains("task 1"), "\($0)")
        }
        XCTAssertThrowsError(try buffer.add(Self.episode([1, 1, 3], on: spec))) {
            XCTAssertTrue("\($0)".contains("not playable"), "\($0)")
        }
        var short = Self.episode([1, 2, 3], on: spec)
        short.improvedPolicies.removeLast()
        XCTAssertThrowsError(try buffer.add(short)) { XCTAssertTrue("\($0)".contains("3 moves need 6"), "\($0)") }
        var notDistribution = Self.episode([1, 2, 3], on: spec)
        notDistribution.improvedPolicies[0] = 0.9
        XCTAssertThrowsError(try buffer.add(notDistribution)) {
            XCTAssertTrue("\($0)".contains("not a distribution"), "\($0)")
        }
        XCTAssertEqual(buffer.games.count, 0)
    }
}
