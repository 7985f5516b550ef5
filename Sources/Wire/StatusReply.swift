/// One row of the cluster table `ccelim status` prints.
public struct PeerStatus: Equatable, Sendable {
    public var id: UInt32
    public var role: PeerRole
    public var host: String
    public var pid: UInt32
    public var lastSeenMsAgo: UInt64
    /// Received from this peer (actors) or forwarded to it (learner).
    public var episodes: UInt64
    public var episodesPerSecond: Float

    public init(
        id: UInt32, role: PeerRole, host: String, pid: UInt32, lastSeenMsAgo: UInt64,
        episodes: UInt64, episodesPerSecond: Float
    ) {
        self.id = id
        self.role = role
        self.host = host
        self.pid = pid
        self.lastSeenMsAgo = lastSeenMsAgo
        self.episodes = episodes
        self.episodesPerSecond = episodesPerSecond
    }
}

/// A task's name and the cheapest cost found so far (nil before the first `bestOrder`).
public struct TaskStatus: Equatable, Sendable {
    public var name: String
    public var bestCost: UInt64?

    public init(name: String, bestCost: UInt64?) {
        self.name = name
        self.bestCost = bestCost
    }
}

/// The coordinator's whole view of the cluster, small enough to ask for every second.
public struct StatusReply: Equatable, Sendable {
    public var weightsVersion: UInt64
    public var peers: [PeerStatus]
    public var tasks: [TaskStatus]

    public init(weightsVersion: UInt64, peers: [PeerStatus], tasks: [TaskStatus]) {
        self.weightsVersion = weightsVersion
        self.peers = peers
        self.tasks = tasks
    }

    func write(into w: inout ByteWriter) {
        w.integer(weightsVersion)
        w.count(peers.count)
        for p in peers {
            w.integer(p.id)
            w.integer(p.role.rawValue)
            w.string(p.host)
            w.integer(p.pid)
            w.integer(p.lastSeenMsAgo)
            w.integer(p.episodes)
            w.float32(p.episodesPerSecond)
        }
        w.count(tasks.count)
        for t in tasks {
            w.string(t.name)
            // Absent costs are written as 0 so every reply has exactly one encoding.
            w.bool(t.bestCost != nil)
            w.integer(t.bestCost ?? 0)
        }
    }

    init(reading r: inout ByteReader) throws(WireError) {
        weightsVersion = try r.integer(UInt64.self, "statusReply.weightsVersion")
        // Smallest row: id 4, role 1, host count 4, pid 4, lastSeen 8, episodes 8, rate 4.
        let peerCount = try r.count("statusReply.peers", limit: WireLimits.maxPeersInStatus, elementBytes: 33)
        peers = []
        peers.reserveCapacity(peerCount)
        for i in 0..<peerCount {
            let id = try r.integer(UInt32.self, "statusReply.peers[\(i)].id")
            let roleByte = try r.integer(UInt8.self, "statusReply.peers[\(i)].role")
            guard let role = PeerRole(rawValue: roleByte) else {
                throw .invalidEnum(field: "statusReply.peers[\(i)].role", value: Int(roleByte))
            }
            peers.append(
                PeerStatus(
                    id: id, role: role,
                    host: try r.string("statusReply.peers[\(i)].host", maxBytes: WireLimits.maxNameBytes),
                    pid: try r.integer(UInt32.self, "statusReply.peers[\(i)].pid"),
                    lastSeenMsAgo: try r.integer(UInt64.self, "statusReply.peers[\(i)].lastSeenMsAgo"),
                    episodes: try r.integer(UInt64.self, "statusReply.peers[\(i)].episodes"),
                    episodesPerSecond: try r.float32("statusReply.peers[\(i)].episodesPerSecond")))
        }
        // Smallest row: name count 4, flag 1, cost 8.
        let taskCount = try r.count("statusReply.tasks", limit: WireLimits.maxTasks, elementBytes: 13)
        tasks = []
        tasks.reserveCapacity(taskCount)
        for i in 0..<taskCount {
            let name = try r.string(
                "statusReply.tasks[\(i)].name", maxBytes: WireLimits.maxNameBytes, allowEmpty: false)
            let hasBest = try r.bool("statusReply.tasks[\(i)].hasBest")
            let cost = try r.integer(UInt64.self, "statusReply.tasks[\(i)].bestCost")
            guard hasBest || cost == 0 else {
                throw .invalidValue(field: "statusReply.tasks[\(i)].bestCost", reason: "must be 0 when hasBest is 0")
            }
            tasks.append(TaskStatus(name: name, bestCost: hasBest ? cost : nil))
        }
    }
}
