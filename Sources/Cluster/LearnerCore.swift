import AlphaZero
import PPO
import Wire

/// What the learner's queue accepts (cluster.toml [learner]).
public struct LearnerSettings: Equatable, Sendable {
    /// Episodes per PPO update.
    public var numEnvs: Int
    /// Episodes played by weights more than this many versions behind the learner's are dropped.
    public var maxPolicyLag: Int
    /// The queue's bound; beyond it the oldest episodes are dropped (and counted).
    public var maxQueuedEpisodes: Int
    public var taskCount: Int
    /// Episodes played by an older version are stale whatever the lag: a run started from another
    /// checkpoint's weights (`--init`) publishes them as version 1, and version 0 is the seed's
    /// policy, which that run never trains on.
    public var oldestVersion: UInt64 = 0

    public init(numEnvs: Int, maxPolicyLag: Int, maxQueuedEpisodes: Int, taskCount: Int) {
        self.numEnvs = numEnvs
        self.maxPolicyLag = maxPolicyLag
        self.maxQueuedEpisodes = maxQueuedEpisodes
        self.taskCount = taskCount
    }
}

/// The learner's episode queue and update decision, with no I/O and no network, for any
/// algorithm's games (`Game`: PPO's `Episode`, AlphaZero's `SearchEpisode`): they come in tagged
/// with the policy version that played them. Each is judged on arrival
/// (`PlayedGame.refusal`: unknown task, forged log-probabilities, a version newer than any this
/// learner published) and refused episodes never take a batch slot; those more than
/// `maxPolicyLag` versions old are dropped; every drop is counted by reason. When `numEnvs`
/// fresh ones wait, an update is due.
public struct LearnerCore<Game: WireGame>: Sendable {
    public let settings: LearnerSettings
    /// The version of the learner's current weights (0 = the seed's initial policy); the
    /// newest any learner of this run has published. Kept equal to `Trainer.policyVersion`.
    public private(set) var policyVersion: UInt64
    /// Waiting games with the version that played each.
    private(set) var queue: [(game: Game, version: UInt64)] = []
    public private(set) var received: UInt64 = 0
    /// Episodes refused or dropped here, by reason.
    public private(set) var drops = EpisodeDrops()
    /// Episodes handed to this learner since its last publish that it will never train on and
    /// has not yet reported to the coordinator (`episodesDropped`), so they stop counting
    /// towards the coordinator's backpressure bound. Overflow drops are not counted: they drop
    /// the oldest, which the last publish already took off the coordinator's gauge.
    public private(set) var unreportedDrops = 0
    /// How many versions behind the learner each trained-on episode was: lag → count.
    public private(set) var lagHistogram: [UInt64: UInt64] = [:]
    /// The `trainingOver` this learner announced, once it did: no batch is due after it. A new
    /// learner (a resumed run) starts without one.
    public private(set) var announcedEnd: TrainingOver?

    public init(settings: LearnerSettings, policyVersion: UInt64 = 0) {
        self.settings = settings
        self.policyVersion = policyVersion
    }

    public var queuedEpisodes: Int { queue.count }
    public var droppedStale: Int { drops[.stale] }
    public var droppedOverflow: Int { drops[.overflow] }

    /// After `welcome`: versions must grow over the whole run, also across learner restarts, so a
    /// learner behind the coordinator (it lost updates made after its last checkpoint) continues
    /// from the coordinator's version + 1. Returns the version to publish now, if any (the current
    /// weights, so actors stop playing a policy this learner no longer has).
    public mutating func welcomed(coordinatorVersion: UInt64) -> UInt64? {
        // A (re)registered learner starts the coordinator's gauge at zero.
        unreportedDrops = 0
        if coordinatorVersion >= policyVersion && coordinatorVersion > 0 {
            policyVersion = coordinatorVersion + 1
            return policyVersion
        }
        return policyVersion > coordinatorVersion ? policyVersion : nil
    }

    /// The games of a message from the coordinator, if it carries this algorithm's kind (nil:
    /// another message). Returns log lines for what was dropped.
    public mutating func receive(_ message: Message) -> [LogLine]? {
        Game.games(in: message).map { receive($0) }
    }

    /// Games from the coordinator. Returns log lines for what was dropped.
    public mutating func receive(_ games: [Game]) -> [LogLine] {
        var refused = EpisodeDrops()
        for e in games {
            received += 1
            let version = e.record.policyVersion
            if let reason = e.refusal(taskCount: settings.taskCount, newestVersion: policyVersion) {
                refused.add(reason)
            } else if isStale(version) {
                refused.add(.stale)
            } else {
                queue.append((e, version))
            }
        }
        drops.add(refused)
        unreportedDrops += refused.total
        var log: [LogLine] = []
        let excess = queue.count - settings.maxQueuedEpisodes
        if excess > 0 {
            queue.removeFirst(excess)
            drops.add(.overflow, excess)
            log.append(LogLine("queue full: dropped the \(excess) oldest episodes (\(drops[.overflow]) so far)"))
        }
        let stale = refused[.stale]
        if stale > 0 {
            log.append(
                LogLine(
                    "dropped \(stale) stale episodes (lag > \(settings.maxPolicyLag); \(drops[.stale]) so far)",
                    verbose: true))
        }
        if refused.total > stale {
            let actors = Set(games.map(\.record.actor)).sorted().map(String.init).joined(separator: ", ")
            log.append(
                LogLine("refused \(refused.summary) episode(s) from actor(s) \(actors); so far \(drops.summary)"))
        }
        return log
    }

    /// The next update's episodes when `numEnvs` fresh ones wait, nil otherwise: those played by
    /// the newest weights (the least off-policy; older leftovers wait and are dropped once stale),
    /// in arrival order among equal versions and in the batch.
    public mutating func nextBatch() -> [Game]? {
        guard announcedEnd == nil else { return nil }
        purgeStale()
        guard queue.count >= settings.numEnvs else { return nil }
        let newestFirst = queue.indices.sorted {
            queue[$0].version != queue[$1].version ? queue[$0].version > queue[$1].version : $0 < $1
        }
        let chosen = Set(newestFirst.prefix(settings.numEnvs))
        let batch = queue.indices.filter(chosen.contains).map { queue[$0] }
        queue = queue.indices.filter { !chosen.contains($0) }.map { queue[$0] }
        for e in batch { lagHistogram[policyVersion &- min(e.version, policyVersion), default: 0] += 1 }
        return batch.map(\.game)
    }

    /// A batch taken by `nextBatch` turned out to hold no trainable episode (each was refused on
    /// replay): no update, no publish, so the coordinator must hear that those are gone.
    public mutating func batchUntrainable(_ count: Int) {
        unreportedDrops += count
    }

    /// The count for an `episodesDropped` message, if any is due; resets it.
    public mutating func takeDropReport() -> UInt32? {
        guard unreportedDrops > 0 else { return nil }
        defer { unreportedDrops = 0 }
        return UInt32(clamping: unreportedDrops)
    }

    /// After an update: the new weights' version (the queue's older episodes may now be stale).
    /// The publish that follows resets the coordinator's gauge, so nothing is left to report.
    public mutating func updated() -> UInt64 {
        unreportedDrops = 0
        policyVersion += 1
        purgeStale()
        return policyVersion
    }

    /// The learner's update loop ended: the `trainingOver` to send, if training is over for good
    /// — its updates are done (`budgetReached`), or a final decode follows (`finalDecode`, whatever
    /// ended the loop) — and not announced yet. nil when it was stopped (a signal) with no decode
    /// to follow: it may be resumed, and the actors keep playing for the learner after it.
    public mutating func trainingOver(budgetReached: Bool, finalDecode: Bool) -> TrainingOver? {
        guard announcedEnd == nil, budgetReached || finalDecode else { return nil }
        let notice = TrainingOver(lastVersion: policyVersion, reason: finalDecode ? .finalDecode : .budgetReached)
        announcedEnd = notice
        return notice
    }

    /// PPO episodes as their records came (tests and tools).
    public mutating func receive(_ records: [EpisodeRecord]) -> [LogLine] where Game == Episode {
        receive(records.map(Episode.init))
    }

    /// AlphaZero games as their records came.
    public mutating func receive(_ records: [SearchGameRecord]) -> [LogLine] where Game == SearchEpisode {
        receive(records.map(SearchEpisode.init))
    }

    func isStale(_ version: UInt64) -> Bool { Self.isStale(version, newest: policyVersion, settings: settings) }

    private static func isStale(_ version: UInt64, newest: UInt64, settings: LearnerSettings) -> Bool {
        version < settings.oldestVersion
            || (version < newest && newest - version > UInt64(settings.maxPolicyLag))
    }

    private mutating func purgeStale() {
        let before = queue.count
        let (newest, settings) = (policyVersion, settings)
        queue.removeAll { Self.isStale($0.version, newest: newest, settings: settings) }
        drops.add(.stale, before - queue.count)
    }
}
