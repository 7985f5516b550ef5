import XCTest
import PPO
import Wire
@testable import Cluster

final class ActorCoreTests: XCTestCase {
    let hello = Hello(role: .actor, host: "h", pid: 1, cores: 2, actorIndex: 0)
    let welcome = Welcome(
        actorId: 3, heartbeatIntervalMs: 100, environmentsPerActor: 2, seed: 1, weightsVersion: 0,
        tasks: [TaskSpec(name: "a", graphText: "x"), TaskSpec(name: "b", graphText: "y")])

    func sends(_ d: [ActorCore.Directive]) -> [Message] {
        d.compactMap { if case let .send(m) = $0 { return m } else { return nil } }
    }

    func plays(_ d: [ActorCore.Directive]) -> [String] {
        d.compactMap { if case let .play(t, v) = $0 { return "task \(t) v\(v)" } else { return nil } }
    }

    func testHelloWelcomeWeightsPlayLoop() {
        var core = ActorCore(hello: hello, heartbeatIntervalMs: 100, liveness: 5)
        XCTAssertEqual(core.tick(now: 0, unitRandom: 0.5), [.openFreshSocket, .send(.hello(hello))])
        let onWelcome = core.receive(.welcome(welcome), now: 10)
        XCTAssertTrue(onWelcome.contains(.configure(welcome)))
        XCTAssertEqual(sends(onWelcome), [.weightsRequest(haveVersion: 0)])
        XCTAssertEqual(plays(core.receive(.noNewWeights(currentVersion: 0), now: 20)), ["task 0 v0"])
        let episodes = [Episode(task: 0, order: [5], logProbs: [-1], policyVersion: 0, actor: 0)]
        let done = core.finished(episodes, now: 30)
        XCTAssertEqual(
            sends(done),
            [
                .episodes([EpisodeRecord(taskIndex: 0, policyVersion: 0, actorId: 3, order: [5], logProbs: [-1])]),
                .weightsRequest(haveVersion: 0),
            ])
        let w = Weights(version: 4, preset: "small", parameters: [1])
        let next = core.receive(.weights(w), now: 40)
        XCTAssertTrue(next.contains(.loadWeights(w)))
        XCTAssertEqual(plays(next), ["task 1 v4"], "tasks are played in turn")
        XCTAssertEqual(core.policyVersion, 4)
        // Unrequested weights while playing are ignored (the policy is in use).
        XCTAssertTrue(
            plays(core.receive(.weights(Weights(version: 5, preset: "small", parameters: [2])), now: 41)).isEmpty)
        XCTAssertEqual(core.policyVersion, 4)
    }

    func testParanoidPirateReconnectWithBackoff() {
        var core = ActorCore(hello: hello, heartbeatIntervalMs: 100, liveness: 5)
        _ = core.tick(now: 0, unitRandom: 0)
        // No welcome within liveness × interval: close, wait the backoff (100 ms, jitter 0 → 50 ms).
        XCTAssertTrue(core.tick(now: 500, unitRandom: 0).isEmpty)
        XCTAssertEqual(core.tick(now: 501, unitRandom: 0).first, .closeSocket)
        XCTAssertEqual(core.link.phase, .waiting(until: 551))
        XCTAssertTrue(core.tick(now: 550, unitRandom: 0).isEmpty)
        XCTAssertEqual(core.tick(now: 551, unitRandom: 0), [.openFreshSocket, .send(.hello(hello))])
        // Second failure doubles the step (200 ms, jitter 1 → 200 ms).
        _ = core.tick(now: 1052, unitRandom: 1)
        XCTAssertEqual(core.link.phase, .waiting(until: 1252))
        _ = core.tick(now: 1252, unitRandom: 0)
        _ = core.receive(.welcome(welcome), now: 1260)
        XCTAssertEqual(core.link.backoff.failures, 0, "a welcome resets the backoff")
        // Connected: heartbeats when quiet, reconnect when the coordinator falls silent.
        XCTAssertEqual(sends(core.tick(now: 1360, unitRandom: 0)), [.heartbeat])
        _ = core.receive(.heartbeat, now: 1400)
        XCTAssertTrue(core.tick(now: 1900, unitRandom: 0).allSatisfy { $0 != .closeSocket })
        XCTAssertEqual(core.tick(now: 1901, unitRandom: 0).first, .closeSocket)
        XCTAssertNil(core.actorId)
    }

    func testBatchFinishedWhileDisconnectedIsDroppedAndRewelcomeWaitsForIt() {
        var core = ActorCore(hello: hello, heartbeatIntervalMs: 100, liveness: 5)
        _ = core.tick(now: 0, unitRandom: 0)
        _ = core.receive(.welcome(welcome), now: 1)
        _ = core.receive(.noNewWeights(currentVersion: 0), now: 2)
        XCTAssertTrue(core.isPlaying)
        _ = core.tick(now: 600, unitRandom: 0)  // coordinator silent: link down
        let e = [Episode(task: 0, order: [5], logProbs: [-1], policyVersion: 0, actor: 0)]
        XCTAssertTrue(sends(core.finished(e, now: 601)).isEmpty)
        _ = core.tick(now: 700, unitRandom: 0)
        // Re-welcomed while a batch plays: no second request until that batch is in.
        _ = core.receive(.noNewWeights(currentVersion: 0), now: 701)
        var again = welcome
        again.actorId = 8
        _ = core.receive(.welcome(again), now: 702)
        _ = core.receive(.noNewWeights(currentVersion: 0), now: 703)
        XCTAssertTrue(core.isPlaying)
        XCTAssertTrue(sends(core.receive(.welcome(again), now: 704)).isEmpty)
        guard case let .episodes(list)? = sends(core.finished(e, now: 705)).first else {
            return XCTFail("no episodes sent")
        }
        XCTAssertEqual(list.map(\.actorId), [8], "episodes carry the id of the current registration")
    }

    func testShutdownAndRefusedVersionStopForGood() {
        var core = ActorCore(hello: hello)
        _ = core.tick(now: 0, unitRandom: 0)
        XCTAssertEqual(
            core.receive(.error(ErrorReply(code: .unsupportedVersion, message: "v2")), now: 1).last,
            .stop(reason: "coordinator refused our protocol version: v2"))
        XCTAssertTrue(core.tick(now: 100_000, unitRandom: 0).isEmpty)
        var other = ActorCore(hello: hello)
        _ = other.tick(now: 0, unitRandom: 0)
        _ = other.receive(.welcome(welcome), now: 1)
        XCTAssertEqual(
            other.receive(.shutdown(reason: "done"), now: 2).last, .stop(reason: "coordinator shut down: done"))
    }

    func testNotRegisteredMeansHelloAgain() {
        var core = ActorCore(hello: hello)
        _ = core.tick(now: 0, unitRandom: 0)
        _ = core.receive(.welcome(welcome), now: 1)
        XCTAssertEqual(
            sends(core.receive(.error(ErrorReply(code: .notRegistered, message: "")), now: 2)), [.hello(hello)])
    }

    // MARK: Distributed gradients

    func job(round: UInt64 = 9, steps: Int = 2) -> GradientJob {
        GradientJob(
            actorId: 3, round: round, preset: "small", clipCoef: 0.2, entropyCoef: 0.01, valueCoef: 0.5,
            clipValueLoss: true, normalizeAdvantages: true,
            episodes: [EpisodeRecord(taskIndex: 0, policyVersion: 0, actorId: 3, order: [5], logProbs: [-1])],
            values: [0], advantages: [0], returns: [0],
            steps: (0..<steps).map { _ in
                GradientStep(blocks: [BlockKey(task: 0, step: 0)], transitions: 1, advantageMean: 0, advantageStd: 1)
            })
    }

    func computes(_ d: [ActorCore.Directive]) -> [UInt32] {
        d.compactMap { if case let .computeGradient(_, r) = $0 { return r.step } else { return nil } }
    }

    func answer(_ request: GradientRequest) -> GradientReply {
        GradientReply(
            actorId: 3, round: request.round, step: request.step, transitions: 1, policyLoss: 0, valueLoss: 0,
            entropy: 0, approxKL: 0, clipped: 0, gradient: [0])
    }

    /// Welcomed and waiting for weights.
    func connected() -> ActorCore {
        var core = ActorCore(hello: hello, heartbeatIntervalMs: 100, liveness: 5)
        _ = core.tick(now: 0, unitRandom: 0.5)
        _ = core.receive(.welcome(welcome), now: 10)
        return core
    }

    func testGradientStepsComeFirstAndNoBatchStartsWhileARoundIsUnderWay() {
        var core = connected()
        XCTAssertTrue(core.receive(.gradientJob(job()), now: 20).isEmpty)
        let r0 = GradientRequest(actorId: 3, round: 9, step: 0, parameters: [1])
        XCTAssertEqual(computes(core.receive(.gradientRequest(r0), now: 21)), [0])
        // Weights arrive while the step runs: the batch waits.
        XCTAssertTrue(plays(core.receive(.noNewWeights(currentVersion: 0), now: 22)).isEmpty)
        let after0 = core.finishedGradient(answer(r0), now: 30)
        XCTAssertEqual(sends(after0), [.gradient(answer(r0))])
        XCTAssertTrue(plays(after0).isEmpty, "one step of two answered: the round goes on, no batch")
        let r1 = GradientRequest(actorId: 3, round: 9, step: 1, parameters: [2])
        XCTAssertEqual(computes(core.receive(.gradientRequest(r1), now: 31)), [1])
        let after1 = core.finishedGradient(answer(r1), now: 40)
        XCTAssertEqual(sends(after1), [.gradient(answer(r1))])
        XCTAssertEqual(plays(after1), ["task 0 v0"], "the round is over: the deferred batch starts")
        XCTAssertEqual(core.gradientsSent, 2)
    }

    func testARequestWhilePlayingWaitsForTheBatch() {
        var core = connected()
        XCTAssertEqual(plays(core.receive(.noNewWeights(currentVersion: 0), now: 20)), ["task 0 v0"])
        _ = core.receive(.gradientJob(job(steps: 1)), now: 21)
        let r0 = GradientRequest(actorId: 3, round: 9, step: 0, parameters: [1])
        XCTAssertTrue(computes(core.receive(.gradientRequest(r0), now: 22)).isEmpty, "busy playing")
        let done = core.finished([Episode(task: 0, order: [5], logProbs: [-1], policyVersion: 0, actor: 0)], now: 30)
        XCTAssertEqual(sends(done).count, 2, "episodes and a weights request")
        XCTAssertEqual(computes(done), [0], "then the queued step")
    }

    func testUnknownRoundsAndFailuresAreAnsweredUnavailable() {
        var core = connected()
        let stray = GradientRequest(actorId: 3, round: 5, step: 0, parameters: [1])
        guard case let .gradientUnavailable(u)? = sends(core.receive(.gradientRequest(stray), now: 20)).first else {
            return XCTFail("expected gradientUnavailable")
        }
        XCTAssertEqual(u.round, 5)
        _ = core.receive(.gradientJob(job()), now: 21)
        let r0 = GradientRequest(actorId: 3, round: 9, step: 0, parameters: [1])
        _ = core.receive(.gradientRequest(r0), now: 22)
        let failed = core.finishedGradient(nil, failure: "bad episode", now: 30)
        guard case let .gradientUnavailable(f)? = sends(failed).first else {
            return XCTFail("expected gradientUnavailable")
        }
        XCTAssertEqual([UInt64(f.actorId), f.round], [3, 9])
        XCTAssertNil(core.gradientJob)
    }

    func testASilentLearnerEndsTheRoundAfterTheLivenessWindow() {
        var core = connected()
        _ = core.receive(.gradientJob(job()), now: 20)
        let r0 = GradientRequest(actorId: 3, round: 9, step: 0, parameters: [1])
        _ = core.receive(.gradientRequest(r0), now: 21)
        _ = core.receive(.noNewWeights(currentVersion: 0), now: 22)
        _ = core.finishedGradient(answer(r0), now: 30)
        // The coordinator is alive (heartbeats); only the learner's next step is missing.
        _ = core.receive(.heartbeat, now: 300)
        _ = core.receive(.heartbeat, now: 520)
        XCTAssertTrue(plays(core.tick(now: 529, unitRandom: 0.5)).isEmpty, "within 5 × 100 ms of the last step")
        XCTAssertEqual(plays(core.tick(now: 531, unitRandom: 0.5)), ["task 0 v0"])
    }
}
