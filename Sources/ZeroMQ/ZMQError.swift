#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CZeroMQ

/// A libzmq call that failed (or an argument this wrapper refused before calling libzmq):
/// what we were doing, the errno, and libzmq's explanation of it.
public struct ZMQError: Error, Equatable, Sendable, CustomStringConvertible {
    /// In words, with the endpoint or option when there is one: "bind tcp://*:5555".
    public let operation: String
    /// The errno libzmq reported (EINVAL, EADDRINUSE, EHOSTUNREACH, ETERM, …).
    public let errno: Int32
    /// zmq_strerror's text, or this wrapper's own when it refused the call itself.
    public let reason: String

    init(operation: String, errno: Int32, reason: String) {
        self.operation = operation
        self.errno = errno
        self.reason = reason
    }

    /// The error libzmq just recorded for this thread.
    static func last(_ operation: String) -> ZMQError {
        let code = zmq_errno()
        return ZMQError(operation: operation, errno: code, reason: String(cString: zmq_strerror(code)))
    }

    /// For arguments refused before any C call (the errno says which class of problem).
    static func refused(_ operation: String, errno code: Int32, _ reason: String) -> ZMQError {
        ZMQError(operation: operation, errno: code, reason: reason)
    }

    /// A ROUTER with `routerMandatory` sent to a peer that is gone: drop the peer, keep serving.
    public var isHostUnreachable: Bool { errno == EHOSTUNREACH }
    /// The context was shut down: the owning loop should exit.
    public var isContextTerminated: Bool { errno == ZMQErrno.terminated }

    public var description: String { "ZeroMQ: \(operation) failed: \(reason) (errno \(errno))" }
}

/// errno values the wrapper tests for by name.
enum ZMQErrno {
    static let again = EAGAIN
    static let interrupted = EINTR
    static let invalid = EINVAL
    static let notSocket = ENOTSOCK
    static let messageSize = EMSGSIZE
    static let terminated = ZMQ_HAUSNUMERO + 53  // ETERM: libzmq's own errno, defined relative to its base
}
