import Cluster
import Console
import Foundation
import Wire
import ZeroMQ

/// The coordinator's shell: one ROUTER (and, with CURVE, the ZAP handler) in one poll loop that
/// feeds `CoordinatorCore` and carries out its directives. All protocol decisions are the core's.
public final class CoordinatorServer {
    public private(set) var core: CoordinatorCore
    /// The endpoint actually bound (with the port libzmq chose for `*` or 0).
    public let boundEndpoint: String
    private let context: ZMQContext
    private let router: ZMQSocket
    private let zap: ZAPHandler?
    private let log: RoleLog
    /// Read from other threads (`traffic`), so behind a lock.
    private let trafficLock = NSLock()
    private var counted = CoordinatorTraffic()
    /// The newest weights, encoded once: every actor's `weights` answer for that version reuses
    /// these frames instead of copying the parameters into a fresh buffer per actor.
    private var encodedWeights: (version: UInt64, frames: [[UInt8]])?
    /// Peers a send found gone (`EHOSTUNREACH`) and not yet reported to the core, in the order
    /// found: what they sent before closing may still wait in the ROUTER (`settleUnreachable`).
    private var unreachable: [PeerAddress] = []

    public init(
        settings: CoordinatorSettings, bind endpoint: String, security: ServerSecurity?, maxMessageBytes: Int,
        log: RoleLog
    ) throws {
        self.log = log
        core = CoordinatorCore(settings: settings)
        let context = try ZMQContext()
        self.context = context
        // The ZAP handler must listen before the server binds: libzmq admits every CURVE client
        // while no handler is bound.
        zap = try security.map { try ZAPHandler(context: context, allowList: $0.allowList) }
        router = try ZMQSocket(context, .router)
        try router.set(.routerMandatory(true))
        try router.set(.maxMessageSize(Int64(maxMessageBytes)))
        try security?.apply(to: router)
        // "tcp://host:0" means "any free port", as libzmq spells it "*".
        let spelled = endpoint.hasSuffix(":0") ? String(endpoint.dropLast()) + "*" : endpoint
        do {
            try router.bind(spelled)
        } catch {
            throw ShellError("cannot bind \(endpoint): \(error.reason) (is another coordinator running there?)")
        }
        boundEndpoint = try router.lastEndpoint()
        log.line(
            "listening on \(boundEndpoint)\(security == nil ? "" : " (CURVE, \(security!.allowList.publicKeys.count) allowed keys)"); \(settings.tasks.count) task(s): \(settings.tasks.map(\.name).joined(separator: ", "))"
        )
    }

    /// Messages and bytes through the ROUTER so far, and the loop's CPU time (any thread may ask).
    public var traffic: CoordinatorTraffic {
        trafficLock.lock()
        defer { trafficLock.unlock() }
        return counted
    }

    private func count(_ update: (inout CoordinatorTraffic) -> Void) {
        trafficLock.lock()
        update(&counted)
        trafficLock.unlock()
    }

    /// Serves until `shouldStop` says so, then tells every peer to shut down.
    public func run(shouldStop: () -> Bool) throws {
        var poller = ZMQPoller()
        poller.register(router)
        if let zap { poller.register(zap.socket) }
        let tickEveryMs = max(5, core.settings.heartbeatIntervalMs / 4)
        var nextTick = monotonicMilliseconds()
        while !shouldStop() {
            let now = monotonicMilliseconds()
            let ready = try poller.poll(timeoutMilliseconds: max(0, min(tickEveryMs, nextTick - now)))
            if let zap, ready.isReadable(zap.socket) {
                for d in try zap.handlePending() where !d.allowed {
                    log.line(
                        "refused a \(d.mechanism) connection from \(d.address): \(d.reason)\(d.clientKey.map { " (key \($0))" } ?? "")"
                    )
                }
            }
            if ready.isReadable(router) { try drain() }
            let t = monotonicMilliseconds()
            if t >= nextTick {
                execute(core.tick(now: t))
                nextTick = t + tickEveryMs
            }
            try settleUnreachable()
            let cpu = threadCPUSeconds()
            let dead = core.deadPeers
            count {
                $0.cpuSeconds = cpu
                $0.deadPeers = dead
            }
        }
        execute(core.shutdown(reason: "coordinator stopping", now: monotonicMilliseconds()))
        try settleUnreachable()
        log.line(
            "stopped: \(core.episodesReceived) episodes received\(core.droppedAfterTraining > 0 ? " (\(core.droppedAfterTraining) after training was over, dropped)" : ""), weights v\(core.weightsVersion), \(core.refusedMessages) messages refused, \(core.deadPeers) peers declared dead"
        )
    }

    /// Every message waiting now (bounded, so ticks are not starved by a flood).
    func drain() throws {
        for _ in 0..<1000 {
            let frames: [[UInt8]]
            switch try receiveOne() {
            case .nothing: return
            case .dropped: continue
            case let .message(f): frames = f
            }
            guard let id = frames.first else { continue }
            let bytes = frames.reduce(0) { $0 + $1.count }
            count {
                $0.messagesIn += 1
                $0.bytesIn += bytes
            }
            let message = Array(frames.dropFirst())
            execute(core.receive(message, from: PeerAddress(id), now: monotonicMilliseconds()), received: message)
        }
    }

    /// Kinds the core routes unchanged (`gradientJob`, `gradientRequest` to the actor named in
    /// them, `gradient` to the learner): their frames go on as they came, already checked by the
    /// strict decoder (the encoding is canonical, so re-encoding would give the same bytes), and
    /// the coordinator does not copy and checksum parameters a second time per helper and step.
    static let forwardedAsReceived: Set<MessageKind> = [.gradientJob, .gradientRequest, .gradient]

    private enum Received {
        case nothing, dropped, message([[UInt8]])
    }

    private func receiveOne() throws -> Received {
        do {
            guard let frames = try router.receive(flags: .dontWait, maxFrames: WireLimits.maxReceivedFrames) else {
                return .nothing
            }
            return .message(frames)
        } catch {
            // More parts than any message has: libzmq already drained it; keep serving.
            guard error.errno == EMSGSIZE else { throw error }
            log.line("dropped a message with too many frames: \(error.reason)")
            return .dropped
        }
    }

    private func encoded(_ message: Message, received: [[UInt8]]?) -> [[UInt8]] {
        if let received, Self.forwardedAsReceived.contains(message.kind),
            let header = received.first, header.count == WireProtocol.headerByteCount,
            UInt16(header[6]) | UInt16(header[7]) << 8 == message.kind.rawValue
        {
            return received
        }
        guard case let .weights(w) = message else { return Wire.encode(message) }
        if let cached = encodedWeights, cached.version == w.version { return cached.frames }
        let frames = Wire.encode(message)
        encodedWeights = (w.version, frames)
        return frames
    }

    /// Reports the peers a send found gone to the core, but only after reading what is already
    /// queued: a peer that sends its last word (`goodbye`) and exits closes its connection right
    /// behind it, and libzmq refuses sends to it while that word still waits to be read. Read
    /// first, a goodbye is a leave (the core forgets the peer, and its `peerUnreachable` is then
    /// a no-op); read after, it would be a death and a refused goodbye. Peers the reports' own
    /// sends find gone wait for the next call (the loop's next turn), so it never starves the ticks.
    func settleUnreachable() throws {
        guard !unreachable.isEmpty else { return }
        try drain()
        let gone = unreachable
        unreachable = []
        for address in gone { execute(core.peerUnreachable(address, now: monotonicMilliseconds())) }
    }

    /// `received`: the frames of the message that caused the directives, if any. A peer found gone
    /// is only noted here (`settleUnreachable` reports it), so this never reads the ROUTER.
    func execute(_ directives: [CoordinatorDirective], received: [[UInt8]]? = nil) {
        for d in directives {
            switch d {
            case let .log(l):
                log.write(l)
            case let .send(address, message):
                do {
                    let frames = [address.bytes] + encoded(message, received: received)
                    if try router.send(frames, flags: .dontWait) {
                        let bytes = frames.reduce(0) { $0 + $1.count }
                        count {
                            $0.messagesOut += 1
                            $0.bytesOut += bytes
                        }
                    } else {
                        log.debug("could not queue \(message.kind) for \(address) (its queue is full); dropped")
                    }
                } catch  where error.isHostUnreachable {
                    if !unreachable.contains(address) { unreachable.append(address) }
                } catch {
                    log.line("sending \(message.kind) to \(address) failed: \(error)")
                }
            }
        }
    }
}
