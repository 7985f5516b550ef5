import XCTest
import Elimination
@testable import PPO

/// The one trainer: each episode of a batch is judged on its own and refused by reason; a batch
/// with nothing trainable is not an update; best orders are the game's, never an episode's claim.
final class TrainerTests: XCTestCase {
    func makeTrainer() throws -> (Trainer, [Episode]) {
        let trainer = try Trainer(
            graphs: [try SmallGraphs.chain()], network: PPOFixtures.tiny, hp: PPOFixtures.tinyHyperparameters(), seed: 3
        )
        let actor = Actor(network: trainer.network, seed: 3, id: 0)
        return (trainer, try actor.play(trainer.spec, task: 0, count: 4, policyVersion: 0).episodes)
    }

    func testEachBadEpisodeIsRefusedByReasonAndTheRestTrain() throws {
        let (trainer, good) = try makeTrainer()
        var repeated = good[0]; repeated.order[1] = repeated.order[0]
        var nan = good[1]; nan.logProbs[0] = .nan
        var positive = good[1]; positive.logProbs[0] = 2
        var future = good[2]; future.policyVersion = .max
        var unknown = good[3]; unknown.task = 7
        var short = good[3]; short.logProbs.removeLast()
        guard
            case let .update(prepared) = try trainer.prepare(good + [repeated, nan, positive, future, unknown, short])
        else {
            return XCTFail("four good episodes make an update")
        }
        XCTAssertEqual(prepared.episodes, good)
        XCTAssertEqual(prepared.refused[.invalidOrder], 2)
        XCTAssertEqual(prepared.refused[.logProb], 2)
        XCTAssertEqual(prepared.refused[.futureVersion], 1)
        XCTAssertEqual(prepared.refused[.unknownTask], 1)
        XCTAssertEqual(trainer.refused, prepared.refused)
        let report = trainer.finish(prepared, metrics: try trainer.takeSteps(prepared))
        XCTAssertEqual(report.episodes, 4)
        XCTAssertEqual(report.policyVersion, 1)
        XCTAssertEqual(report.refused.total, 6)
        XCTAssertTrue(report.metrics.named.filter { $0.0 != "losses/explained_variance" }.allSatisfy { $0.1.isFinite })
    }

    func testABatchWithNothingTrainableIsNotAnUpdate() throws {
        let (trainer, good) = try makeTrainer()
        let before = trainer.network.parameterArray()
        let forged = good.map { e -> Episode in
            var f = e
            f.logProbs = f.logProbs.map { _ in -1e30 }
            return f
        }
        XCTAssertNil(try trainer.train(forged))
        XCTAssertEqual(trainer.updates, 0)
        XCTAssertEqual(trainer.policyVersion, 0, "no version bump")
        XCTAssertEqual(trainer.episodes, 0)
        XCTAssertEqual(trainer.refused[.logProb], 4)
        XCTAssertNil(trainer.best, "a refused episode's order is not a best order")
        XCTAssertEqual(trainer.network.parameterArray(), before)
    }

    func testTheBestOrderIsTheReplaysCost() throws {
        let (trainer, good) = try makeTrainer()
        let report = try XCTUnwrap(try trainer.train(good))
        let best = try XCTUnwrap(trainer.best)
        XCTAssertEqual(best.cost, report.costs.min())
        XCTAssertEqual(try Baselines.score(best.order, on: trainer.spec).cost, best.cost)
        XCTAssertEqual(report.improvedTasks, [0])
    }

    /// The cluster's path — steps from summed gradients through `applyStep` — lands where the
    /// solo path lands, bit for bit, when the sum is the whole batch's gradient.
    func testApplyStepFromASummedGradientEqualsTakeSteps() throws {
        let (a, episodes) = try makeTrainer()
        let (b, _) = try makeTrainer()
        guard case let .update(pa) = try a.prepare(episodes), case let .update(pb) = try b.prepare(episodes) else {
            return XCTFail()
        }
        _ = a.finish(pa, metrics: try a.takeSteps(pa))
        var metrics = UpdateMetrics()
        for (index, step) in pb.plan.steps.enumerated() {
            let sums = try b.learner.lossAndGradients(pb.rollout, step: step)
            let gradient = Array(UnsafeBufferPointer(start: b.network.store.gradients, count: b.network.store.count))
            try b.applyStep(index, of: pb, sums: sums, gradient: gradient, metrics: &metrics)
        }
        _ = b.finish(pb, metrics: metrics)
        XCTAssertEqual(a.network.parameterArray().map(\.bitPattern), b.network.parameterArray().map(\.bitPattern))
        XCTAssertEqual(a.snapshot(), b.snapshot())
    }
}
