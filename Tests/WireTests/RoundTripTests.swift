import XCTest
@testable import Wire

final class RoundTripTests: XCTestCase {
    func testEveryKindRoundTripsWithRandomContents() throws {
        var factory = MessageFactory(seed: 0xC0FFEE)
        let messages = factory.everyKind(rounds: 50)
        var kinds = Set<MessageKind>()
        for m in messages {
            let frames = encode(m)
            XCTAssertEqual(frames.count, 1 + m.kind.bodyFrameCount, "\(m.kind)")
            XCTAssertEqual(try decode(frames: frames), m)
            kinds.insert(m.kind)
        }
        XCTAssertEqual(kinds, Set(MessageKind.allCases))
    }

    /// NaN and every other bit pattern travel unchanged in logProbs, parameters and rates.
    func testFloatBitPatternsIncludingNaNSurviveExactly() throws {
        var factory = MessageFactory(seed: 7, allowNaN: true)
        let nanPayload = Float(bitPattern: 0x7FC0_1234)
        let episode = EpisodeRecord(
            taskIndex: 1, policyVersion: 2, actorId: 3, order: [5, 9, 2],
            logProbs: [.nan, -.infinity, nanPayload])
        let decoded = try decode(frames: encode(.episodes([episode])))
        guard case let .episodes(list) = decoded else { return XCTFail("decoded \(decoded.kind)") }
        XCTAssertEqual(list[0].logProbs.map(\.bitPattern), episode.logProbs.map(\.bitPattern))
        for m in factory.everyKind(rounds: 30) {
            let frames = encode(m)
            XCTAssertEqual(encode(try decode(frames: frames)), frames, "\(m.kind)")
        }
    }

    /// Byte-exact layouts from Docs/PROTOCOL.md, so the page and the code cannot drift apart.
    func testGoldenBytesMatchTheProtocolDocument() throws {
        let hello = Hello(role: .actor, host: "héad", pid: 4242, cores: 2, actorIndex: 7)
        let frames = encode(.hello(hello))
        XCTAssertEqual(hex(frames[0]), "4343454c07000100")
        XCTAssertEqual(hex(frames[1]), "0107000500000068c3a96164921000000200000007000000")

        let weights = Weights(version: 3, preset: "tiny", parameters: [1.0, -2.0, 0.5])
        XCTAssertEqual(weights.checksum, 0xc598_e74a_d8b1_c9b5)  // Python: FNV-1a 64 of struct.pack('<3f', 1, -2, .5)
        let w = encode(.weights(weights))
        XCTAssertEqual(hex(w[0]), "4343454c07000600")
        XCTAssertEqual(hex(w[2]), "0000803f000000c00000003f")
        XCTAssertEqual(w[1].count, 8 + 8 + 4 + 4 + 4)

        XCTAssertEqual(encode(.heartbeat), [header(kind: 3)])
        XCTAssertEqual(encode(.weightsRequest(haveVersion: 0x0102)), [header(kind: 5), [2, 1, 0, 0, 0, 0, 0, 0]])
    }

    func testLargestAllowedEpisodeAndWeightsDecode() throws {
        let n = WireLimits.maxOrderLength
        let episode = EpisodeRecord(
            taskIndex: 0, policyVersion: 1, actorId: 0, order: (0..<n).map { Int32($0) },
            logProbs: [Float](repeating: -1.5, count: n))
        XCTAssertEqual(try decode(frames: encode(.episodes([episode]))), .episodes([episode]))
        let big = Weights(version: 1, preset: "paper", parameters: (0..<(1 << 20)).map { Float($0) })
        XCTAssertEqual(try decode(frames: encode(.publishWeights(big))), .publishWeights(big))
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
