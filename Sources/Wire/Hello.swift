/// What a peer is; the `role` byte of `hello` and of a status-reply row.
public enum PeerRole: UInt8, CaseIterable, Sendable {
    case actor = 1
    case learner = 2
    case status = 3
}

/// A peer introducing itself to the coordinator.
public struct Hello: Equatable, Sendable {
    public var role: PeerRole
    /// The version the sender speaks; the decoder refuses anything but `WireProtocol.version`.
    public var protocolVersion: UInt16
    public var host: String
    public var pid: UInt32
    public var cores: UInt32
    /// Index of this actor within its `ccelim worker` process group (0 for learner and status).
    public var actorIndex: UInt32

    public init(
        role: PeerRole, host: String, pid: UInt32, cores: UInt32, actorIndex: UInt32,
        protocolVersion: UInt16 = WireProtocol.version
    ) {
        self.role = role
        self.protocolVersion = protocolVersion
        self.host = host
        self.pid = pid
        self.cores = cores
        self.actorIndex = actorIndex
    }

    func write(into w: inout ByteWriter) {
        w.integer(role.rawValue)
        w.integer(protocolVersion)
        w.string(host)
        w.integer(pid)
        w.integer(cores)
        w.integer(actorIndex)
    }

    init(reading r: inout ByteReader) throws(WireError) {
        let roleByte = try r.integer(UInt8.self, "hello.role")
        guard let role = PeerRole(rawValue: roleByte) else {
            throw .invalidEnum(field: "hello.role", value: Int(roleByte))
        }
        let version = try r.integer(UInt16.self, "hello.protocolVersion")
        guard version == WireProtocol.version else { throw .unsupportedVersion(version) }
        self.init(
            role: role,
            host: try r.string("hello.host", maxBytes: WireLimits.maxNameBytes, allowEmpty: false),
            pid: try r.integer(UInt32.self, "hello.pid"),
            cores: try r.integer(UInt32.self, "hello.cores"),
            actorIndex: try r.integer(UInt32.self, "hello.actorIndex"),
            protocolVersion: version)
    }
}
