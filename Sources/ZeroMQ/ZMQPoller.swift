internal import CZeroMQ

/// What a socket is ready for.
public struct ZMQEvents: OptionSet, Sendable {
    public let rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }

    public static let readable = ZMQEvents(rawValue: Int16(ZMQ_POLLIN))
    public static let writable = ZMQEvents(rawValue: Int16(ZMQ_POLLOUT))
}

/// zmq_poll over a fixed set of sockets: the heart of every role's single-threaded loop (the
/// role's ROUTER or DEALER, and on the coordinator the ZAP handler's socket).
public struct ZMQPoller {
    private var sockets: [ZMQSocket] = []
    private var interest: [ZMQEvents] = []

    public init() {}

    /// Adds a socket; the poller keeps it alive. Returns its index in `ZMQPollResult`.
    @discardableResult
    public mutating func register(_ socket: ZMQSocket, for events: ZMQEvents = .readable) -> Int {
        sockets.append(socket)
        interest.append(events)
        return sockets.count - 1
    }

    /// Waits until a registered socket is ready or `timeoutMilliseconds` pass (-1 waits
    /// forever, 0 only looks). A signal (EINTR) ends the wait early with nothing ready, so the
    /// caller's loop gets to check its shutdown flag. A closed socket makes this throw ENOTSOCK.
    public func poll(timeoutMilliseconds: Int) throws(ZMQError) -> ZMQPollResult {
        var items: [zmq_pollitem_t] = []
        items.reserveCapacity(sockets.count)
        for (socket, events) in zip(sockets, interest) {
            let h = try socket.live("poll")
            items.append(zmq_pollitem_t(socket: h, fd: 0, events: events.rawValue, revents: 0))
        }
        let n = try zmqCallUnlessBusy("poll \(sockets.count) sockets") {
            items.withUnsafeMutableBufferPointer { zmq_poll($0.baseAddress, Int32($0.count), timeoutMilliseconds) }
        }
        guard n != nil else {
            return ZMQPollResult(sockets: sockets, events: Array(repeating: [], count: sockets.count))
        }
        return ZMQPollResult(sockets: sockets, events: items.map { ZMQEvents(rawValue: $0.revents) })
    }
}

/// Which registered sockets are ready, by registration index or by socket.
public struct ZMQPollResult {
    private let sockets: [ZMQSocket]
    /// Ready events per registered socket, in registration order.
    public let events: [ZMQEvents]

    init(sockets: [ZMQSocket], events: [ZMQEvents]) {
        self.sockets = sockets
        self.events = events
    }

    /// Nothing became ready before the timeout.
    public var isEmpty: Bool { events.allSatisfy { $0.isEmpty } }

    public func isReadable(_ socket: ZMQSocket) -> Bool {
        zip(sockets, events).contains { $0 === socket && $1.contains(.readable) }
    }

    public func isWritable(_ socket: ZMQSocket) -> Bool {
        zip(sockets, events).contains { $0 === socket && $1.contains(.writable) }
    }
}
