import XCTest
import PPO
import Wire
@testable import Cluster

/// The learner's side of a distributed update, driven by hand: requests out, parts in (in any
/// order, combined in shard order), helpers that fail or go silent taken over, late answers ignored.
final class GradientRoundTests: XCTestCase {
    func reply(_ actor: UInt32, round: UInt64 = 4, step: UInt32, value: Float) -> GradientReply {
        GradientReply(actorId: actor, round: round, step: step, transitions: 2, policyLoss: value, valueLoss: 0, entropy: 0,
                      approxKL: 0, clipped: 0, gradient: [value, value])
    }

    func requests(_ d: [GradientRound.Directive]) -> [UInt32] {
        d.compactMap { if case let .send(.gradientRequest(r)) = $0 { return r.actorId } else { return nil } }
    }

    func local(_ d: [GradientRound.Directive]) -> [Int] {
        d.compactMap { if case let .computeHere(shard, _) = $0 { return shard } else { return nil } }
    }

    func testPartsArriveInAnyOrderAndCombineInShardOrder() {
        var round = GradientRound(round: 4, helpers: [3, 5], stepCount: 2, timeoutMs: 1_000)
        XCTAssertEqual(requests(round.requestStep(parameters: [0, 0], now: 0)), [3, 5])
        XCTAssertTrue(round.received(reply(5, step: 0, value: 2)).isEmpty)
        XCTAssertFalse(round.stepComplete)
        _ = round.received(reply(3, step: 0, value: 1))
        XCTAssertTrue(round.stepComplete)
        XCTAssertEqual(round.completeStep().map(\.gradient), [[1, 1], [2, 2]], "shard order, not arrival order")
        XCTAssertEqual(round.step, 1)
        XCTAssertFalse(round.isFinished)
        // Answers for another round or an old step change nothing.
        XCTAssertFalse(round.received(reply(3, round: 3, step: 1, value: 9)).isEmpty, "logged")
        XCTAssertFalse(round.received(reply(3, step: 0, value: 9)).isEmpty, "logged")
        XCTAssertFalse(round.received(reply(8, step: 1, value: 9)).isEmpty, "not a helper: logged")
        _ = round.requestStep(parameters: [1, 1], now: 10)
        _ = round.received(reply(3, step: 1, value: 3))
        _ = round.received(reply(5, step: 1, value: 4))
        XCTAssertEqual(round.completeStep().map(\.sums.policyLoss), [3, 4])
        XCTAssertTrue(round.isFinished)
        XCTAssertEqual(round.shardsTakenOver, 0)
    }

    func testAnUnavailableHelperIsTakenOverForTheRestOfTheRound() {
        var round = GradientRound(round: 4, helpers: [3, 5], stepCount: 2, timeoutMs: 1_000)
        _ = round.requestStep(parameters: [0], now: 0)
        _ = round.received(reply(3, step: 0, value: 1))
        XCTAssertEqual(local(round.unavailable(GradientUnavailable(actorId: 5, round: 4, reason: "gone"))), [1])
        XCTAssertEqual(round.helpers, [3, nil])
        XCTAssertTrue(local(round.unavailable(GradientUnavailable(actorId: 5, round: 4, reason: "again"))).isEmpty, "taken over once")
        XCTAssertTrue(round.received(reply(5, step: 0, value: 7)).isEmpty == false, "a late part from the old helper is ignored")
        XCTAssertFalse(round.stepComplete)
        round.computedHere(shard: 1, step: 0, part: .init(sums: Learner.MinibatchSums(), gradient: [6]))
        XCTAssertTrue(round.stepComplete)
        _ = round.completeStep()
        let next = round.requestStep(parameters: [0], now: 5)
        XCTAssertEqual(requests(next), [3], "the taken-over shard is not requested again")
        XCTAssertEqual(local(next), [1])
        XCTAssertEqual(round.shardsTakenOver, 1)
    }

    func testSilentHelpersAreTakenOverAfterTheTimeoutOnly() {
        var round = GradientRound(round: 4, helpers: [3, 5, 6], stepCount: 1, timeoutMs: 1_000)
        _ = round.requestStep(parameters: [0], now: 100)
        _ = round.received(reply(5, step: 0, value: 1))
        XCTAssertTrue(round.tick(now: 1_100).isEmpty, "exactly at the limit: still waiting")
        XCTAssertEqual(local(round.tick(now: 1_101)), [0, 2], "the two silent shards, not the one that answered")
        XCTAssertEqual(round.helpers, [nil, 5, nil])
    }

    func testNoHelpersMeansEveryShardIsComputedHere() {
        var round = GradientRound(round: 1, helpers: [nil], stepCount: 1, timeoutMs: 1_000)
        XCTAssertEqual(local(round.requestStep(parameters: [0], now: 0)), [0])
        XCTAssertTrue(round.tick(now: 10_000).isEmpty)
    }
}
