import Console
import Wire

/// The client side of a connection to the coordinator, shared by actors and the learner: say
/// hello, wait for `welcome`, heartbeat when quiet, and when the coordinator goes silent (or never
/// answers) close the socket and reconnect on a fresh one after a jittered backoff — the ZeroMQ
/// guide's Paranoid Pirate. A final refusal (`ErrorCode.isFinal`: another protocol version, or
/// another learner in place beyond the window in which a dead one is forgotten) stops the link
/// for good with the reason in `refusal`. Pure: time and the jitter draw are passed in.
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
        /// `shutdown` from the coordinator, or a final refusal (`refusal` is then set): the role stops.
        case stopped(reason: String)
    }

    public let hello: Hello
    /// The coordinator's address, for messages only.
    public let endpoint: String
    public private(set) var phase: Phase = .waiting(until: 0)
    /// Why the coordinator turned this peer away for good (`ErrorCode.isFinal`), once stopped so:
    /// the role then exits with a failure, unlike after a `shutdown`.
    public private(set) var refusal: String?
    /// When the first `learnerPresent` of the current run of refusals arrived.
    private var refusedSinceMs: Int?
    public private(set) var backoff = ReconnectBackoff()
    private var lastHeardMs = 0
    private var lastSentMs = 0
    /// Heartbeat interval before the first welcome tells the real one.
    private let defaultIntervalMs: Int
    private let liveness: Int

    public init(
        hello: Hello, heartbeatIntervalMs: Int = Liveness.heartbeatIntervalMs,
        liveness: Int = Liveness.missedIntervalsBeforeDead,
        endpoint: String = "the coordinator's address"
    ) {
        self.hello = hello
        self.endpoint = endpoint
        defaultIntervalMs = heartbeatIntervalMs
        self.liveness = liveness
    }

    public var welcome: Welcome? {
        if case let .connected(w) = phase { return w }
        return nil
    }

    var intervalMs: Int { welcome.map { Int($0.heartbeatIntervalMs) } ?? defaultIntervalMs }
    public var deadAfterMs: Int { intervalMs * liveness }
    /// How long `learnerPresent` must last before it is final: the coordinator's window to
    /// forget a dead learner (liveness × interval), plus two intervals for its clock to tick.
    public var refusalGraceMs: Int { deadAfterMs + 2 * intervalMs }

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
                refusedSinceMs = nil  // a refusal after silence starts a new window
                return [
                    .closeSocket, .log(LogLine("\(what) for \(now - lastHeardMs) ms; reconnecting in \(delay) ms")),
                ]
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
            refusedSinceMs = nil
            return (.welcomed(w), [])
        case let .shutdown(reason):
            phase = .stopped
            return (.stopped(reason: "coordinator shut down: \(PrintableText.escaped(reason))"), [.closeSocket])
        case let .error(e) where e.code == .unsupportedVersion:
            return stop(refusal: "coordinator refused our protocol version: \(PrintableText.escaped(e.message))")
        case let .error(e) where e.code == .learnerPresent:
            // A learner that just died stays registered until the coordinator notices (one send,
            // or at most liveness × interval): only a refusal lasting longer means another one.
            let since = refusedSinceMs ?? now
            let first = refusedSinceMs == nil
            refusedSinceMs = since
            let holder = PrintableText.escaped(e.message, maxCharacters: 300)
            if now - since >= refusalGraceMs {
                return stop(
                    refusal:
                        "another learner is already connected to the coordinator at \(endpoint) (the coordinator says: \(holder)); stop that learner first, or point this one at another coordinator"
                )
            }
            phase = .waiting(until: now + intervalMs)
            return (
                nil,
                [
                    .closeSocket,
                    .log(
                        LogLine(
                            "the coordinator has another learner (\(holder)); asking again in \(intervalMs) ms in case that one is gone, for up to \(refusalGraceMs) ms",
                            verbose: !first)),
                ]
            )
        case let .error(e) where e.code == .notRegistered:
            // Declared dead while we were busy, or the coordinator restarted: say hello again.
            phase = .greeting(since: now)
            lastSentMs = now
            return (
                nil,
                [.log(LogLine("coordinator says we are not registered; saying hello again")), .send(.hello(hello))]
            )
        case .heartbeat:
            return (nil, [])
        case let .error(e) where welcome == nil:
            return (
                nil,
                [
                    .log(
                        LogLine(
                            "coordinator answered our hello with \(e.code): \(PrintableText.escaped(e.message, maxCharacters: 300))"
                        ))
                ]
            )
        default:
            guard welcome != nil else {
                return (nil, [.log(LogLine("ignored \(message.kind) before welcome", verbose: true))])
            }
            return (.message(message), [])
        }
    }

    /// Stops for good: the role reports `reason` and exits with a failure.
    private mutating func stop(refusal reason: String) -> (event: Event?, directives: [Directive]) {
        phase = .stopped
        refusal = reason
        return (.stopped(reason: reason), [.closeSocket])
    }
}
