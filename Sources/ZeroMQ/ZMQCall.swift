internal import CZeroMQ

// The chokepoint every libzmq call goes through: a call that reports failure (-1, or NULL for
// the calls that return pointers) becomes a `ZMQError` carrying the operation, errno and
// zmq_strerror text, read immediately so no later call can overwrite errno.

/// Runs a libzmq call returning an int; -1 means failure.
@discardableResult
func zmqCall(_ operation: @autoclosure () -> String, _ call: () -> Int32) throws(ZMQError) -> Int32 {
    let result = call()
    guard result != -1 else { throw ZMQError.last(operation()) }
    return result
}

/// Runs a libzmq call returning a pointer; NULL means failure.
func zmqCall<P>(_ operation: @autoclosure () -> String, _ call: () -> P?) throws(ZMQError) -> P {
    guard let result = call() else { throw ZMQError.last(operation()) }
    return result
}

/// Like `zmqCall`, but EAGAIN (nothing to do right now, or a timeout) and EINTR (a signal
/// arrived: let the caller's loop look at its shutdown flag) are answers, not errors: nil.
func zmqCallUnlessBusy(_ operation: @autoclosure () -> String, _ call: () -> Int32) throws(ZMQError) -> Int32? {
    let result = call()
    guard result == -1 else { return result }
    let code = zmq_errno()
    if code == ZMQErrno.again || code == ZMQErrno.interrupted { return nil }
    throw ZMQError(operation: operation(), errno: code, reason: String(cString: zmq_strerror(code)))
}
