import XCTest
import Wire
import Randomness
@testable import ZeroMQ

/// A bad or hostile peer never stops the server: oversized frames are dropped by libzmq,
/// garbage is refused by Wire.decode, and a good client is answered throughout.
final class HostilePeerTests: ZMQTestCase {
    func testMaxMessageSizeDropsAnOversizedMessageWhileTheSocketKeepsServing() throws {
        let server = try TestServer(context: context) { try $0.set(.maxMessageSize(1_024)) }
        let big = try connected(.dealer, to: server.endpoint) { try $0.set(.routingId(Array("big".utf8))) }
        let good = try connected(.dealer, to: server.endpoint) { try $0.set(.routingId(Array("good".utf8))) }
        try big.send([Wire.encode(.heartbeat)[0], [UInt8](repeating: 7, count: 4_096)])
        try good.send(Wire.encode(sampleHello))
        let reply = try XCTUnwrap(try awaitMessage(on: good, between: { try server.serveOnce(timeoutMs: 10) }))
        guard case .welcome = try Wire.decode(frames: reply) else { return XCTFail("expected welcome") }
        for _ in 0..<20 { try server.serveOnce(timeoutMs: 10) }
        XCTAssertEqual(server.received.map(\.peer), [Array("good".utf8)], "the oversized message never arrived")
        XCTAssertNil(try big.receive(flags: .dontWait))

        // libzmq reconnects the offender; a message within the limit is served again.
        try big.send(Wire.encode(.weightsRequest(haveVersion: 3)))
        let answer = try XCTUnwrap(try awaitMessage(on: big, between: { try server.serveOnce(timeoutMs: 10) }))
        XCTAssertEqual(try Wire.decode(frames: answer), .noNewWeights(currentVersion: 0))
    }

    func testThousandsOfGarbageMessagesAreRejectedAndAGoodClientIsStillAnswered() throws {
        let server = try TestServer(context: context)
        let hostile = try connected(.dealer, to: server.endpoint) { try $0.set(.routingId(Array("hostile".utf8))) }
        let good = try connected(.dealer, to: server.endpoint) { try $0.set(.routingId(Array("good".utf8))) }
        var rng = SplitMix64(seed: 0x5EED)
        let garbageCount = 3_000
        var errorReplies = 0
        func drainReplies() throws {
            while let frames = try hostile.receive(flags: .dontWait) {
                if case .error(let e) = try Wire.decode(frames: frames), e.code == .malformed { errorReplies += 1 }
            }
        }
        for i in 0..<garbageCount {
            let frames = garbage(i, rng: &rng)
            while try !hostile.send(frames, flags: .dontWait) {
                try server.serveOnce(timeoutMs: 10)
                try drainReplies()
            }
            if i % 100 == 99 {
                try server.serveOnce(timeoutMs: 0)
                try drainReplies()
            }
        }
        var rounds = 0
        while (server.received.count < garbageCount || errorReplies < garbageCount) && rounds < 1_000 {
            try server.serveOnce(timeoutMs: 10)
            try drainReplies()
            rounds += 1
        }
        XCTAssertEqual(server.received.count, garbageCount)
        XCTAssertEqual(server.rejected, garbageCount, "every garbage message refused by Wire.decode")
        XCTAssertEqual(errorReplies, garbageCount, "each answered with error(malformed)")
        var reasons: [String: Int] = [:]
        for case let .failure(e) in server.received.map(\.result) {
            reasons[Mirror(reflecting: e).children.first?.label ?? "\(e)", default: 0] += 1
        }
        print("garbage refused with: \(reasons.sorted { $0.key < $1.key })")
        XCTAssertGreaterThanOrEqual(reasons.count, 5)

        try good.send(Wire.encode(sampleHello))
        let reply = try XCTUnwrap(try awaitMessage(on: good, between: { try server.serveOnce(timeoutMs: 10) }))
        guard case .welcome = try Wire.decode(frames: reply) else { return XCTFail("expected welcome") }
    }

    /// Invalid by construction: a valid encoding with one frame truncated (WireTests prove no
    /// truncation decodes), a wrong magic, version or kind, or random frames whose first frame
    /// is not 8 bytes long.
    private func garbage(_ i: Int, rng: inout SplitMix64) -> [[UInt8]] {
        func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) } }
        let valid = Wire.encode(validMessages[i % validMessages.count])
        switch i % 5 {
        case 0, 1:
            var frames = valid
            let f = Int.random(in: 0..<frames.count, using: &rng)
            if frames[f].isEmpty { return [bytes(3)] }
            frames[f] = Array(frames[f].prefix(Int.random(in: 0..<frames[f].count, using: &rng)))
            return frames
        case 2:
            var frames = valid
            frames[0][Int.random(in: 0..<4, using: &rng)] ^= 0x20
            return frames
        case 3:
            var frames = valid
            if Bool.random(using: &rng) {
                frames[0][4] = UInt8(WireProtocol.version + 1)
            } else {
                frames[0][6] = UInt8.random(in: UInt8(MessageKind.allCases.count + 1)...255, using: &rng)
            }
            return frames
        default:
            let first = bytes([0, 1, 7, 9, 64].randomElement(using: &rng)!)
            return [first]
                + (0..<Int.random(in: 0...3, using: &rng)).map { _ in bytes(Int.random(in: 0...100, using: &rng)) }
        }
    }

    private let validMessages: [Message] = [
        sampleHello, .heartbeat, .statusRequest, .weightsRequest(haveVersion: 9),
        .episodes([
            EpisodeRecord(taskIndex: 0, policyVersion: 3, actorId: 1, order: [4, 2, 7], logProbs: [-0.5, -1, .nan])
        ]),
        .publishWeights(Weights(version: 2, preset: "tiny", parameters: [1, 2, 3, 4])),
        .bestOrder(BestOrderNotice(taskIndex: 1, cost: 999, order: [3, 1, 2])),
        .shutdown(reason: "bye"),
    ]
}
