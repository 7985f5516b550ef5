internal import CZeroMQ

/// One libzmq context: the I/O threads and the namespace of `inproc://` endpoints (a ZAP
/// handler and the sockets it guards must share one). Thread-safe, unlike sockets. Every socket
/// keeps its context alive, so the context is terminated (in deinit) only after its last socket
/// closed, and termination never waits on a socket someone still holds.
public final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    public init() throws(ZMQError) {
        handle = try zmqCall("create context") { zmq_ctx_new() }
    }

    /// Makes every blocking call on this context's sockets, on any thread, fail with ETERM
    /// (`ZMQError.isContextTerminated`); how a signal handler stops a role's loop.
    public func shutdown() {
        _ = zmq_ctx_shutdown(handle)
    }

    deinit {
        // zmq_ctx_term is retried on EINTR as the libzmq manual asks; any other failure
        // (EFAULT) cannot happen for a context we created and there is no one to tell.
        while zmq_ctx_term(handle) == -1 && zmq_errno() == ZMQErrno.interrupted {}
    }
}
