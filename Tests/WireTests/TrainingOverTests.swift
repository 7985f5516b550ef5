@testable import Wire
import XCTest

/// Kind 22, `trainingOver` (Docs/PROTOCOL.md §3, version 7): the learner says training is over,
/// the coordinator passes it on to every actor. Random round trips, truncation and fuzzing of
/// this kind run with every other kind (MessageFactory).
final class TrainingOverTests: XCTestCase {
    func testGoldenBytes() {
        XCTAssertEqual(MessageKind.trainingOver.rawValue, 22)
        XCTAssertEqual(MessageKind.trainingOver.bodyFrameCount, 1)
        XCTAssertEqual(TrainingOver.Reason.allCases.map(\.rawValue), [1, 2])
        let notice = TrainingOver(lastVersion: 0x0102_0304_0506_0708, reason: .finalDecode)
        let frames = encode(.trainingOver(notice))
        XCTAssertEqual(
            frames, [[0x43, 0x43, 0x45, 0x4C, 7, 0, 22, 0], [8, 7, 6, 5, 4, 3, 2, 1, 2]])
        XCTAssertEqual(decodeResult(frames), .success(.trainingOver(notice)))
        for reason in TrainingOver.Reason.allCases {
            for version: UInt64 in [0, 1, .max] {
                let m = Message.trainingOver(TrainingOver(lastVersion: version, reason: reason))
                XCTAssertEqual(decodeResult(encode(m)), .success(m))
            }
        }
    }

    func testUnknownReasonMissingTruncatedAndTrailingBytesAreRefused() {
        let frames = encode(.trainingOver(TrainingOver(lastVersion: 5, reason: .budgetReached)))
        for bad: UInt8 in [0, 3, 0xFF] {
            XCTAssertEqual(
                decodeResult([frames[0], Array(frames[1].dropLast()) + [bad]]),
                .failure(.invalidEnum(field: "trainingOver.reason", value: Int(bad))))
        }
        XCTAssertEqual(
            decodeResult([frames[0]]), .failure(.wrongFrameCount(kind: .trainingOver, expected: 1, actual: 0)))
        XCTAssertEqual(
            decodeResult(frames + [[]]), .failure(.wrongFrameCount(kind: .trainingOver, expected: 1, actual: 2)))
        XCTAssertEqual(
            decodeResult([frames[0], frames[1] + [0]]), .failure(.trailingBytes(frame: "trainingOver", count: 1)))
        for n in 0..<frames[1].count {
            let field = n < 8 ? "trainingOver.lastVersion" : "trainingOver.reason"
            guard case .failure(.truncated(field: field, _, _)) = decodeResult([frames[0], Array(frames[1].prefix(n))])
            else {
                return XCTFail("\(n) bytes must be refused as a truncated \(field)")
            }
        }
    }

    /// A version-6 peer's header is refused whatever the kind, this one included: a mixed
    /// cluster stops at `hello` (§9).
    func testAVersion6HeaderIsRefused() {
        var frames = encode(.trainingOver(TrainingOver(lastVersion: 1, reason: .finalDecode)))
        frames[0][4] = 6
        XCTAssertEqual(decodeResult(frames), .failure(.unsupportedVersion(6)))
    }
}
