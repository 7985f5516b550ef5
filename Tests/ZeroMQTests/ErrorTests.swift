#if canImport(Glibc)
import Glibc
#endif
import XCTest
@testable import ZeroMQ

final class ErrorTests: ZMQTestCase {
    func testFailedCallsSayWhatWhyAndErrno() throws {
        let s = try ZMQSocket(context, .dealer)
        XCTAssertThrowsError(try s.bind("bogus://nowhere")) { error in
            let e = error as! ZMQError
            XCTAssertEqual(e.operation, "bind bogus://nowhere")
            XCTAssertEqual(e.errno, EPROTONOSUPPORT)
            XCTAssertFalse(e.reason.isEmpty)
            XCTAssertTrue(e.description.contains("bind bogus://nowhere failed"), e.description)
        }
        let first = try ZMQSocket(context, .router)
        let endpoint = try bindLoopback(first)
        XCTAssertThrowsError(try ZMQSocket(context, .router).bind(endpoint)) {
            XCTAssertEqual(($0 as! ZMQError).errno, EADDRINUSE)
        }
        XCTAssertThrowsError(try s.set(.routingId([]))) { XCTAssertEqual(($0 as! ZMQError).errno, EINVAL) }
        XCTAssertThrowsError(try s.set(.curveServerKey("not-a-key"))) {
            XCTAssertTrue(($0 as! ZMQError).reason.contains("40 Z85 characters"))
        }
        XCTAssertThrowsError(try s.send([])) { XCTAssertEqual(($0 as! ZMQError).errno, EINVAL) }
    }

    func testSocketIsClosedExactlyOnceAndUseAfterCloseThrows() throws {
        let s = try ZMQSocket(context, .dealer)
        s.close()
        s.close()
        XCTAssertTrue(s.isClosed)
        let attempts: [() throws -> Void] = [
            { try s.send([[1]]) }, { _ = try s.receive() }, { try s.connect("tcp://127.0.0.1:1") },
        ]
        for attempt in attempts {
            XCTAssertThrowsError(try attempt()) { XCTAssertEqual(($0 as! ZMQError).errno, ENOTSOCK) }
        }
        var poller = ZMQPoller()
        poller.register(s)
        XCTAssertThrowsError(try poller.poll(timeoutMilliseconds: 0)) {
            XCTAssertEqual(($0 as! ZMQError).errno, ENOTSOCK)
        }
    }

    func testContextShutdownEndsBlockingCallsWithETERM() throws {
        let s = try ZMQSocket(context, .dealer)
        context.shutdown()
        XCTAssertThrowsError(try s.receive()) { XCTAssertTrue(($0 as! ZMQError).isContextTerminated) }
    }

    func testRouterMandatoryReportsAGonePeer() throws {
        let router = try ZMQSocket(context, .router)
        try router.set(.routerMandatory(true))
        _ = try bindLoopback(router)
        XCTAssertThrowsError(try router.send([Array("nobody".utf8), [1]])) {
            XCTAssertTrue(($0 as! ZMQError).isHostUnreachable, "\($0)")
        }
    }

    func testMessagesWithTooManyFramesAreDrainedAndRefused() throws {
        let router = try ZMQSocket(context, .router)
        let dealer = try connected(.dealer, to: try bindLoopback(router))
        try dealer.send((0..<40).map { [UInt8($0)] })
        try dealer.send([[7]])
        XCTAssertThrowsError(try awaitMessage(on: router)) {
            XCTAssertEqual(($0 as! ZMQError).errno, EMSGSIZE)
            XCTAssertTrue(($0 as! ZMQError).reason.contains("41 parts"), "\($0)")
        }
        XCTAssertEqual(try awaitMessage(on: router)?.last, [7], "the next message is intact")
    }
}
