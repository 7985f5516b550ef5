import XCTest
import Wire
@testable import Cluster

final class LearnerCoreTests: XCTestCase {
    func batch(_ versions: [UInt64], task: UInt32 = 0) -> [Wire.Episode] {
        versions.map { Wire.Episode(taskIndex: task, policyVersion: $0, actorId: 1, order: [1], logProbs: [0]) }
    }

    func testUpdateIsDueWithNumEnvsFreshEpisodes() {
        var core = LearnerCore(settings: LearnerSettings(numEnvs: 4, maxPolicyLag: 1, maxQueuedEpisodes: 100, taskCount: 1))
        _ = core.receive(batch([0, 0, 0]))
        XCTAssertNil(core.nextBatch())
        _ = core.receive(batch([0, 0]))
        XCTAssertEqual(core.nextBatch()?.count, 4)
        XCTAssertEqual(core.queuedEpisodes, 1)
        XCTAssertEqual(core.updated(), 1)
        XCTAssertEqual(core.lagHistogram, [0: 4])
    }

    func testStaleEpisodesAreDroppedAndCounted() {
        var core = LearnerCore(settings: LearnerSettings(numEnvs: 2, maxPolicyLag: 1, maxQueuedEpisodes: 100, taskCount: 1), policyVersion: 5)
        _ = core.receive(batch([3, 4, 5, 6]))
        XCTAssertEqual(core.droppedStale, 1, "version 3 is 2 behind 5, more than the lag of 1")
        XCTAssertEqual(core.queuedEpisodes, 3)
        // After an update, version 4 becomes too old as well.
        _ = core.updated()
        XCTAssertEqual(core.droppedStale, 2)
        XCTAssertEqual(core.nextBatch()?.map(\.policyVersion), [5, 6])
        XCTAssertEqual(core.lagHistogram, [1: 1, 0: 1], "an episode from a newer policy counts as lag 0")
    }

    func testTheNewestEpisodesAreTrainedOnFirst() {
        var core = LearnerCore(settings: LearnerSettings(numEnvs: 3, maxPolicyLag: 2, maxQueuedEpisodes: 100, taskCount: 1), policyVersion: 2)
        _ = core.receive(batch([0, 2, 1, 2, 1]))
        XCTAssertEqual(core.nextBatch()?.map(\.policyVersion), [2, 1, 2], "both v2 and the first v1, in arrival order")
        XCTAssertEqual(core.queuedEpisodes, 2, "v0 and the second v1 wait")
        XCTAssertEqual(core.lagHistogram, [0: 2, 1: 1])
    }

    func testSynchronousModeKeepsOnlyTheCurrentVersion() {
        var core = LearnerCore(settings: LearnerSettings(numEnvs: 2, maxPolicyLag: 0, maxQueuedEpisodes: 2, taskCount: 1))
        _ = core.receive(batch([0, 0]))
        XCTAssertNotNil(core.nextBatch())
        _ = core.updated()
        _ = core.receive(batch([0, 1]))
        XCTAssertEqual(core.droppedStale, 1)
        XCTAssertNil(core.nextBatch())
    }

    func testBackpressureBoundDropsTheOldest() {
        var core = LearnerCore(settings: LearnerSettings(numEnvs: 10, maxPolicyLag: 9, maxQueuedEpisodes: 3, taskCount: 2))
        let log = core.receive(batch([0, 1, 2, 3, 4]))
        XCTAssertEqual(core.queuedEpisodes, 3)
        XCTAssertEqual(core.droppedOverflow, 2)
        XCTAssertFalse(log.isEmpty)
        _ = core.receive(batch([4], task: 2))
        XCTAssertEqual(core.droppedInvalid, 1)
        XCTAssertEqual(core.received, 6)
    }

    func testVersionsKeepGrowingAcrossLearnerRestarts() {
        var fresh = LearnerCore(settings: LearnerSettings(numEnvs: 1, maxPolicyLag: 0, maxQueuedEpisodes: 1, taskCount: 1))
        XCTAssertNil(fresh.welcomed(coordinatorVersion: 0), "a fresh run publishes nothing: actors start from the seed's policy")
        var resumed = LearnerCore(settings: fresh.settings, policyVersion: 40)
        XCTAssertEqual(resumed.welcomed(coordinatorVersion: 0), 40, "a resumed learner hands its weights out at once")
        var behind = LearnerCore(settings: fresh.settings, policyVersion: 40)
        XCTAssertEqual(behind.welcomed(coordinatorVersion: 47), 48, "the coordinator saw newer versions: continue above them")
        XCTAssertEqual(behind.policyVersion, 48)
    }
}
