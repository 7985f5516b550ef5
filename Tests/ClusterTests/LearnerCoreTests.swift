import XCTest
import PPO
import Wire
@testable import Cluster

final class LearnerCoreTests: XCTestCase {
    func batch(_ versions: [UInt64], task: UInt32 = 0) -> [EpisodeRecord] {
        versions.map { EpisodeRecord(taskIndex: task, policyVersion: $0, actorId: 1, order: [1], logProbs: [0]) }
    }

    func testUpdateIsDueWithNumEnvsFreshEpisodes() {
        var core = LearnerCore<Episode>(
            settings: LearnerSettings(numEnvs: 4, maxPolicyLag: 1, maxQueuedEpisodes: 100, taskCount: 1))
        _ = core.receive(batch([0, 0, 0]))
        XCTAssertNil(core.nextBatch())
        _ = core.receive(batch([0, 0]))
        XCTAssertEqual(core.nextBatch()?.count, 4)
        XCTAssertEqual(core.queuedEpisodes, 1)
        XCTAssertEqual(core.updated(), 1)
        XCTAssertEqual(core.lagHistogram, [0: 4])
    }

    func testStaleEpisodesAreDroppedAndCounted() {
        var core = LearnerCore<Episode>(
            settings: LearnerSettings(numEnvs: 2, maxPolicyLag: 1, maxQueuedEpisodes: 100, taskCount: 1),
            policyVersion: 5)
        _ = core.receive(batch([3, 4, 5, 5]))
        XCTAssertEqual(core.droppedStale, 1, "version 3 is 2 behind 5, more than the lag of 1")
        XCTAssertEqual(core.queuedEpisodes, 3)
        // After an update, version 4 becomes too old as well.
        _ = core.updated()
        XCTAssertEqual(core.droppedStale, 2)
        XCTAssertEqual(core.nextBatch()?.map(\.policyVersion), [5, 5])
        XCTAssertEqual(core.lagHistogram, [1: 2])
    }

    func testTheNewestEpisodesAreTrainedOnFirst() {
        var core = LearnerCore<Episode>(
            settings: LearnerSettings(numEnvs: 3, maxPolicyLag: 2, maxQueuedEpisodes: 100, taskCount: 1),
            policyVersion: 2)
        _ = core.receive(batch([0, 2, 1, 2, 1]))
        XCTAssertEqual(core.nextBatch()?.map(\.policyVersion), [2, 1, 2], "both v2 and the first v1, in arrival order")
        XCTAssertEqual(core.queuedEpisodes, 2, "v0 and the second v1 wait")
        XCTAssertEqual(core.lagHistogram, [0: 2, 1: 1])
    }

    /// A run started from another checkpoint's weights (`--init`) publishes them as version 1:
    /// games of version 0 (the seed's policy) are stale at once, though within the lag.
    func testGamesOlderThanTheOldestVersionAreStale() {
        var settings = LearnerSettings(numEnvs: 2, maxPolicyLag: 3, maxQueuedEpisodes: 100, taskCount: 1)
        settings.oldestVersion = 1
        var core = LearnerCore<Episode>(settings: settings, policyVersion: 1)
        _ = core.receive(batch([0, 1, 0, 1]))
        XCTAssertEqual(core.droppedStale, 2)
        XCTAssertEqual(core.nextBatch()?.map(\.policyVersion), [1, 1])
        XCTAssertEqual(core.takeDropReport(), 2, "reported, so they stop counting against the coordinator's bound")
    }

    func testSynchronousModeKeepsOnlyTheCurrentVersion() {
        var core = LearnerCore<Episode>(
            settings: LearnerSettings(numEnvs: 2, maxPolicyLag: 0, maxQueuedEpisodes: 2, taskCount: 1))
        _ = core.receive(batch([0, 0]))
        XCTAssertNotNil(core.nextBatch())
        _ = core.updated()
        _ = core.receive(batch([0, 1]))
        XCTAssertEqual(core.droppedStale, 1)
        XCTAssertNil(core.nextBatch())
    }

    func testBackpressureBoundDropsTheOldest() {
        var core = LearnerCore<Episode>(
            settings: LearnerSettings(numEnvs: 10, maxPolicyLag: 9, maxQueuedEpisodes: 3, taskCount: 2),
            policyVersion: 4)
        let log = core.receive(batch([0, 1, 2, 3, 4]))
        XCTAssertEqual(core.queuedEpisodes, 3)
        XCTAssertEqual(core.droppedOverflow, 2)
        XCTAssertFalse(log.isEmpty)
        _ = core.receive(batch([4], task: 2))
        XCTAssertEqual(core.drops[.unknownTask], 1)
        XCTAssertEqual(core.received, 6)
    }

    func testVersionsKeepGrowingAcrossLearnerRestarts() {
        var fresh = LearnerCore<Episode>(
            settings: LearnerSettings(numEnvs: 1, maxPolicyLag: 0, maxQueuedEpisodes: 1, taskCount: 1))
        XCTAssertNil(
            fresh.welcomed(coordinatorVersion: 0), "a fresh run publishes nothing: actors start from the seed's policy")
        var resumed = LearnerCore<Episode>(settings: fresh.settings, policyVersion: 40)
        XCTAssertEqual(resumed.welcomed(coordinatorVersion: 0), 40, "a resumed learner hands its weights out at once")
        var behind = LearnerCore<Episode>(settings: fresh.settings, policyVersion: 40)
        XCTAssertEqual(
            behind.welcomed(coordinatorVersion: 47), 48, "the coordinator saw newer versions: continue above them")
        XCTAssertEqual(behind.policyVersion, 48)
    }

    /// Issue 12: an actor can forge versions and log-probabilities. Such episodes are refused on
    /// arrival, one by one, counted by reason, and never take a batch slot.
    func testForgedEpisodesAreRefusedPerEpisodeByReason() {
        var core = LearnerCore<Episode>(
            settings: LearnerSettings(numEnvs: 2, maxPolicyLag: 4, maxQueuedEpisodes: 100, taskCount: 1),
            policyVersion: 3)
        let good = EpisodeRecord(taskIndex: 0, policyVersion: 3, actorId: 1, order: [1, 2], logProbs: [-0.5, -0.1])
        var future = good; future.policyVersion = .max
        var nan = good; nan.logProbs = [-0.5, .nan]
        var infinite = good; infinite.logProbs = [-.infinity, -0.1]
        var positive = good; positive.logProbs = [3, -0.1]
        var tiny = good; tiny.logProbs = [-1e30, -0.1]
        let log = core.receive([future, nan, good, infinite, positive, tiny, good])
        XCTAssertEqual(core.drops[.futureVersion], 1)
        XCTAssertEqual(core.drops[.logProb], 4)
        XCTAssertEqual(core.drops.total, 5)
        XCTAssertEqual(core.queuedEpisodes, 2)
        XCTAssertTrue(log.contains { $0.text.contains("1 future_version") && $0.text.contains("4 log_prob") }, "\(log)")
        XCTAssertEqual(core.nextBatch()?.map(\.policyVersion), [3, 3], "the forged version was not chosen first")
        // The version published next is no longer from the future.
        _ = core.updated()
        var next = good; next.policyVersion = 4
        _ = core.receive([next])
        XCTAssertEqual(core.queuedEpisodes, 1)
    }

    /// What the learner reports in `episodesDropped`: refusals on arrival (stale included) and
    /// untrainable batches since its last publish; never overflow drops (those are the oldest,
    /// which the last publish already took off the coordinator's gauge); once each.
    func testDropReportsCountWhatTheCoordinatorStillCounts() {
        var core = LearnerCore<Episode>(
            settings: LearnerSettings(numEnvs: 2, maxPolicyLag: 0, maxQueuedEpisodes: 3, taskCount: 1), policyVersion: 1
        )
        XCTAssertNil(core.takeDropReport())
        _ = core.receive(batch([0, 1, 1, 1, 1], task: 0) + batch([1], task: 5))
        XCTAssertEqual(core.drops[.stale], 1)
        XCTAssertEqual(core.drops[.unknownTask], 1)
        XCTAssertEqual(core.droppedOverflow, 1)
        XCTAssertEqual(core.takeDropReport(), 2, "stale + unknown task, not the overflow")
        XCTAssertNil(core.takeDropReport())
        XCTAssertNotNil(core.nextBatch())
        core.batchUntrainable(2)
        XCTAssertEqual(core.takeDropReport(), 2)
        _ = core.receive(batch([9]))
        _ = core.updated()
        XCTAssertNil(core.takeDropReport(), "the publish after an update resets the coordinator's gauge")
        _ = core.receive(batch([99]))
        _ = core.welcomed(coordinatorVersion: 0)
        XCTAssertNil(core.takeDropReport(), "a (re)registered learner starts the coordinator's gauge at zero")
    }
}
