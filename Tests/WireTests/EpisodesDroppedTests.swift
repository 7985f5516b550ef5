@testable import Wire
import XCTest

/// Kind 20, `episodesDropped` (Docs/PROTOCOL.md §3): the learner tells the coordinator how many
/// episodes it will never train on, so they stop holding back actors. Random round trips,
/// truncation and fuzzing of this kind run with every other kind (MessageFactory).
final class EpisodesDroppedTests: XCTestCase {
    func testGoldenBytes() {
        XCTAssertEqual(MessageKind.episodesDropped.rawValue, 20)
        XCTAssertEqual(MessageKind.episodesDropped.bodyFrameCount, 1)
        let frames = encode(.episodesDropped(count: 0x0102_0304))
        XCTAssertEqual(frames, [[0x43, 0x43, 0x45, 0x4C, 7, 0, 20, 0], [4, 3, 2, 1]])
        XCTAssertEqual(decodeResult(frames), .success(.episodesDropped(count: 0x0102_0304)))
        XCTAssertEqual(decodeResult(encode(.episodesDropped(count: .max))), .success(.episodesDropped(count: .max)))
    }

    func testZeroMissingTruncatedAndTrailingBytesAreRefused() {
        let frames = encode(.episodesDropped(count: 3))
        XCTAssertEqual(
            decodeResult([frames[0], body { $0.integer(UInt32(0)) }]),
            .failure(.invalidValue(field: "episodesDropped.count", reason: "must be at least 1")))
        XCTAssertEqual(
            decodeResult([frames[0]]), .failure(.wrongFrameCount(kind: .episodesDropped, expected: 1, actual: 0)))
        XCTAssertEqual(
            decodeResult(frames + [[]]), .failure(.wrongFrameCount(kind: .episodesDropped, expected: 1, actual: 2)))
        XCTAssertEqual(
            decodeResult([frames[0], frames[1] + [0]]), .failure(.trailingBytes(frame: "episodesDropped", count: 1)))
        for n in 0..<4 {
            guard
                case .failure(.truncated(field: "episodesDropped.count", _, _)) = decodeResult([
                    frames[0], Array(frames[1].prefix(n)),
                ])
            else {
                return XCTFail("\(n) bytes must be refused as truncated")
            }
        }
    }
}
