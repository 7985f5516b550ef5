import XCTest
import PPO
import TestFixtures
import Wire
@testable import Cluster

/// The learner's side of a distributed update, driven by hand with an injected clock: shards cut
/// over the helpers, requests out, parts in (in any order, summed in shard order), helpers that
/// fail, go silent or send bad parts taken over and reported, late answers ignored, the undo point.
final class GradientRoundTests: XCTestCase {
    static let trainer = try! Trainer(
        graphs: [try! TestFixtures.chain()], network: TestFixtures.tinyNetwork,
        hp: TestFixtures.tinyHyperparameters(), seed: 1)

    /// A round over `helpers` (one episode each, at least one episode) with 2-number gradients.
    func makeRound(
        _ helpers: [UInt32], stepCount: Int, timeoutMs: Int = 1_000, normBound: Float = 1e4, round: UInt64 = 4
    ) -> GradientRound {
        GradientRound(
            round: round, episodeCount: max(helpers.count, 1), candidates: helpers, stepCount: stepCount,
            parameterCount: 2,
            timeoutMs: timeoutMs, normBound: normBound, undo: Self.trainer.undoPoint())
    }

    func reply(
        _ actor: UInt32, round: UInt64 = 4, step: UInt32, value: Float, gradient: [Float]? = nil,
        policyLoss: Float? = nil
    ) -> GradientReply {
        GradientReply(
            actorId: actor, round: round, step: step, transitions: 2, policyLoss: policyLoss ?? value, valueLoss: 0,
            entropy: 0,
            approxKL: 0, clipped: 0, gradient: gradient ?? [value, value])
    }

    func requests(_ d: [GradientRound.Directive]) -> [UInt32] {
        d.compactMap { if case let .send(.gradientRequest(r)) = $0 { return r.actorId } else { return nil } }
    }

    func local(_ d: [GradientRound.Directive]) -> [Int] {
        d.compactMap { if case let .computeHere(shard, _) = $0 { return shard } else { return nil } }
    }

    func testPartsArriveInAnyOrderAndCombineInShardOrder() {
        var round = makeRound([3, 5], stepCount: 2)
        XCTAssertEqual(requests(round.requestStep(parameters: [0, 0], now: 0)), [3, 5])
        XCTAssertTrue(round.received(reply(5, step: 0, value: 2), now: 7).isEmpty)
        XCTAssertFalse(round.stepComplete)
        _ = round.received(reply(3, step: 0, value: 1), now: 9)
        XCTAssertTrue(round.stepComplete)
        let first = round.completeStep()
        XCTAssertEqual(first.parts.map(\.gradient), [[1, 1], [2, 2]], "shard order, not arrival order")
        XCTAssertEqual(first.sum.gradient, [3, 3])
        XCTAssertEqual(first.sum.sums.transitions, 4)
        XCTAssertEqual(round.stepTimesMs, [9], "the slowest helper's time")
        XCTAssertEqual(round.step, 1)
        XCTAssertFalse(round.isFinished)
        // Answers for another round or an old step change nothing.
        XCTAssertFalse(round.received(reply(3, round: 3, step: 1, value: 9), now: 10).isEmpty, "logged")
        XCTAssertFalse(round.received(reply(3, step: 0, value: 9), now: 10).isEmpty, "logged")
        XCTAssertFalse(round.received(reply(8, step: 1, value: 9), now: 10).isEmpty, "not a helper: logged")
        _ = round.requestStep(parameters: [1, 1], now: 10)
        _ = round.received(reply(3, step: 1, value: 3), now: 11)
        _ = round.received(reply(5, step: 1, value: 4), now: 12)
        XCTAssertEqual(round.completeStep().parts.map(\.sums.policyLoss), [3, 4])
        XCTAssertTrue(round.isFinished)
        XCTAssertEqual(round.shardsTakenOver, 0)
        XCTAssertTrue(round.faults.isEmpty)
        XCTAssertEqual(round.acceptedNorms.count, 4)
    }

    func testShardsAreContiguousEqualAndAtMostOnePerEpisode() {
        let undo = Self.trainer.undoPoint()
        let three = GradientRound(
            round: 1, episodeCount: 10, candidates: [7, 2, 9], stepCount: 1, parameterCount: 2,
            timeoutMs: 1, normBound: 1, undo: undo)
        XCTAssertEqual(three.ranges, [0..<3, 3..<6, 6..<10])
        XCTAssertEqual(three.helpers, [7, 2, 9], "in the order given")
        let few = GradientRound(
            round: 1, episodeCount: 2, candidates: [1, 2, 3, 4, 5], stepCount: 1, parameterCount: 2,
            timeoutMs: 1, normBound: 1, undo: undo)
        XCTAssertEqual(few.ranges, [0..<1, 1..<2])
        XCTAssertEqual(few.helpers, [1, 2])
        let none = GradientRound(
            round: 1, episodeCount: 4, candidates: [], stepCount: 1, parameterCount: 2,
            timeoutMs: 1, normBound: 1, undo: undo)
        XCTAssertEqual(none.ranges, [0..<4])
        XCTAssertEqual(none.helpers, [nil])
        // At least 4 episodes a shard: 10 episodes make 2 shards, whatever the candidates.
        let bounded = GradientRound(
            round: 1, episodeCount: 10, candidates: [1, 2, 3, 4, 5], stepCount: 1, parameterCount: 2,
            timeoutMs: 1, normBound: 1, undo: undo, minShardEpisodes: 4)
        XCTAssertEqual(bounded.ranges, [0..<5, 5..<10])
        XCTAssertEqual(bounded.helpers, [1, 2])
        // A batch smaller than one shard still gets one helper.
        let small = GradientRound(
            round: 1, episodeCount: 3, candidates: [1, 2], stepCount: 1, parameterCount: 2,
            timeoutMs: 1, normBound: 1, undo: undo, minShardEpisodes: 4)
        XCTAssertEqual(small.helpers, [1])
    }

    func testAnUnavailableHelperIsTakenOverForTheRestOfTheRound() {
        var round = makeRound([3, 5], stepCount: 2)
        _ = round.requestStep(parameters: [0], now: 0)
        _ = round.received(reply(3, step: 0, value: 1), now: 1)
        XCTAssertEqual(local(round.unavailable(GradientUnavailable(actorId: 5, round: 4, reason: "gone"))), [1])
        XCTAssertEqual(round.helpers, [3, nil])
        XCTAssertTrue(
            local(round.unavailable(GradientUnavailable(actorId: 5, round: 4, reason: "again"))).isEmpty,
            "taken over once")
        XCTAssertTrue(
            round.received(reply(5, step: 0, value: 7), now: 2).isEmpty == false,
            "a late part from the old helper is ignored")
        XCTAssertFalse(round.stepComplete)
        round.computedHere(shard: 1, step: 0, part: .init(sums: Learner.MinibatchSums(), gradient: [6, 6]))
        XCTAssertTrue(round.stepComplete)
        XCTAssertEqual(round.completeStep().sum.gradient, [7, 7])
        let next = round.requestStep(parameters: [0], now: 5)
        XCTAssertEqual(requests(next), [3], "the taken-over shard is not requested again")
        XCTAssertEqual(local(next), [1])
        XCTAssertEqual(round.shardsTakenOver, 1)
        XCTAssertTrue(round.faults.isEmpty, "leaving is not a fault")
    }

    func testSilentHelpersAreTakenOverAfterTheTimeoutOnlyAndReported() {
        var round = makeRound([3, 5, 6], stepCount: 1)
        _ = round.requestStep(parameters: [0], now: 100)
        _ = round.received(reply(5, step: 0, value: 1), now: 150)
        XCTAssertTrue(round.tick(now: 1_100).isEmpty, "exactly at the limit: still waiting")
        XCTAssertEqual(local(round.tick(now: 1_101)), [0, 2], "the two silent shards, not the one that answered")
        XCTAssertEqual(round.helpers, [nil, 5, nil])
        XCTAssertEqual(round.faults.map(\.actor), [3, 6])
        round.computedHere(shard: 0, step: 0, part: .init(sums: Learner.MinibatchSums(), gradient: [0, 0]))
        round.computedHere(shard: 2, step: 0, part: .init(sums: Learner.MinibatchSums(), gradient: [0, 0]))
        _ = round.completeStep()
        XCTAssertTrue(round.stepTimesMs.isEmpty, "a step that timed out does not teach the timeout")
    }

    /// Issue 12: NaN, ±inf, 1e30, a wrong size or a NaN loss never reach the sum; each is a
    /// fault of its sender and the shard is computed here.
    func testBadPartsAreRefusedReportedAndComputedHere() {
        let bad: [(String, GradientReply)] = [
            ("nan", reply(1, step: 0, value: 1, gradient: [.nan, 0])),
            ("inf", reply(2, step: 0, value: 1, gradient: [0, -.infinity])),
            ("huge", reply(3, step: 0, value: 1, gradient: [1e30, 0])),
            ("size", reply(4, step: 0, value: 1, gradient: [1, 1, 1])),
            ("loss", reply(5, step: 0, value: 1, policyLoss: .nan)),
            ("above bound", reply(6, step: 0, value: 1, gradient: [200, 0])),
            ("finite but forged loss", reply(7, step: 0, value: 1, policyLoss: 3e38)),
        ]
        var round = makeRound([1, 2, 3, 4, 5, 6, 7, 8], stepCount: 1, normBound: 100)
        _ = round.requestStep(parameters: [0, 0], now: 0)
        for (name, r) in bad {
            XCTAssertEqual(local(round.received(r, now: 1)), [Int(r.actorId) - 1], name)
        }
        XCTAssertTrue(round.received(reply(8, step: 0, value: 1), now: 1).isEmpty, "an honest part is accepted")
        XCTAssertEqual(round.faults.map(\.actor), [1, 2, 3, 4, 5, 6, 7])
        XCTAssertEqual(round.helpers, [nil, nil, nil, nil, nil, nil, nil, 8])
        for k in 0..<7 {
            round.computedHere(shard: k, step: 0, part: .init(sums: Learner.MinibatchSums(), gradient: [0.5, 0.5]))
        }
        let step = round.completeStep()
        XCTAssertEqual(step.sum.gradient, [4.5, 4.5])
        XCTAssertTrue(step.sum.gradient.allSatisfy(\.isFinite))
    }

    func testNoHelpersMeansEveryShardIsComputedHere() {
        var round = makeRound([], stepCount: 1, round: 1)
        XCTAssertEqual(local(round.requestStep(parameters: [0], now: 0)), [0])
        XCTAssertTrue(round.tick(now: 10_000).isEmpty)
    }

    /// The undo point restores weights, Adam state and the shuffling stream.
    func testTheUndoPointPutsTheTrainerBack() throws {
        let trainer = try Trainer(
            graphs: [try TestFixtures.chain()], network: TestFixtures.tinyNetwork,
            hp: TestFixtures.tinyHyperparameters(), seed: 5)
        let before = trainer.snapshot()
        let round = GradientRound(
            round: 1, episodeCount: 1, candidates: [], stepCount: 1, parameterCount: trainer.network.store.count,
            timeoutMs: 1, normBound: 1, undo: trainer.undoPoint())
        for i in 0..<trainer.network.store.count { trainer.network.store.parameters[i] += 1 }
        _ = trainer.learner.rng.next()
        XCTAssertNotEqual(trainer.snapshot(), before)
        trainer.undo(to: round.undo)
        XCTAssertEqual(trainer.snapshot(), before)
    }
}

/// A real round with helpers `late` (silent past the timeout on step 0) and `onTime` (every part
/// in time), the late shards computed here.
func lateRound(late: [UInt32], onTime: [UInt32]) -> GradientRound {
    let helpers = late + onTime
    var round = GradientRound(
        round: 1, episodeCount: helpers.count, candidates: helpers, stepCount: 1, parameterCount: 1,
        timeoutMs: 1_000, normBound: .infinity, undo: GradientRoundTests.trainer.undoPoint())
    _ = round.requestStep(parameters: [0], now: 0)
    for actor in onTime {
        _ = round.received(
            GradientReply(
                actorId: actor, round: 1, step: 0, transitions: 1, policyLoss: 0, valueLoss: 0, entropy: 0,
                approxKL: 0, clipped: 0, gradient: [1]), now: 100)
    }
    _ = round.tick(now: 1_001)
    for k in late.indices {
        round.computedHere(shard: k, step: 0, part: .init(sums: Learner.MinibatchSums(), gradient: [1]))
    }
    _ = round.completeStep()
    return round
}

/// What the learner learns across rounds: the norm bound and the timeout from the run, and who
/// is excluded after repeated faults.
final class GradientHelpersTests: XCTestCase {
    func finishedRound(norms: [Float], stepTimes: [Int], faults: [UInt32]) -> GradientRound {
        // A real round, driven through its steps with honest parts of the given norms.
        let helpers = faults + [100]
        var round = GradientRound(
            round: 1, episodeCount: helpers.count, candidates: helpers, stepCount: norms.count, parameterCount: 1,
            timeoutMs: 1_000_000, normBound: .infinity, undo: GradientRoundTests.trainer.undoPoint())
        var now = 0
        for (s, norm) in norms.enumerated() {
            _ = round.requestStep(parameters: [0], now: now)
            if s == 0 {
                for (i, actor) in faults.enumerated() {
                    _ = round.received(
                        GradientReply(
                            actorId: actor, round: 1, step: 0, transitions: 1, policyLoss: 0, valueLoss: 0, entropy: 0,
                            approxKL: 0, clipped: 0, gradient: [.nan]), now: now)
                    round.computedHere(shard: i, step: 0, part: .init(sums: Learner.MinibatchSums(), gradient: [norm]))
                }
            }
            for case let actor? in round.helpers {
                _ = round.received(
                    GradientReply(
                        actorId: actor, round: 1, step: UInt32(s), transitions: 1, policyLoss: 0, valueLoss: 0,
                        entropy: 0, approxKL: 0, clipped: 0, gradient: [norm]), now: now + stepTimes[s])
            }
            _ = round.completeStep()
            now += 10_000
        }
        return round
    }

    func testTheBoundsAreLearnedFromTheRun() {
        var helpers = GradientHelpers(initialTimeoutMs: 60_000)
        XCTAssertEqual(helpers.timeoutMs, 60_000, "nothing measured yet")
        XCTAssertEqual(helpers.normBound, GradientHelpers.initialNormBound)
        _ = helpers.absorb(
            finishedRound(norms: [1, 2, 3, 4, 5], stepTimes: [100, 200, 300, 400, 500], faults: []), durationMs: 2_000)
        XCTAssertEqual(helpers.normBound, 30, "10 × the median accepted norm")
        XCTAssertEqual(helpers.timeoutMs, 2_000, "5 × 300 ms is below the 2 s floor")
        _ = helpers.absorb(
            finishedRound(norms: [3, 3, 3, 3, 3], stepTimes: [900, 900, 900, 900, 900], faults: []), durationMs: 5_000)
        XCTAssertEqual(helpers.timeoutMs, 4_500, "5 × the median step time")
    }

    func testThreeFaultsExcludeAnActorFromRounds() {
        var helpers = GradientHelpers(initialTimeoutMs: 60_000)
        helpers.heard(from: 9, now: 0)
        helpers.heard(from: 4, now: 0)
        for n in 1...3 {
            XCTAssertEqual(helpers.candidates(now: 10, playedBy: [9, 4]), [4, 9], "before fault \(n)")
            let log = helpers.absorb(finishedRound(norms: [1], stepTimes: [10], faults: [9]), durationMs: 100)
            XCTAssertTrue(log.contains { $0.text.contains("actor 9 bad part \(n) of 3") }, "\(log)")
        }
        XCTAssertEqual(helpers.excluded, [9])
        XCTAssertEqual(
            helpers.candidates(now: 10, playedBy: [9, 4]), [4], "never a helper again, even if it played the batch")
        for _ in 0..<100 { _ = helpers.absorb(finishedRound(norms: [1], stepTimes: [10], faults: []), durationMs: 100) }
        XCTAssertEqual(
            helpers.candidates(now: 10, playedBy: [9, 4]), [4],
            "bad parts exclude for good: no return after any number of rounds")
        helpers.unavailable(4)
        XCTAssertEqual(helpers.candidates(now: 10, playedBy: []), [])
    }

    /// Issue 12: an honest but slow actor used to be excluded for the whole run after three late
    /// parts. Lateness is benched, not excluded: three late parts in a row bench it for 10 rounds,
    /// then it helps again; benched again, it sits out 20; rounds it helps through on time work
    /// late faults off.
    func testLateHelpersAreBenchedThenReadmittedWhileBadOnesStayOut() {
        var helpers = GradientHelpers(initialTimeoutMs: 1_000)
        helpers.heard(from: 4, now: 0)
        helpers.heard(from: 9, now: 0)
        // Late, on time, late, on time …: each on-time round works one late fault off, never benched.
        for _ in 0..<5 {
            _ = helpers.absorb(lateRound(late: [9], onTime: [4]), durationMs: 100)
            _ = helpers.absorb(lateRound(late: [], onTime: [4, 9]), durationMs: 100)
        }
        XCTAssertEqual(helpers.lateness[9], 0)
        XCTAssertFalse(helpers.isBenched(9))
        XCTAssertEqual(helpers.faults[9], 5, "every late part is still counted for the summary")
        // Three late rounds in a row: benched for 10 rounds.
        var log: [LogLine] = []
        for _ in 0..<3 { log += helpers.absorb(lateRound(late: [9], onTime: [4]), durationMs: 100) }
        XCTAssertTrue(log.contains { $0.text.contains("actor 9 benched from gradient rounds for 10 rounds") }, "\(log)")
        XCTAssertEqual(helpers.excluded, [], "lateness never excludes for good")
        XCTAssertEqual(helpers.candidates(now: 10, playedBy: [9]), [4])
        var back: Int?
        for n in 1...30 where back == nil {
            let lines = helpers.absorb(lateRound(late: [], onTime: [4]), durationMs: 100)
            if helpers.candidates(now: 10, playedBy: []).contains(9) {
                back = n
                XCTAssertTrue(
                    lines.contains { $0.text.contains("actor 9 is a gradient helper again after 10 rounds") },
                    "\(lines)")
            }
        }
        XCTAssertEqual(back, 10, "re-admitted after exactly 10 rounds")
        // Slow again: the second bench is twice as long.
        log = []
        for _ in 0..<3 { log += helpers.absorb(lateRound(late: [9], onTime: [4]), durationMs: 100) }
        XCTAssertTrue(log.contains { $0.text.contains("benched from gradient rounds for 20 rounds") }, "\(log)")
        for _ in 0..<19 { _ = helpers.absorb(lateRound(late: [], onTime: [4]), durationMs: 100) }
        XCTAssertFalse(helpers.candidates(now: 10, playedBy: []).contains(9))
        _ = helpers.absorb(lateRound(late: [], onTime: [4]), durationMs: 100)
        XCTAssertEqual(helpers.candidates(now: 10, playedBy: []), [4, 9])
        XCTAssertEqual(helpers.badParts[9], nil, "no bad part was ever counted")
    }
}

/// Sizing the helpers to the measured compute and communication (issue 18).
extension GradientRoundTests {
    // MARK: Sizing the helpers (issue 18)

    /// A finished round of `episodes` episodes over `helpers` actors in which every step took
    /// `wallMs` and every helper reported `computeMs`.
    func measuredRound(
        episodes: Int, helpers: [UInt32], steps: Int = 4, wallMs: Int, computeMs: Int
    ) -> GradientRound {
        var round = GradientRound(
            round: 4, episodeCount: episodes, candidates: helpers, stepCount: steps, parameterCount: 2,
            timeoutMs: 60_000, normBound: 1e4, undo: Self.trainer.undoPoint())
        for step in 0..<steps {
            let start = 1_000 * step
            _ = round.requestStep(parameters: [0, 0], now: start)
            for actor in helpers {
                var r = reply(actor, step: UInt32(step), value: 1)
                r.computeMicros = UInt32(1_000 * computeMs)
                _ = round.received(r, now: start + wallMs)
            }
            _ = round.completeStep()
        }
        return round
    }

    func testStepSamplesSetTheWallTimeAgainstTheHelpersReportedCompute() {
        var round = makeRound([3, 5], stepCount: 2)
        _ = round.requestStep(parameters: [0, 0], now: 100)
        var a = reply(3, step: 0, value: 1)
        a.computeMicros = 4_000
        var b = reply(5, step: 0, value: 1)
        b.computeMicros = 6_500
        _ = round.received(b, now: 107)
        _ = round.received(a, now: 109)
        _ = round.completeStep()
        XCTAssertEqual(
            round.stepSamples, [GradientRound.StepSample(wallMs: 9, computeMs: 6.5, helpers: 2, episodesPerShard: 1)])
        XCTAssertEqual(round.stepSamples[0].communicationMs, 2.5)
        // A helper claiming more compute than the whole step took is held to the step.
        var liar = makeRound([3], stepCount: 1)
        _ = liar.requestStep(parameters: [0, 0], now: 0)
        var lie = reply(3, step: 0, value: 1)
        lie.computeMicros = .max
        _ = liar.received(lie, now: 12)
        _ = liar.completeStep()
        XCTAssertEqual(liar.stepSamples.map(\.computeMs), [12])
        // A step with a shard taken over measures the learner, not the helpers: no sample.
        _ = round.requestStep(parameters: [0, 0], now: 200)
        a.step = 1
        _ = round.received(a, now: 201)
        XCTAssertEqual(local(round.tick(now: 2_000)), [1], "actor 5 is silent: its shard is taken over")
        XCTAssertFalse(round.stepComplete)
        round.computedHere(shard: 1, step: 1, part: .init(sums: .init(), gradient: [0, 0]))
        _ = round.completeStep()
        XCTAssertEqual(round.stepSamples.count, 1)
    }

    func testMaxHelpersBoundsTheShardsWhateverTheCandidates() {
        let round = GradientRound(
            round: 1, episodeCount: 32, candidates: Array(1...40), stepCount: 1, parameterCount: 2,
            timeoutMs: 1, normBound: 1, undo: Self.trainer.undoPoint(), minShardEpisodes: 2, maxHelpers: 5)
        XCTAssertEqual(round.helpers, [1, 2, 3, 4, 5])
        XCTAssertEqual(round.ranges.map(\.count), [6, 6, 7, 6, 7])
        let floor = GradientRound(
            round: 1, episodeCount: 32, candidates: Array(1...40), stepCount: 1, parameterCount: 2,
            timeoutMs: 1, normBound: 1, undo: Self.trainer.undoPoint(), minShardEpisodes: 16, maxHelpers: 5)
        XCTAssertEqual(floor.helpers, [1, 2], "min_shard_episodes stays a floor under the shards")
    }

    func testHelperCountKeepsCommunicationWithinATenthOfTheCompute() {
        var fresh = GradientHelpers(initialTimeoutMs: 60_000)
        XCTAssertNil(fresh.estimates)
        XCTAssertEqual(fresh.helperCount(episodes: 32, available: 64), 5, "⌊√32⌋ before anything is measured")
        XCTAssertEqual(fresh.helperCount(episodes: 32, available: 3), 3)
        XCTAssertEqual(fresh.helperCount(episodes: 32, available: 64, minShardEpisodes: 16), 2)
        XCTAssertEqual(fresh.helperCount(episodes: 4, available: 64), 2)

        // 4 helpers on 32 episodes: 80 ms of compute (10 ms per episode), 84 ms a step: 1 ms of
        // communication per helper. 0.1 · 10 · 32 / 1 = 32, so ⌊√32⌋ = 5 helpers.
        _ = fresh.absorb(measuredRound(episodes: 32, helpers: [1, 2, 3, 4], wallMs: 84, computeMs: 80), durationMs: 1)
        let (alpha, beta) = fresh.estimates!
        XCTAssertEqual(alpha, 1, accuracy: 1e-9)
        XCTAssertEqual(beta, 10, accuracy: 1e-9)
        XCTAssertEqual(fresh.helperCount(episodes: 32, available: 64), 5)
        // The ratio the rule aims at: α · H ≤ 0.1 · β · B / H at 5, not at 6.
        XCTAssertLessThanOrEqual(alpha * 5, 0.1 * beta * 32 / 5)
        XCTAssertGreaterThan(alpha * 6, 0.1 * beta * 32 / 6)

        // Communication of 40 ms per helper (a paper-size model on a slow link): one helper.
        var slow = GradientHelpers(initialTimeoutMs: 60_000)
        _ = slow.absorb(measuredRound(episodes: 32, helpers: [1, 2, 3, 4], wallMs: 240, computeMs: 80), durationMs: 1)
        XCTAssertEqual(slow.helperCount(episodes: 32, available: 64), 1)

        // Cheap communication: more helpers, but at most twice the last round's until measured.
        var fast = GradientHelpers(initialTimeoutMs: 60_000)
        _ = fast.absorb(measuredRound(episodes: 64, helpers: [1, 2], wallMs: 321, computeMs: 320), durationMs: 1)
        XCTAssertEqual(fast.helperCount(episodes: 64, available: 64), 4, "√(0.1 · 10 · 64 / 0.5) = 11, capped at 2 × 2")
        XCTAssertEqual(fast.helperCount(episodes: 64, available: 3), 3)
    }
}
