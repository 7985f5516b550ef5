import PPO
import Wire

/// An actor's protocol logic (Docs/PROTOCOL.md §4, "Actor"): hello → welcome → weightsRequest →
/// play a batch → episodes → weightsRequest …, reconnecting through `PeerLink` when the
/// coordinator goes away. Playing itself is the shell's job (it takes seconds); the core only says
/// when, which task and with which weights version, and tags the finished episodes.
///
/// The actor also computes its share of the learner's PPO updates (distributed gradients): a
/// `gradientJob` gives it a shard, each `gradientRequest` one step. The shell runs one thing at a
/// time; gradient work goes first, and no new batch starts while a round is under way (the
/// learner waits for every shard at every step, so a batch played in between would stall it).
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
        /// Play one batch of `environmentsPerActor` games of task `task` with the policy of
        /// version `policyVersion` — PPO episodes, or AlphaZero self-play with the welcome's search
        /// — then call `finished`.
        case play(task: Int, policyVersion: UInt64)
        /// Compute this actor's part of `request.step` of the update `job` describes, then call
        /// `finishedGradient`.
        case computeGradient(job: GradientJob, request: GradientRequest)
        /// Exit (shutdown from the coordinator, the learner's `trainingOver`, or a fatal refusal);
        /// after `trainingOver` the work in progress is abandoned and the actor says goodbye.
        case stop(reason: String)
    }

    public private(set) var link: PeerLink
    /// Version of the weights the policy holds (0 = the initial policy the seed defines).
    public private(set) var policyVersion: UInt64 = 0
    public private(set) var batchesPlayed = 0
    public private(set) var isPlaying = false
    public private(set) var episodesSent: UInt64 = 0
    private var awaitingWeights = false
    /// The newest gradient job, the steps of it waiting, and the last step answered.
    public private(set) var gradientJob: GradientJob?
    private var gradientQueue: [GradientRequest] = []
    private var lastStepAnswered = -1
    private var lastGradientActivityMs = 0
    public private(set) var isComputing = false
    /// Weights (or "no new weights") came while gradient work was going on: play once it is over.
    private var playWhenFree = false
    public private(set) var gradientsSent: UInt64 = 0
    /// The learner's `trainingOver`, once the coordinator passed it on: this actor has stopped for
    /// good (it sends nothing more, and a batch that still finishes is dropped).
    public private(set) var trainingOver: TrainingOver?

    public init(
        hello: Hello, heartbeatIntervalMs: Int = Liveness.heartbeatIntervalMs,
        liveness: Int = Liveness.missedIntervalsBeforeDead
    ) {
        link = PeerLink(hello: hello, heartbeatIntervalMs: heartbeatIntervalMs, liveness: liveness)
    }

    public var actorId: UInt32? { link.welcome?.actorId }

    public mutating func tick(now: Int, unitRandom: Double) -> [Directive] {
        guard trainingOver == nil else { return [] }
        return link.tick(now: now, unitRandom: unitRandom).map(Self.lift) + startWork(now: now)
    }

    public mutating func didSend(now: Int) { link.didSend(now: now) }

    public mutating func receive(_ message: Message, now: Int) -> [Directive] {
        guard trainingOver == nil else { return [] }
        let (event, linkDirectives) = link.receive(message, now: now)
        var out = linkDirectives.map(Self.lift)
        switch event {
        case nil:
            break
        case let .stopped(reason):
            out.append(.stop(reason: reason))
        case let .welcomed(w):
            // A new registration: any gradient work was for the old one.
            gradientJob = nil
            gradientQueue = []
            let s = w.search
            let search =
                w.algorithm == .alphazero
                ? ", alphazero: \(s.simulations) simulations, c_scale \(s.cScale), rollout_weight \(s.rolloutWeight), rollout_rules \(s.rolloutRules), rollout_endgame \(s.rolloutEndgame)"
                : ""
            out.append(
                .log(
                    LogLine(
                        "welcomed as actor \(w.actorId): \(w.tasks.count) task(s), \(w.environmentsPerActor) environments, weights v\(w.weightsVersion)\(search)"
                    )))
            out.append(.configure(w))
            // A batch still playing reports (and asks for weights) when it finishes.
            if !isPlaying {
                awaitingWeights = true
                out.append(.send(.weightsRequest(haveVersion: policyVersion)))
            }
        case let .message(m):
            out += handle(m, now: now)
        }
        return out
    }

    /// The shell finished the gradient step the last `computeGradient` asked for: `reply`, or
    /// `failure` if the shard could not be computed (the learner then computes it itself).
    public mutating func finishedGradient(_ reply: GradientReply?, failure: String? = nil, now: Int) -> [Directive] {
        isComputing = false
        guard trainingOver == nil else { return [] }
        lastGradientActivityMs = now
        var out: [Directive] = []
        if let reply {
            lastStepAnswered = Int(reply.step)
            gradientsSent += 1
            out.append(.send(.gradient(reply)))
        } else if let job = gradientJob {
            out.append(.log(LogLine("cannot compute round \(job.round): \(failure ?? "unknown error")")))
            out.append(
                .send(
                    .gradientUnavailable(
                        GradientUnavailable(actorId: job.actorId, round: job.round, reason: failure ?? "failed"))))
            gradientJob = nil
            gradientQueue = []
        }
        return out + startWork(now: now)
    }

    /// A round is under way while steps of the current job remain and the learner has not gone
    /// quiet for longer than the liveness window (then it computes this shard itself).
    func roundActive(now: Int) -> Bool {
        guard let job = gradientJob, lastStepAnswered + 1 < job.steps.count else { return false }
        return now - lastGradientActivityMs < link.deadAfterMs
    }

    /// What to run next when nothing runs: a waiting gradient step first, then a deferred batch.
    private mutating func startWork(now: Int) -> [Directive] {
        guard !isPlaying, !isComputing else { return [] }
        if let job = gradientJob, !gradientQueue.isEmpty {
            isComputing = true
            return [.computeGradient(job: job, request: gradientQueue.removeFirst())]
        }
        if playWhenFree, !roundActive(now: now) {
            playWhenFree = false
            return startBatch()
        }
        return []
    }

    /// The shell finished the PPO batch the last `play` asked for.
    public mutating func finished(_ episodes: [Episode], now: Int) -> [Directive] {
        finished(episodes, costs: [], now: now)
    }

    /// The shell finished the batch the last `play` asked for, whatever the algorithm (the
    /// welcome's): its games and the costs they computed go out in the algorithm's message kind.
    public mutating func finished<Game: WireGame>(_ games: [Game], costs: [Int], now: Int) -> [Directive] {
        isPlaying = false
        guard trainingOver == nil else { return [] }
        guard let id = actorId else {
            return [.log(LogLine("dropped a batch of \(games.count) games: not connected"))]
        }
        episodesSent += UInt64(games.count)
        awaitingWeights = true
        return [
            .send(Game.message(games, costs: costs, actorId: id)), .send(.weightsRequest(haveVersion: policyVersion)),
        ]
            + startWork(now: now)
    }

    private mutating func handle(_ message: Message, now: Int) -> [Directive] {
        switch message {
        case let .weights(w):
            guard awaitingWeights, !isPlaying else {
                return [.log(LogLine("ignored unrequested weights v\(w.version)", verbose: true))]
            }
            var out: [Directive] = []
            if w.version > policyVersion {
                policyVersion = w.version
                out.append(.loadWeights(w))
            }
            return out + playOrDefer(now: now)
        case .noNewWeights:
            guard awaitingWeights, !isPlaying else { return [] }
            return playOrDefer(now: now)
        case let .gradientJob(job):
            return accept(job, now: now)
        case let .gradientRequest(request):
            return accept(request, now: now)
        case let .trainingOver(notice):
            return stop(notice)
        case let .error(e):
            return [.log(LogLine("coordinator error \(e.code): \(e.message)"))]
        default:
            return [.log(LogLine("ignored \(message.kind)", verbose: true))]
        }
    }

    // Swift 6.3.1's optimiser crashes on this function ("Found ownership error" in
    // CopyPropagation); it is not hot, so it is left unoptimised.
    @_optimize(none)
    private mutating func accept(_ job: GradientJob, now: Int) -> [Directive] {
        let mine = actorId.map { $0 == job.actorId } ?? false
        if !mine { return [.log(LogLine("ignored a gradient job for actor \(job.actorId)"))] }
        gradientJob = job
        gradientQueue = []
        lastStepAnswered = -1
        lastGradientActivityMs = now
        return []
    }

    /// A step of the current job is queued; one for a round this actor has no job for (it
    /// re-registered, or the job was refused) is answered "unavailable" so the learner does it.
    private mutating func accept(_ request: GradientRequest, now: Int) -> [Directive] {
        let known =
            gradientJob.map {
                $0.round == request.round && Int(request.step) < $0.steps.count && $0.actorId == request.actorId
            } ?? false
        if !known {
            let reason = "no gradient job for round \(request.round) step \(request.step)"
            let unavailable = GradientUnavailable(
                actorId: actorId ?? request.actorId, round: request.round, reason: reason)
            return [.send(.gradientUnavailable(unavailable))]
        }
        gradientQueue.append(request)
        lastGradientActivityMs = now
        return startWork(now: now)
    }

    /// Training is over: whatever runs is abandoned (its result would train nothing), nothing
    /// starts again, and the shell exits after saying goodbye.
    private mutating func stop(_ notice: TrainingOver) -> [Directive] {
        trainingOver = notice
        let abandoned =
            isPlaying ? "; abandoning the batch in play" : isComputing ? "; abandoning a gradient step" : ""
        awaitingWeights = false
        playWhenFree = false
        gradientJob = nil
        gradientQueue = []
        return [.stop(reason: notice.description + abandoned)]
    }

    private mutating func playOrDefer(now: Int) -> [Directive] {
        if isComputing || !gradientQueue.isEmpty || roundActive(now: now) {
            awaitingWeights = false
            playWhenFree = true
            return []
        }
        return startBatch()
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
