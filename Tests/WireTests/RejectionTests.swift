import XCTest
@testable import Wire

/// Each refusal has its own error, naming the field at fault.
final class RejectionTests: XCTestCase {
    private let hello = encode(.hello(Hello(role: .learner, host: "h", pid: 1, cores: 2, actorIndex: 0)))

    func testHeaderErrors() {
        XCTAssertEqual(decodeResult([]), .failure(.noFrames))
        var bad = hello
        bad[0][0] = UInt8(ascii: "X")
        XCTAssertEqual(decodeResult(bad), .failure(.badMagic(Array("XCEL".utf8))))
        XCTAssertEqual(WireProtocol.version, 7)
        XCTAssertEqual(decodeResult([header(version: 8, kind: 1), hello[1]]), .failure(.unsupportedVersion(8)))
        XCTAssertEqual(decodeResult([header(version: 6, kind: 1), hello[1]]), .failure(.unsupportedVersion(6)))
        XCTAssertEqual(decodeResult([header(version: 5, kind: 1), hello[1]]), .failure(.unsupportedVersion(5)))
        XCTAssertEqual(decodeResult([header(version: 4, kind: 1), hello[1]]), .failure(.unsupportedVersion(4)))
        XCTAssertEqual(decodeResult([header(version: 3, kind: 1), hello[1]]), .failure(.unsupportedVersion(3)))
        XCTAssertEqual(decodeResult([header(version: 2, kind: 1), hello[1]]), .failure(.unsupportedVersion(2)))
        XCTAssertEqual(decodeResult([header(version: 1, kind: 1), hello[1]]), .failure(.unsupportedVersion(1)))
        XCTAssertEqual(decodeResult([header(version: 0, kind: 1), hello[1]]), .failure(.unsupportedVersion(0)))
        for kind: UInt16 in [0, UInt16(MessageKind.allCases.count + 1), 0xFFFF] {
            XCTAssertEqual(decodeResult([header(kind: kind), hello[1]]), .failure(.unknownKind(kind)))
        }
        XCTAssertEqual(decodeResult([Array(hello[0].dropLast()), hello[1]]), .failure(.badHeaderSize(7)))
        XCTAssertEqual(decodeResult([hello[0] + [0], hello[1]]), .failure(.badHeaderSize(9)))
        XCTAssertEqual(
            decodeResult([header(kind: 3), []]), .failure(.wrongFrameCount(kind: .heartbeat, expected: 0, actual: 1)))
        XCTAssertEqual(
            decodeResult([header(kind: 6), []]), .failure(.wrongFrameCount(kind: .weights, expected: 2, actual: 1)))
        XCTAssertEqual(
            decodeResult([header(kind: 1)]), .failure(.wrongFrameCount(kind: .hello, expected: 1, actual: 0)))
    }

    func testMessageLargerThanTheLimitIsRejectedBeforeParsing() {
        let frames = [header(kind: 4), [UInt8](repeating: 0, count: WireLimits.maxMessageBytes)]
        XCTAssertEqual(
            decodeResult(frames),
            .failure(
                .messageTooLarge(
                    bytes: WireLimits.maxMessageBytes + 8,
                    limit: WireLimits.maxMessageBytes)))
    }

    func testOversizeCountsEachGetTheirOwnError() {
        let tooManyEpisodes = body { $0.count(WireLimits.maxEpisodesPerMessage + 1) }
        XCTAssertEqual(
            decodeResult([header(kind: 4), tooManyEpisodes]),
            .failure(.limitExceeded(field: "episodes", value: 4_097, limit: 4_096)))

        let longOrder = body { w in
            w.count(1); w.integer(UInt32(0)); w.integer(UInt64(1)); w.integer(UInt32(2))
            w.count(WireLimits.maxOrderLength + 1)
            // Enough bytes for one minimal episode: the limit must fire, not truncation.
            for _ in 0..<16 { w.integer(UInt8(0)) }
        }
        XCTAssertEqual(
            decodeResult([header(kind: 4), longOrder]),
            .failure(.limitExceeded(field: "episodes[0].order", value: 65_537, limit: 65_536)))

        let tooManyTasks = body { w in
            w.integer(UInt32(1)); w.integer(UInt32(1000)); w.integer(UInt32(4)); w.integer(UInt64(0));
            w.integer(UInt64(0))
            w.integer(UInt8(1))  // ppo, and its all-zero search settings
            for _ in 0..<42 { w.integer(UInt8(0)) }
            w.count(WireLimits.maxTasks + 1)
        }
        XCTAssertEqual(
            decodeResult([header(kind: 2), tooManyTasks]),
            .failure(.limitExceeded(field: "welcome.tasks", value: 1_025, limit: 1_024)))

        let tooManyParameters = body { w in
            w.integer(UInt64(1)); w.integer(UInt64(0)); w.string("p"); w.count(WireLimits.maxParameters + 1)
        }
        XCTAssertEqual(
            decodeResult([header(kind: 10), tooManyParameters, []]),
            .failure(.limitExceeded(field: "publishWeights.parameterCount", value: (15 << 20) + 1, limit: 15 << 20)))

        let longHost = body { w in
            w.integer(UInt8(1)); w.integer(WireProtocol.version); w.string(String(repeating: "h", count: 257))
        }
        XCTAssertEqual(
            decodeResult([header(kind: 1), longHost]),
            .failure(.limitExceeded(field: "hello.host", value: 257, limit: 256)))

        let tooManyPeers = body { w in
            w.integer(UInt64(0)); w.count(WireLimits.maxPeersInStatus + 1)
        }
        XCTAssertEqual(
            decodeResult([header(kind: 14), tooManyPeers]),
            .failure(.limitExceeded(field: "statusReply.peers", value: 4_097, limit: 4_096)))

        let longReason = body { $0.string(String(repeating: "r", count: WireLimits.maxTextBytes + 1)) }
        XCTAssertEqual(
            decodeResult([header(kind: 9), longReason]),
            .failure(.limitExceeded(field: "shutdown.reason", value: 4_097, limit: 4_096)))
    }

    func testCountsBeyondTheBytesPresentAreTruncatedNotAllocated() {
        let claimsMore = body { w in
            w.count(100)  // within the limit, far beyond the bytes that follow
            w.integer(UInt32(0)); w.integer(UInt64(1)); w.integer(UInt32(2)); w.count(1); w.integer(Int32(3))
            w.count(1); w.float32(0)
        }
        XCTAssertEqual(decodeResult([header(kind: 4), claimsMore]).failureKind, "truncated")
        let weightsShort = encode(.weights(Weights(version: 1, preset: "p", parameters: [1, 2, 3])))
        XCTAssertEqual(
            decodeResult([weightsShort[0], weightsShort[1], Array(weightsShort[2].prefix(8))]),
            .failure(.truncated(field: "weights.parameters", needed: 12, remaining: 8)))
    }

    func testOrderAndLogProbabilityCountsMustMatch() {
        let mismatched = EpisodeRecord(
            taskIndex: 0, policyVersion: 1, actorId: 2, order: [4, 5, 6], logProbs: [-1, -2])
        XCTAssertEqual(
            decodeResult(encode(.episodes([mismatched]))),
            .failure(.lengthMismatch(field: "episodes[0].logProbs", expected: 3, actual: 2)))
    }

    func testInvalidUTF8EnumsAndValues() {
        let badHost = body { w in
            w.integer(UInt8(1)); w.integer(WireProtocol.version); w.count(2); w.integer(UInt8(0xFF));
            w.integer(UInt8(0xFE))
            w.integer(UInt32(1)); w.integer(UInt32(1)); w.integer(UInt32(0))
        }
        XCTAssertEqual(decodeResult([header(kind: 1), badHost]), .failure(.invalidUTF8(field: "hello.host")))

        for role: UInt8 in [0, 4] {
            var b = hello[1]
            b[0] = role
            XCTAssertEqual(decodeResult([hello[0], b]), .failure(.invalidEnum(field: "hello.role", value: Int(role))))
        }
        var newer = hello[1]
        newer[1] = 8
        XCTAssertEqual(decodeResult([hello[0], newer]), .failure(.unsupportedVersion(8)))
        var older = hello[1]
        older[1] = 3
        XCTAssertEqual(decodeResult([hello[0], older]), .failure(.unsupportedVersion(3)))

        for code: UInt16 in [0, 11] {
            let e = body { w in
                w.integer(code); w.string("x")
            }
            XCTAssertEqual(
                decodeResult([header(kind: 8), e]), .failure(.invalidEnum(field: "error.code", value: Int(code))))
        }
        let ack = body { w in
            w.integer(UInt16(99)); w.integer(UInt64(1))
        }
        XCTAssertEqual(
            decodeResult([header(kind: 12), ack]), .failure(.invalidEnum(field: "ack.ackedKind", value: 99)))

        let status = encode(
            .statusReply(StatusReply(weightsVersion: 1, peers: [], tasks: [TaskStatus(name: "t", bestCost: nil)])))
        var flag = status[1]
        flag[8 + 4 + 4 + 4 + 1] = 2  // version, peer count, task count, name length, name → hasBest
        XCTAssertEqual(
            decodeResult([status[0], flag]), .failure(.invalidEnum(field: "statusReply.tasks[0].hasBest", value: 2)))
        var costWithoutBest = status[1]
        costWithoutBest[costWithoutBest.count - 1] = 1
        XCTAssertEqual(decodeResult([status[0], costWithoutBest]).failureKind, "invalidValue")

        XCTAssertEqual(
            decodeResult(encode(.weights(Weights(version: 0, preset: "p", parameters: [])))).failureKind, "invalidValue"
        )
        XCTAssertEqual(
            decodeResult(encode(.hello(Hello(role: .actor, host: "", pid: 1, cores: 1, actorIndex: 0)))).failureKind,
            "invalidValue")
        XCTAssertEqual(decodeResult(encode(.episodes([]))).failureKind, "invalidValue")
        XCTAssertEqual(
            decodeResult(encode(.bestOrder(BestOrderNotice(taskIndex: 0, cost: 1, order: [])))).failureKind,
            "invalidValue")
        for interval: UInt32 in [0, 9, 60_001] {
            let w = Welcome(
                actorId: 1, heartbeatIntervalMs: interval, environmentsPerActor: 1, seed: 1, weightsVersion: 0,
                tasks: [])
            XCTAssertEqual(decodeResult(encode(.welcome(w))).failureKind, "invalidValue", "interval \(interval)")
        }
    }

    func testTrailingBytesAndChecksumMismatch() {
        XCTAssertEqual(
            decodeResult([hello[0], hello[1] + [0, 0]]), .failure(.trailingBytes(frame: "hello", count: 2)))
        let weights = encode(.weights(Weights(version: 9, preset: "p", parameters: [1, 2, 3])))
        XCTAssertEqual(
            decodeResult([weights[0], weights[1], weights[2] + [0, 0, 0, 0]]),
            .failure(.trailingBytes(frame: "weights.parameters", count: 4)))
        var corrupted = weights
        corrupted[2][5] ^= 0x10
        XCTAssertEqual(decodeResult(corrupted).failureKind, "checksumMismatch")
    }

    func testErrorsDescribeWhatHappened() {
        let e = WireError.limitExceeded(field: "episodes[0].order", value: 70_000, limit: 65_536)
        XCTAssertEqual(e.description, "episodes[0].order is 70000, above the limit of 65536")
        XCTAssertTrue(WireError.unsupportedVersion(1).description.contains("this build speaks 7"))
    }
}
