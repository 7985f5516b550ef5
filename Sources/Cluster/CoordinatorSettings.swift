import Wire

/// What a coordinator serves and how strictly it watches its peers. Built from cluster.toml by
/// the shell (which reads the graph files); the core only sees values.
public struct CoordinatorSettings: Equatable, Sendable {
    /// Tasks in task-index order, each with its whole graph text (sent in `welcome`).
    public var tasks: [TaskSpec]
    public var seed: UInt64
    public var heartbeatIntervalMs: Int
    /// Missed intervals before a silent peer is declared dead.
    public var liveness: Int
    public var environmentsPerActor: Int
    /// Backpressure: while this many episodes were handed towards the learner since its last
    /// `publishWeights` (or wait for a learner that is not there), actors' `weightsRequest`s are
    /// held unanswered, so actors stop producing until the learner catches up. With one actor,
    /// `max_policy_lag` 0 and this equal to `num_envs`, the run is synchronous (bit-reproducible).
    public var maxQueuedEpisodes: Int
    /// Registered peers beyond this get `overloaded`.
    public var maxPeers: Int
    /// What the actors play, told in every `welcome`: PPO's `episodes` or AlphaZero's
    /// `searchGames` (the coordinator routes only the run's own kind).
    public var algorithm: AlgorithmCode
    /// The search of every AlphaZero move (`.none` with PPO).
    public var search: SearchSettings

    public init(
        tasks: [TaskSpec], seed: UInt64, heartbeatIntervalMs: Int = Liveness.heartbeatIntervalMs,
        liveness: Int = Liveness.missedIntervalsBeforeDead, environmentsPerActor: Int = 16,
        maxQueuedEpisodes: Int = 512, maxPeers: Int = 1024, algorithm: AlgorithmCode = .ppo,
        search: SearchSettings = .none
    ) {
        self.tasks = tasks
        self.seed = seed
        self.heartbeatIntervalMs = heartbeatIntervalMs
        self.liveness = liveness
        self.environmentsPerActor = environmentsPerActor
        self.maxQueuedEpisodes = maxQueuedEpisodes
        self.maxPeers = maxPeers
        self.algorithm = algorithm
        self.search = search
    }

    /// Silence longer than this makes a peer dead.
    public var deadAfterMs: Int { heartbeatIntervalMs * liveness }

    /// Why `task` cannot travel in a `welcome` (Docs/PROTOCOL.md §7), or nil: every peer would
    /// refuse to decode the welcome and reconnect forever, so the shell refuses such a task at start.
    public static func welcomeProblem(_ task: TaskSpec) -> String? {
        if task.name.isEmpty || task.name.utf8.count > WireLimits.maxNameBytes {
            return
                "the task name is \(task.name.utf8.count) bytes; a welcome carries names of 1…\(WireLimits.maxNameBytes) bytes"
        }
        if task.graphText.utf8.count > WireLimits.maxGraphTextBytes {
            return
                "the graph text is \(task.graphText.utf8.count) bytes; a welcome carries at most \(WireLimits.maxGraphTextBytes) bytes per graph"
        }
        return nil
    }
}
