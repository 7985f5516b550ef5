internal import CZeroMQ

/// The socket options ccelim sets, each with its value type. Times are milliseconds; -1 means
/// "forever" or "unlimited" where libzmq says so.
public enum ZMQSocketOption: Sendable, Equatable {
    /// How long close() keeps unsent messages; sockets here start at 0.
    case linger(milliseconds: Int32)
    /// The identity a ROUTER sees for this peer (1…255 bytes, not starting with 0).
    case routingId([UInt8])
    case sendHighWaterMark(Int32)
    case receiveHighWaterMark(Int32)
    /// Largest frame a peer may send to this socket; a larger one makes libzmq drop that
    /// peer's connection before buffering it. Set on every bound socket.
    case maxMessageSize(Int64)
    /// A ROUTER fails with EHOSTUNREACH instead of silently dropping a message to an unknown peer.
    case routerMandatory(Bool)
    /// ZMTP-level PINGs; they keep a TCP connection honest, application heartbeats decide liveness.
    case heartbeatInterval(milliseconds: Int32)
    case heartbeatTTL(milliseconds: Int32)
    case heartbeatTimeout(milliseconds: Int32)
    /// A blocking receive returns nil after this long (-1 = wait forever).
    case receiveTimeout(milliseconds: Int32)
    case sendTimeout(milliseconds: Int32)
    /// libzmq's own reconnect of a connected socket (first wait and cap).
    case reconnectInterval(milliseconds: Int32)
    case reconnectIntervalMax(milliseconds: Int32)
    /// Longest a security handshake may take before the connection is dropped.
    case handshakeInterval(milliseconds: Int32)
    /// This socket is the CURVE server (set with `curveSecretKey` before bind).
    case curveServer(Bool)
    /// Z85 keys, 40 characters (see `CurveKeyPair`).
    case curvePublicKey(String)
    case curveSecretKey(String)
    /// A CURVE client's view of the server's public key.
    case curveServerKey(String)
    /// The ZAP domain a server announces to the ZAP handler.
    case zapDomain(String)
    /// SUB: receive messages starting with this prefix (empty = everything).
    case subscribe([UInt8])
    case unsubscribe([UInt8])

    var name: String {
        switch self {
        case .linger: "linger"
        case .routingId: "routing id"
        case .sendHighWaterMark: "send high-water mark"
        case .receiveHighWaterMark: "receive high-water mark"
        case .maxMessageSize: "max message size"
        case .routerMandatory: "router mandatory"
        case .heartbeatInterval: "heartbeat interval"
        case .heartbeatTTL: "heartbeat TTL"
        case .heartbeatTimeout: "heartbeat timeout"
        case .receiveTimeout: "receive timeout"
        case .sendTimeout: "send timeout"
        case .reconnectInterval: "reconnect interval"
        case .reconnectIntervalMax: "reconnect interval max"
        case .handshakeInterval: "handshake interval"
        case .curveServer: "CURVE server"
        case .curvePublicKey: "CURVE public key"
        case .curveSecretKey: "CURVE secret key"
        case .curveServerKey: "CURVE server key"
        case .zapDomain: "ZAP domain"
        case .subscribe: "subscribe"
        case .unsubscribe: "unsubscribe"
        }
    }

    /// The option code and its value as the bytes zmq_setsockopt expects.
    var codeAndValue: (Int32, [UInt8]) {
        func int(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v) { Array($0) } }
        switch self {
        case let .linger(v): return (ZMQ_LINGER, int(v))
        case let .routingId(id): return (ZMQ_ROUTING_ID, id)
        case let .sendHighWaterMark(v): return (ZMQ_SNDHWM, int(v))
        case let .receiveHighWaterMark(v): return (ZMQ_RCVHWM, int(v))
        case let .maxMessageSize(v): return (ZMQ_MAXMSGSIZE, withUnsafeBytes(of: v) { Array($0) })
        case let .routerMandatory(on): return (ZMQ_ROUTER_MANDATORY, int(on ? 1 : 0))
        case let .heartbeatInterval(v): return (ZMQ_HEARTBEAT_IVL, int(v))
        case let .heartbeatTTL(v): return (ZMQ_HEARTBEAT_TTL, int(v))
        case let .heartbeatTimeout(v): return (ZMQ_HEARTBEAT_TIMEOUT, int(v))
        case let .receiveTimeout(v): return (ZMQ_RCVTIMEO, int(v))
        case let .sendTimeout(v): return (ZMQ_SNDTIMEO, int(v))
        case let .reconnectInterval(v): return (ZMQ_RECONNECT_IVL, int(v))
        case let .reconnectIntervalMax(v): return (ZMQ_RECONNECT_IVL_MAX, int(v))
        case let .handshakeInterval(v): return (ZMQ_HANDSHAKE_IVL, int(v))
        case let .curveServer(on): return (ZMQ_CURVE_SERVER, int(on ? 1 : 0))
        // Z85 text without a terminator: libzmq accepts 40-byte keys as Z85.
        case let .curvePublicKey(key): return (ZMQ_CURVE_PUBLICKEY, Array(key.utf8))
        case let .curveSecretKey(key): return (ZMQ_CURVE_SECRETKEY, Array(key.utf8))
        case let .curveServerKey(key): return (ZMQ_CURVE_SERVERKEY, Array(key.utf8))
        case let .zapDomain(domain): return (ZMQ_ZAP_DOMAIN, Array(domain.utf8))
        case let .subscribe(prefix): return (ZMQ_SUBSCRIBE, prefix)
        case let .unsubscribe(prefix): return (ZMQ_UNSUBSCRIBE, prefix)
        }
    }

    /// Keys are checked here so a typo in cluster.toml names the option, not just "EINVAL".
    var keyText: String? {
        switch self {
        case let .curvePublicKey(k), let .curveSecretKey(k), let .curveServerKey(k): k
        default: nil
        }
    }
}

/// Options that can be read back (for tests and for logging the effective configuration).
enum ZMQReadableOption {
    case linger, sendHighWaterMark, receiveHighWaterMark, receiveTimeout, sendTimeout, maxMessageSize, type

    var code: Int32 {
        switch self {
        case .linger: ZMQ_LINGER
        case .sendHighWaterMark: ZMQ_SNDHWM
        case .receiveHighWaterMark: ZMQ_RCVHWM
        case .receiveTimeout: ZMQ_RCVTIMEO
        case .sendTimeout: ZMQ_SNDTIMEO
        case .maxMessageSize: ZMQ_MAXMSGSIZE
        case .type: ZMQ_TYPE
        }
    }

    var isInt64: Bool { self == .maxMessageSize }
}

extension ZMQSocket {
    public func set(_ option: ZMQSocketOption) throws(ZMQError) {
        let operation = "set \(option.name) on \(kind) socket"
        let h = try live(operation)
        if let key = option.keyText, !Z85.isValidKey(key) {
            throw .refused(
                operation, errno: ZMQErrno.invalid, "a CURVE key is 40 Z85 characters, got \(key.utf8.count) bytes")
        }
        let (code, value) = option.codeAndValue
        try zmqCall(operation) {
            value.withUnsafeBytes { zmq_setsockopt(h, code, $0.baseAddress, $0.count) }
        }
    }

    /// The endpoint this socket last bound or connected, with the port libzmq chose for "*".
    public func lastEndpoint() throws(ZMQError) -> String {
        String(decoding: try bytesOption(ZMQ_LAST_ENDPOINT, "last endpoint").prefix { $0 != 0 }, as: UTF8.self)
    }

    public func routingId() throws(ZMQError) -> [UInt8] {
        try bytesOption(ZMQ_ROUTING_ID, "routing id")
    }

    func value(of option: ZMQReadableOption) throws(ZMQError) -> Int64 {
        let operation = "get option \(option) of \(kind) socket"
        let h = try live(operation)
        if option.isInt64 {
            var v: Int64 = 0
            var size = MemoryLayout<Int64>.size
            try zmqCall(operation) { zmq_getsockopt(h, option.code, &v, &size) }
            return v
        }
        var v: Int32 = 0
        var size = MemoryLayout<Int32>.size
        try zmqCall(operation) { zmq_getsockopt(h, option.code, &v, &size) }
        return Int64(v)
    }

    private func bytesOption(_ code: Int32, _ name: String) throws(ZMQError) -> [UInt8] {
        let operation = "get \(name) of \(kind) socket"
        let h = try live(operation)
        var buffer = [UInt8](repeating: 0, count: 1024)
        var size = buffer.count
        try zmqCall(operation) { zmq_getsockopt(h, code, &buffer, &size) }
        return Array(buffer[0..<size])
    }
}
