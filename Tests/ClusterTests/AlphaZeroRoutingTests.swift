import AlphaZero
import XCTest
import PPO
import Wire
@testable import Cluster

/// The actor and learner cores with AlphaZero games: the one actor loop sends `searchGames` with
/// the costs its games computed, and the one learner queue judges, ages and batches them as it
/// does PPO's episodes.
final class AlphaZeroRoutingTests: XCTestCase {
    let hello = Hello(role: .actor, host: "h", pid: 1, cores: 2, actorIndex: 0)
    let welcome = Welcome(
        actorId: 3, heartbeatIntervalMs: 100, environmentsPerActor: 2, seed: 1, weightsVersion: 0,
        algorithm: .alphazero,
        search: SearchSettings(simulations: 4, maxConsideredActions: 2, cVisit: 50, cScale: 1, gumbelScale: 1),
        tasks: [TaskSpec(name: "a", graphText: "x")])

    func game(version: UInt64, policies: [Float] = [0.75, 0.25, 1], task: Int = 0) -> SearchEpisode {
        SearchEpisode(task: task, order: [4, 2], improvedPolicies: policies, policyVersion: version, actor: 3)
    }

    func testTheActorLoopSendsSearchGamesWithTheirCosts() {
        var core = ActorCore(hello: hello, heartbeatIntervalMs: 100, liveness: 5)
        _ = core.tick(now: 0, unitRandom: 0.5)
        let onWelcome = core.receive(.welcome(welcome), now: 10)
        XCTAssertTrue(onWelcome.contains(.configure(welcome)), "the shell builds the welcome's player")
        let play = core.receive(.noNewWeights(currentVersion: 0), now: 20)
        XCTAssertTrue(play.contains(.play(task: 0, policyVersion: 0)))
        let done = core.finished([game(version: 0), game(version: 0)], costs: [17, 19], now: 30)
        let sent = done.compactMap { if case let .send(m) = $0 { return m } else { return nil } }
        XCTAssertEqual(
            sent,
            [
                .searchGames([
                    SearchGameRecord(
                        taskIndex: 0, policyVersion: 0, actorId: 3, cost: 17, order: [4, 2], policies: [0.75, 0.25, 1]),
                    SearchGameRecord(
                        taskIndex: 0, policyVersion: 0, actorId: 3, cost: 19, order: [4, 2], policies: [0.75, 0.25, 1]),
                ]),
                .weightsRequest(haveVersion: 0),
            ])
        XCTAssertEqual(core.episodesSent, 2)
    }

    func testTheLearnerQueueJudgesAgesAndBatchesGames() {
        var core = LearnerCore<SearchEpisode>(
            settings: LearnerSettings(numEnvs: 2, maxPolicyLag: 1, maxQueuedEpisodes: 100, taskCount: 1),
            policyVersion: 3)
        let records = [
            SearchGameRecord(
                taskIndex: 0, policyVersion: 1, actorId: 3, cost: 5, order: [4, 2], policies: [0.5, 0.5, 1]),
            SearchGameRecord(
                taskIndex: 0, policyVersion: 3, actorId: 3, cost: 5, order: [4, 2], policies: [0.5, 0.5, 1]),
            SearchGameRecord(
                taskIndex: 0, policyVersion: 9, actorId: 3, cost: 5, order: [4, 2], policies: [0.5, 0.5, 1]),
        ]
        XCTAssertNotNil(core.receive(Message.searchGames(records)))
        XCTAssertNil(core.receive(Message.heartbeat), "another kind is not this learner's games")
        XCTAssertEqual(core.droppedStale, 1, "version 1 is 2 behind 3")
        XCTAssertEqual(core.drops[.futureVersion], 1, "version 9 was never published")
        XCTAssertEqual(core.queuedEpisodes, 1)
        XCTAssertNil(core.nextBatch())
        _ = core.receive([game(version: 2)])
        XCTAssertEqual(core.nextBatch()?.map(\.policyVersion), [3, 2], "newest first")
        XCTAssertEqual(core.lagHistogram, [0: 1, 1: 1])
        XCTAssertEqual(core.takeDropReport(), 2, "refused games leave the coordinator's gauge")
    }
}
