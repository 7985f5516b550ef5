import XCTest
import Wire
@testable import ZeroMQ

/// A fresh context per test; endpoints are loopback with ports libzmq picks, or inproc/ipc.
class ZMQTestCase: XCTestCase {
    var context: ZMQContext!

    override func setUpWithError() throws {
        context = try ZMQContext()
    }

    override func tearDown() {
        context = nil
    }

    /// A socket bound to 127.0.0.1 on a free port; returns the endpoint to connect to.
    func bindLoopback(_ socket: ZMQSocket) throws -> String {
        try socket.bind("tcp://127.0.0.1:*")
        return try socket.lastEndpoint()
    }

    func connected(
        _ kind: ZMQSocket.Kind, to endpoint: String,
        _ configure: (ZMQSocket) throws -> Void = { _ in }
    ) throws -> ZMQSocket {
        let socket = try ZMQSocket(context, kind)
        try configure(socket)
        try socket.connect(endpoint)
        return socket
    }

    /// Waits for one message on `socket`, in poll steps, while `between` runs other roles'
    /// loop iterations; nil if `timeoutMs` passes. Never sleeps outside zmq_poll.
    func awaitMessage(
        on socket: ZMQSocket, timeoutMs: Int = 5_000, stepMs: Int = 10,
        between: () throws -> Void = {}
    ) throws -> [[UInt8]]? {
        var poller = ZMQPoller()
        poller.register(socket)
        let deadline = ContinuousClock.now + .milliseconds(timeoutMs)
        while ContinuousClock.now < deadline {
            try between()
            if try poller.poll(timeoutMilliseconds: stepMs).isReadable(socket) {
                return try socket.receive(flags: .dontWait)
            }
        }
        return nil
    }
}

/// A miniature coordinator for the tests: a ROUTER (optionally guarded by a ZAP handler) that
/// decodes every message with Wire and answers it, from one poll loop as the real roles will.
final class TestServer {
    let router: ZMQSocket
    let zap: ZAPHandler?
    let endpoint: String
    private var poller = ZMQPoller()
    private(set) var decisions: [ZAPDecision] = []
    /// Routing id and decode outcome of every message received.
    private(set) var received: [(peer: [UInt8], result: Result<Message, WireError>)] = []

    init(context: ZMQContext, zap: ZAPHandler? = nil, configure: (ZMQSocket) throws -> Void = { _ in }) throws {
        self.zap = zap
        router = try ZMQSocket(context, .router)
        try router.set(.maxMessageSize(Int64(WireLimits.maxMessageBytes)))
        try router.set(.routerMandatory(true))
        try configure(router)
        try router.bind("tcp://127.0.0.1:*")
        endpoint = try router.lastEndpoint()
        poller.register(router)
        if let zap { poller.register(zap.socket) }
    }

    var rejected: Int { received.filter { if case .failure = $0.result { true } else { false } }.count }
    var accepted: [Message] { received.compactMap { try? $0.result.get() } }

    /// One loop iteration: wait up to `timeoutMs`, answer ZAP requests, answer every message.
    func serveOnce(timeoutMs: Int) throws {
        let ready = try poller.poll(timeoutMilliseconds: timeoutMs)
        if let zap, ready.isReadable(zap.socket) {
            decisions += try zap.handlePending()
        }
        guard ready.isReadable(router) else { return }
        while let frames = try router.receive(flags: .dontWait) {
            let peer = frames[0]
            let result: Result<Message, WireError>
            do throws(WireError) {
                result = .success(try Wire.decode(frames: Array(frames.dropFirst())))
            } catch {
                result = .failure(error)
            }
            received.append((peer, result))
            try router.send([peer] + Wire.encode(reply(to: result)))
        }
    }

    private func reply(to result: Result<Message, WireError>) -> Message {
        switch result {
        case let .failure(error): .error(ErrorReply(code: .malformed, message: error.description))
        case .success(.hello):
            .welcome(
                Welcome(
                    actorId: 1, heartbeatIntervalMs: 1_000, environmentsPerActor: 2,
                    seed: 42, weightsVersion: 0, tasks: [TaskSpec(name: "t", graphText: "g")]))
        case .success(.weightsRequest): .noNewWeights(currentVersion: 0)
        case .success: .heartbeat
        }
    }
}

let sampleHello = Message.hello(Hello(role: .actor, host: "test-host", pid: 123, cores: 2, actorIndex: 0))
