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

    public init(numEnvs: Int, maxPolicyLag: Int, maxQueuedEpisodes: Int, taskCount: Int) {
        self.numEnvs = numEnvs
        self.maxPolicyLag = maxPolicyLag
        self.maxQueuedEpisodes = maxQueuedEpisodes
        self.taskCount = taskCount
    }
}

/// The learner's episode queue and update decision, with no I/O and no network: episodes come
/// in tagged with the policy version that played them; those more than `maxPolicyLag` versions
/// old are dropped (counted); when `numEnvs` fresh ones wait, an update is due.
public struct LearnerCore: Sendable {
    public let settings: LearnerSettings
    /// The version of the learner's current weights (0 = the seed's initial policy).
    public private(set) var policyVersion: UInt64
    private(set) var queue: [PPO.Episode] = []
    public private(set) var received: UInt64 = 0
    public private(set) var droppedStale: UInt64 = 0
    public private(set) var droppedOverflow: UInt64 = 0
    public private(set) var droppedInvalid: UInt64 = 0
    /// How many versions behind the learner each trained-on episode was: lag → count.
    public private(set) var lagHistogram: [UInt64: UInt64] = [:]

    public init(settings: LearnerSettings, policyVersion: UInt64 = 0) {
        self.settings = settings
        self.policyVersion = policyVersion
    }

    public var queuedEpisodes: Int { queue.count }

    /// After `welcome`: versions must grow over the whole run, also across learner restarts, so a
    /// learner behind the coordinator (it lost updates made after its last checkpoint) continues
    /// from the coordinator's version + 1. Returns the version to publish now, if any (the current
    /// weights, so actors stop playing a policy this learner no longer has).
    public mutating func welcomed(coordinatorVersion: UInt64) -> UInt64? {
        if coordinatorVersion >= policyVersion && coordinatorVersion > 0 {
            policyVersion = coordinatorVersion + 1
            return policyVersion
        }
        return policyVersion > coordinatorVersion ? policyVersion : nil
    }

    /// Episodes from the coordinator. Returns log lines for what was dropped.
    public mutating func receive(_ episodes: [Wire.Episode]) -> [LogLine] {
        var stale = 0, invalid = 0
        for e in episodes {
            received += 1
            guard Int(e.taskIndex) < settings.taskCount else {
                invalid += 1
                continue
            }
            guard !isStale(e.policyVersion) else {
                stale += 1
                continue
            }
            queue.append(PPO.Episode(task: Int(e.taskIndex), order: e.order, logProbs: e.logProbs,
                                     policyVersion: e.policyVersion, actor: e.actorId))
        }
        droppedStale += UInt64(stale)
        droppedInvalid += UInt64(invalid)
        var log: [LogLine] = []
        let excess = queue.count - settings.maxQueuedEpisodes
        if excess > 0 {
            queue.removeFirst(excess)
            droppedOverflow += UInt64(excess)
            log.append(LogLine("queue full: dropped the \(excess) oldest episodes (\(droppedOverflow) so far)"))
        }
        if stale > 0 { log.append(LogLine("dropped \(stale) stale episodes (lag > \(settings.maxPolicyLag); \(droppedStale) so far)", verbose: true)) }
        if invalid > 0 { log.append(LogLine("dropped \(invalid) episodes with an unknown task index")) }
        return log
    }

    /// The next update's episodes when `numEnvs` fresh ones wait, nil otherwise: those played by
    /// the newest weights (the least off-policy; older leftovers wait and are dropped once stale),
    /// in arrival order among equal versions and in the batch.
    public mutating func nextBatch() -> [PPO.Episode]? {
        purgeStale()
        guard queue.count >= settings.numEnvs else { return nil }
        let newestFirst = queue.indices.sorted {
            queue[$0].policyVersion != queue[$1].policyVersion ? queue[$0].policyVersion > queue[$1].policyVersion : $0 < $1
        }
        let chosen = Set(newestFirst.prefix(settings.numEnvs))
        let batch = queue.indices.filter(chosen.contains).map { queue[$0] }
        queue = queue.indices.filter { !chosen.contains($0) }.map { queue[$0] }
        for e in batch { lagHistogram[policyVersion &- min(e.policyVersion, policyVersion), default: 0] += 1 }
        return batch
    }

    /// An episode the replay refused (a wrong order): counted, never trained on.
    public mutating func rejected(count: Int) { droppedInvalid += UInt64(count) }

    /// After an update: the new weights' version (the queue's older episodes may now be stale).
    public mutating func updated() -> UInt64 {
        policyVersion += 1
        purgeStale()
        return policyVersion
    }

    func isStale(_ version: UInt64) -> Bool {
        version < policyVersion && policyVersion - version > UInt64(settings.maxPolicyLag)
    }

    private mutating func purgeStale() {
        let (version, lag) = (policyVersion, UInt64(settings.maxPolicyLag))
        let before = queue.count
        queue.removeAll { $0.policyVersion < version && version - $0.policyVersion > lag }
        droppedStale += UInt64(before - queue.count)
    }
}
