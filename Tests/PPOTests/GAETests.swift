import XCTest
@testable import PPO

final class GAETests: XCTestCase {
    /// cleanrl's flat formulation over a rollout in which episodes end (dones) part-way.
    private func flatGAE(rewards: [Float], values: [Float], dones: [Bool], gamma: Float, lambda: Float) -> [Float] {
        var advantages = [Float](repeating: 0, count: rewards.count)
        var lastGAE: Float = 0
        for t in stride(from: rewards.count - 1, through: 0, by: -1) {
            let nextNonTerminal: Float = dones[t] ? 0 : 1
            let nextValue: Float = t + 1 < rewards.count ? values[t + 1] : 0
            let delta = rewards[t] + gamma * nextValue * nextNonTerminal - values[t]
            lastGAE = delta + gamma * lambda * nextNonTerminal * lastGAE
            advantages[t] = lastGAE
        }
        return advantages
    }

    func testPerEpisodeGAEEqualsFlatFormulationWithEpisodeEnds() {
        let lengths = [5, 1, 7, 3]
        var seed: UInt64 = 99
        func next() -> Float {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(seed >> 40) / Float(1 << 24) * 4 - 2
        }
        var rewards: [Float] = [], values: [Float] = [], dones: [Bool] = []
        var perEpisode: [Float] = []
        for L in lengths {
            let r = (0..<L).map { _ in next() }, v = (0..<L).map { _ in next() }
            rewards += r; values += v
            dones += (0..<L).map { $0 == L - 1 }
            perEpisode += generalizedAdvantages(rewards: r, values: v, gamma: 0.99, lambda: 0.95).advantages
        }
        let flat = flatGAE(rewards: rewards, values: values, dones: dones, gamma: 0.99, lambda: 0.95)
        let maxDiff = zip(flat, perEpisode).map { abs($0 - $1) }.max()!
        print("GAE flat vs per-episode maxdiff", maxDiff)
        XCTAssertLessThan(maxDiff, 1e-5)
    }

    func testGammaOneLambdaOneGivesMonteCarloReturns() {
        let rewards: [Float] = [-2, -3, -1], values: [Float] = [5, 1, 7]
        let (adv, ret) = generalizedAdvantages(rewards: rewards, values: values, gamma: 1, lambda: 1)
        XCTAssertEqual(ret, [-6, -4, -1])
        XCTAssertEqual(adv, [-11, -5, -8])
    }

    func testSymlogRoundTrip() {
        for x: Float in [-1e5, -3, -0.5, 0, 0.25, 7, 364, 135010] {
            XCTAssertEqual(symexp(symlog(x)), x, accuracy: abs(x) * 1e-5 + 1e-6)
        }
        XCTAssertEqual(symlog(0), 0)
        XCTAssertLessThan(symlog(-10), 0)
    }
}
