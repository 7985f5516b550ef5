import XCTest
import Wire
@testable import ZeroMQ

final class SecurityTests: ZMQTestCase {
    func testKeyPairsAndZ85() throws {
        try XCTSkipUnless(CurveKeyPair.isAvailable, "libzmq built without CURVE")
        let pair = try CurveKeyPair.generate()
        XCTAssertTrue(Z85.isValidKey(pair.publicKey) && Z85.isValidKey(pair.secretKey))
        XCTAssertNotEqual(pair, try CurveKeyPair.generate())
        XCTAssertEqual(try CurveKeyPair(secretKey: pair.secretKey), pair)
        XCTAssertFalse(pair.description.contains(pair.secretKey))
        let bytes: [UInt8] = (0..<32).map { UInt8($0 * 7) }
        XCTAssertEqual(try Z85.decode(try Z85.encode(bytes)), bytes)
        XCTAssertEqual(try Z85.encode([0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B]), "HelloWorld")  // RFC 32 vector
        XCTAssertThrowsError(try Z85.decode("Hello Worl"))
        XCTAssertThrowsError(try Z85.decode("#####"), "exceeds 2^32")
        XCTAssertThrowsError(try Z85.encode([1, 2, 3]))
        XCTAssertThrowsError(try CurveAllowList(publicKeys: ["short"]))
    }

    func testAllowListDecisionsWithoutSockets() throws {
        let good = try CurveKeyPair.generate(), other = try CurveKeyPair.generate()
        let list = try CurveAllowList(publicKeys: [good.publicKey], domain: "ccelim")
        func request(domain: String = "ccelim", mechanism: String = "CURVE", key: String?) throws -> ZAPRequest {
            let credentials = try key.map { [try Z85.decode($0)] } ?? []
            return try XCTUnwrap(
                ZAPRequest(
                    frames: [
                        Array("1.0".utf8), [9], Array(domain.utf8), Array("127.0.0.1".utf8),
                        [], Array(mechanism.utf8),
                    ] + credentials))
        }
        XCTAssertTrue(list.decide(try request(key: good.publicKey)).allowed)
        let denied = list.decide(try request(key: other.publicKey))
        XCTAssertEqual(
            [denied.allowed ? "y" : "n", denied.statusCode, denied.clientKey ?? ""], ["n", "400", other.publicKey])
        XCTAssertFalse(list.decide(try request(domain: "other", key: good.publicKey)).allowed)
        XCTAssertFalse(list.decide(try request(mechanism: "NULL", key: nil)).allowed)
        XCTAssertFalse(list.decide(try request(key: nil)).allowed)
        XCTAssertNil(ZAPRequest(frames: [Array("2.0".utf8), [], [], [], [], []]))
        let reply = CurveAllowList.reply(to: [9], list.decide(try request(key: good.publicKey)))
        XCTAssertEqual(reply.count, 6)
        XCTAssertEqual(reply[2], Array("200".utf8))
    }

    /// The coordinator's setup: a CURVE ROUTER guarded by the ZAP handler, served from one poll
    /// loop. An allowed client is answered; a client with an unknown key, and one without
    /// CURVE, get nothing through, and the server keeps serving the allowed one.
    func testZAPAdmitsAllowedKeyAndRefusesOthers() throws {
        try XCTSkipUnless(CurveKeyPair.isAvailable, "libzmq built without CURVE")
        let serverKeys = try CurveKeyPair.generate()
        let goodKeys = try CurveKeyPair.generate(), badKeys = try CurveKeyPair.generate()
        let zap = try ZAPHandler(
            context: context,
            allowList: CurveAllowList(publicKeys: [goodKeys.publicKey], domain: WireProtocol.zapDomain))
        let server = try TestServer(context: context, zap: zap) {
            try $0.set(.curveServer(true))
            try $0.set(.curveSecretKey(serverKeys.secretKey))
            try $0.set(.zapDomain(WireProtocol.zapDomain))
        }
        func client(_ keys: CurveKeyPair, id: String) throws -> ZMQSocket {
            try connected(.dealer, to: server.endpoint) {
                try $0.set(.routingId(Array(id.utf8)))
                try $0.set(.curveServerKey(serverKeys.publicKey))
                try $0.set(.curvePublicKey(keys.publicKey))
                try $0.set(.curveSecretKey(keys.secretKey))
            }
        }
        let bad = try client(badKeys, id: "bad")
        let plain = try connected(.dealer, to: server.endpoint) { try $0.set(.routingId(Array("plain".utf8))) }
        try bad.send(Wire.encode(sampleHello))
        try plain.send(Wire.encode(sampleHello))
        let good = try client(goodKeys, id: "good")
        try good.send(Wire.encode(sampleHello))

        let reply = try XCTUnwrap(try awaitMessage(on: good, between: { try server.serveOnce(timeoutMs: 10) }))
        guard case .welcome = try Wire.decode(frames: reply) else { return XCTFail("expected welcome") }
        // Keep serving until the refused client has been judged, then a little longer.
        var rounds = 0
        while !server.decisions.contains(where: { !$0.allowed }) && rounds < 500 {
            try server.serveOnce(timeoutMs: 10)
            rounds += 1
        }
        for _ in 0..<20 { try server.serveOnce(timeoutMs: 10) }

        let denied = try XCTUnwrap(server.decisions.first { !$0.allowed })
        XCTAssertEqual(denied.clientKey, badKeys.publicKey)
        XCTAssertEqual(denied.reason, "key not on the allow-list")
        XCTAssertTrue(server.decisions.contains { $0.allowed && $0.clientKey == goodKeys.publicKey })
        XCTAssertFalse(server.decisions.contains { $0.allowed && $0.clientKey != goodKeys.publicKey })
        XCTAssertEqual(
            Set(server.received.map(\.peer)), [Array("good".utf8)], "only the allowed client got a message in")
        XCTAssertNil(try bad.receive(flags: .dontWait))
        XCTAssertNil(try plain.receive(flags: .dontWait))

        try good.send(Wire.encode(.weightsRequest(haveVersion: 0)))
        let second = try XCTUnwrap(try awaitMessage(on: good, between: { try server.serveOnce(timeoutMs: 10) }))
        XCTAssertEqual(try Wire.decode(frames: second), .noNewWeights(currentVersion: 0))
        print(
            "ZAP decisions: \(server.decisions.filter(\.allowed).count) allowed, \(server.decisions.filter { !$0.allowed }.count) denied"
        )
    }

    func testOnlyOneZAPHandlerPerContext() throws {
        let list = try CurveAllowList(publicKeys: [])
        let first = try ZAPHandler(context: context, allowList: list)
        XCTAssertThrowsError(try ZAPHandler(context: context, allowList: list))
        first.close()
    }
}
