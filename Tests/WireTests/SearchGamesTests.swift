@testable import Wire
import XCTest

/// Version 3: kind 21, `searchGames`, and the algorithm and search settings in `welcome`
/// (Docs/PROTOCOL.md §3); version 5: the rollout weight λ in the search settings; version 6: the
/// rollouts' rules k and exact endgame E. Random round trips, truncation and fuzzing of both run
/// with every other kind (MessageFactory).
final class SearchGamesTests: XCTestCase {
    private let game = SearchGameRecord(
        taskIndex: 1, policyVersion: 2, actorId: 3, cost: 295, order: [5, 7], policies: [0.25, 0.75, 1])

    private func frames(_ games: [SearchGameRecord]) -> [[UInt8]] { encode(.searchGames(games)) }

    /// The body of one game with the given policy numbers, bypassing the encoder's arrays.
    private func gameBody(order: [Int32], policies: [Float], policyCount: Int? = nil) -> [UInt8] {
        body { w in
            w.count(1)
            w.integer(UInt32(0)); w.integer(UInt64(1)); w.integer(UInt32(1)); w.integer(UInt64(10))
            w.count(order.count); w.int32s(order)
            w.count(policyCount ?? policies.count); w.float32s(policies)
        }
    }

    func testGoldenBytesMatchTheProtocolDocument() {
        XCTAssertEqual(MessageKind.searchGames.rawValue, 21)
        XCTAssertEqual(MessageKind.searchGames.bodyFrameCount, 1)
        let f = frames([game])
        XCTAssertEqual(hex(f[0]), "4343454c07001500")
        XCTAssertEqual(
            hex(f[1]),
            "01000000" + "01000000" + "0200000000000000" + "03000000" + "2701000000000000"
                + "02000000" + "05000000" + "07000000" + "03000000" + "0000803e" + "0000403f" + "0000803f")
        XCTAssertEqual(decodeResult(f), .success(.searchGames([game])))

        let welcome = Welcome(
            actorId: 1, heartbeatIntervalMs: 1000, environmentsPerActor: 16, seed: 7, weightsVersion: 0,
            algorithm: .alphazero,
            search: SearchSettings(
                simulations: 50, maxConsideredActions: 16, cVisit: 50, cScale: 1, gumbelScale: 1, rolloutWeight: 0.5,
                rolloutRules: 3, rolloutEndgame: 2),
            tasks: [])
        let w = encode(.welcome(welcome))
        XCTAssertEqual(
            hex(w[1]),
            "01000000" + "e8030000" + "10000000" + "0700000000000000" + "0000000000000000"
                + "02" + "32000000" + "10000000" + "0000000000004940" + "000000000000f03f" + "000000000000f03f"
                + "000000000000e03f" + "03" + "02" + "00000000")
        XCTAssertEqual(decodeResult(w), .success(.welcome(welcome)))
        var ppo = welcome
        (ppo.algorithm, ppo.search) = (.ppo, .none)
        XCTAssertEqual(hex(encode(.welcome(ppo))[1]).count, hex(w[1]).count, "the same layout with zeros")
    }

    func testPolicyCountMustBeTheTriangleOfTheOrder() {
        XCTAssertEqual(SearchGameRecord.policyCount(moves: 98), 4_851)
        XCTAssertEqual(
            decodeResult([header(kind: 21), gameBody(order: [1, 2, 3], policies: [0.5, 0.5, 0.5, 0.5, 1])]),
            .failure(.lengthMismatch(field: "searchGames[0].policies", expected: 6, actual: 5)))
        // The stated count is right but the bytes are missing: truncated, nothing allocated.
        XCTAssertEqual(
            decodeResult([header(kind: 21), gameBody(order: [1, 2, 3], policies: [1], policyCount: 6)]),
            .failure(.truncated(field: "searchGames[0].policies", needed: 24, remaining: 4)))
    }

    func testNumbersThatAreNotProbabilitiesAreRefused() {
        for (bad, why) in [(Float.nan, "NaN"), (-0.25, "negative"), (1.5, "above 1"), (.infinity, "infinite")] {
            let result = decodeResult([header(kind: 21), gameBody(order: [4, 9], policies: [bad, 1 - bad, 1])])
            XCTAssertEqual(result.failureKind, "invalidValue", why)
            XCTAssertTrue("\(result)".contains("searchGames[0].policies[0]"), "\(result)")
        }
        // Each number a probability, but a move's row does not sum to 1.
        XCTAssertEqual(
            decodeResult([header(kind: 21), gameBody(order: [4, 9], policies: [0.5, 0.49, 1])]),
            .failure(.invalidValue(field: "searchGames[0].policies", reason: "move 0 sums to 0.99, not 1")))
        XCTAssertEqual(
            decodeResult([header(kind: 21), gameBody(order: [4, 9], policies: [0.5, 0.5, 0.5])]).failureKind,
            "invalidValue", "the last move's single number must be 1")
        // Float rounding of a Float64 softmax is within the tolerance.
        let rounded: [Float] = [0.1, 0.2, 0.7].map { Float($0 as Double) }
        XCTAssertEqual(
            decodeResult([header(kind: 21), gameBody(order: [1, 2, 3], policies: rounded + [0.5, 0.5, 1])]).failureKind,
            nil)
    }

    func testEmptyBatchesAndGamesAndOversizeCountsAreRefused() {
        XCTAssertEqual(
            decodeResult(frames([])),
            .failure(.invalidValue(field: "searchGames", reason: "a batch has at least one game")))
        // A game of no moves (with bytes to spare, so the batch count passes its size check).
        XCTAssertEqual(
            decodeResult([header(kind: 21), gameBody(order: [], policies: [0, 0])]),
            .failure(.invalidValue(field: "searchGames[0].order", reason: "a game has at least one move")))
        XCTAssertEqual(
            decodeResult([header(kind: 21), body { $0.count(WireLimits.maxEpisodesPerMessage + 1) }]),
            .failure(.limitExceeded(field: "searchGames", value: 4_097, limit: 4_096)))
        let longOrder = body { w in
            w.count(1); w.integer(UInt32(0)); w.integer(UInt64(1)); w.integer(UInt32(2)); w.integer(UInt64(3))
            w.count(WireLimits.maxOrderLength + 1)
            for _ in 0..<16 { w.integer(UInt8(0)) }
        }
        XCTAssertEqual(
            decodeResult([header(kind: 21), longOrder]),
            .failure(.limitExceeded(field: "searchGames[0].order", value: 65_537, limit: 65_536)))
        XCTAssertEqual(
            decodeResult(frames([game]) + [[]]), .failure(.wrongFrameCount(kind: .searchGames, expected: 1, actual: 2)))
        XCTAssertEqual(
            decodeResult([header(kind: 21), frames([game])[1] + [0]]),
            .failure(.trailingBytes(frame: "searchGames", count: 1)))
    }

    func testAGameOfAThousandMovesRoundTrips() throws {
        let moves = 1_000
        var policies: [Float] = []
        for t in 0..<moves { policies += [Float](repeating: 1 / Float(moves - t), count: moves - t) }
        let big = SearchGameRecord(
            taskIndex: 0, policyVersion: 9, actorId: 1, cost: 1 << 40, order: (1...Int32(moves)).map { $0 },
            policies: policies)
        let f = frames([big, game])
        // count + per game: 24 bytes of fixed fields, two counts, 4 bytes per vertex and per number.
        XCTAssertEqual(f[1].count, 4 + (32 + 4 * (moves + policies.count)) + (32 + 4 * (2 + 3)))
        XCTAssertEqual(try decode(frames: f), .searchGames([big, game]))
    }

    func testWelcomeSearchSettingsMustFitTheAlgorithm() {
        func welcome(_ algorithm: UInt8, _ search: SearchSettings) -> [[UInt8]] {
            [
                header(kind: 2),
                body { w in
                    w.integer(UInt32(1)); w.integer(UInt32(1000)); w.integer(UInt32(4)); w.integer(UInt64(0))
                    w.integer(UInt64(0)); w.integer(algorithm); search.write(into: &w); w.count(0)
                },
            ]
        }
        let paper = SearchSettings(simulations: 50, maxConsideredActions: 16, cVisit: 50, cScale: 1, gumbelScale: 1)
        XCTAssertEqual(decodeResult(welcome(2, paper)).failureKind, nil)
        XCTAssertEqual(decodeResult(welcome(1, .none)).failureKind, nil)
        XCTAssertEqual(
            decodeResult(welcome(1, paper)),
            .failure(.invalidValue(field: "welcome.search", reason: "must be all zero when the algorithm is ppo")))
        XCTAssertEqual(decodeResult(welcome(2, .none)).failureKind, "invalidValue", "alphazero with 0 simulations")
        for bad in [0, 3, 255] as [UInt8] {
            XCTAssertEqual(
                decodeResult(welcome(bad, .none)), .failure(.invalidEnum(field: "welcome.algorithm", value: Int(bad))))
        }
        var tooMany = paper
        tooMany.simulations = UInt32(WireLimits.maxSimulations + 1)
        XCTAssertEqual(
            decodeResult(welcome(2, tooMany)),
            .failure(.limitExceeded(field: "welcome.search.simulations", value: 4_097, limit: 4_096)))
        var noneConsidered = paper
        noneConsidered.maxConsideredActions = 0
        XCTAssertEqual(decodeResult(welcome(2, noneConsidered)).failureKind, "invalidValue")
        for value in [Double.nan, -1, .infinity] {
            for field in 0..<3 {
                var s = paper
                if field == 0 {
                    s.cVisit = value
                } else if field == 1 {
                    s.cScale = value
                } else {
                    s.gumbelScale = value
                }
                XCTAssertEqual(decodeResult(welcome(2, s)).failureKind, "invalidValue", "field \(field) = \(value)")
            }
        }
        var ppoWithNegativeZero = SearchSettings.none
        ppoWithNegativeZero.cScale = -0.0
        XCTAssertEqual(decodeResult(welcome(1, ppoWithNegativeZero)).failureKind, "invalidValue", "−0 is not all zero")
        var ppoWithRollouts = SearchSettings.none
        ppoWithRollouts.rolloutWeight = 1
        XCTAssertEqual(decodeResult(welcome(1, ppoWithRollouts)).failureKind, "invalidValue", "PPO does not search")
    }

    func testRolloutWeightRoundTripsInItsRangeAndIsRefusedOutsideIt() throws {
        func welcome(_ rolloutWeight: Double) -> Welcome {
            Welcome(
                actorId: 2, heartbeatIntervalMs: 500, environmentsPerActor: 4, seed: 9, weightsVersion: 1,
                algorithm: .alphazero,
                search: SearchSettings(
                    simulations: 8, maxConsideredActions: 4, cVisit: 50, cScale: 1, gumbelScale: 1,
                    rolloutWeight: rolloutWeight),
                tasks: [])
        }
        for lambda in [0, 0.5, 1] {
            let frames = encode(.welcome(welcome(lambda)))
            guard case let .welcome(decoded) = try decode(frames: frames) else {
                return XCTFail("λ = \(lambda) decoded as another kind")
            }
            XCTAssertEqual(decoded.search.rolloutWeight, lambda)
            XCTAssertEqual(encode(.welcome(decoded)), frames, "λ = \(lambda) re-encodes to the same bytes")
            // A version-4 welcome (the same body without λ, k and E) is refused: truncated, not guessed.
            XCTAssertEqual(
                decodeResult([frames[0], Array(frames[1].dropLast(8 + 2 + 4)) + [0, 0, 0, 0]]).failureKind,
                "truncated")
        }
        for bad in [-0.5, 1.5, .nan, .infinity, -.infinity] {
            XCTAssertEqual(
                decodeResult(encode(.welcome(welcome(bad)))),
                .failure(
                    .invalidValue(
                        field: "welcome.search.rolloutWeight", reason: "\(bad) is not a number between 0 and 1")),
                "λ = \(bad)")
        }
    }

    func testRolloutRulesAndEndgameRoundTripInTheirRangesAndAreRefusedOutsideThem() throws {
        func welcome(_ algorithm: AlgorithmCode = .alphazero, rules: UInt8, endgame: UInt8) -> Welcome {
            var search =
                algorithm == .ppo
                ? SearchSettings.none
                : SearchSettings(
                    simulations: 8, maxConsideredActions: 4, cVisit: 50, cScale: 1, gumbelScale: 1, rolloutWeight: 1)
            (search.rolloutRules, search.rolloutEndgame) = (rules, endgame)
            return Welcome(
                actorId: 2, heartbeatIntervalMs: 500, environmentsPerActor: 4, seed: 9, weightsVersion: 1,
                algorithm: algorithm, search: search, tasks: [])
        }
        XCTAssertEqual(WireLimits.maxRolloutRules, 6)
        XCTAssertEqual(WireLimits.maxRolloutEndgame, 12)
        for (rules, endgame): (UInt8, UInt8) in [(1, 0), (3, 2), (6, 12), (2, 0), (1, 12)] {
            let frames = encode(.welcome(welcome(rules: rules, endgame: endgame)))
            guard case let .welcome(decoded) = try decode(frames: frames) else {
                return XCTFail("k = \(rules), E = \(endgame) decoded as another kind")
            }
            XCTAssertEqual(decoded.search.rolloutRules, rules)
            XCTAssertEqual(decoded.search.rolloutEndgame, endgame)
            XCTAssertEqual(encode(.welcome(decoded)), frames, "k = \(rules), E = \(endgame) re-encodes the same")
            // The two bytes sit right after λ, before the task count.
            XCTAssertEqual(Array(frames[1].suffix(6)), [rules, endgame, 0, 0, 0, 0])
            // A version-5 welcome (the same body without k and E) is refused, not guessed: its task
            // count's first byte reads as k = 0.
            XCTAssertEqual(
                decodeResult([frames[0], Array(frames[1].dropLast(2 + 4)) + [0, 0, 0, 0]]),
                .failure(.invalidValue(field: "welcome.search.rolloutRules", reason: "must be at least 1")))
        }
        XCTAssertEqual(
            decodeResult(encode(.welcome(welcome(rules: 0, endgame: 0)))),
            .failure(.invalidValue(field: "welcome.search.rolloutRules", reason: "must be at least 1")))
        for rules: UInt8 in [7, 255] {
            XCTAssertEqual(
                decodeResult(encode(.welcome(welcome(rules: rules, endgame: 0)))),
                .failure(.limitExceeded(field: "welcome.search.rolloutRules", value: Int(rules), limit: 6)))
        }
        for endgame: UInt8 in [13, 255] {
            XCTAssertEqual(
                decodeResult(encode(.welcome(welcome(rules: 1, endgame: endgame)))),
                .failure(.limitExceeded(field: "welcome.search.rolloutEndgame", value: Int(endgame), limit: 12)))
        }
        // PPO does not search: its k and E are 0 like every other search field.
        let ppo = welcome(.ppo, rules: 0, endgame: 0)
        XCTAssertEqual(decodeResult(encode(.welcome(ppo))), .success(.welcome(ppo)))
        for (rules, endgame): (UInt8, UInt8) in [(1, 0), (0, 1)] {
            XCTAssertEqual(
                decodeResult(encode(.welcome(welcome(.ppo, rules: rules, endgame: endgame)))),
                .failure(.invalidValue(field: "welcome.search", reason: "must be all zero when the algorithm is ppo")))
        }
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
