/// The ZAP handler guarding a context's CURVE servers: a REP socket bound at
/// `inproc://zeromq.zap.01`, where libzmq sends one request per connection handshake and waits
/// (asynchronously, in its I/O thread) for the answer before letting the peer in.
///
/// No thread of its own: the owning role registers `socket` in its poller next to its ROUTER
/// and calls `handlePending()` when it is readable, so handshakes are answered between messages.
/// Create it before binding the server: libzmq admits every CURVE client while no handler is
/// bound. Only one handler can exist per context (the endpoint is fixed by RFC 27).
public final class ZAPHandler {
    public static let endpoint = "inproc://zeromq.zap.01"

    /// Register this for `.readable` in the role's poller.
    public let socket: ZMQSocket
    public var allowList: CurveAllowList

    public init(context: ZMQContext, allowList: CurveAllowList) throws(ZMQError) {
        socket = try ZMQSocket(context, .rep)
        self.allowList = allowList
        do {
            try socket.bind(Self.endpoint)
        } catch {
            socket.close()
            throw error
        }
    }

    /// Answers every request waiting now without blocking; returns the decisions for the log.
    public func handlePending() throws(ZMQError) -> [ZAPDecision] {
        var decisions: [ZAPDecision] = []
        while let frames = try socket.receive(flags: .dontWait) {
            let decision: ZAPDecision
            let requestId: [UInt8]
            if let request = ZAPRequest(frames: frames) {
                decision = allowList.decide(request)
                requestId = request.requestId
            } else {
                // REP must answer before it can receive again; libzmq never sends these.
                decision = ZAPDecision(
                    allowed: false, clientKey: nil, address: "", mechanism: "",
                    reason: "malformed ZAP request", statusCode: "500")
                requestId = frames.count > 1 ? frames[1] : []
            }
            try socket.send(CurveAllowList.reply(to: requestId, decision))
            decisions.append(decision)
        }
        return decisions
    }

    public func close() { socket.close() }
}
