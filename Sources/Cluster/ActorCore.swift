import PPO
import Wire

/// An actor's protocol logic (Docs/PROTOCOL.md §4, "Actor"): hello → welcome → weightsRequest →
/// play a batch → episodes → weightsRequest …, reconnecting through `PeerLink` when the
/// coordinator goes away. Playing itself is the shell's job (it takes seconds); the core only says
/// when, which task and with which weights version, and tags the finished episodes.
public struct ActorCore: Sendable {
    public enum Directive: Equatable, Sendable {
        case openFreshSocket
        case closeSocket
        case send(Message)
        case log(LogLine)
        /// A (new) welcome: parse its graphs, size the network for its batch.
        case configure(Welcome)
        /// Load these weights into the policy before the next batch.
        case loadWeights(Weights)
        /// Play one batch of `environmentsPerActor` episodes of task `task` with the policy of
        /// version `policyVersion`, then call `finished`.
        case play(task: Int, policyVersion: UInt64)
        /// Exit (shutdown from the coordinator or a fatal refusal).
        case stop(reason: String)
    }

    public private(set) var link: PeerLink
    /// Version of the weights the policy holds (0 = the initial policy the seed defines).
    public private(set) var policyVersion: UInt64 = 0
    public private(set) var batchesPlayed = 0
    public private(set) var isPlaying = false
    public private(set) var episodesSent: UInt64 = 0
    private var awaitingWeights = false

    public init(hello: Hello, heartbeatIntervalMs: Int = Liveness.heartbeatIntervalMs, liveness: Int = Liveness.missedIntervalsBeforeDead) {
        link = PeerLink(hello: hello, heartbeatIntervalMs: heartbeatIntervalMs, liveness: liveness)
    }

    public var actorId: UInt32? { link.welcome?.actorId }

    public mutating func tick(now: Int, unitRandom: Double) -> [Directive] {
        link.tick(now: now, unitRandom: unitRandom).map(Self.lift)
    }

    public mutating func didSend(now: Int) { link.didSend(now: now) }

    public mutating func receive(_ message: Message, now: Int) -> [Directive] {
        let (event, linkDirectives) = link.receive(message, now: now)
        var out = linkDirectives.map(Self.lift)
        switch event {
        case nil:
            break
        case let .stopped(reason):
            out.append(.stop(reason: reason))
        case let .welcomed(w):
            out.append(.log(LogLine("welcomed as actor \(w.actorId): \(w.tasks.count) task(s), \(w.environmentsPerActor) environments, weights v\(w.weightsVersion)")))
            out.append(.configure(w))
            // A batch still playing reports (and asks for weights) when it finishes.
            if !isPlaying {
                awaitingWeights = true
                out.append(.send(.weightsRequest(haveVersion: policyVersion)))
            }
        case let .message(m):
            out += handle(m)
        }
        return out
    }

    /// The shell finished the batch the last `play` asked for.
    public mutating func finished(_ episodes: [PPO.Episode], now: Int) -> [Directive] {
        isPlaying = false
        guard let id = actorId else {
            return [.log(LogLine("dropped a batch of \(episodes.count) episodes: not connected"))]
        }
        episodesSent += UInt64(episodes.count)
        let wire = episodes.map {
            Wire.Episode(taskIndex: UInt32($0.task), policyVersion: $0.policyVersion, actorId: id, order: $0.order, logProbs: $0.logProbs)
        }
        awaitingWeights = true
        return [.send(.episodes(wire)), .send(.weightsRequest(haveVersion: policyVersion))]
    }

    private mutating func handle(_ message: Message) -> [Directive] {
        switch message {
        case let .weights(w):
            guard awaitingWeights, !isPlaying else { return [.log(LogLine("ignored unrequested weights v\(w.version)", verbose: true))] }
            var out: [Directive] = []
            if w.version > policyVersion {
                policyVersion = w.version
                out.append(.loadWeights(w))
            }
            return out + startBatch()
        case .noNewWeights:
            guard awaitingWeights, !isPlaying else { return [] }
            return startBatch()
        case let .error(e):
            return [.log(LogLine("coordinator error \(e.code): \(e.message)"))]
        default:
            return [.log(LogLine("ignored \(message.kind)", verbose: true))]
        }
    }

    private mutating func startBatch() -> [Directive] {
        guard let w = link.welcome, !w.tasks.isEmpty else { return [] }
        awaitingWeights = false
        isPlaying = true
        let task = batchesPlayed % w.tasks.count
        batchesPlayed += 1
        return [.play(task: task, policyVersion: policyVersion)]
    }

    private static func lift(_ d: PeerLink.Directive) -> Directive {
        switch d {
        case .openFreshSocket: .openFreshSocket
        case .closeSocket: .closeSocket
        case let .send(m): .send(m)
        case let .log(l): .log(l)
        }
    }
}
