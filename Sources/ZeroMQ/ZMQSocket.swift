internal import CZeroMQ

/// One libzmq socket, owned by one thread at a time (libzmq sockets are not thread-safe).
/// Closed exactly once: by `close()` or, failing that, in deinit; any use after that throws
/// ENOTSOCK instead of handing libzmq a dangling pointer.
public final class ZMQSocket {
    /// The socket types ccelim uses.
    public enum Kind: Sendable, CaseIterable {
        case router, dealer, pub, sub, req, rep

        var raw: Int32 {
            switch self {
            case .router: ZMQ_ROUTER
            case .dealer: ZMQ_DEALER
            case .pub: ZMQ_PUB
            case .sub: ZMQ_SUB
            case .req: ZMQ_REQ
            case .rep: ZMQ_REP
            }
        }
    }

    public let kind: Kind
    /// Retained so the context outlives every socket made from it.
    public let context: ZMQContext
    private var handle: UnsafeMutableRawPointer?

    /// Linger is set to 0: a role that exits must not hang on messages for a peer that is gone
    /// (libzmq's default is to wait forever). Set `.linger` again to change it.
    public init(_ context: ZMQContext, _ kind: Kind) throws(ZMQError) {
        self.kind = kind
        self.context = context
        handle = try zmqCall("create \(kind) socket") { zmq_socket(context.handle, kind.raw) }
        try set(.linger(milliseconds: 0))
    }

    public var isClosed: Bool { handle == nil }

    /// The live handle, or ENOTSOCK after close.
    func live(_ operation: @autoclosure () -> String) throws(ZMQError) -> UnsafeMutableRawPointer {
        guard let handle else {
            throw .refused(operation(), errno: ZMQErrno.notSocket, "the \(kind) socket is already closed")
        }
        return handle
    }

    /// Endpoints: "tcp://127.0.0.1:*" picks a free port (read it back with `lastEndpoint()`),
    /// "inproc://name", "ipc:///tmp/path".
    public func bind(_ endpoint: String) throws(ZMQError) {
        let h = try live("bind \(endpoint)")
        try zmqCall("bind \(endpoint)") { zmq_bind(h, endpoint) }
    }

    public func unbind(_ endpoint: String) throws(ZMQError) {
        let h = try live("unbind \(endpoint)")
        try zmqCall("unbind \(endpoint)") { zmq_unbind(h, endpoint) }
    }

    /// Asynchronous: succeeds before any peer answers; libzmq keeps reconnecting in the background.
    public func connect(_ endpoint: String) throws(ZMQError) {
        let h = try live("connect \(endpoint)")
        try zmqCall("connect \(endpoint)") { zmq_connect(h, endpoint) }
    }

    public func disconnect(_ endpoint: String) throws(ZMQError) {
        let h = try live("disconnect \(endpoint)")
        try zmqCall("disconnect \(endpoint)") { zmq_disconnect(h, endpoint) }
    }

    /// Idempotent. Pending outgoing messages are dropped or kept for the linger period.
    public func close() {
        guard let h = handle else { return }
        handle = nil
        // zmq_close fails only for a pointer that is not a socket, which `handle` never is.
        _ = zmq_close(h)
    }

    deinit { close() }
}
