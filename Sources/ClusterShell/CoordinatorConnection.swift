import Foundation
import Cluster
import Wire
import ZeroMQ

/// A client's DEALER to the coordinator, replaced by a fresh one on every reconnect (so nothing
/// the old socket still queued is sent late). Sends and receives whole protocol messages.
final class CoordinatorConnection {
    let endpoint: String
    private let security: ClientSecurity?
    private let heartbeatIntervalMs: Int
    private let liveness: Int
    private let context: ZMQContext
    private(set) var socket: ZMQSocket?
    private let log: RoleLog

    init(endpoint: String, security: ClientSecurity?, heartbeatIntervalMs: Int, liveness: Int, log: RoleLog) throws {
        self.endpoint = endpoint
        self.security = security
        self.heartbeatIntervalMs = heartbeatIntervalMs
        self.liveness = liveness
        self.log = log
        context = try ZMQContext()
    }

    func openFresh() throws {
        close()
        let s = try ZMQSocket(context, .dealer)
        // libzmq's own ZMTP heartbeats tear down a dead TCP connection; membership is decided by
        // the application heartbeats only (Docs/PROTOCOL.md §6).
        try s.set(.heartbeatInterval(milliseconds: Int32(heartbeatIntervalMs)))
        try s.set(.heartbeatTimeout(milliseconds: Int32(heartbeatIntervalMs * liveness)))
        try s.set(.maxMessageSize(Int64(WireLimits.maxMessageBytes)))
        try security?.apply(to: s)
        try s.connect(endpoint)
        socket = s
    }

    func close() {
        socket?.close()
        socket = nil
    }

    /// Tells the coordinator this peer is leaving, waiting up to `lingerMs` for the message to go
    /// out, then closes. A peer that just disappears is also handled (declared dead), only later
    /// and with a louder log line.
    func leave(lingerMs: Int32 = 200) {
        if let socket {
            try? socket.set(.linger(milliseconds: lingerMs))
            _ = try? socket.send(Wire.encode(.goodbye), flags: .dontWait)
        }
        close()
    }

    /// False when the message could not be queued (no socket, or its queue is full).
    @discardableResult
    func send(_ message: Message) throws -> Bool {
        try send(frames: Wire.encode(message))
    }

    /// A message already encoded (`GradientRequest.encodeStep`).
    func send(frames: [[UInt8]]) throws -> Bool {
        guard let socket else { return false }
        return try socket.send(frames, flags: .dontWait)
    }

    /// Waits up to `timeoutMs` for the socket, then returns every message waiting (undecodable
    /// ones are logged and skipped: a bad coordinator reply never reaches the role's state).
    func receive(timeoutMs: Int) throws -> [Message] {
        guard let socket else { return [] }
        var poller = ZMQPoller()
        poller.register(socket)
        guard try !poller.poll(timeoutMilliseconds: timeoutMs).isEmpty else { return [] }
        var out: [Message] = []
        for _ in 0..<256 {
            let frames: [[UInt8]]?
            do {
                frames = try socket.receive(flags: .dontWait, maxFrames: WireLimits.maxReceivedFrames)
            } catch {
                guard error.errno == EMSGSIZE else { throw error }
                log.line("dropped a message with too many frames")
                continue
            }
            guard let frames else { break }
            do {
                out.append(try Wire.decode(frames: frames))
            } catch {
                log.line("refused a message from the coordinator: \(error)")
            }
        }
        return out
    }
}
