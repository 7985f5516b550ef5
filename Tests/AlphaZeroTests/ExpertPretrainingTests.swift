import Elimination
import PPO
import Randomness
import TestFixtures
import XCTest

@testable import AlphaZero

/// Imitation pretraining (issue 14): the softened targets only spread weight over moves that
/// really commute with the expert's, the loss goes down, and the greedy decode learns the order.
final class ExpertPretrainingTests: XCTestCase {
    func corpusSpec(_ name: String) throws -> GameSpec {
        let path = TestFixtures.root.appendingPathComponent("Datasets/corpus/jaxpr/\(name).jaxpr").path
        return GameSpec(
            graph: try ComputationalGraph.fromJaxpr(String(contentsOfFile: path, encoding: .utf8), name: name))
    }

    /// Every move a softened target puts weight on can be played first without changing the
    /// order's cost: the rest of the expert order, with that move taken out, costs the same.
    func testSoftenedTargetsOnlyHoldMovesThatKeepTheExpertsCost() throws {
        for name in ["elman_rnn_unrolled", "planar_arm3_manipulability", "mlp_gelu3"] {
            let spec = try corpusSpec(name)
            var rng = Xoshiro256StarStar(seed: 7)
            var order = spec.eliminable
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            let expertCost = try Baselines.score(order, on: spec).cost
            let targets = try ExpertTargets(order: order, spec: spec, soften: true)
            XCTAssertEqual(targets.cost, expertCost)
            XCTAssertEqual(targets.returns.first, -Float(expertCost))
            var spread = 0
            for t in order.indices {
                let legal = spec.eliminable.filter { !order[..<t].contains($0) }.sorted()
                let row = targets.policies[t]
                XCTAssertEqual(row.count, legal.count)
                XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-5)
                XCTAssertGreaterThan(row[legal.firstIndex(of: order[t])!], 0, "the expert's own move is a target")
                for (a, v) in legal.enumerated() where row[a] > 0 && v != order[t] {
                    spread += 1
                    var moved = order
                    moved.remove(at: moved.firstIndex(of: v)!)
                    moved.insert(v, at: t)
                    XCTAssertEqual(
                        try Baselines.score(moved, on: spec).cost, expertCost, "\(name): \(v) first at move \(t)")
                }
            }
            XCTAssertGreaterThan(spread, 0, "\(name): a random order has moves that commute")
            let oneHot = try ExpertTargets(order: order, spec: spec, soften: false)
            XCTAssertEqual(oneHot.policies.map { $0.filter { $0 > 0 }.count }, [Int](repeating: 1, count: order.count))
        }
    }

    /// On the 8-vertex chain, with one-hot targets towards an order the untrained policy does not
    /// play, the imitation loss decreases and the greedy decode ends up playing exactly that order.
    func testPretrainingLowersTheLossAndDrivesTheGreedyDecodeToTheExpertOrder() throws {
        let spec = GameSpec(graph: try TestFixtures.chain())
        let network = try PolicyNetwork(
            config: TestFixtures.tinyNetwork, maxBatch: 16, maxTokens: spec.vertexCount, seed: 3)
        let untrained = try PolicyDecoder(network: network, spec: spec).greedy().order
        // The expert: the reverse of what the untrained policy plays (valid: any permutation is).
        let expert = Array(untrained.reversed())
        XCTAssertNotEqual(expert, untrained)
        var settings = AlphaZeroHyperparameters()
        settings.learningRate = 1e-2
        let pretraining = try ExpertPretraining(
            network: network, settings: settings, experts: [(spec, expert)], returnScales: [1], soften: false,
            rowsPerStep: 64, seed: 1)
        XCTAssertEqual(pretraining.exampleCount, spec.eliminable.count)
        let before = try pretraining.evaluate()
        var decoded: [Int] = []
        for epoch in 1...300 {
            _ = try pretraining.epoch(learningRate: settings.learningRate)
            decoded = try PolicyDecoder(network: network, spec: spec).greedy().order
            if decoded == expert && epoch >= 40 { break }
        }
        let after = try pretraining.evaluate()
        XCTAssertLessThan(after.policyLoss, 0.5 * before.policyLoss, "cross-entropy to the expert's moves")
        XCTAssertLessThan(after.valueLoss, before.valueLoss, "value towards the expert's returns")
        XCTAssertEqual(decoded, expert, "greedy decode plays the expert order")
        XCTAssertEqual(pretraining.expertCosts, [try Baselines.score(expert, on: spec).cost])
    }

    func testAnUnplayableExpertOrderIsRefused() throws {
        let spec = GameSpec(graph: try TestFixtures.chain())
        XCTAssertThrowsError(try ExpertTargets(order: Array(spec.eliminable.dropLast()), spec: spec, soften: true))
    }
}
