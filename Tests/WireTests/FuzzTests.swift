import XCTest
import Randomness
@testable import Wire

/// Hostile input: mutated encodings and garbage frames must be refused with a `WireError` or
/// decode to a message whose encoding is exactly the input (decoding is canonical), never crash.
final class FuzzTests: XCTestCase {
    func testRandomMutationsAreRejectedOrDecodeCanonically() {
        var factory = MessageFactory(seed: 0xBAD5EED, allowNaN: true)
        var rng = SplitMix64(seed: 99)
        var rejected = 0, accepted = 0
        let originals = factory.everyKind(rounds: 20).map(encode)
        for i in 0..<6_000 {
            var frames = originals[i % originals.count]
            for _ in 0..<Int.random(in: 1...3, using: &rng) { mutate(&frames, rng: &rng, donors: originals) }
            switch decodeResult(frames) {
            case .failure: rejected += 1
            case let .success(message):
                accepted += 1
                XCTAssertEqual(
                    encode(message), frames, "accepted input is not the canonical encoding of \(message.kind)")
            }
        }
        print("mutations: \(rejected) rejected, \(accepted) decoded canonically")
        XCTAssertGreaterThan(rejected, 4_000)
    }

    func testGarbageFramesAreRejected() {
        var rng = SplitMix64(seed: 0x6A5BA6E)
        for i in 0..<4_000 {
            var frames = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            }
            // Half the time a valid header, so the body parsers see the garbage too.
            if i % 2 == 0, !frames.isEmpty {
                frames[0] = header(kind: UInt16.random(in: 1...UInt16(MessageKind.allCases.count), using: &rng))
            }
            if case let .success(m) = decodeResult(frames) {
                XCTAssertEqual(encode(m), frames)
            }
        }
    }

    private func mutate(_ frames: inout [[UInt8]], rng: inout SplitMix64, donors: [[[UInt8]]]) {
        let f = Int.random(in: 0..<frames.count, using: &rng)
        switch Int.random(in: 0..<7, using: &rng) {
        case 0 where !frames[f].isEmpty:  // flip one bit
            let i = Int.random(in: 0..<frames[f].count, using: &rng)
            frames[f][i] ^= 1 << UInt8.random(in: 0...7, using: &rng)
        case 1 where !frames[f].isEmpty:  // overwrite one byte
            frames[f][Int.random(in: 0..<frames[f].count, using: &rng)] = .random(in: 0...255, using: &rng)
        case 2:  // insert a byte
            frames[f].insert(.random(in: 0...255, using: &rng), at: Int.random(in: 0...frames[f].count, using: &rng))
        case 3 where !frames[f].isEmpty:  // delete a byte
            frames[f].remove(at: Int.random(in: 0..<frames[f].count, using: &rng))
        case 4:  // a big count: 0xFF.. into a 4-byte window
            guard frames[f].count >= 4 else { return }
            let i = Int.random(in: 0...(frames[f].count - 4), using: &rng)
            for k in 0..<4 { frames[f][i + k] = 0xFF }
        case 5:  // swap in a frame from another message
            let donor = donors.randomElement(using: &rng)!
            frames[f] = donor[Int.random(in: 0..<donor.count, using: &rng)]
        default:  // drop or duplicate a frame
            if Bool.random(using: &rng) { frames.remove(at: f) } else { frames.insert(frames[f], at: f) }
            if frames.isEmpty { frames = [[]] }
        }
    }
}
