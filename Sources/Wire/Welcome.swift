/// One task an actor plays: its name and the whole graph file (Docs/GRAPH_FORMAT.md), so actors
/// need no local Datasets. Its task index is its position in `Welcome.tasks`.
public struct TaskSpec: Equatable, Sendable {
    public var name: String
    public var graphText: String

    public init(name: String, graphText: String) {
        self.name = name
        self.graphText = graphText
    }
}

/// The coordinator's answer to `hello`: who the peer is now and what it plays.
public struct Welcome: Equatable, Sendable {
    public var actorId: UInt32
    public var heartbeatIntervalMs: UInt32
    /// 0 in a learner's welcome.
    public var environmentsPerActor: UInt32
    /// The run seed; each actor derives its stream from (seed, actorId).
    public var seed: UInt64
    /// Newest weights the coordinator holds (0 = none yet).
    public var weightsVersion: UInt64
    /// What actors play (version 3).
    public var algorithm: AlgorithmCode
    /// The search of every AlphaZero move; `.none` (all zero) with PPO.
    public var search: SearchSettings
    public var tasks: [TaskSpec]

    public init(
        actorId: UInt32, heartbeatIntervalMs: UInt32, environmentsPerActor: UInt32,
        seed: UInt64, weightsVersion: UInt64, algorithm: AlgorithmCode = .ppo, search: SearchSettings = .none,
        tasks: [TaskSpec]
    ) {
        self.actorId = actorId
        self.heartbeatIntervalMs = heartbeatIntervalMs
        self.environmentsPerActor = environmentsPerActor
        self.seed = seed
        self.weightsVersion = weightsVersion
        self.algorithm = algorithm
        self.search = search
        self.tasks = tasks
    }

    func write(into w: inout ByteWriter) {
        w.integer(actorId)
        w.integer(heartbeatIntervalMs)
        w.integer(environmentsPerActor)
        w.integer(seed)
        w.integer(weightsVersion)
        w.integer(algorithm.rawValue)
        search.write(into: &w)
        w.count(tasks.count)
        for t in tasks {
            w.string(t.name)
            w.string(t.graphText)
        }
    }

    init(reading r: inout ByteReader) throws(WireError) {
        actorId = try r.integer(UInt32.self, "welcome.actorId")
        heartbeatIntervalMs = try r.integer(UInt32.self, "welcome.heartbeatIntervalMs")
        guard WireLimits.heartbeatIntervalRangeMs.contains(heartbeatIntervalMs) else {
            throw .invalidValue(
                field: "welcome.heartbeatIntervalMs",
                reason: "\(heartbeatIntervalMs) ms is outside \(WireLimits.heartbeatIntervalRangeMs)")
        }
        environmentsPerActor = try r.integer(UInt32.self, "welcome.environmentsPerActor")
        guard environmentsPerActor <= WireLimits.maxEnvironmentsPerActor else {
            throw .limitExceeded(
                field: "welcome.environmentsPerActor", value: Int(environmentsPerActor),
                limit: WireLimits.maxEnvironmentsPerActor)
        }
        seed = try r.integer(UInt64.self, "welcome.seed")
        weightsVersion = try r.integer(UInt64.self, "welcome.weightsVersion")
        let raw = try r.integer(UInt8.self, "welcome.algorithm")
        guard let algorithm = AlgorithmCode(rawValue: raw) else {
            throw .invalidEnum(field: "welcome.algorithm", value: Int(raw))
        }
        self.algorithm = algorithm
        search = try SearchSettings(reading: &r, algorithm: algorithm)
        // Each task takes at least its two string counts.
        let n = try r.count("welcome.tasks", limit: WireLimits.maxTasks, elementBytes: 8)
        tasks = []
        tasks.reserveCapacity(n)
        for i in 0..<n {
            let name = try r.string("welcome.tasks[\(i)].name", maxBytes: WireLimits.maxNameBytes, allowEmpty: false)
            let graph = try r.string(
                "welcome.tasks[\(i)].graph", maxBytes: WireLimits.maxGraphTextBytes, allowEmpty: false)
            tasks.append(TaskSpec(name: name, graphText: graph))
        }
    }
}
