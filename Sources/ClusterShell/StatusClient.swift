import Console
import Foundation
import Wire
import ZeroMQ

/// `ccelim status`'s one question: a `statusRequest` on a fresh DEALER, the reply within the
/// timeout (Docs/PROTOCOL.md §4).
public enum StatusClient {
    public static func fetch(
        _ endpoint: String, security: ClientSecurity?, timeoutMs: Int = Liveness.statusTimeoutMs
    ) throws -> StatusReply {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, .dealer)
        defer { socket.close() }
        try security?.apply(to: socket)
        try socket.connect(endpoint)
        try socket.send(Wire.encode(.statusRequest))
        var poller = ZMQPoller()
        poller.register(socket)
        let deadline = monotonicMilliseconds() + timeoutMs
        while monotonicMilliseconds() < deadline {
            guard try !poller.poll(timeoutMilliseconds: max(1, deadline - monotonicMilliseconds())).isEmpty else {
                continue
            }
            guard let frames = try socket.receive(flags: .dontWait, maxFrames: WireLimits.maxReceivedFrames) else {
                continue
            }
            switch try Wire.decode(frames: frames) {
            case let .statusReply(reply): return reply
            case let .error(e): throw ShellError("the coordinator refused: \(e.code): \(e.message)")
            default: continue  // a heartbeat or the like: keep waiting for the reply
            }
        }
        throw ShellError(
            "no status reply from \(endpoint) within \(timeoutMs) ms (is the coordinator running there\(security == nil ? "" : ", and is our key on its allow-list") ?)"
        )
    }
}
