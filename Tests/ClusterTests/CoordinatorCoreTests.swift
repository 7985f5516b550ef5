import Checksum
import PPO
import XCTest
import Wire
@testable import Cluster

/// The coordinator's protocol logic driven with fake peers and an injected clock: no sockets, no sleeps.
final class CoordinatorCoreTests: XCTestCase {
    let actorA = PeerAddress([1]), actorB = PeerAddress([2]), learnerAddress = PeerAddress([9]),
        stranger = PeerAddress([7])

    func makeCore(maxQueued: Int = 64, maxPeers: Int = 16) -> CoordinatorCore {
        CoordinatorCore(
            settings: CoordinatorSettings(
                tasks: [TaskSpec(name: "t0", graphText: "graph 0"), TaskSpec(name: "t1", graphText: "graph 1")],
                seed: 7, heartbeatIntervalMs: 100, liveness: 5, environmentsPerActor: 4, maxQueuedEpisodes: maxQueued,
                maxPeers: maxPeers))
    }

    func hello(_ role: PeerRole, index: UInt32 = 0) -> [[UInt8]] {
        Wire.encode(.hello(Hello(role: role, host: "h", pid: 42, cores: 2, actorIndex: index)))
    }

    func sent(_ directives: [CoordinatorDirective]) -> [(PeerAddress, Message)] {
        directives.compactMap { if case let .send(a, m) = $0 { return (a, m) } else { return nil } }
    }

    func welcome(_ directives: [CoordinatorDirective]) throws -> Welcome {
        for (_, m) in sent(directives) { if case let .welcome(w) = m { return w } }
        throw XCTSkip("no welcome in \(directives)")
    }

    func errorCode(_ directives: [CoordinatorDirective]) -> ErrorCode? {
        for (_, m) in sent(directives) { if case let .error(e) = m { return e.code } }
        return nil
    }

    func episodes(actor: UInt32, count: Int, version: UInt64 = 0, task: UInt32 = 0) -> [[UInt8]] {
        Wire.encode(
            .episodes(
                (0..<count).map { _ in
                    EpisodeRecord(
                        taskIndex: task, policyVersion: version, actorId: actor, order: [3, 4], logProbs: [-0.5, -0.1])
                }))
    }

    func testRegistrationAssignsIdsAndSendsTasks() throws {
        var core = makeCore()
        let w1 = try welcome(core.receive(hello(.actor), from: actorA, now: 0))
        let wl = try welcome(core.receive(hello(.learner), from: learnerAddress, now: 1))
        let w2 = try welcome(core.receive(hello(.actor, index: 1), from: actorB, now: 2))
        XCTAssertEqual(
            [w1.actorId, w2.actorId], [1, 2], "actor ids count 1, 2, … in hello order whatever the learner does")
        XCTAssertGreaterThanOrEqual(wl.actorId, 1 << 31)
        XCTAssertEqual(w1.tasks.map(\.name), ["t0", "t1"])
        XCTAssertEqual(w1.tasks.map(\.graphText), ["graph 0", "graph 1"])
        XCTAssertEqual([w1.environmentsPerActor, wl.environmentsPerActor], [4, 0])
        XCTAssertEqual([w1.seed, UInt64(w1.heartbeatIntervalMs)], [7, 100])
        XCTAssertEqual(core.registeredPeerCount, 3)
        XCTAssertTrue(core.hasLearner)
        XCTAssertEqual(core.status(now: 10).peers.map(\.role), [.actor, .actor, .learner])
    }

    func testRefusesBadPeersAndKeepsServing() throws {
        var core = makeCore(maxPeers: 2)
        XCTAssertEqual(errorCode(core.receive([[1, 2, 3]], from: stranger, now: 0)), .malformed)
        var badVersion = hello(.actor)
        badVersion[0][4] = UInt8(WireProtocol.version + 1)
        XCTAssertEqual(errorCode(core.receive(badVersion, from: stranger, now: 0)), .unsupportedVersion)
        XCTAssertEqual(errorCode(core.receive(Wire.encode(.heartbeat), from: stranger, now: 0)), .notRegistered)
        XCTAssertEqual(errorCode(core.receive(episodes(actor: 1, count: 1), from: stranger, now: 0)), .notRegistered)
        _ = core.receive(hello(.learner), from: learnerAddress, now: 0)
        XCTAssertEqual(errorCode(core.receive(hello(.learner), from: stranger, now: 0)), .learnerPresent)
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        XCTAssertEqual(errorCode(core.receive(hello(.actor), from: actorB, now: 0)), .overloaded)
        // Actor 1 tagging episodes as someone else, or naming an unknown task.
        XCTAssertEqual(errorCode(core.receive(episodes(actor: 5, count: 1), from: actorA, now: 1)), .invalidEpisode)
        XCTAssertEqual(
            errorCode(core.receive(episodes(actor: 1, count: 1, task: 9), from: actorA, now: 1)), .unknownTask)
        XCTAssertEqual(
            errorCode(
                core.receive(
                    Wire.encode(.publishWeights(Weights(version: 1, preset: "small", parameters: [1]))), from: actorA,
                    now: 1)), .roleNotAllowed)
        XCTAssertEqual(
            errorCode(core.receive(episodes(actor: 1, count: 1), from: learnerAddress, now: 1)), .roleNotAllowed)
        XCTAssertEqual(core.episodesReceived, 0, "refused episodes are never counted")
        XCTAssertEqual(core.refusedMessages, 10)
        // Still serving: a valid batch goes through to the learner.
        let forwarded = sent(core.receive(episodes(actor: 1, count: 3), from: actorA, now: 2))
        XCTAssertEqual(forwarded.count, 1)
        XCTAssertEqual(forwarded.first?.0, learnerAddress)
        XCTAssertEqual(core.episodesReceived, 3)
    }

    func testHeartbeatsAndDeathAfterLivenessTimesInterval() throws {
        var core = makeCore()
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        _ = core.receive(hello(.actor), from: actorB, now: 0)
        XCTAssertTrue(sent(core.tick(now: 99)).isEmpty, "nothing is due before one interval")
        let beats = sent(core.tick(now: 100))
        XCTAssertEqual(beats.map(\.0), [actorA, actorB])
        XCTAssertTrue(beats.allSatisfy { $0.1 == .heartbeat })
        // Actor B keeps talking, actor A falls silent.
        for t in stride(from: 100, through: 500, by: 100) {
            _ = core.receive(Wire.encode(.heartbeat), from: actorB, now: t)
            _ = core.tick(now: t)
        }
        XCTAssertEqual(core.registeredPeerCount, 2, "silent for exactly liveness × interval is still alive")
        let dead = core.tick(now: 501)
        XCTAssertEqual(core.registeredPeerCount, 1)
        XCTAssertEqual(core.deadPeers, 1)
        XCTAssertTrue(
            dead.contains {
                if case let .log(l) = $0 {
                    return l.text.contains("actor 1") && l.text.contains("dead")
                } else {
                    return false
                }
            })
        XCTAssertEqual(errorCode(core.receive(Wire.encode(.heartbeat), from: actorA, now: 502)), .notRegistered)
        // A restarted actor is a new peer with a new id.
        XCTAssertEqual(try welcome(core.receive(hello(.actor), from: PeerAddress([3]), now: 503)).actorId, 3)
    }

    func testUnreachablePeerIsDeadAtOnceAndReleasesNothingTwice() {
        var core = makeCore()
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        _ = core.receive(episodes(actor: 1, count: 2), from: actorA, now: 1)
        XCTAssertFalse(core.peerUnreachable(actorA).isEmpty)
        XCTAssertTrue(core.peerUnreachable(actorA).isEmpty, "a second failure for the same peer is a no-op")
        XCTAssertEqual([core.registeredPeerCount, Int(core.deadPeers), Int(core.episodesReceived)], [0, 1, 2])
    }

    func testEpisodesAreCountedOnceAndWaitForALearner() throws {
        var core = makeCore(maxQueued: 5)
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        XCTAssertTrue(sent(core.receive(episodes(actor: 1, count: 3), from: actorA, now: 1)).isEmpty)
        _ = core.receive(episodes(actor: 1, count: 4), from: actorA, now: 2)
        XCTAssertEqual(core.droppedWithoutLearner, 2, "beyond the bound the oldest waiting episodes go")
        let onJoin = sent(core.receive(hello(.learner), from: learnerAddress, now: 3))
        let delivered = onJoin.compactMap {
            if case let .episodes(list) = $0.1 { return list.count } else { return nil }
        }
        XCTAssertEqual(delivered, [5])
        XCTAssertEqual(core.episodesReceived, 7)
        XCTAssertEqual(core.status(now: 4).peers.map(\.episodes), [7, 5])
    }

    func testWeightsVersionsChecksumAndBestOrders() throws {
        var core = makeCore()
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        _ = core.receive(hello(.learner), from: learnerAddress, now: 0)
        XCTAssertEqual(
            sent(core.receive(Wire.encode(.weightsRequest(haveVersion: 0)), from: actorA, now: 1)).map(\.1),
            [.noNewWeights(currentVersion: 0)])
        let w1 = Weights(version: 1, preset: "small", parameters: [1, 2, 3])
        XCTAssertEqual(
            sent(core.receive(Wire.encode(.publishWeights(w1)), from: learnerAddress, now: 2)).map(\.1),
            [.ack(Ack(ackedKind: .publishWeights, value: 1))])
        XCTAssertEqual(core.weightsVersion, 1)
        XCTAssertEqual(core.weights?.checksum, FNV1a64.checksum(of: [1, 2, 3]))
        XCTAssertEqual(
            sent(core.receive(Wire.encode(.weightsRequest(haveVersion: 0)), from: actorA, now: 3)).map(\.1),
            [.weights(w1)])
        XCTAssertEqual(
            sent(core.receive(Wire.encode(.weightsRequest(haveVersion: 1)), from: actorA, now: 3)).map(\.1),
            [.noNewWeights(currentVersion: 1)])
        // Versions only grow.
        XCTAssertEqual(
            errorCode(core.receive(Wire.encode(.publishWeights(w1)), from: learnerAddress, now: 4)), .staleWeights)
        XCTAssertEqual(core.weightsVersion, 1)
        // Corrupted weights (checksum) never replace the good ones.
        var frames = Wire.encode(.publishWeights(Weights(version: 2, preset: "small", parameters: [1, 2, 3])))
        frames[2][0] ^= 1
        XCTAssertEqual(errorCode(core.receive(frames, from: learnerAddress, now: 5)), .malformed)
        XCTAssertEqual(core.weightsVersion, 1)
        // Best order per task: only cheaper ones replace.
        _ = core.receive(
            Wire.encode(.bestOrder(BestOrderNotice(taskIndex: 1, cost: 90, order: [1]))), from: learnerAddress, now: 6)
        _ = core.receive(
            Wire.encode(.bestOrder(BestOrderNotice(taskIndex: 1, cost: 95, order: [2]))), from: learnerAddress, now: 6)
        XCTAssertEqual(core.status(now: 7).tasks.map(\.bestCost), [nil, 90])
        XCTAssertEqual(
            errorCode(
                core.receive(
                    Wire.encode(.bestOrder(BestOrderNotice(taskIndex: 2, cost: 1, order: [1]))), from: learnerAddress,
                    now: 8)), .unknownTask)
        // A new learner joining after the first keeps versions growing from the coordinator's.
        XCTAssertEqual(try welcome(core.receive(hello(.actor), from: actorB, now: 9)).weightsVersion, 1)
    }

    func testBackpressureHoldsWeightRequestsUntilTheLearnerPublishes() throws {
        var core = makeCore(maxQueued: 8)
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        _ = core.receive(hello(.actor), from: actorB, now: 0)
        _ = core.receive(hello(.learner), from: learnerAddress, now: 0)
        _ = core.receive(episodes(actor: 1, count: 4), from: actorA, now: 1)
        XCTAssertEqual(
            sent(core.receive(Wire.encode(.weightsRequest(haveVersion: 0)), from: actorA, now: 1)).count, 1,
            "below the bound: answered")
        _ = core.receive(episodes(actor: 2, count: 4), from: actorB, now: 2)
        XCTAssertTrue(
            sent(core.receive(Wire.encode(.weightsRequest(haveVersion: 0)), from: actorB, now: 2)).isEmpty,
            "at the bound: held")
        _ = core.receive(episodes(actor: 1, count: 4), from: actorA, now: 3)
        XCTAssertTrue(sent(core.receive(Wire.encode(.weightsRequest(haveVersion: 0)), from: actorA, now: 3)).isEmpty)
        let w = Weights(version: 1, preset: "small", parameters: [0.5])
        let released = sent(core.receive(Wire.encode(.publishWeights(w)), from: learnerAddress, now: 4))
        XCTAssertEqual(released.map(\.0), [learnerAddress, actorB, actorA], "first come, first served")
        XCTAssertEqual(released.dropFirst().map(\.1), [.weights(w), .weights(w)])
    }

    /// A batch an actor was told to play counts as pending before it arrives, so two actors and a
    /// bound of two batches play exactly two batches per published version.
    func testBatchesBeingPlayedCountTowardsTheBound() throws {
        var core = makeCore(maxQueued: 8)
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        _ = core.receive(hello(.actor), from: actorB, now: 0)
        _ = core.receive(hello(.learner), from: learnerAddress, now: 0)
        let request = Wire.encode(.weightsRequest(haveVersion: 0))
        XCTAssertEqual(sent(core.receive(request, from: actorA, now: 1)).count, 1, "A plays: 4 promised")
        XCTAssertEqual(sent(core.receive(request, from: actorB, now: 1)).count, 1, "B plays: 8 promised")
        _ = core.receive(episodes(actor: 1, count: 4), from: actorA, now: 2)
        XCTAssertTrue(
            sent(core.receive(request, from: actorA, now: 2)).isEmpty, "4 arrived + B's 4 still coming: at the bound")
        _ = core.receive(episodes(actor: 2, count: 4), from: actorB, now: 3)
        XCTAssertTrue(sent(core.receive(request, from: actorB, now: 3)).isEmpty)
        let w = Weights(version: 1, preset: "small", parameters: [0.5])
        XCTAssertEqual(
            sent(core.receive(Wire.encode(.publishWeights(w)), from: learnerAddress, now: 4)).map(\.0),
            [learnerAddress, actorA, actorB])
    }

    /// Issue 12: a flood of forged episodes from one actor used to fill the backpressure bound
    /// before the learner judged them, so the honest actor's `weightsRequest` was held until a
    /// publish that never came. Here the real `LearnerCore` judges what the coordinator forwards
    /// and reports its refusals (`episodesDropped`); the honest actor is released each time.
    func testRefusedForgeriesStopCountingOnceTheLearnerReportsThem() throws {
        var core = makeCore(maxQueued: 8)
        var learner = LearnerCore<Episode>(
            settings: LearnerSettings(numEnvs: 8, maxPolicyLag: 0, maxQueuedEpisodes: 8, taskCount: 2))
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        _ = core.receive(hello(.actor), from: actorB, now: 0)
        _ = core.receive(hello(.learner), from: learnerAddress, now: 0)
        let request = Wire.encode(.weightsRequest(haveVersion: 0))
        let forged = Wire.encode(
            .episodes(
                (0..<8).map { i in
                    EpisodeRecord(
                        taskIndex: 0, policyVersion: i % 2 == 0 ? .max : 0, actorId: 2, order: [3, 4],
                        logProbs: i % 2 == 0 ? [-0.5, -0.1] : [.nan, -0.1])
                }))
        let honest = (0..<4).map { _ in
            EpisodeRecord(taskIndex: 0, policyVersion: 0, actorId: 1, order: [3, 4], logProbs: [-0.5, -0.1])
        }
        for round in 0..<2 {
            let now = 10 * (round + 1)
            // B floods without asking (8 forgeries: the whole bound), then A finishes a batch and asks.
            let forwarded = sent(core.receive(forged, from: actorB, now: now))
            XCTAssertEqual(forwarded.map(\.0), [learnerAddress])
            XCTAssertEqual(
                sent(core.receive(episodes(actor: 1, count: 4), from: actorA, now: now)).map(\.0), [learnerAddress])
            XCTAssertTrue(
                sent(core.receive(request, from: actorA, now: now)).isEmpty, "round \(round): 12 pending, A held")
            // The learner judges what came and reports the forgeries.
            guard case let .episodes(list) = forwarded[0].1 else { return XCTFail("episodes forwarded") }
            _ = learner.receive(list)
            _ = learner.receive(honest)
            let count = try XCTUnwrap(learner.takeDropReport())
            XCTAssertEqual(count, 8)
            XCTAssertNil(learner.takeDropReport(), "reported once")
            let released = sent(
                core.receive(Wire.encode(.episodesDropped(count: count)), from: learnerAddress, now: now + 1))
            if round == 0 {
                XCTAssertEqual(released.map(\.0), [actorA], "only A's 4 count now: A plays on")
                XCTAssertEqual(core.pendingForLearner, 8, "A's 4 queued + A's next 4 promised")
                XCTAssertNil(learner.nextBatch())
            } else {
                XCTAssertTrue(released.isEmpty, "A's own 8 honestly fill the bound")
            }
        }
        // A's 8 honest episodes make the update, no forgery took a slot, and the publish releases A.
        XCTAssertEqual(learner.nextBatch()?.map(\.actor), Array(repeating: 1, count: 8))
        XCTAssertEqual(learner.updated(), 1)
        let w = Weights(version: 1, preset: "small", parameters: [0.5])
        XCTAssertEqual(
            sent(core.receive(Wire.encode(.publishWeights(w)), from: learnerAddress, now: 40)).map(\.0),
            [learnerAddress, actorA])
        XCTAssertEqual(core.droppedByLearner, 16)
    }

    /// The report is the learner's alone, and never drives the gauge below zero.
    func testEpisodesDroppedIsOnlyTheLearnersAndClampsAtZero() throws {
        var core = makeCore(maxQueued: 8)
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        _ = core.receive(hello(.learner), from: learnerAddress, now: 0)
        XCTAssertEqual(
            errorCode(core.receive(Wire.encode(.episodesDropped(count: 100)), from: actorA, now: 1)), .roleNotAllowed)
        XCTAssertEqual(
            errorCode(core.receive(Wire.encode(.episodesDropped(count: 1)), from: stranger, now: 1)), .notRegistered)
        XCTAssertEqual(core.droppedByLearner, 0)
        _ = core.receive(episodes(actor: 1, count: 4), from: actorA, now: 2)
        XCTAssertTrue(
            sent(core.receive(Wire.encode(.episodesDropped(count: 1_000)), from: learnerAddress, now: 3)).isEmpty)
        XCTAssertEqual(core.pendingForLearner, 0, "clamped at zero, not negative")
        _ = core.receive(episodes(actor: 1, count: 8), from: actorA, now: 4)
        XCTAssertTrue(
            sent(core.receive(Wire.encode(.weightsRequest(haveVersion: 0)), from: actorA, now: 4)).isEmpty,
            "the bound still holds after an over-report")
    }

    /// An actor that dies while its batch is promised no longer holds the others back.
    func testADeadActorsPromisedBatchReleasesTheOthers() throws {
        for death in ["unreachable", "silent"] {
            var core = makeCore(maxQueued: 8)
            _ = core.receive(hello(.actor), from: actorA, now: 0)
            _ = core.receive(hello(.actor), from: actorB, now: 0)
            _ = core.receive(hello(.learner), from: learnerAddress, now: 0)
            let request = Wire.encode(.weightsRequest(haveVersion: 0))
            _ = core.receive(request, from: actorA, now: 1)
            _ = core.receive(request, from: actorB, now: 1)
            _ = core.receive(episodes(actor: 1, count: 4), from: actorA, now: 2)
            XCTAssertTrue(sent(core.receive(request, from: actorA, now: 2)).isEmpty, "held behind B's promised batch")
            let released: [(PeerAddress, Message)]
            if death == "unreachable" {
                released = sent(core.peerUnreachable(actorB, now: 3))
            } else {
                // Everyone but B keeps talking; B goes silent past 5 × 100 ms.
                _ = core.receive(Wire.encode(.heartbeat), from: actorA, now: 400)
                _ = core.receive(Wire.encode(.heartbeat), from: learnerAddress, now: 400)
                released = sent(core.tick(now: 503))
            }
            XCTAssertTrue(
                released.contains { $0.0 == actorA && $0.1 == .noNewWeights(currentVersion: 0) },
                "\(death): \(released)")
        }
    }

    /// Gradient jobs and requests go to the actor they name, gradients to the learner; a request
    /// for an actor that is not there, or one that dies owing a part, is answered at once with
    /// `gradientUnavailable` so the learner computes that shard itself.
    func testGradientMessagesAreRoutedAndADeadHelperIsReportedAtOnce() throws {
        var core = makeCore()
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        _ = core.receive(hello(.actor), from: actorB, now: 0)
        _ = core.receive(hello(.learner), from: learnerAddress, now: 0)
        let job = GradientJob(
            actorId: 2, round: 7, preset: "small", clipCoef: 0.2, entropyCoef: 0.01, valueCoef: 0.5,
            clipValueLoss: true, normalizeAdvantages: true,
            episodes: [EpisodeRecord(taskIndex: 0, policyVersion: 6, actorId: 1, order: [3], logProbs: [-0.1])],
            values: [0], advantages: [1], returns: [2],
            steps: [
                GradientStep(blocks: [BlockKey(task: 0, step: 0)], transitions: 1, advantageMean: 0, advantageStd: 1)
            ])
        let routedJob = sent(core.receive(Wire.encode(.gradientJob(job)), from: learnerAddress, now: 1))
        XCTAssertEqual(routedJob.map(\.0), [actorB])
        XCTAssertEqual(routedJob.first?.1, .gradientJob(job))
        let request = GradientRequest(actorId: 2, round: 7, step: 0, parameters: [1, 2])
        XCTAssertEqual(
            sent(core.receive(Wire.encode(.gradientRequest(request)), from: learnerAddress, now: 2)).map(\.0), [actorB])
        let reply = GradientReply(
            actorId: 2, round: 7, step: 0, transitions: 1, policyLoss: 0.5, valueLoss: 0.25, entropy: 1,
            approxKL: 0, clipped: 0, gradient: [0.1, 0.2])
        let forwarded = sent(core.receive(Wire.encode(.gradient(reply)), from: actorB, now: 3))
        XCTAssertEqual(forwarded.map(\.0), [learnerAddress])
        XCTAssertEqual(forwarded.first?.1, .gradient(reply))
        // Tagged with another actor's id, or sent by the wrong role: refused.
        XCTAssertEqual(errorCode(core.receive(Wire.encode(.gradient(reply)), from: actorA, now: 4)), .invalidEpisode)
        XCTAssertEqual(errorCode(core.receive(Wire.encode(.gradientJob(job)), from: actorA, now: 4)), .roleNotAllowed)
        // Nobody is actor 9.
        let missing = sent(
            core.receive(
                Wire.encode(.gradientRequest(GradientRequest(actorId: 9, round: 7, step: 1, parameters: [1]))),
                from: learnerAddress, now: 5))
        XCTAssertEqual(missing.map(\.0), [learnerAddress])
        guard case let .gradientUnavailable(u)? = missing.first?.1 else {
            return XCTFail("expected gradientUnavailable, got \(missing)")
        }
        XCTAssertEqual([u.actorId, UInt32(u.round)], [9, 7])
        // Actor 1 is asked for a part, then its connection goes: the learner hears at once.
        _ = core.receive(
            Wire.encode(.gradientRequest(GradientRequest(actorId: 1, round: 7, step: 1, parameters: [1]))),
            from: learnerAddress, now: 6)
        let onDeath = sent(core.peerUnreachable(actorA, now: 7))
        XCTAssertEqual(onDeath.map(\.0), [learnerAddress])
        guard case let .gradientUnavailable(dead)? = onDeath.first?.1 else {
            return XCTFail("expected gradientUnavailable, got \(onDeath)")
        }
        XCTAssertEqual([dead.actorId, UInt32(dead.round)], [1, 7])
        // Actor 2 answered its part: its death later owes the learner nothing.
        XCTAssertTrue(sent(core.peerUnreachable(actorB, now: 8)).isEmpty)
    }

    /// A peer that says goodbye is forgotten at once and is not counted as a death.
    func testGoodbyeForgetsThePeerWithoutADeath() {
        var core = makeCore()
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        _ = core.receive(hello(.learner), from: learnerAddress, now: 0)
        let out = core.receive(Wire.encode(.goodbye), from: learnerAddress, now: 5)
        XCTAssertTrue(
            out.contains { if case let .log(l) = $0 { return l.text.hasSuffix("left") } else { return false } },
            "\(out)")
        XCTAssertEqual(core.registeredPeerCount, 1)
        XCTAssertFalse(core.hasLearner)
        XCTAssertEqual(core.deadPeers, 0)
        XCTAssertEqual(
            errorCode(core.receive(Wire.encode(.goodbye), from: learnerAddress, now: 6)), .notRegistered,
            "gone means gone")
    }

    /// The verdict on a peer that says goodbye and closes its connection follows the order in
    /// which the core hears of the two, which is why `CoordinatorServer.settleUnreachable` reads
    /// the queued goodbye before it reports the failed send: goodbye first is a leave and makes
    /// the report a no-op; the report first is a death and the goodbye is refused.
    func testAGoodbyeHeardBeforeTheClosedConnectionIsALeaveNotADeath() {
        var core = makeCore()
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        _ = core.receive(hello(.actor, index: 1), from: actorB, now: 0)
        let left = core.receive(Wire.encode(.goodbye), from: actorA, now: 5)
        XCTAssertEqual(logs(left), ["actor 1 (h:42) left"])
        XCTAssertEqual(core.peerUnreachable(actorA, now: 6), [], "no log, nothing sent")
        XCTAssertEqual([Int(core.deadPeers), Int(core.refusedMessages), core.registeredPeerCount], [0, 0, 1])

        let dead = core.peerUnreachable(actorB, now: 7)
        XCTAssertEqual(logs(dead), ["actor 2 (h:42) declared dead: its connection is gone (unreachable)"])
        XCTAssertEqual(errorCode(core.receive(Wire.encode(.goodbye), from: actorB, now: 8)), .notRegistered)
        XCTAssertEqual([Int(core.deadPeers), Int(core.refusedMessages), core.registeredPeerCount], [1, 1, 0])
    }

    func testFloodOfGarbageLogsLittleAndChangesNothing() {
        var core = makeCore()
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        var logs = 0
        var state: UInt64 = 12345
        func byte() -> UInt8 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        for i in 0..<3000 {
            let frames = (0..<(i % 4)).map { _ in (0..<(i % 37)).map { _ in byte() } }
            logs +=
                core.receive(frames, from: stranger, now: 1).filter {
                    if case .log = $0 { return true } else { return false }
                }.count
        }
        XCTAssertEqual(core.refusedMessages, 3000)
        XCTAssertLessThan(logs, 20)
        XCTAssertEqual(core.registeredPeerCount, 1)
        XCTAssertEqual(core.episodesReceived, 0)
    }
}
