#if canImport(Glibc)
import Glibc
#endif
import XCTest
@testable import ZeroMQ

final class TransportTests: ZMQTestCase {
    func testRouterDealerMultipartRoundTripOverLoopback() throws {
        let router = try ZMQSocket(context, .router)
        let endpoint = try bindLoopback(router)
        XCTAssertTrue(endpoint.hasPrefix("tcp://127.0.0.1:"), endpoint)
        XCTAssertFalse(endpoint.hasSuffix(":*"), "libzmq should report the port it picked")
        let dealer = try connected(.dealer, to: endpoint) { try $0.set(.routingId(Array("actor-7".utf8))) }
        XCTAssertEqual(try dealer.routingId(), Array("actor-7".utf8))

        let big = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let frames: [[UInt8]] = [Array("CCEL".utf8), [], [0, 0, 0], big]
        XCTAssertTrue(try dealer.send(frames))
        let got = try XCTUnwrap(try awaitMessage(on: router))
        XCTAssertEqual(got.first, Array("actor-7".utf8))
        XCTAssertEqual(Array(got.dropFirst()), frames)

        try router.send([got[0]] + frames.reversed())
        XCTAssertEqual(try awaitMessage(on: dealer), frames.reversed())
    }

    func testReqRepOverIPCAndPubSubOverInproc() throws {
        let file = "/tmp/ccelim-zmq-test-\(getpid()).sock"
        let path = "ipc://" + file
        let rep = try ZMQSocket(context, .rep)
        try rep.bind(path)
        defer {
            rep.close()
            unlink(file)  // libzmq leaves the socket file behind
        }
        let req = try connected(.req, to: path)
        try req.send([Array("ping".utf8)])
        XCTAssertEqual(try awaitMessage(on: rep), [Array("ping".utf8)])
        try rep.send([Array("pong".utf8)])
        XCTAssertEqual(try awaitMessage(on: req), [Array("pong".utf8)])

        let pub = try ZMQSocket(context, .pub)
        try pub.bind("inproc://weights")
        let sub = try connected(.sub, to: "inproc://weights") { try $0.set(.subscribe(Array("v".utf8))) }
        // A subscription reaches the publisher asynchronously; publish until one arrives.
        let got = try awaitMessage(
            on: sub,
            between: {
                try pub.send([Array("other".utf8)])
                try pub.send([Array("v1".utf8), [1, 2]])
            })
        XCTAssertEqual(got, [Array("v1".utf8), [1, 2]])
    }

    func testDisconnectAndUnbindUndoConnectAndBind() throws {
        let router = try ZMQSocket(context, .router)
        let endpoint = try bindLoopback(router)
        let dealer = try connected(.dealer, to: endpoint)
        try dealer.disconnect(endpoint)
        XCTAssertThrowsError(try dealer.disconnect(endpoint)) { XCTAssertEqual(($0 as! ZMQError).errno, ENOENT) }
        try router.unbind(endpoint)
        XCTAssertThrowsError(try router.unbind(endpoint)) { XCTAssertEqual(($0 as! ZMQError).errno, ENOENT) }
    }

    func testNothingToReceiveIsNilNotAnError() throws {
        let dealer = try ZMQSocket(context, .dealer)
        XCTAssertNil(try dealer.receive(flags: .dontWait))
        // A DEALER with no peer cannot queue: a non-blocking send says so instead of blocking.
        XCTAssertFalse(try dealer.send([[1]], flags: .dontWait))
        try dealer.set(.receiveTimeout(milliseconds: 20))
        XCTAssertEqual(try dealer.value(of: .receiveTimeout), 20)
        XCTAssertNil(try dealer.receive())
    }

    func testPollerTimesOutThenReportsReadiness() throws {
        let router = try ZMQSocket(context, .router)
        let endpoint = try bindLoopback(router)
        var poller = ZMQPoller()
        poller.register(router)
        let clock = ContinuousClock()
        let start = clock.now
        let idle = try poller.poll(timeoutMilliseconds: 60)
        let waited = clock.now - start
        XCTAssertTrue(idle.isEmpty)
        XCTAssertFalse(idle.isReadable(router))
        XCTAssertGreaterThanOrEqual(waited, .milliseconds(50), "poll returned early: \(waited)")
        XCTAssertTrue(try poller.poll(timeoutMilliseconds: 0).isEmpty)

        let dealer = try connected(.dealer, to: endpoint)
        try dealer.send([[42]])
        var ready = false
        for _ in 0..<500 where !ready {  // bounded: at most 500 × 10 ms
            ready = try poller.poll(timeoutMilliseconds: 10).isReadable(router)
        }
        XCTAssertTrue(ready)
        XCTAssertEqual(try router.receive(flags: .dontWait)?.last, [42])
    }

    func testOptionsReadBackAndDefaults() throws {
        let s = try ZMQSocket(context, .router)
        XCTAssertEqual(try s.value(of: .linger), 0, "sockets start with linger 0")
        try s.set(.sendHighWaterMark(77))
        try s.set(.receiveHighWaterMark(88))
        try s.set(.maxMessageSize(1 << 26))
        try s.set(.heartbeatInterval(milliseconds: 1_000))
        try s.set(.heartbeatTTL(milliseconds: 5_000))
        try s.set(.heartbeatTimeout(milliseconds: 5_000))
        try s.set(.reconnectInterval(milliseconds: 100))
        try s.set(.reconnectIntervalMax(milliseconds: 5_000))
        try s.set(.handshakeInterval(milliseconds: 5_000))
        try s.set(.sendTimeout(milliseconds: 10))
        XCTAssertEqual(try s.value(of: .sendHighWaterMark), 77)
        XCTAssertEqual(try s.value(of: .receiveHighWaterMark), 88)
        XCTAssertEqual(try s.value(of: .maxMessageSize), 1 << 26)
        XCTAssertEqual(try s.value(of: .sendTimeout), 10)
        for kind in ZMQSocket.Kind.allCases {
            XCTAssertEqual(try ZMQSocket(context, kind).value(of: .type), Int64(kind.raw))
        }
    }
}
