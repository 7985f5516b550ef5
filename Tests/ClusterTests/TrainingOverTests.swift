import PPO
import XCTest
import Wire
@testable import Cluster

/// The end of training (protocol 7's `trainingOver`, Docs/PROTOCOL.md §3): the learner announces
/// it once, the coordinator tells every actor and answers their later requests with it, actors
/// stop. Driven with fake peers and an injected clock, as the rest of each core's tests.
extension CoordinatorCoreTests {
    func over(_ version: UInt64, _ reason: TrainingOver.Reason = .finalDecode) -> [[UInt8]] {
        Wire.encode(.trainingOver(TrainingOver(lastVersion: version, reason: reason)))
    }

    func logs(_ directives: [CoordinatorDirective]) -> [String] {
        directives.compactMap { if case let .log(l) = $0 { return l.text } else { return nil } }
    }

    func testTrainingOverStopsEveryActorAndAnswersTheirLaterRequests() throws {
        // A bound of one batch: A's request is answered (A plays), B's is held.
        var core = makeCore(maxQueued: 4)
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        _ = core.receive(hello(.actor, index: 1), from: actorB, now: 0)
        _ = core.receive(hello(.learner), from: learnerAddress, now: 0)
        let w = Weights(version: 3, preset: "small", parameters: [1])
        _ = core.receive(Wire.encode(.publishWeights(w)), from: learnerAddress, now: 1)
        XCTAssertEqual(sent(core.receive(Wire.encode(.weightsRequest(haveVersion: 0)), from: actorA, now: 2)).count, 1)
        XCTAssertTrue(sent(core.receive(Wire.encode(.weightsRequest(haveVersion: 0)), from: actorB, now: 2)).isEmpty)

        let notice = TrainingOver(lastVersion: 3, reason: .finalDecode)
        let out = core.receive(over(3), from: learnerAddress, now: 3)
        XCTAssertEqual(
            sent(out).map(\.0), [actorA, actorB], "the playing actor and the held one, at once; no reply to the learner"
        )
        XCTAssertEqual(sent(out).map(\.1), [.trainingOver(notice), .trainingOver(notice)])
        XCTAssertEqual(
            logs(out),
            [
                "training is over: the learner stopped training for its final decode (last weights v3); telling 2 actor(s) to stop"
            ])
        XCTAssertEqual(core.trainingOver, notice)

        // A's batch, played before it heard: counted as received, dropped, not forwarded.
        let late = sent(core.receive(episodes(actor: 1, count: 4, version: 3), from: actorA, now: 4))
        XCTAssertTrue(late.isEmpty, "\(late)")
        XCTAssertEqual(core.episodesReceived, 4)
        XCTAssertEqual(core.droppedAfterTraining, 4)
        XCTAssertEqual(
            core.status(now: 5).peers.map(\.episodes), [4, 0, 0], "A's count includes them; none reached the learner")
        // Every later request gets the news instead of weights, also from an actor that joins now.
        XCTAssertEqual(
            sent(core.receive(Wire.encode(.weightsRequest(haveVersion: 3)), from: actorA, now: 5)).map(\.1),
            [.trainingOver(notice)])
        let actorC = PeerAddress([3])
        XCTAssertEqual(try welcome(core.receive(hello(.actor, index: 2), from: actorC, now: 6)).actorId, 3)
        XCTAssertEqual(
            sent(core.receive(Wire.encode(.weightsRequest(haveVersion: 0)), from: actorC, now: 7)).map(\.1),
            [.trainingOver(notice)])
        // The learner's own goodbye, and a publish after it, change nothing about that.
        _ = core.receive(Wire.encode(.goodbye), from: learnerAddress, now: 8)
        XCTAssertTrue(sent(core.receive(episodes(actor: 2, count: 4), from: actorB, now: 9)).isEmpty)
        XCTAssertEqual(core.droppedAfterTraining, 8, "with no learner they are dropped too, not held for one")
        XCTAssertEqual(core.droppedWithoutLearner, 0)
        XCTAssertEqual(core.waiting.count, 0)
    }

    /// A version-6 peer (which would not know `trainingOver`) is refused at its hello, the
    /// refusal naming both versions, as for every version change.
    func testAVersion6PeerIsRefusedNamingBothVersions() throws {
        var core = makeCore()
        var old = hello(.actor)
        old[0][4] = 6
        let out = sent(core.receive(old, from: actorA, now: 0))
        guard case let .error(e)? = out.first?.1 else { return XCTFail("\(out)") }
        XCTAssertEqual(e.code, .unsupportedVersion)
        XCTAssertEqual(e.message, "protocol version 6 is not supported (this build speaks 7); upgrade the older side")
        XCTAssertEqual(core.registeredPeerCount, 0)
    }

    func testASecondTrainingOverIsHarmless() {
        var core = makeCore()
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        _ = core.receive(hello(.learner), from: learnerAddress, now: 0)
        XCTAssertEqual(sent(core.receive(over(5, .budgetReached), from: learnerAddress, now: 1)).count, 1)
        let again = core.receive(over(6), from: learnerAddress, now: 2)
        XCTAssertTrue(sent(again).isEmpty, "nobody is told twice, the learner gets no error: \(again)")
        XCTAssertEqual(core.trainingOver, TrainingOver(lastVersion: 5, reason: .budgetReached), "the first one stands")
        XCTAssertEqual(core.refusedMessages, 0)
        XCTAssertEqual(
            sent(core.receive(Wire.encode(.weightsRequest(haveVersion: 0)), from: actorA, now: 3)).map(\.1),
            [.trainingOver(TrainingOver(lastVersion: 5, reason: .budgetReached))])
    }

    func testOnlyTheRegisteredLearnerEndsTraining() {
        var core = makeCore()
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        XCTAssertEqual(errorCode(core.receive(over(1), from: actorA, now: 1)), .roleNotAllowed)
        XCTAssertEqual(errorCode(core.receive(over(1), from: stranger, now: 1)), .notRegistered)
        XCTAssertNil(core.trainingOver)
        XCTAssertEqual(
            sent(core.receive(Wire.encode(.weightsRequest(haveVersion: 0)), from: actorA, now: 2)).map(\.1),
            [.noNewWeights(currentVersion: 0)], "training goes on")
    }

    /// A learner that says hello after the last one ended training (the run resumed from its
    /// checkpoint, or a new run on the same coordinator) starts clean: actors play for it again.
    func testANewLearnerStartsANewTraining() throws {
        var core = makeCore()
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        _ = core.receive(hello(.learner), from: learnerAddress, now: 0)
        _ = core.receive(over(2, .budgetReached), from: learnerAddress, now: 1)
        _ = core.receive(Wire.encode(.goodbye), from: learnerAddress, now: 2)
        let resumed = PeerAddress([10])
        let out = core.receive(hello(.learner), from: resumed, now: 3)
        XCTAssertNil(core.trainingOver)
        XCTAssertTrue(logs(out).contains { $0.hasSuffix("starts a new training (the last one ended at v2)") }, "\(out)")
        XCTAssertEqual(
            sent(core.receive(Wire.encode(.weightsRequest(haveVersion: 0)), from: actorA, now: 4)).map(\.1),
            [.noNewWeights(currentVersion: 0)])
        let forwarded = sent(core.receive(episodes(actor: 1, count: 2), from: actorA, now: 5))
        XCTAssertEqual(forwarded.map(\.0), [resumed], "the new learner gets the games")
        XCTAssertEqual(core.droppedAfterTraining, 0)
    }
}

extension ActorCoreTests {
    func testTrainingOverStopsTheActorAndDropsTheBatchInPlay() {
        var core = ActorCore(hello: hello, heartbeatIntervalMs: 100, liveness: 5)
        _ = core.tick(now: 0, unitRandom: 0.5)
        _ = core.receive(.welcome(welcome), now: 10)
        XCTAssertEqual(plays(core.receive(.noNewWeights(currentVersion: 0), now: 20)), ["task 0 v0"])
        let notice = TrainingOver(lastVersion: 7, reason: .finalDecode)
        XCTAssertEqual(
            core.receive(.trainingOver(notice), now: 30),
            [
                .stop(
                    reason:
                        "training is over: the learner stopped training for its final decode (last weights v7); abandoning the batch in play"
                )
            ])
        XCTAssertEqual(core.trainingOver, notice)
        // The batch that still finishes is dropped; nothing more is sent, nothing starts again.
        let episodes = [Episode(task: 0, order: [5], logProbs: [-1], policyVersion: 0, actor: 0)]
        XCTAssertEqual(core.finished(episodes, now: 40), [])
        XCTAssertEqual(core.episodesSent, 0)
        XCTAssertEqual(core.receive(.weights(Weights(version: 8, preset: "small", parameters: [1])), now: 50), [])
        XCTAssertEqual(core.tick(now: 10_000, unitRandom: 0.5), [], "no heartbeat, no reconnect")
    }

    func testAWaitingActorStopsWithNothingToAbandon() {
        var core = ActorCore(hello: hello, heartbeatIntervalMs: 100, liveness: 5)
        _ = core.tick(now: 0, unitRandom: 0.5)
        _ = core.receive(.welcome(welcome), now: 10)
        XCTAssertEqual(
            core.receive(.trainingOver(TrainingOver(lastVersion: 0, reason: .budgetReached)), now: 20),
            [.stop(reason: "training is over: the learner's updates are done (last weights v0)")])
        XCTAssertEqual(
            core.receive(.noNewWeights(currentVersion: 0), now: 30), [], "its request's answer comes too late")
        XCTAssertEqual(core.batchesPlayed, 0)
    }
}

extension LearnerCoreTests {
    func testTrainingOverIsAnnouncedOnceAndOnlyWhenTrainingEndsForGood() {
        let settings = LearnerSettings(numEnvs: 2, maxPolicyLag: 1, maxQueuedEpisodes: 100, taskCount: 1)
        var core = LearnerCore<Episode>(settings: settings)
        _ = core.receive(batch([0, 0]))
        XCTAssertEqual(core.nextBatch()?.count, 2)
        XCTAssertEqual(core.updated(), 1)
        XCTAssertNil(
            core.trainingOver(budgetReached: false, finalDecode: false),
            "stopped by a signal with no decode to follow: it may be resumed, actors play on")
        _ = core.receive(batch([1, 1, 1, 1]))
        XCTAssertNotNil(core.nextBatch(), "and it is still a learner")
        XCTAssertEqual(
            core.trainingOver(budgetReached: true, finalDecode: false),
            TrainingOver(lastVersion: 1, reason: .budgetReached))
        XCTAssertNil(core.trainingOver(budgetReached: true, finalDecode: true), "announced once")
        XCTAssertNil(core.nextBatch(), "no update after the end, with two fresh episodes waiting")
        XCTAssertEqual(core.announcedEnd, TrainingOver(lastVersion: 1, reason: .budgetReached))
        // A learner resumed from the checkpoint starts clean; a final decode names itself.
        var resumed = LearnerCore<Episode>(settings: settings, policyVersion: 1)
        XCTAssertNil(resumed.announcedEnd)
        XCTAssertEqual(
            resumed.trainingOver(budgetReached: true, finalDecode: true),
            TrainingOver(lastVersion: 1, reason: .finalDecode))
    }
}
