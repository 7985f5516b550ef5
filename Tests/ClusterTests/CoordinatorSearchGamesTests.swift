import PPO
import XCTest
import Wire
@testable import Cluster

/// The coordinator routes AlphaZero's `searchGames` exactly as PPO's `episodes`: to the one
/// learner, counted once, held (and bounded) while no learner is there, under the same
/// backpressure; a dead actor's games are lost, never counted twice. Fake peers, injected clock.
final class CoordinatorSearchGamesTests: XCTestCase {
    let actorA = PeerAddress([1]), actorB = PeerAddress([2]), learnerAddress = PeerAddress([9])
    let search = SearchSettings(simulations: 8, maxConsideredActions: 4, cVisit: 50, cScale: 1, gumbelScale: 1)

    func makeCore(maxQueued: Int = 64, algorithm: AlgorithmCode = .alphazero) -> CoordinatorCore {
        CoordinatorCore(
            settings: CoordinatorSettings(
                tasks: [TaskSpec(name: "t0", graphText: "graph 0"), TaskSpec(name: "t1", graphText: "graph 1")],
                seed: 7, heartbeatIntervalMs: 100, liveness: 5, environmentsPerActor: 4, maxQueuedEpisodes: maxQueued,
                algorithm: algorithm, search: algorithm == .alphazero ? search : .none))
    }

    func hello(_ role: PeerRole, index: UInt32 = 0) -> [[UInt8]] {
        Wire.encode(.hello(Hello(role: role, host: "h", pid: 42, cores: 2, actorIndex: index)))
    }

    func sent(_ directives: [CoordinatorDirective]) -> [(PeerAddress, Message)] {
        directives.compactMap { if case let .send(a, m) = $0 { return (a, m) } else { return nil } }
    }

    func errorCode(_ directives: [CoordinatorDirective]) -> ErrorCode? {
        for (_, m) in sent(directives) { if case let .error(e) = m { return e.code } }
        return nil
    }

    /// `count` two-move games of actor `actor` (π' of 2 + 1 numbers each).
    func games(actor: UInt32, count: Int, version: UInt64 = 0, task: UInt32 = 0, first: Int32 = 3) -> [[UInt8]] {
        Wire.encode(.searchGames(records(actor: actor, count: count, version: version, task: task, first: first)))
    }

    func records(
        actor: UInt32, count: Int, version: UInt64 = 0, task: UInt32 = 0, first: Int32 = 3
    )
        -> [SearchGameRecord]
    {
        (0..<count).map { i in
            SearchGameRecord(
                taskIndex: task, policyVersion: version, actorId: actor, cost: 10 + UInt64(i),
                order: [first + Int32(i), 99], policies: [0.75, 0.25, 1])
        }
    }

    /// Games delivered to the learner, in order.
    func delivered(_ directives: [CoordinatorDirective]) -> [SearchGameRecord] {
        sent(directives).flatMap { (address, message) -> [SearchGameRecord] in
            guard address == learnerAddress, case let .searchGames(list) = message else { return [] }
            return list
        }
    }

    func testWelcomeCarriesTheAlgorithmAndItsSearch() throws {
        var core = makeCore()
        guard case let .welcome(w)? = sent(core.receive(hello(.actor), from: actorA, now: 0)).first?.1 else {
            return XCTFail("no welcome")
        }
        XCTAssertEqual(w.algorithm, .alphazero)
        XCTAssertEqual(w.search, search)
        var ppo = makeCore(algorithm: .ppo)
        guard case let .welcome(p)? = sent(ppo.receive(hello(.actor), from: actorA, now: 0)).first?.1 else {
            return XCTFail("no welcome")
        }
        XCTAssertEqual([p.algorithm == .ppo, p.search == .none], [true, true])
    }

    func testGamesGoToTheLearnerUnchangedAndAreCountedOnce() throws {
        var core = makeCore()
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        _ = core.receive(hello(.actor, index: 1), from: actorB, now: 0)
        _ = core.receive(hello(.learner), from: learnerAddress, now: 0)
        let fromA = delivered(core.receive(games(actor: 1, count: 3), from: actorA, now: 1))
        let fromB = delivered(core.receive(games(actor: 2, count: 2, first: 40), from: actorB, now: 2))
        XCTAssertEqual(fromA, records(actor: 1, count: 3), "forwarded byte for byte")
        XCTAssertEqual(fromB, records(actor: 2, count: 2, first: 40))
        XCTAssertEqual(core.episodesReceived, 5)
        XCTAssertEqual(core.status(now: 3).peers.map(\.episodes), [3, 2, 5], "per actor, and the learner's total")
    }

    func testOnlyTheRunsOwnKindIsRouted() throws {
        var az = makeCore()
        _ = az.receive(hello(.actor), from: actorA, now: 0)
        _ = az.receive(hello(.learner), from: learnerAddress, now: 0)
        let ppoBatch = Wire.encode(
            .episodes([EpisodeRecord(taskIndex: 0, policyVersion: 0, actorId: 1, order: [3], logProbs: [-1])]))
        let refusedEpisodes = az.receive(ppoBatch, from: actorA, now: 1)
        XCTAssertEqual(errorCode(refusedEpisodes), .roleNotAllowed)
        XCTAssertTrue(delivered(refusedEpisodes).isEmpty)
        // Tagged as another actor, an unknown task, or sent by the learner: refused, never counted.
        XCTAssertEqual(errorCode(az.receive(games(actor: 5, count: 1), from: actorA, now: 1)), .invalidEpisode)
        XCTAssertEqual(errorCode(az.receive(games(actor: 1, count: 1, task: 2), from: actorA, now: 1)), .unknownTask)
        XCTAssertEqual(errorCode(az.receive(games(actor: 1, count: 1), from: learnerAddress, now: 1)), .roleNotAllowed)
        XCTAssertEqual(az.episodesReceived, 0)

        var ppo = makeCore(algorithm: .ppo)
        _ = ppo.receive(hello(.actor), from: actorA, now: 0)
        _ = ppo.receive(hello(.learner), from: learnerAddress, now: 0)
        XCTAssertEqual(errorCode(ppo.receive(games(actor: 1, count: 2), from: actorA, now: 1)), .roleNotAllowed)
        XCTAssertEqual(ppo.episodesReceived, 0)
        XCTAssertEqual(sent(ppo.receive(ppoBatch, from: actorA, now: 2)).first?.0, learnerAddress)
    }

    func testGamesWaitForALearnerWithinTheBound() throws {
        var core = makeCore(maxQueued: 5)
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        XCTAssertTrue(sent(core.receive(games(actor: 1, count: 3), from: actorA, now: 1)).isEmpty)
        _ = core.receive(games(actor: 1, count: 4, first: 20), from: actorA, now: 2)
        XCTAssertEqual(core.droppedWithoutLearner, 2, "beyond the bound the oldest waiting games go")
        let onJoin = delivered(core.receive(hello(.learner), from: learnerAddress, now: 3))
        XCTAssertEqual(onJoin, Array((records(actor: 1, count: 3) + records(actor: 1, count: 4, first: 20)).suffix(5)))
        XCTAssertEqual(core.episodesReceived, 7)
    }

    func testBackpressureHoldsActorsUntilTheLearnerPublishes() throws {
        var core = makeCore(maxQueued: 8)
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        _ = core.receive(hello(.actor, index: 1), from: actorB, now: 0)
        _ = core.receive(hello(.learner), from: learnerAddress, now: 0)
        _ = core.receive(games(actor: 1, count: 4), from: actorA, now: 1)
        _ = core.receive(games(actor: 2, count: 4), from: actorB, now: 1)
        let request = Wire.encode(.weightsRequest(haveVersion: 0))
        XCTAssertTrue(sent(core.receive(request, from: actorA, now: 2)).isEmpty, "8 games pending: A waits")
        XCTAssertTrue(sent(core.receive(request, from: actorB, now: 2)).isEmpty)
        let w1 = Weights(version: 1, preset: "small", parameters: [1, 2])
        let released = sent(core.receive(Wire.encode(.publishWeights(w1)), from: learnerAddress, now: 3))
        XCTAssertEqual(released.filter { $0.1 == .weights(w1) }.map(\.0), [actorA, actorB], "first come, first served")
    }

    func testADeadActorsGamesAreLostNeverCountedTwice() throws {
        var core = makeCore()
        _ = core.receive(hello(.actor), from: actorA, now: 0)
        _ = core.receive(hello(.learner), from: learnerAddress, now: 0)
        XCTAssertEqual(delivered(core.receive(games(actor: 1, count: 2), from: actorA, now: 1)).count, 2)
        for t in stride(from: 100, through: 600, by: 100) {
            _ = core.receive(Wire.encode(.heartbeat), from: learnerAddress, now: t)
            _ = core.tick(now: t)
        }
        XCTAssertEqual(core.deadPeers, 1)
        // A late batch from the dead actor (it was only slow) is refused: no double count.
        let late = core.receive(games(actor: 1, count: 3), from: actorA, now: 601)
        XCTAssertEqual(errorCode(late), .notRegistered)
        XCTAssertTrue(delivered(late).isEmpty)
        XCTAssertEqual(core.episodesReceived, 2)
        // Back as a new actor: its new games count, the old ones stay counted once.
        _ = core.receive(hello(.actor), from: actorA, now: 602)
        XCTAssertEqual(delivered(core.receive(games(actor: 2, count: 1), from: actorA, now: 603)).count, 1)
        XCTAssertEqual(core.episodesReceived, 3)
    }
}
