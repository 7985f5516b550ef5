import Wire

/// The client side of a connection to the coordinator, shared by actors and the learner: say
/// hello, wait for `welcome`, heartbeat when quiet, and when the coordinator goes silent (or never
/// answers) close the socket and reconnect on a fresh one after a jittered backoff — the ZeroMQ
/// guide's Paranoid Pirate. Pure: time and the jitter draw are passed in.
public struct PeerLink: Sendable {
    public enum Phase: Equatable, Sendable {
        /// No socket; open one at `until`.
        case waiting(until: Int)
        /// Hello sent at `since`; no welcome yet.
        case greeting(since: Int)
        case connected(Welcome)
        /// Shut down by the coordinator or by a fatal error: never reconnect.
        case stopped
    }

    public enum Directive: Equatable, Sendable {
        /// Close the old socket (if any) and connect a fresh one; anything it still queued is dropped.
        case openFreshSocket
        case closeSocket
        case send(Message)
        case log(LogLine)
    }

    /// What a received message means to the role using the link.
    public enum Event: Equatable, Sendable {
        case welcomed(Welcome)
        /// Any other message while connected, for the role to handle.
        case message(Message)
        /// `shutdown` from the coordinator or `unsupportedVersion`: the role stops.
        case stopped(reason: String)
    }

    public let hello: Hello
    public private(set) var phase: Phase = .waiting(until: 0)
    public private(set) var backoff = ReconnectBackoff()
    private var lastHeardMs = 0
    private var lastSentMs = 0
    /// Heartbeat interval before the first welcome tells the real one.
    private let defaultIntervalMs: Int
    private let liveness: Int

    public init(hello: Hello, heartbeatIntervalMs: Int = Liveness.heartbeatIntervalMs, liveness: Int = Liveness.missedIntervalsBeforeDead) {
        self.hello = hello
        defaultIntervalMs = heartbeatIntervalMs
        self.liveness = liveness
    }

    public var welcome: Welcome? {
        if case let .connected(w) = phase { return w }
        return nil
    }

    var intervalMs: Int { welcome.map { Int($0.heartbeatIntervalMs) } ?? defaultIntervalMs }
    public var deadAfterMs: Int { intervalMs * liveness }

    /// Time passing: connect when the backoff ran out, give up on a silent coordinator, heartbeat.
    /// `unitRandom` is a uniform draw in [0, 1) from the role's seeded stream (backoff jitter).
    public mutating func tick(now: Int, unitRandom: Double) -> [Directive] {
        switch phase {
        case .stopped:
            return []
        case let .waiting(until):
            guard now >= until else { return [] }
            phase = .greeting(since: now)
            lastHeardMs = now
            lastSentMs = now
            return [.openFreshSocket, .send(.hello(hello))]
        case .greeting, .connected:
            if now - lastHeardMs > deadAfterMs {
                let delay = backoff.nextDelayMs(unitRandom: unitRandom)
                let what = welcome == nil ? "no welcome" : "coordinator silent"
                phase = .waiting(until: now + delay)
                return [.closeSocket, .log(LogLine("\(what) for \(now - lastHeardMs) ms; reconnecting in \(delay) ms"))]
            }
            if welcome != nil, now - lastSentMs >= intervalMs {
                lastSentMs = now
                return [.send(.heartbeat)]
            }
            return []
        }
    }

    /// The role sent something (any message resets the heartbeat timer).
    public mutating func didSend(now: Int) { lastSentMs = now }

    public mutating func receive(_ message: Message, now: Int) -> (event: Event?, directives: [Directive]) {
        guard phase != .stopped else { return (nil, []) }
        lastHeardMs = now
        switch message {
        case let .welcome(w):
            phase = .connected(w)
            backoff.reset()
            return (.welcomed(w), [])
        case let .shutdown(reason):
            phase = .stopped
            return (.stopped(reason: "coordinator shut down: \(reason)"), [.closeSocket])
        case let .error(e) where e.code == .unsupportedVersion:
            phase = .stopped
            return (.stopped(reason: "coordinator refused our protocol version: \(e.message)"), [.closeSocket])
        case let .error(e) where e.code == .notRegistered:
            // Declared dead while we were busy, or the coordinator restarted: say hello again.
            phase = .greeting(since: now)
            lastSentMs = now
            return (nil, [.log(LogLine("coordinator says we are not registered; saying hello again")), .send(.hello(hello))])
        case .heartbeat:
            return (nil, [])
        default:
            guard welcome != nil else {
                return (nil, [.log(LogLine("ignored \(message.kind) before welcome", verbose: true))])
            }
            return (.message(message), [])
        }
    }
}
