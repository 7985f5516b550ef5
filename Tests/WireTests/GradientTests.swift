import Checksum
import XCTest
@testable import Wire

/// The distributed-gradient kinds (15 … 18): their layouts byte for byte, and every refusal
/// specific to them. Round trips, truncations and mutations are covered with every other kind by
/// `MessageFactory`.
final class GradientTests: XCTestCase {
    private let episode = EpisodeRecord(taskIndex: 0, policyVersion: 1, actorId: 1, order: [7], logProbs: [-1])

    /// A small valid job: two episodes (2 + 3 rows), two steps.
    private func job(round: UInt64 = 5) -> GradientJob {
        GradientJob(
            actorId: 4, round: round, preset: "tiny", clipCoef: 0.2, entropyCoef: 0.01, valueCoef: 0.5,
            clipValueLoss: true, normalizeAdvantages: false,
            episodes: [
                EpisodeRecord(taskIndex: 0, policyVersion: 3, actorId: 9, order: [1, 2], logProbs: [-1, -2]),
                EpisodeRecord(taskIndex: 1, policyVersion: 3, actorId: 9, order: [3, 4, 5], logProbs: [-3, -4, -5]),
            ],
            values: [1, 2, 3, 4, 5], advantages: [0.1, 0.2, 0.3, 0.4, 0.5], returns: [5, 4, 3, 2, 1],
            steps: [
                GradientStep(
                    blocks: [BlockKey(task: 0, step: 0), BlockKey(task: 1, step: 2)],
                    transitions: 7, advantageMean: 0.25, advantageStd: 1.5),
                GradientStep(blocks: [BlockKey(task: 1, step: 0)], transitions: 3, advantageMean: 0, advantageStd: 1),
            ])
    }

    private let request = GradientRequest(actorId: 2, round: 8, step: 1, parameters: [1.0, -2.0, 0.5])
    private let reply = GradientReply(
        actorId: 2, round: 8, step: 1, transitions: 12, policyLoss: -0.5, valueLoss: 3,
        entropy: 9, approxKL: 0.01, clipped: 2, computeMicros: 0x0102_0304, gradient: [0.25, -0.125, 4, 8])

    func testKindNumbersAndFrameCounts() {
        XCTAssertEqual(
            [MessageKind.gradientJob, .gradientRequest, .gradient, .gradientUnavailable].map(\.rawValue),
            [15, 16, 17, 18])
        XCTAssertEqual(MessageKind.allCases.map(\.rawValue), Array(1...22), "kinds are numbered 1 … 22 without gaps")
        XCTAssertEqual(MessageKind.gradientJob.bodyFrameCount, 1)
        XCTAssertEqual(MessageKind.gradientRequest.bodyFrameCount, 2)
        XCTAssertEqual(MessageKind.gradient.bodyFrameCount, 2)
        XCTAssertEqual(MessageKind.gradientUnavailable.bodyFrameCount, 1)
        XCTAssertEqual(WireLimits.maxGradientSteps, 4_096)
        XCTAssertEqual(WireLimits.maxBlocksPerStep, 65_536)
    }

    /// Byte-exact layouts from Docs/PROTOCOL.md §3.
    func testGoldenBytesMatchTheProtocolDocument() throws {
        let j = GradientJob(
            actorId: 1, round: 1, preset: "p", clipCoef: 0.5, entropyCoef: 0, valueCoef: 1,
            clipValueLoss: true, normalizeAdvantages: false, episodes: [episode],
            values: [2], advantages: [0.5], returns: [1],
            steps: [
                GradientStep(blocks: [BlockKey(task: 0, step: 0)], transitions: 1, advantageMean: 0, advantageStd: 1)
            ])
        let jf = encode(.gradientJob(j))
        XCTAssertEqual(jf.count, 2)
        XCTAssertEqual(hex(jf[0]), "4343454c07000f00")
        XCTAssertEqual(
            hex(jf[1]),
            [
                "01000000", "0100000000000000", "0100000070",  // actorId, round, preset "p"
                "0000003f", "00000000", "0000803f", "01", "00",  // coefficients, clipValueLoss, normalizeAdvantages
                "01000000",  // one episode:
                "00000000", "0100000000000000", "01000000", "0100000007000000", "01000000000080bf",
                "0100000000000040", "010000000000003f", "010000000000803f",  // values, advantages, returns
                "01000000", "01000000", "00000000", "00000000",  // one step, one block (0, 0)
                "0000803f", "00000000", "0000803f",  // transitions, advantageMean, advantageStd
            ].joined())
        XCTAssertEqual(try decode(frames: jf), .gradientJob(j))

        let rf = encode(.gradientRequest(request))
        XCTAssertEqual(rf.count, 3)
        XCTAssertEqual(hex(rf[0]), "4343454c07001000")
        // actorId, round, step, checksum (the FNV-1a 64 of the Weights golden test), count.
        XCTAssertEqual(hex(rf[1]), "02000000" + "0800000000000000" + "01000000" + "b5c9b1d84ae798c5" + "03000000")
        XCTAssertEqual(hex(rf[2]), "0000803f000000c00000003f")

        let gf = encode(.gradient(reply))
        XCTAssertEqual(gf.count, 3)
        XCTAssertEqual(hex(gf[0]), "4343454c07001100")
        XCTAssertEqual(gf[1].count, 4 + 8 + 4 + 6 * 4 + 4 + 8 + 4)
        XCTAssertEqual(hex(Array(gf[1].prefix(16 + 4))), "02000000" + "0800000000000000" + "01000000" + "00004041")
        // Version 4: computeMicros (u32) after the six loss figures, before the checksum.
        XCTAssertEqual(hex(Array(gf[1][40..<44])), "04030201")
        XCTAssertEqual(
            Array(gf[1].suffix(12)),
            body { w in
                w.integer(FNV1a64.checksum(of: reply.gradient)); w.count(4)
            })
        XCTAssertEqual(hex(gf[2]), "0000803e000000be0000804000000041")

        let uf = encode(.gradientUnavailable(GradientUnavailable(actorId: 3, round: 0x0102, reason: "no")))
        XCTAssertEqual(uf.map(hex), ["4343454c07001200", "03000000" + "0201000000000000" + "02000000" + "6e6f"])
    }

    /// One step's requests encoded together share the parameters frame, and each is exactly the
    /// message encoded alone.
    func testAStepsRequestsEncodedOnceEqualEachEncodedAlone() throws {
        let parameters: [Float] = [1, -2, 0.5, .nan, 3e38]
        let step = GradientRequest.encodeStep(actorIds: [7, 1, 70_000], round: 9, step: 3, parameters: parameters)
        XCTAssertEqual(step.count, 3)
        for (frames, actor) in zip(step, [UInt32(7), 1, 70_000]) {
            let alone = GradientRequest(actorId: actor, round: 9, step: 3, parameters: parameters)
            XCTAssertEqual(frames, encode(.gradientRequest(alone)))
            guard case let .gradientRequest(r) = try decode(frames: frames) else { return XCTFail("not a request") }
            XCTAssertEqual(r.actorId, actor)
            XCTAssertEqual(r.parameters.map(\.bitPattern), parameters.map(\.bitPattern))
        }
        XCTAssertEqual(GradientRequest.encodeStep(actorIds: [], round: 1, step: 0, parameters: parameters).count, 0)
    }

    func testRealisticSizesRoundTrip() throws {
        var factory = MessageFactory(seed: 31)
        let shard = (0..<64).map { i in
            EpisodeRecord(
                taskIndex: UInt32(i % 4), policyVersion: 7, actorId: 2, order: factory.order(200),
                logProbs: factory.floats(200))
        }
        let rows = 64 * 200
        let steps = (0..<32).map { s in
            GradientStep(
                blocks: (0..<400).map { BlockKey(task: UInt32($0 % 4), step: UInt32(($0 + s) % 200)) },
                transitions: 4_096, advantageMean: 0.1, advantageStd: 0.9)
        }
        let big = GradientJob(
            actorId: 2, round: 1, preset: "paper", clipCoef: 0.2, entropyCoef: 0.01, valueCoef: 0.5,
            clipValueLoss: false, normalizeAdvantages: true, episodes: shard, values: factory.floats(rows),
            advantages: factory.floats(rows), returns: factory.floats(rows), steps: steps)
        XCTAssertEqual(try decode(frames: encode(.gradientJob(big))), .gradientJob(big))
        let parameters = (0..<(1 << 20)).map { Float($0) }
        let r = GradientRequest(actorId: 1, round: 1, step: 31, parameters: parameters)
        XCTAssertEqual(try decode(frames: encode(.gradientRequest(r))), .gradientRequest(r))
        let g = GradientReply(
            actorId: 1, round: 1, step: 31, transitions: 1, policyLoss: 0, valueLoss: 0, entropy: 0,
            approxKL: 0, clipped: 0, gradient: parameters)
        XCTAssertEqual(try decode(frames: encode(.gradient(g))), .gradient(g))
    }

    func testPerRowCountsMustEqualTheShardsSteps() {
        XCTAssertNoThrow(try decode(frames: encode(.gradientJob(job()))))
        var shortValues = job()
        shortValues.values.removeLast()
        XCTAssertEqual(
            decodeResult(encode(.gradientJob(shortValues))),
            .failure(.lengthMismatch(field: "gradientJob.values", expected: 5, actual: 4)))
        var longAdvantages = job()
        longAdvantages.advantages.append(1)
        XCTAssertEqual(
            decodeResult(encode(.gradientJob(longAdvantages))),
            .failure(.lengthMismatch(field: "gradientJob.advantages", expected: 5, actual: 6)))
        var noReturns = job()
        noReturns.returns = []
        XCTAssertEqual(
            decodeResult(encode(.gradientJob(noReturns))),
            .failure(.lengthMismatch(field: "gradientJob.returns", expected: 5, actual: 0)))
        // One more episode step without one more value.
        var longerEpisode = job()
        longerEpisode.episodes[1].order.append(6)
        longerEpisode.episodes[1].logProbs.append(-6)
        XCTAssertEqual(
            decodeResult(encode(.gradientJob(longerEpisode))),
            .failure(.lengthMismatch(field: "gradientJob.values", expected: 6, actual: 5)))
        // EpisodeRecord errors name the job's list.
        var badEpisode = job()
        badEpisode.episodes[1].logProbs.removeLast()
        XCTAssertEqual(
            decodeResult(encode(.gradientJob(badEpisode))),
            .failure(.lengthMismatch(field: "gradientJob.episodes[1].logProbs", expected: 3, actual: 2)))
    }

    func testEmptyListsAreRefused() {
        var noSteps = job()
        noSteps.steps = []
        XCTAssertEqual(invalidField(encode(.gradientJob(noSteps))), "gradientJob.steps")
        var emptyBlocks = job()
        emptyBlocks.steps[1].blocks = []
        XCTAssertEqual(invalidField(encode(.gradientJob(emptyBlocks))), "gradientJob.steps[1].blocks")
        var noEpisodes = job()
        noEpisodes.episodes = []
        noEpisodes.values = []
        noEpisodes.advantages = []
        noEpisodes.returns = []
        XCTAssertEqual(invalidField(encode(.gradientJob(noEpisodes))), "gradientJob.episodes")
        var emptyEpisode = job()
        emptyEpisode.episodes[0].order = []
        emptyEpisode.episodes[0].logProbs = []
        XCTAssertEqual(invalidField(encode(.gradientJob(emptyEpisode))), "gradientJob.episodes[0].order")
        var noPreset = job()
        noPreset.preset = ""
        XCTAssertEqual(invalidField(encode(.gradientJob(noPreset))), "gradientJob.preset")
    }

    func testBooleansMustBeZeroOrOne() {
        let frames = encode(.gradientJob(job()))
        let clipValueLoss = 4 + 8 + (4 + 4) + 3 * 4  // actorId, round, preset "tiny", three coefficients
        XCTAssertEqual(frames[1][clipValueLoss], 1)
        XCTAssertEqual(frames[1][clipValueLoss + 1], 0)
        for (offset, field) in [
            (clipValueLoss, "gradientJob.clipValueLoss"), (clipValueLoss + 1, "gradientJob.normalizeAdvantages"),
        ] {
            for value: UInt8 in [2, 0xFF] {
                var bad = frames
                bad[1][offset] = value
                XCTAssertEqual(decodeResult(bad), .failure(.invalidEnum(field: field, value: Int(value))))
            }
        }
        var flipped = frames
        flipped[1][clipValueLoss] = 0
        guard case let .success(.gradientJob(j)) = decodeResult(flipped) else { return XCTFail("0 is a valid bool") }
        XCTAssertFalse(j.clipValueLoss)
    }

    func testRoundZeroIsRefusedByEveryKind() {
        var r = request
        r.round = 0
        var g = reply
        g.round = 0
        let messages: [(Message, String)] = [
            (.gradientJob(job(round: 0)), "gradientJob.round"),
            (.gradientRequest(r), "gradientRequest.round"),
            (.gradient(g), "gradient.round"),
            (.gradientUnavailable(GradientUnavailable(actorId: 1, round: 0, reason: "x")), "gradientUnavailable.round"),
        ]
        for (m, field) in messages {
            XCTAssertEqual(invalidField(encode(m)), field)
        }
        XCTAssertNoThrow(
            try decode(frames: encode(.gradientUnavailable(GradientUnavailable(actorId: 1, round: 1, reason: "")))))
    }

    func testChecksumMismatchIsRefused() {
        for m in [Message.gradientRequest(request), .gradient(reply)] {
            let frames = encode(m)
            let stated = FNV1a64.hash(frames[2])
            var corrupted = frames
            corrupted[2][5] ^= 0x10
            XCTAssertEqual(
                decodeResult(corrupted),
                .failure(.checksumMismatch(stated: stated, computed: FNV1a64.hash(corrupted[2]))), "\(m.kind)")
            // The stated checksum sits just before the count at the end of the meta frame.
            var wrongStated = frames
            wrongStated[1][wrongStated[1].count - 5] ^= 0x01
            XCTAssertEqual(decodeResult(wrongStated).failureKind, "checksumMismatch", "\(m.kind)")
            // The same bytes in another order are another buffer.
            var swapped = frames
            swapped[2] = Array(frames[2].reversed())
            XCTAssertEqual(decodeResult(swapped).failureKind, "checksumMismatch", "\(m.kind)")
        }
    }

    func testParameterCountsAboveTheLimitAreRefusedBeforeTheBulkFrame() {
        let requestMeta = body { w in
            w.integer(UInt32(1)); w.integer(UInt64(1)); w.integer(UInt32(0)); w.integer(UInt64(0))
            w.count(WireLimits.maxParameters + 1)
        }
        XCTAssertEqual(
            decodeResult([header(kind: 16), requestMeta, []]),
            .failure(.limitExceeded(field: "gradientRequest.parameterCount", value: (15 << 20) + 1, limit: 15 << 20)))
        let replyMeta = body { w in
            w.integer(UInt32(1)); w.integer(UInt64(1)); w.integer(UInt32(0))
            for _ in 0..<6 { w.float32(0) }
            w.integer(UInt32(0)); w.integer(UInt64(0)); w.integer(UInt32.max)
        }
        XCTAssertEqual(
            decodeResult([header(kind: 17), replyMeta, []]),
            .failure(.limitExceeded(field: "gradient.gradientCount", value: Int(UInt32.max), limit: 15 << 20)))
        // At the limit the count is accepted, and the 8-byte bulk frame is found short before any allocation.
        let atLimit = body { w in
            w.integer(UInt32(1)); w.integer(UInt64(1)); w.integer(UInt32(0)); w.integer(UInt64(0))
            w.count(WireLimits.maxParameters)
        }
        XCTAssertEqual(
            decodeResult([header(kind: 16), atLimit, [0, 0, 0, 0, 0, 0, 0, 0]]),
            .failure(.truncated(field: "gradientRequest.parameters", needed: 4 * (15 << 20), remaining: 8)))
    }

    func testStepAndBlockCountsAreLimited() {
        let full = encode(.gradientJob(job()))[1]
        // The steps list is the tail of the body: count + per step (count + blocks + 3 floats).
        let stepsBytes = 4 + job().steps.reduce(0) { $0 + 4 + 8 * $1.blocks.count + 12 }
        let prefix = Array(full.dropLast(stepsBytes))
        XCTAssertEqual(
            decodeResult([header(kind: 15), prefix + body { $0.count(WireLimits.maxGradientSteps + 1) }]),
            .failure(.limitExceeded(field: "gradientJob.steps", value: 4_097, limit: 4_096)))
        XCTAssertEqual(
            decodeResult([header(kind: 15), prefix + body { $0.count(WireLimits.maxGradientSteps) }]),
            .failure(.truncated(field: "gradientJob.steps", needed: 4_096 * 24, remaining: 0)))
        let hugeBlocks =
            prefix
            + body { w in
                w.count(1); w.count(WireLimits.maxBlocksPerStep + 1)
                for _ in 0..<20 { w.integer(UInt8(0)) }  // room for one block and the floats: the limit must fire
            }
        XCTAssertEqual(
            decodeResult([header(kind: 15), hugeBlocks]),
            .failure(.limitExceeded(field: "gradientJob.steps[0].blocks", value: 65_537, limit: 65_536)))
        let moreBlocksThanBytes =
            prefix
            + body { w in
                w.count(1); w.count(1_000); w.integer(UInt32(0)); w.integer(UInt32(0))
                w.float32(1); w.float32(0); w.float32(1)
            }
        XCTAssertEqual(
            decodeResult([header(kind: 15), moreBlocksThanBytes]),
            .failure(.truncated(field: "gradientJob.steps[0].blocks", needed: 8_000, remaining: 20)))
        // A values count far above the shard's rows is a mismatch, found before reading (or allocating) anything.
        var head = body { w in
            w.integer(UInt32(1)); w.integer(UInt64(1)); w.string("p"); w.float32(0); w.float32(0); w.float32(0)
            w.bool(false); w.bool(false); w.count(1)
            episode.write(into: &w)
        }
        head += body { $0.integer(UInt32.max) }
        XCTAssertEqual(
            decodeResult([header(kind: 15), head]),
            .failure(.lengthMismatch(field: "gradientJob.values", expected: 1, actual: Int(UInt32.max))))
        let reason = GradientUnavailable(
            actorId: 1, round: 1, reason: String(repeating: "r", count: WireLimits.maxTextBytes + 1))
        XCTAssertEqual(
            decodeResult(encode(.gradientUnavailable(reason))),
            .failure(.limitExceeded(field: "gradientUnavailable.reason", value: 4_097, limit: 4_096)))
    }

    func testWrongFrameCountsAndTrailingBytes() {
        let r = encode(.gradientRequest(request))
        let g = encode(.gradient(reply))
        let j = encode(.gradientJob(job()))
        let u = encode(.gradientUnavailable(GradientUnavailable(actorId: 1, round: 2, reason: "gone")))
        XCTAssertEqual(
            decodeResult([r[0], r[1]]), .failure(.wrongFrameCount(kind: .gradientRequest, expected: 2, actual: 1)))
        XCTAssertEqual(decodeResult(g + [[]]), .failure(.wrongFrameCount(kind: .gradient, expected: 2, actual: 3)))
        XCTAssertEqual(decodeResult([g[0]]), .failure(.wrongFrameCount(kind: .gradient, expected: 2, actual: 0)))
        XCTAssertEqual(decodeResult(j + [[]]), .failure(.wrongFrameCount(kind: .gradientJob, expected: 1, actual: 2)))
        XCTAssertEqual(
            decodeResult([u[0]]), .failure(.wrongFrameCount(kind: .gradientUnavailable, expected: 1, actual: 0)))

        XCTAssertEqual(
            decodeResult([r[0], r[1], r[2] + [0, 0, 0, 0]]),
            .failure(.trailingBytes(frame: "gradientRequest.parameters", count: 4)))
        XCTAssertEqual(
            decodeResult([g[0], g[1], g[2] + [0]]), .failure(.trailingBytes(frame: "gradient.gradient", count: 1)))
        XCTAssertEqual(
            decodeResult([r[0], r[1] + [0], r[2]]), .failure(.trailingBytes(frame: "gradientRequest.meta", count: 1)))
        XCTAssertEqual(decodeResult([j[0], j[1] + [0, 0]]), .failure(.trailingBytes(frame: "gradientJob", count: 2)))
        XCTAssertEqual(
            decodeResult([u[0], u[1] + [0]]), .failure(.trailingBytes(frame: "gradientUnavailable", count: 1)))
        XCTAssertEqual(
            decodeResult([g[0], g[1], Array(g[2].dropLast(4))]),
            .failure(.truncated(field: "gradient.gradient", needed: 16, remaining: 12)))
        // A request's frames under a gradient header: its meta is 24 bytes short of a gradient's.
        XCTAssertEqual(decodeResult([g[0], r[1], r[2]]).failureKind, "truncated")
    }

    /// The field of an `invalidValue` refusal, nil for anything else.
    private func invalidField(_ frames: [[UInt8]]) -> String? {
        guard case let .failure(.invalidValue(field, _)) = decodeResult(frames) else { return nil }
        return field
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
