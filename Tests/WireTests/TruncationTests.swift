import XCTest
@testable import Wire

/// Every body is length-prefixed and must be consumed exactly, so no prefix of a valid
/// encoding is itself valid: each truncation, dropped frame or extra byte must be refused.
final class TruncationTests: XCTestCase {
    func testEveryTruncationOfEveryFrameIsRejected() {
        var factory = MessageFactory(seed: 0x7E57)
        var checked = 0
        for m in factory.everyKind(rounds: 8) {
            let frames = encode(m)
            for f in frames.indices {
                for length in 0..<frames[f].count {
                    var cut = frames
                    cut[f] = Array(frames[f].prefix(length))
                    if case let .success(decoded) = decodeResult(cut) {
                        XCTFail(
                            "\(m.kind): frame \(f) cut to \(length) of \(frames[f].count) bytes decoded as \(decoded.kind)"
                        )
                    }
                    checked += 1
                }
            }
        }
        print("truncations rejected: \(checked)")
        XCTAssertGreaterThan(checked, 5_000)
    }

    func testDroppedExtraAndGrownFramesAreRejected() {
        var factory = MessageFactory(seed: 0xF4A3E5)
        for m in factory.everyKind(rounds: 3) {
            let frames = encode(m)
            for keep in 0..<frames.count {
                XCTAssertThrowsError(try decode(frames: Array(frames.prefix(keep))), "\(m.kind) with \(keep) frames")
            }
            XCTAssertEqual(decodeResult(frames + [[]]).failureKind, "wrongFrameCount", "\(m.kind) with an extra frame")
            for f in frames.indices {
                var grown = frames
                grown[f].append(0)
                XCTAssertThrowsError(try decode(frames: grown), "\(m.kind): frame \(f) with one byte more")
            }
        }
    }
}
