import Cluster
import Foundation
import Wire
import XCTest
import ZeroMQ
@testable import ClusterShell

/// The coordinator's shell on real sockets (127.0.0.1), driven a step at a time from the test
/// thread instead of `run`, so a race between two sockets can be staged in a fixed order.
final class CoordinatorServerTests: XCTestCase {
    let actorAddress = PeerAddress([0xA1])
    var server: CoordinatorServer!
    var actor: ZMQSocket!

    /// A server and one actor it has welcomed.
    override func setUpWithError() throws {
        server = try CoordinatorServer(
            settings: CoordinatorSettings(
                tasks: [TaskSpec(name: "t0", graphText: "graph 0")], seed: 7, heartbeatIntervalMs: 100, liveness: 5),
            bind: "tcp://127.0.0.1:0", security: nil, maxMessageBytes: WireLimits.maxMessageBytes,
            log: RoleLog(prefix: "coordinator", verbose: false))
        actor = try ZMQSocket(try ZMQContext(), .dealer)
        try actor.set(.routingId(actorAddress.bytes))
        try actor.connect(server.boundEndpoint)
        try actor.send(Wire.encode(.hello(Hello(role: .actor, host: "h", pid: 42, cores: 2, actorIndex: 0))))
        var poller = ZMQPoller()
        poller.register(actor)
        // The server reads between 10-ms polls of the actor's socket.
        for _ in 0..<500 {
            try server.drain()
            if try poller.poll(timeoutMilliseconds: 10).isReadable(actor) { break }
        }
        let reply = try XCTUnwrap(try actor.receive(flags: .dontWait), "no answer to the hello within 5 s")
        guard case .welcome = try Wire.decode(frames: reply) else { return XCTFail("expected a welcome, got \(reply)") }
        XCTAssertEqual(server.core.registeredPeerCount, 1)
    }

    override func tearDown() {
        actor = nil
        server = nil
    }

    /// Heartbeats to the actor until one fails (each success went into the pipe libzmq is still
    /// tearing down). The server never reads meanwhile: whatever the actor sent stays queued.
    func sendUntilUnreachable() {
        var failed = false
        for _ in 0..<500 where !failed {
            let before = server.traffic.messagesOut
            server.execute([.send(actorAddress, .heartbeat)])
            failed = server.traffic.messagesOut == before
            if !failed { usleep(10_000) }
        }
        XCTAssertTrue(failed, "a send to the closed connection failed within 5 s")
        XCTAssertEqual(server.core.registeredPeerCount, 1, "the failed send alone decides nothing")
    }

    /// The protocol-7 race (seen in a fresh-clone CI): an actor sends `goodbye` and closes; libzmq
    /// already refuses sends to it (`EHOSTUNREACH`) while the goodbye still waits in the ROUTER,
    /// unread, and the coordinator has something to send it. The verdict must be "left": the
    /// failed send is only noted, the queued goodbye is read first, nobody is declared dead.
    func testAGoodbyeQueuedBehindTheClosedConnectionIsALeaveNotADeath() throws {
        // As `CoordinatorConnection.leave`: goodbye, linger until it is out, close.
        try actor.set(.linger(milliseconds: 1_000))
        try actor.send(Wire.encode(.goodbye))
        actor.close()
        sendUntilUnreachable()
        try server.settleUnreachable()
        XCTAssertEqual(server.core.registeredPeerCount, 0, "the actor is forgotten")
        XCTAssertEqual(server.core.deadPeers, 0, "it left; it did not die")
        XCTAssertEqual(server.core.refusedMessages, 0, "its goodbye was not refused")
    }

    /// A peer that closes without a word is still declared dead at the failed send.
    func testAPeerGoneWithoutAWordIsDeadAtTheFailedSend() throws {
        try actor.set(.linger(milliseconds: 0))
        actor.close()
        sendUntilUnreachable()
        try server.settleUnreachable()
        XCTAssertEqual(server.core.registeredPeerCount, 0)
        XCTAssertEqual(server.core.deadPeers, 1)
    }
}
