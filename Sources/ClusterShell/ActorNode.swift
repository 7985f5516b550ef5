import AlphaZero
import Cluster
import Console
import Elimination
import Foundation
import NeuralNet
import PPO
import Randomness
import Wire

/// One actor process's shell: `ActorCore` decides, this carries it out — the DEALER, parsing the
/// welcome's graphs, loading weights, and playing each batch on a background thread so the link
/// keeps heartbeating while the policy runs. The welcome's algorithm picks the player: PPO's
/// `Actor` samples the policy, AlphaZero's `SelfPlay` runs the welcome's Gumbel search at every
/// move (leaves evaluated in batches by the same network); the loop is the same.
public final class ActorNode {
    private var core: ActorCore
    private let connection: CoordinatorConnection
    private let log: RoleLog
    /// The network preset used until weights name one (the initial policy the seed defines).
    private let initialPreset: NetworkConfig
    private var network: PolicyNetwork?
    /// Plays a batch with the current network: the welcome's algorithm's player.
    private var player: Player?
    private var specs: [GameSpec] = []
    private var environments = 0
    private var jitter: Xoshiro256StarStar
    /// A welcome that arrived while a batch or gradient step was running; applied when it finishes.
    private var deferredWelcome: Welcome?
    /// The shard of the current gradient round, built on its first step.
    private var shard: (round: UInt64, shard: GradientShard)?

    /// What the one background job of this actor produced.
    enum Work {
        case played([Episode])
        case searched([SearchEpisode], costs: [Int])
        case gradient(round: UInt64, shard: GradientShard?, reply: GradientReply?, failure: String?)
    }
    public private(set) var stopReason: String?

    public init(
        connect endpoint: String, security: ClientSecurity?, actorIndex: Int, preset: NetworkConfig,
        heartbeatIntervalMs: Int, liveness: Int, log: RoleLog
    ) throws {
        let pid = UInt32(ProcessInfo.processInfo.processIdentifier)
        core = ActorCore(
            hello: Hello(
                role: .actor, host: ProcessInfo.processInfo.hostName, pid: pid,
                cores: UInt32(ProcessInfo.processInfo.activeProcessorCount), actorIndex: UInt32(actorIndex)),
            heartbeatIntervalMs: heartbeatIntervalMs, liveness: liveness)
        connection = try CoordinatorConnection(
            endpoint: endpoint, security: security, heartbeatIntervalMs: heartbeatIntervalMs,
            liveness: liveness, log: log)
        self.log = log
        initialPreset = preset
        // Backoff jitter only; different per process so a worker's actors spread out.
        jitter = Xoshiro256StarStar(seed: UInt64(pid) << 8 | UInt64(actorIndex & 0xff), stream: 0xBAC0)
    }

    /// Why the coordinator turned this actor away for good (another protocol version), if it did.
    public var refusal: String? { core.link.refusal }

    /// Plays until the coordinator says shutdown or `shouldStop`.
    public func run(shouldStop: () -> Bool) throws {
        var job: BackgroundJob<Work>?
        // Leaving on our own (a signal): say goodbye so the coordinator forgets us at once.
        defer { if case .stopped = core.link.phase { connection.close() } else { connection.leave() } }
        // However the loop ends, let a batch in flight finish before the process can exit
        // (BackgroundJob.wait says why).
        defer { job?.wait() }
        while stopReason == nil {
            if shouldStop() {
                stopReason = "signal"
                break
            }
            try execute(core.tick(now: monotonicMilliseconds(), unitRandom: jitter.nextUniform()), job: &job)
            for message in try connection.receive(timeoutMs: 20) {
                try execute(core.receive(message, now: monotonicMilliseconds()), job: &job)
            }
            if let running = job, let result = running.result {
                job = nil
                // A welcome that came while the job ran takes effect before anything new starts.
                if let w = deferredWelcome {
                    deferredWelcome = nil
                    try configure(w)
                }
                switch try result.get() {
                case let .played(episodes):
                    try execute(core.finished(episodes, now: monotonicMilliseconds()), job: &job)
                case let .searched(games, costs):
                    try execute(core.finished(games, costs: costs, now: monotonicMilliseconds()), job: &job)
                case let .gradient(round, built, reply, failure):
                    if let built { shard = (round, built) }
                    try execute(core.finishedGradient(reply, failure: failure, now: monotonicMilliseconds()), job: &job)
                }
            }
        }
        log.line(
            "stopped (\(stopReason ?? "")): \(core.episodesSent) episodes sent in \(core.batchesPlayed) batches, \(core.gradientsSent) gradient parts"
        )
    }

    private func execute(_ directives: [ActorCore.Directive], job: inout BackgroundJob<Work>?) throws {
        for d in directives {
            switch d {
            case .openFreshSocket: try connection.openFresh()
            case .closeSocket: connection.close()
            case let .send(m):
                if try connection.send(m) { core.didSend(now: monotonicMilliseconds()) }
            case let .log(l): log.write(l)
            case let .configure(w):
                if job == nil { try configure(w) } else { deferredWelcome = w }
            case let .loadWeights(w):
                try load(w)
            case let .play(task, version):
                guard let player, task < specs.count else {
                    throw ShellError("asked to play task \(task) before a welcome")
                }
                let spec = specs[task], count = environments
                job = BackgroundJob(cancellable: { try player.play(spec, task, count, version, $0) })
            case let .computeGradient(gradientJob, request):
                let cached = shard?.round == gradientJob.round ? shard?.shard : nil
                let specs = self.specs
                job = BackgroundJob {
                    do {
                        let start = monotonicMicroseconds()
                        let built = try cached ?? gradientJob.shard(specs: specs)
                        let part = try built.gradient(step: Int(request.step), parameters: request.parameters)
                        var reply = GradientReply(answering: request, sums: part.sums, gradient: part.gradient)
                        reply.computeMicros = UInt32(clamping: monotonicMicroseconds() - start)
                        return .gradient(round: gradientJob.round, shard: built, reply: reply, failure: nil)
                    } catch {
                        return .gradient(round: gradientJob.round, shard: nil, reply: nil, failure: "\(error)")
                    }
                }
            case let .stop(reason):
                stopReason = reason
                // Training is over, or the coordinator is going: a batch in play would train
                // nothing, so it stops at its next move (its result is never looked at).
                job?.cancel()
            }
        }
    }

    /// Parses the welcome's graphs (a graph it cannot read is fatal: Docs/PROTOCOL.md §3) and
    /// sizes the network; an existing network keeps its weights.
    private func configure(_ w: Welcome) throws {
        log.prefix = "actor \(w.actorId)"
        specs = try w.tasks.map { task in
            do {
                return GameSpec(graph: try GraphFile.read(task.graphText, path: task.name))
            } catch {
                throw ShellError("cannot read the graph of task \(task.name) sent by the coordinator: \(error)")
            }
        }
        environments = Int(w.environmentsPerActor)
        let tokens = specs.map(TokenFeatures.maxTokens).max() ?? 1
        let config = network?.config ?? initialPreset
        if network == nil || network!.maxBatch < environments || network!.maxTokens < tokens {
            let previous = network?.parameterArray()
            let fresh = try PolicyNetwork(config: config, maxBatch: environments, maxTokens: tokens, seed: w.seed)
            if let previous { try fresh.loadParameters(previous) }
            network = fresh
        }
        player = try Player(w, network: network!, carrying: nil)
    }

    private func load(_ w: Weights) throws {
        guard let current = network, let welcome = core.link.welcome else { return }
        if w.preset != current.config.name {
            guard let config = NetworkConfig.preset(w.preset) else {
                throw ShellError(
                    "weights v\(w.version) use unknown preset '\(PrintableText.escaped(w.preset, maxCharacters: 64))'")
            }
            network = try PolicyNetwork(
                config: config, maxBatch: current.maxBatch, maxTokens: current.maxTokens, seed: welcome.seed)
            player = try Player(welcome, network: network!, carrying: player)
        }
        do {
            try network!.loadParameters(w.parameters)
        } catch {
            throw ShellError(
                "weights v\(w.version) do not fit preset \(PrintableText.escaped(w.preset, maxCharacters: 64)): \(error)"
            )
        }
        log.debug("loaded weights v\(w.version)")
    }
}

extension ActorNode {
    /// The welcome's algorithm's player on the actor's network, behind one call the loop makes.
    /// Its stream comes from (seed, actor id): reproducible for a given registration.
    struct Player {
        /// (spec, task, games, policy version, abandon): a batch; AlphaZero's stops at the next
        /// move once `abandon` says so (a PPO batch takes milliseconds and finishes).
        let play: (GameSpec, Int, Int, UInt64, _ abandon: @escaping () -> Bool) throws -> Work
        let rng: () -> Xoshiro256StarStar
        let setRNG: (Xoshiro256StarStar) -> Void

        /// `carrying`: a player whose stream continues (the network was rebuilt for a new preset).
        init(_ w: Welcome, network: PolicyNetwork, carrying previous: Player?) throws {
            switch w.algorithm {
            case .ppo:
                let actor = PPO.Actor(network: network, seed: w.seed, id: w.actorId)
                play = { spec, task, count, version, _ in
                    .played(try actor.play(spec, task: task, count: count, policyVersion: version).episodes)
                }
                rng = { actor.rng }
                setRNG = { actor.rng = $0 }
            case .alphazero:
                let selfPlay: SelfPlay
                do {
                    selfPlay = try SelfPlay.playing(w, network: NetworkLeafEvaluator(network: network))
                } catch {
                    throw ShellError("the coordinator's search settings cannot run: \(error)")
                }
                play = { spec, task, count, version, abandon in
                    let played = try selfPlay.play(
                        spec, task: task, count: count, policyVersion: version, abandon: abandon)
                    return .searched(played.episodes, costs: played.costs)
                }
                rng = { selfPlay.rng }
                setRNG = { selfPlay.rng = $0 }
            }
            if let previous { setRNG(previous.rng()) }
        }
    }
}
