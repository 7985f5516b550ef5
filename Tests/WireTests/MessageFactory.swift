@testable import Wire
import Randomness

/// Random valid messages of every kind. Sizes stay small so exhaustive truncation is cheap;
/// strings mix ASCII with 2-, 3- and 4-byte UTF-8; floats are arbitrary bit patterns except
/// NaN unless `allowNaN` (NaN breaks `==`, not the codec).
struct MessageFactory {
    var rng: SplitMix64
    var allowNaN = false

    init(seed: UInt64, allowNaN: Bool = false) {
        rng = SplitMix64(seed: seed)
        self.allowNaN = allowNaN
    }

    private static let alphabet: [Character] = Array("abcXYZ019_-. éß✓漢🙂")

    mutating func int<T: FixedWidthInteger>(_: T.Type = T.self) -> T { T.random(in: T.min...T.max, using: &rng) }
    mutating func count(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

    mutating func string(_ lengths: ClosedRange<Int>) -> String {
        String((0..<count(lengths)).map { _ in Self.alphabet.randomElement(using: &rng)! })
    }

    mutating func float() -> Float {
        while true {
            let f = Float(bitPattern: int(UInt32.self))
            if allowNaN || !f.isNaN { return f }
        }
    }

    mutating func order(_ n: Int) -> [Int32] { (0..<n).map { _ in int(Int32.self) } }

    mutating func episode() -> EpisodeRecord {
        let n = count(1...12)
        return EpisodeRecord(
            taskIndex: int(), policyVersion: int(), actorId: int(), order: order(n),
            logProbs: (0..<n).map { _ in float() })
    }

    /// A valid search game: 1 … 9 moves, each move's π' positive numbers normalised to sum to 1
    /// (in Float, so within the tolerance), now and then a one-hot move.
    mutating func searchGame() -> SearchGameRecord {
        let moves = count(1...9)
        var policies: [Float] = []
        for t in 0..<moves {
            let width = moves - t
            if Bool.random(using: &rng) && width > 1 {
                let hot = count(0...(width - 1))
                policies += (0..<width).map { $0 == hot ? 1 : 0 }
            } else {
                let raw = (0..<width).map { _ in Float.random(in: 0.01...1, using: &rng) }
                let total = raw.reduce(0, +)
                policies += raw.map { $0 / total }
            }
        }
        return SearchGameRecord(
            taskIndex: int(), policyVersion: int(), actorId: int(), cost: int(), order: order(moves),
            policies: policies)
    }

    /// Search settings valid for `algorithm`: all zero with PPO.
    mutating func searchSettings(_ algorithm: AlgorithmCode) -> SearchSettings {
        guard algorithm == .alphazero else { return .none }
        return SearchSettings(
            simulations: UInt32(count(1...WireLimits.maxSimulations)),
            maxConsideredActions: UInt32(count(1...WireLimits.maxOrderLength)),
            cVisit: Double.random(in: 0...100, using: &rng), cScale: Double.random(in: 0...2, using: &rng),
            gumbelScale: Bool.random(using: &rng) ? 1 : 0,
            rolloutWeight: [0, 0.5, 1, Double.random(in: 0...1, using: &rng)][count(0...3)],
            rolloutRules: UInt8(count(1...WireLimits.maxRolloutRules)),
            rolloutEndgame: UInt8(count(0...WireLimits.maxRolloutEndgame)))
    }

    mutating func weights() -> Weights {
        Weights(
            version: UInt64.random(in: 1...UInt64.max, using: &rng), preset: string(1...10),
            parameters: (0..<count(0...20)).map { _ in float() })
    }

    mutating func floats(_ n: Int) -> [Float] { (0..<n).map { _ in float() } }

    /// A valid job: 1 … 3 episodes, per-row values matching their total length, 1 … 3 steps of
    /// 1 … 4 blocks.
    mutating func gradientJob() -> GradientJob {
        let shard = (0..<count(1...3)).map { _ in episode() }
        let rows = shard.reduce(0) { $0 + $1.order.count }
        return GradientJob(
            actorId: int(), round: UInt64.random(in: 1...UInt64.max, using: &rng), preset: string(1...10),
            clipCoef: float(), entropyCoef: float(), valueCoef: float(),
            clipValueLoss: Bool.random(using: &rng), normalizeAdvantages: Bool.random(using: &rng),
            episodes: shard, values: floats(rows), advantages: floats(rows), returns: floats(rows),
            steps: (0..<count(1...3)).map { _ in
                GradientStep(
                    blocks: (0..<count(1...4)).map { _ in BlockKey(task: int(), step: int()) },
                    transitions: float(), advantageMean: float(), advantageStd: float())
            })
    }

    mutating func message(_ kind: MessageKind) -> Message {
        switch kind {
        case .hello:
            return .hello(
                Hello(
                    role: PeerRole.allCases.randomElement(using: &rng)!, host: string(1...16),
                    pid: int(), cores: int(), actorIndex: int()))
        case .welcome:
            let algorithm = AlgorithmCode.allCases.randomElement(using: &rng)!
            return .welcome(
                Welcome(
                    actorId: int(),
                    heartbeatIntervalMs: UInt32.random(in: WireLimits.heartbeatIntervalRangeMs, using: &rng),
                    environmentsPerActor: UInt32(count(0...WireLimits.maxEnvironmentsPerActor)), seed: int(),
                    weightsVersion: int(), algorithm: algorithm, search: searchSettings(algorithm),
                    tasks: (0..<count(0...3)).map { _ in TaskSpec(name: string(1...8), graphText: string(1...40)) }))
        case .heartbeat: return .heartbeat
        case .goodbye: return .goodbye
        case .episodes: return .episodes((0..<count(1...3)).map { _ in episode() })
        case .weightsRequest: return .weightsRequest(haveVersion: int())
        case .weights: return .weights(weights())
        case .noNewWeights: return .noNewWeights(currentVersion: int())
        case .error:
            return .error(ErrorReply(code: ErrorCode.allCases.randomElement(using: &rng)!, message: string(0...30)))
        case .shutdown: return .shutdown(reason: string(0...30))
        case .publishWeights: return .publishWeights(weights())
        case .bestOrder: return .bestOrder(BestOrderNotice(taskIndex: int(), cost: int(), order: order(count(1...15))))
        case .ack: return .ack(Ack(ackedKind: MessageKind.allCases.randomElement(using: &rng)!, value: int()))
        case .statusRequest: return .statusRequest
        case .statusReply:
            return .statusReply(
                StatusReply(
                    weightsVersion: int(),
                    peers: (0..<count(0...3)).map { _ in
                        PeerStatus(
                            id: int(), role: PeerRole.allCases.randomElement(using: &rng)!, host: string(0...12),
                            pid: int(), lastSeenMsAgo: int(), episodes: int(), episodesPerSecond: float())
                    },
                    tasks: (0..<count(0...3)).map { _ in
                        TaskStatus(name: string(1...8), bestCost: Bool.random(using: &rng) ? int() : nil)
                    }))
        case .gradientJob: return .gradientJob(gradientJob())
        case .gradientRequest:
            return .gradientRequest(
                GradientRequest(
                    actorId: int(), round: UInt64.random(in: 1...UInt64.max, using: &rng),
                    step: int(), parameters: floats(count(0...20))))
        case .gradient:
            return .gradient(
                GradientReply(
                    actorId: int(), round: UInt64.random(in: 1...UInt64.max, using: &rng), step: int(),
                    transitions: float(), policyLoss: float(), valueLoss: float(), entropy: float(),
                    approxKL: float(), clipped: float(), computeMicros: int(), gradient: floats(count(0...20))))
        case .gradientUnavailable:
            return .gradientUnavailable(
                GradientUnavailable(
                    actorId: int(), round: UInt64.random(in: 1...UInt64.max, using: &rng),
                    reason: string(0...30)))
        case .episodesDropped: return .episodesDropped(count: UInt32.random(in: 1...UInt32.max, using: &rng))
        case .searchGames: return .searchGames((0..<count(1...3)).map { _ in searchGame() })
        case .trainingOver:
            return .trainingOver(
                TrainingOver(lastVersion: int(), reason: TrainingOver.Reason.allCases.randomElement(using: &rng)!))
        }
    }

    /// One random message of every kind, `rounds` times over.
    mutating func everyKind(rounds: Int) -> [Message] {
        (0..<rounds).flatMap { _ in MessageKind.allCases.map { message($0) } }
    }
}

/// Decodes, turning a thrown `WireError` into a value so tests can inspect it.
func decodeResult(_ frames: [[UInt8]]) -> Result<Message, WireError> {
    do throws(WireError) {
        return .success(try decode(frames: frames))
    } catch {
        return .failure(error)
    }
}

/// Builds a body frame by hand, for layouts the encoder would never produce.
func body(_ write: (inout ByteWriter) -> Void) -> [UInt8] {
    var w = ByteWriter()
    write(&w)
    return w.bytes
}

func header(version: UInt16 = WireProtocol.version, kind: UInt16) -> [UInt8] {
    body { w in
        for b in WireProtocol.magic { w.integer(b) }
        w.integer(version)
        w.integer(kind)
    }
}

extension Result where Failure == WireError {
    /// The error case's name, for asserting which check fired without spelling out its payload.
    var failureKind: String? {
        guard case let .failure(e) = self else { return nil }
        return String(String(describing: Mirror(reflecting: e).children.first?.label ?? "\(e)").prefix { $0 != "(" })
    }
}
