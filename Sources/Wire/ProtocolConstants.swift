// Every number the cluster protocol fixes, in one place (the ZeroMQ guide's advice: one file
// holds every kind and constant). Docs/PROTOCOL.md §2, §6 and §7 are this file in prose; change
// both together, and bump `WireProtocol.version` when an old peer would misread the change.

/// Framing constants.
public enum WireProtocol {
    /// First four bytes of every header frame: "CCEL".
    public static let magic: [UInt8] = [0x43, 0x43, 0x45, 0x4C]
    /// The only version this build speaks; any other is refused, never guessed at.
    /// 2 added the distributed-gradient kinds 15 … 18; 3 the algorithm and search settings in
    /// `welcome` and the AlphaZero games (`searchGames`, kind 21); 4 the helper's compute time in
    /// `gradient` (`computeMicros`), from which the learner sizes its helpers; 5 the rollout weight λ
    /// in the welcome's search settings; 6 the rollouts' rules k and exact endgame E beside it; 7 the
    /// learner's `trainingOver` (kind 22), passed on to every actor so it stops.
    public static let version: UInt16 = 7
    /// Header frame: magic (4) + version (UInt16 LE) + kind (UInt16 LE).
    public static let headerByteCount = 8
    /// ZAP domain the coordinator's CURVE server socket announces.
    public static let zapDomain = "ccelim"
    /// Where the coordinator binds when cluster.toml says nothing.
    public static let defaultCoordinatorPort = 5555
}

/// Sizes and counts a decoder accepts. Each is far above what a real run sends (the largest
/// Dataset graph is ~8 KB, the paper's networks well under a million parameters) and low enough
/// that a hostile peer cannot make a role allocate much.
public enum WireLimits {
    /// Largest frame, and largest message (all frames together): 64 MiB. Set as ZMQ_MAXMSGSIZE
    /// on every bound socket, so libzmq refuses a larger frame before it is buffered.
    public static let maxMessageBytes = 64 << 20
    /// Receivers drain and drop messages with more parts than this (ROUTER adds one routing-id frame).
    public static let maxReceivedFrames = 16
    public static let maxTasks = 1_024
    public static let maxGraphTextBytes = 4 << 20
    /// Task, host and preset names.
    public static let maxNameBytes = 256
    /// Error and shutdown texts.
    public static let maxTextBytes = 4_096
    /// Steps of one episode or one best order.
    public static let maxOrderLength = 65_536
    /// Episodes of one `episodes` message, and games of one `searchGames` message.
    public static let maxEpisodesPerMessage = 4_096
    /// Simulations per move an AlphaZero welcome may ask for (16 × the paper's largest, 250).
    public static let maxSimulations = 4_096
    /// k of an AlphaZero welcome's rollouts: the greedy rules there are (`GreedyRule.all`, six);
    /// `AlphaZeroHyperparameters.validate` has the same bound, a test checks they agree.
    public static let maxRolloutRules = 6
    /// E of an AlphaZero welcome's rollouts: `GreedyCompletion.maxEndgame` (a 2^12-subset table per
    /// leaf); checked against it as `maxRolloutRules` is.
    public static let maxRolloutEndgame = 12
    /// Tolerance on Σ π' = 1 of each move of a search game: L Float32 numbers, each rounded from a
    /// Float64 softmax and summed in Float32, sum to 1 within (L + 1) · 2⁻²⁴ (< 3.5 · 10⁻⁴ for any L
    /// a message can hold).
    public static let policySumTolerance: Float = 1e-3
    /// 60 MiB of Float32, so a weights message (meta frame included) stays under `maxMessageBytes`.
    public static let maxParameters = 15 << 20
    public static let maxPeersInStatus = 4_096
    public static let maxEnvironmentsPerActor = 4_096
    /// Minibatch steps of one distributed update (`gradientJob.steps`).
    public static let maxGradientSteps = 4_096
    /// (task, time step) blocks of one minibatch step.
    public static let maxBlocksPerStep = 65_536
    public static let heartbeatIntervalRangeMs: ClosedRange<UInt32> = 10...60_000
}

/// Heartbeats, liveness and reconnection (the Paranoid Pirate pattern).
public enum Liveness {
    /// A peer sends `heartbeat` when it has sent nothing else for this long.
    public static let heartbeatIntervalMs = 1_000
    /// Missed intervals after which a silent peer is dead.
    public static let missedIntervalsBeforeDead = 5
    public static var deadAfterMs: Int { heartbeatIntervalMs * missedIntervalsBeforeDead }
    /// First reconnect wait; doubles after each failed attempt up to `reconnectMaxMs`.
    public static let reconnectInitialMs = 100
    public static let reconnectMaxMs = 5_000
    /// A status client gives up after this long without a reply.
    public static let statusTimeoutMs = 5_000
}
