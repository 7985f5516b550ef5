import Cluster
import Console
import Foundation
import NeuralNet
import PPO
import Randomness
import Wire

/// Where a distributed update's step went on the learner (`LearnerNode.stepTimings`, the last
/// update's steps), µs: encoding and sending the step's requests (one per helper), waiting from
/// the last send until every part is in (the coordinator's hops, the helpers' compute, the
/// slowest helper), and the optimiser step on the sum with the next parameters' copy.
public struct StepTiming: Equatable, Sendable {
    public var helpers: Int
    public var sendMicros: Int
    public var waitMicros: Int
    public var applyMicros: Int
    /// The median of the helpers' reported compute (`gradient.computeMicros`).
    public var computeMicros: Int
}

/// What the learner's shell reports after each update, for the command's log and run files.
public struct LearnerProgress: Sendable {
    public var report: UpdateReport
    public var queued: Int
    /// Every episode dropped so far in this process, by reason (queue and trainer together).
    public var drops: EpisodeDrops
    public var seconds: Double
}

/// The learner's shell, for any algorithm: it only moves bytes and runs background jobs. A
/// `PeerLink` to the coordinator, `LearnerCore` deciding when to train (and which games to
/// refuse), the one `AlgorithmTrainer` doing the arithmetic on a background thread so heartbeats
/// continue, and with distributed gradients (PPO's default, `DistributedSteps`) a `GradientRound`
/// deciding everything about each update's helpers, shards, parts and undo, with
/// `GradientHelpers` remembering helpers across rounds. AlphaZero's updates are always taken
/// here: its minibatches come from the learner's replay buffer, which actors do not hold.
/// Run files and checkpoints are the command's (`onUpdate`, and a last one after `run`).
public final class LearnerNode<Algorithm: TrainingAlgorithm> where Algorithm.Game: WireGame {
    public let trainer: AlgorithmTrainer<Algorithm>
    public private(set) var core: LearnerCore<Algorithm.Game>
    public private(set) var helpers: GradientHelpers
    private var link: PeerLink
    private let connection: CoordinatorConnection
    private let log: RoleLog
    /// Stop after this many updates in total (0: until stopped).
    private let maxUpdates: Int
    /// After each update (run files, checkpoints); an error stops the learner.
    public var onUpdate: ((LearnerProgress) throws -> Void)?
    private var jitter: Xoshiro256StarStar
    /// Let the actors compute the gradients (cluster.toml `[learner] gradients = "actors"`, PPO);
    /// nil: every update here.
    private let distributed: DistributedSteps<Algorithm>?
    private var inFlight: InFlight?
    /// Fewest episodes per gradient shard (GradientRound): bounds the helpers per update.
    private let minShardEpisodes: Int
    /// Size the helpers to the measured compute and communication (`GradientHelpers.helperCount`);
    /// false: one helper per `minShardEpisodes` episodes of the batch, as many as are heard from
    /// (the behaviour before protocol 4, kept for `ccelim bench coordinator --unsized-helpers`).
    private let sizeHelpers: Bool
    private var jobStarted = 0
    /// What the coordinator's welcome must say the actors play (this learner's algorithm and
    /// search: on `--resume`, the checkpoint's); nil: not checked. A welcome that says otherwise
    /// stops the learner (`SearchAgreement.welcomeProblem`): it would train on games of another search.
    private let expectedPlay: (algorithm: AlgorithmCode, search: SearchSettings)?
    /// The last distributed update's steps (the one under way while it runs).
    public private(set) var stepTimings: [StepTiming] = []
    /// When the current step's requests had all been sent (µs), and what sending them took.
    private var stepSent = (at: 0, micros: 0)

    /// An update whose gradients are being computed by helpers.
    private struct InFlight {
        var prepared: AlgorithmTrainer<Algorithm>.PreparedUpdate
        var round: GradientRound
        var metrics: UpdateMetrics
        /// Shards the learner computes itself, built on first use, and the steps waiting for it.
        var localShards: [Int: GradientShard] = [:]
        var localQueue: [(shard: Int, step: Int)] = []
    }

    /// What the one background job produced.
    private enum Work {
        case trained(UpdateReport?, batchCount: Int)
        case prepared(AlgorithmTrainer<Algorithm>.Preparation, batchCount: Int)
        case computed(shard: Int, step: Int, built: GradientShard, part: GradientRound.Part)
    }

    /// `roundTimeoutMs` is the gradient timeout until the run has measured its step times.
    public init(
        trainer: AlgorithmTrainer<Algorithm>, core: LearnerCore<Algorithm.Game>, connect endpoint: String,
        security: ClientSecurity?, heartbeatIntervalMs: Int, liveness: Int, maxUpdates: Int,
        distributed: DistributedSteps<Algorithm>?, roundTimeoutMs: Int = 60_000, minShardEpisodes: Int = 1,
        sizeHelpers: Bool = true, expectedPlay: (algorithm: AlgorithmCode, search: SearchSettings)? = nil,
        log: RoleLog
    ) throws {
        self.expectedPlay = expectedPlay
        self.minShardEpisodes = minShardEpisodes
        self.sizeHelpers = sizeHelpers
        self.trainer = trainer
        self.core = core
        self.maxUpdates = maxUpdates
        self.log = log
        self.distributed = distributed
        helpers = GradientHelpers(initialTimeoutMs: roundTimeoutMs)
        let pid = UInt32(ProcessInfo.processInfo.processIdentifier)
        link = PeerLink(
            hello: Hello(
                role: .learner, host: ProcessInfo.processInfo.hostName, pid: pid,
                cores: UInt32(ProcessInfo.processInfo.activeProcessorCount), actorIndex: 0),
            heartbeatIntervalMs: heartbeatIntervalMs, liveness: liveness, endpoint: endpoint)
        connection = try CoordinatorConnection(
            endpoint: endpoint, security: security, heartbeatIntervalMs: heartbeatIntervalMs,
            liveness: liveness, log: log)
        jitter = Xoshiro256StarStar(seed: UInt64(pid), stream: 0x1EA2)
    }

    /// Why the coordinator turned this learner away for good (another learner holds the run), if it did.
    public var refusal: String? { link.refusal }

    public var isDone: Bool { maxUpdates > 0 && trainer.updates >= maxUpdates }

    /// Every episode dropped so far, by reason.
    public var drops: EpisodeDrops {
        var all = core.drops
        all.add(trainer.refused)
        return all
    }

    /// Trains until `maxUpdates` or `shouldStop`. An update stopped half way is undone, so the
    /// trainer then holds a whole number of updates (for the command's last checkpoint). Then, if
    /// training is over for good (its updates are done, or `finalDecode` follows:
    /// `LearnerCore.trainingOver`), tells the coordinator, which tells every actor to stop.
    public func run(shouldStop: () -> Bool, finalDecode: Bool = false) throws {
        var job: BackgroundJob<Work>?
        // However the loop ends (an error included), let an update in flight finish before the
        // process can exit (BackgroundJob.wait says why).
        defer { job?.wait() }
        // Done or signalled: say goodbye so the coordinator does not report a death.
        defer { if case .stopped = link.phase { connection.close() } else { connection.leave() } }
        while !isDone {
            if shouldStop() && job == nil { break }
            let now = monotonicMilliseconds()
            try execute(link.tick(now: now, unitRandom: jitter.nextUniform()))
            if case .stopped = link.phase, job == nil { break }
            try withRound { $0.tick(now: now) }
            for message in try connection.receive(timeoutMs: 20) {
                let (event, directives) = link.receive(message, now: monotonicMilliseconds())
                try execute(directives)
                switch event {
                case nil: break
                case let .stopped(reason):
                    log.line(reason)
                case let .welcomed(w):
                    let served = w.tasks.map(\.name)
                    guard served == trainer.taskNames else {
                        throw ShellError(
                            "the coordinator serves \(served.joined(separator: ", ")) but this learner trains \(trainer.taskNames.joined(separator: ", ")); start both with the same cluster.toml"
                        )
                    }
                    if let expectedPlay,
                        let problem = SearchAgreement.welcomeProblem(
                            algorithm: w.algorithm, search: w.search, expected: expectedPlay)
                    {
                        throw ShellError(problem)
                    }
                    log.line("welcomed (coordinator weights v\(w.weightsVersion), learner v\(core.policyVersion))")
                    if let version = core.welcomed(coordinatorVersion: w.weightsVersion), job == nil, inFlight == nil {
                        trainer.adopt(policyVersion: version)
                        try publish(version)
                    }
                    // Requests sent before the reconnect may be lost: finish this round here.
                    try withRound { $0.takeOverAll(reason: "reconnected to the coordinator") }
                case let .message(m):
                    try handle(m)
                }
            }
            if let running = job, let result = running.result {
                job = nil
                switch try result.get() {
                case let .trained(report, count):
                    if let report { try completed(report) } else { try nothingTrainable(count) }
                case let .prepared(.update(prepared), _):
                    try startRound(prepared)
                case let .prepared(.nothingTrainable, count):
                    try nothingTrainable(count)
                case let .computed(shard, step, built, part):
                    inFlight?.localShards[shard] = built
                    try withRound {
                        $0.computedHere(shard: shard, step: step, part: part)
                        return []
                    }
                }
            }
            try advanceRound()
            if job == nil, let next = inFlight?.localQueue.first {
                inFlight?.localQueue.removeFirst()
                job = computeLocally(next)
            }
            if job == nil, inFlight == nil, !shouldStop(), !isDone, link.welcome != nil, let batch = core.nextBatch() {
                let trainer = self.trainer
                jobStarted = monotonicMilliseconds()
                if distributed != nil {
                    job = BackgroundJob { .prepared(try trainer.prepare(batch), batchCount: batch.count) }
                } else {
                    job = BackgroundJob { .trained(try trainer.train(batch), batchCount: batch.count) }
                }
            }
        }
        if let abandoned = inFlight, let distributed {
            inFlight = nil
            distributed.undo(abandoned.round.undo)
            log.line("stopped in the middle of update \(trainer.updates + 1); its steps are undone")
        }
        trainer.adopt(policyVersion: core.policyVersion)
        // Before the goodbye (the deferred `leave`), on the same socket, so it goes out first.
        if link.welcome != nil, let notice = core.trainingOver(budgetReached: isDone, finalDecode: finalDecode) {
            try send(.trainingOver(notice))
            log.line("\(notice.description); told the coordinator, which stops the actors")
        }
    }

    // MARK: Distributed gradients

    /// The round decides helpers and shards; jobs out, then the first step's requests.
    private func startRound(_ prepared: AlgorithmTrainer<Algorithm>.PreparedUpdate) throws {
        guard let distributed else { throw ShellError("a distributed round without distributed steps") }
        let now = monotonicMilliseconds()
        let round = GradientRound(
            round: core.policyVersion + 1, episodeCount: prepared.episodes.count,
            candidates: helpers.candidates(now: now, playedBy: prepared.episodes.map(\.record.actor)),
            stepCount: trainer.algorithm.stepCount(of: prepared.work), parameterCount: trainer.network.store.count,
            timeoutMs: helpers.timeoutMs, normBound: helpers.normBound, undo: distributed.undoPoint(),
            minShardEpisodes: minShardEpisodes,
            maxHelpers: sizeHelpers
                ? helpers.helperCount(
                    episodes: prepared.episodes.count, available: .max, minShardEpisodes: minShardEpisodes) : .max)
        inFlight = InFlight(
            prepared: prepared, round: round,
            metrics: distributed.metrics(prepared))
        for (shard, actor) in round.helpers.enumerated() {
            guard let actor else { continue }
            try send(.gradientJob(distributed.job(actor, round.round, prepared, round.ranges[shard])))
        }
        log.debug(
            "round \(round.round): \(prepared.episodes.count) episodes in \(round.ranges.count) shard(s) for actors \(round.helpers.map { $0.map(String.init) ?? "learner" }.joined(separator: ", ")), timeout \(helpers.timeoutMs) ms, norm bound \(helpers.normBound), measured ms per helper and per episode \(helpers.estimates.map { "\($0.perHelperMs), \($0.perEpisodeMs)" } ?? "none yet")"
        )
        let parameters = trainer.network.parameterArray()
        stepTimings = []
        try requestStep(parameters: parameters, now: now)
    }

    /// The round's requests for its current step, sent and timed: every helper gets the same
    /// parameters, so they are encoded once (`GradientRequest.encodeStep`).
    private func requestStep(parameters: [Float], now: Int) throws {
        let start = monotonicMicroseconds()
        var requests: [GradientRequest] = []
        try withRound { round in
            round.requestStep(parameters: parameters, now: now).filter {
                guard case let .send(.gradientRequest(r)) = $0 else { return true }
                requests.append(r)
                return false
            }
        }
        if let first = requests.first {
            let encoded = GradientRequest.encodeStep(
                actorIds: requests.map(\.actorId), round: first.round, step: first.step, parameters: parameters)
            for frames in encoded where try connection.send(frames: frames) {
                link.didSend(now: monotonicMilliseconds())
            }
        }
        let end = monotonicMicroseconds()
        stepSent = (end, end - start)
    }

    /// Runs `body` on the round in flight (if any) and carries out its directives.
    private func withRound(_ body: (inout GradientRound) -> [GradientRound.Directive]) throws {
        guard var update = inFlight else { return }
        let directives = body(&update.round)
        inFlight = update
        for d in directives {
            switch d {
            case let .send(m): try send(m)
            case let .log(l): log.write(l)
            case let .computeHere(shard, step): inFlight?.localQueue.append((shard, step))
            }
        }
    }

    /// When every part of the step is in: the trainer takes the step on the round's sum, then the
    /// next step's requests go out, or the update is finished.
    private func advanceRound() throws {
        guard var update = inFlight, update.round.stepComplete, let distributed else { return }
        let complete = monotonicMicroseconds()
        let sampled = update.round.stepSamples.count
        let done = update.round.completeStep()
        try distributed.applyStep(done.index, update.prepared, done.sum.sums, done.sum.gradient, &update.metrics)
        inFlight = update
        let now = monotonicMilliseconds()
        let parameters = update.round.isFinished ? [] : trainer.network.parameterArray()
        stepTimings.append(
            StepTiming(
                helpers: update.round.helpers.count, sendMicros: stepSent.micros, waitMicros: complete - stepSent.at,
                applyMicros: monotonicMicroseconds() - complete,
                computeMicros: update.round.stepSamples.count > sampled
                    ? Int((update.round.stepSamples.last?.computeMs ?? 0) * 1000) : 0))
        guard update.round.isFinished else {
            return try requestStep(parameters: parameters, now: now)
        }
        inFlight = nil
        for line in helpers.absorb(update.round, durationMs: now - jobStarted) { log.write(line) }
        if update.round.shardsTakenOver > 0 {
            log.line(
                "round \(update.round.round): \(update.round.shardsTakenOver) shard(s) computed here after their actor failed"
            )
        }
        try completed(trainer.finish(update.prepared, metrics: update.metrics))
    }

    /// A shard's part computed on this process (no helper, or its helper failed), on the background thread.
    private func computeLocally(_ work: (shard: Int, step: Int)) -> BackgroundJob<Work>? {
        guard let update = inFlight, let distributed else { return nil }
        let parameters = trainer.network.parameterArray()
        let cached = update.localShards[work.shard]
        let trainer = self.trainer
        let job = distributed.job(0, update.round.round, update.prepared, update.round.ranges[work.shard])
        return BackgroundJob {
            let shard = try cached ?? job.shard(specs: trainer.specs)
            let part = try shard.gradient(step: work.step, parameters: parameters)
            return .computed(
                shard: work.shard, step: work.step, built: shard,
                part: GradientRound.Part(sums: part.sums, gradient: part.gradient))
        }
    }

    // MARK: After an update

    private func completed(_ report: UpdateReport) throws {
        let version = core.updated()
        trainer.adopt(policyVersion: version)
        var report = report
        report.policyVersion = version
        try publish(version)
        for task in report.improvedTasks {
            if let best = trainer.bestByTask[task] { try send(.bestOrder(BestOrderNotice(task: task, best: best))) }
        }
        try onUpdate?(
            LearnerProgress(
                report: report, queued: core.queuedEpisodes, drops: drops,
                seconds: Double(monotonicMilliseconds() - jobStarted) / 1000))
    }

    /// A batch with no trainable episode is not an update: no new version, no log row.
    private func nothingTrainable(_ count: Int) throws {
        core.batchUntrainable(count)
        try reportDrops()
        log.line("a batch of \(count) episodes had none to train on; not an update (dropped so far: \(drops.summary))")
    }

    private func handle(_ message: Message) throws {
        switch message {
        case .episodes, .searchGames:
            guard let games = Algorithm.Game.games(in: message) else {
                return log.line("ignored \(message.kind): this learner trains \(Algorithm.kind.rawValue)")
            }
            let now = monotonicMilliseconds()
            for e in games { helpers.heard(from: e.record.actor, now: now) }
            for l in core.receive(games) { log.write(l) }
            try reportDrops()
        case let .gradient(reply):
            guard inFlight != nil else {
                return log.debug("ignored a gradient for round \(reply.round): no round under way")
            }
            let now = monotonicMilliseconds()
            try withRound { $0.received(reply, now: now) }
        case let .gradientUnavailable(u):
            helpers.unavailable(u.actorId)
            try withRound { $0.unavailable(u) }
        case let .ack(a):
            log.debug("coordinator accepted \(a.ackedKind) \(a.value)")
        case let .error(e):
            log.line("coordinator error \(e.code): \(e.message)")
        default:
            log.debug("ignored \(message.kind)")
        }
    }

    /// Refused episodes stop counting towards the coordinator's backpressure bound.
    private func reportDrops() throws {
        if let count = core.takeDropReport() { try send(.episodesDropped(count: count)) }
    }

    private func publish(_ version: UInt64) throws {
        try send(
            .publishWeights(
                Weights(
                    version: version, preset: trainer.network.config.name, parameters: trainer.network.parameterArray())
            ))
    }

    private func send(_ message: Message) throws {
        if try connection.send(message) { link.didSend(now: monotonicMilliseconds()) }
    }

    private func execute(_ directives: [PeerLink.Directive]) throws {
        for d in directives {
            switch d {
            case .openFreshSocket: try connection.openFresh()
            case .closeSocket: connection.close()
            case let .send(m): try send(m)
            case let .log(l): log.write(l)
            }
        }
    }
}

/// How an algorithm's update is split into gradient parts that actors compute (`GradientRound`,
/// cluster.toml `[learner] gradients = "actors"`): the job that describes a shard, the metrics a
/// round starts from, and the optimiser step on a summed gradient. PPO's only (`ppo`): an
/// AlphaZero update draws its minibatches from the learner's replay buffer, which actors do not
/// hold, so its steps are taken on the learner.
public struct DistributedSteps<Algorithm: TrainingAlgorithm> {
    public typealias Prepared = AlgorithmTrainer<Algorithm>.PreparedUpdate
    let job: (_ actorId: UInt32, _ round: UInt64, _ prepared: Prepared, _ range: Range<Int>) -> GradientJob
    let metrics: (Prepared) -> UpdateMetrics
    /// The trainer's undo point before a round, and the way back to it.
    let undoPoint: () -> Trainer.UndoPoint
    let undo: (Trainer.UndoPoint) -> Void
    let applyStep:
        (_ index: Int, _ prepared: Prepared, _ sums: Learner.MinibatchSums, _ gradient: [Float], inout UpdateMetrics)
            throws -> Void
}

extension DistributedSteps where Algorithm == Learner {
    /// PPO's: shards of the replayed batch, the trainer's own optimiser step.
    public static func ppo(_ trainer: Trainer) -> DistributedSteps<Learner> {
        DistributedSteps(
            job: { actor, round, prepared, range in
                GradientJob(
                    actorId: actor, round: round, preset: trainer.network.config.name, hp: trainer.learner.hp,
                    prepared: prepared, range: range)
            },
            metrics: {
                UpdateMetrics(learningRate: $0.learningRate, explainedVariance: $0.plan.explainedVariance)
            },
            undoPoint: { trainer.undoPoint() }, undo: { trainer.undo(to: $0) },
            applyStep: { index, prepared, sums, gradient, metrics in
                try trainer.applyStep(index, of: prepared, sums: sums, gradient: gradient, metrics: &metrics)
            })
    }
}
