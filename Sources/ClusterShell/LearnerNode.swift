import Cluster
import Foundation
import NeuralNet
import PPO
import Randomness
import Wire

/// What the learner's shell reports after each update, for the command's log and run files.
public struct LearnerProgress: Sendable {
    public var report: ClusterTrainer.Report
    public var policyVersion: UInt64
    public var queued: Int
    public var droppedStale: UInt64
    public var droppedOverflow: UInt64
    public var seconds: Double
}

/// The learner's shell: a `PeerLink` to the coordinator, `LearnerCore` deciding when to train,
/// and `ClusterTrainer` doing the PPO arithmetic on a background thread so heartbeats continue.
/// With distributed gradients (the default) the actors that played a batch compute its gradients:
/// the learner plans the update, hands each helper a shard and drives `GradientRound` step by step,
/// adding the parts and taking each Adam step itself; otherwise it computes the whole update here.
/// Checkpoints go through the `checkpoint` closure the command provides (the HDF5 format is the
/// Checkpoint module's business, not this loop's).
public final class LearnerNode {
    public let trainer: ClusterTrainer
    public private(set) var core: LearnerCore
    private var link: PeerLink
    private let connection: CoordinatorConnection
    private let log: RoleLog
    /// Stop after this many updates in total (0: until stopped).
    private let maxUpdates: Int
    private let checkpointEvery: Int
    private let checkpoint: ((TrainerSnapshot) throws -> Void)?
    public var onUpdate: ((LearnerProgress) -> Void)?
    private var jitter: Xoshiro256StarStar
    private var lastCheckpointUpdates: Int
    /// Let the actors compute the gradients (cluster.toml `[learner] gradients = "actors"`).
    private let distributed: Bool
    /// How long a step waits for a silent helper before computing its shard here.
    private let roundTimeoutMs: Int
    private var inFlight: InFlight?
    private var jobStarted = 0
    /// When each actor's episodes last arrived: the actors taken to be alive, the helpers of the
    /// next round (any helper can compute any shard; the episodes travel in the job).
    private var lastHeardFrom: [UInt32: Int] = [:]
    private var lastRoundMs = 0

    /// An update whose gradients are being computed by helpers.
    private struct InFlight {
        var prepared: ClusterTrainer.PreparedUpdate
        var round: GradientRound
        var ranges: [Range<Int>]
        var metrics: UpdateMetrics
        /// Shards the learner computes itself, built on first use, and the steps waiting for it.
        var localShards: [Int: GradientShard] = [:]
        var localQueue: [(shard: Int, step: Int)] = []
        /// Optimiser and shuffling state before the round: restored if the learner stops mid-round,
        /// so its last checkpoint holds a whole number of updates.
        var saved: (optimizer: ParameterStore.OptimizerState, rng: Xoshiro256StarStar)
    }

    /// What the one background job produced.
    private enum Work {
        case trained(ClusterTrainer.Report)
        case prepared(ClusterTrainer.PreparedUpdate?, batchCount: Int)
        case computed(shard: Int, step: Int, built: GradientShard, part: GradientRound.Part)
    }

    public init(trainer: ClusterTrainer, core: LearnerCore, connect endpoint: String, security: ClientSecurity?,
                heartbeatIntervalMs: Int, liveness: Int, maxUpdates: Int, checkpointEvery: Int,
                distributedGradients: Bool = true, roundTimeoutMs: Int = 60_000,
                checkpoint: ((TrainerSnapshot) throws -> Void)?, log: RoleLog) throws {
        self.trainer = trainer
        self.core = core
        self.maxUpdates = maxUpdates
        self.checkpointEvery = checkpointEvery
        self.checkpoint = checkpoint
        self.log = log
        distributed = distributedGradients
        self.roundTimeoutMs = roundTimeoutMs
        let pid = UInt32(ProcessInfo.processInfo.processIdentifier)
        link = PeerLink(hello: Hello(role: .learner, host: ProcessInfo.processInfo.hostName, pid: pid,
                                     cores: UInt32(ProcessInfo.processInfo.activeProcessorCount), actorIndex: 0),
                        heartbeatIntervalMs: heartbeatIntervalMs, liveness: liveness)
        connection = try CoordinatorConnection(endpoint: endpoint, security: security, heartbeatIntervalMs: heartbeatIntervalMs,
                                               liveness: liveness, log: log)
        jitter = Xoshiro256StarStar(seed: UInt64(pid), stream: 0x1EA2)
        lastCheckpointUpdates = trainer.updates
    }

    public var isDone: Bool { maxUpdates > 0 && trainer.updates >= maxUpdates }

    /// Trains until `maxUpdates` or `shouldStop`; writes a last checkpoint on the way out.
    public func run(shouldStop: () -> Bool) throws {
        var job: BackgroundJob<Work>?
        // However the loop ends (an error included), let an update in flight finish before the
        // process can exit (BackgroundJob.wait says why).
        defer { job?.wait() }
        // Done or signalled: say goodbye so the coordinator does not report a death.
        defer { if case .stopped = link.phase { connection.close() } else { connection.leave() } }
        while !isDone {
            if shouldStop() && job == nil { break }
            let now = MonotonicClock.nowMs()
            try execute(link.tick(now: now, unitRandom: jitter.nextUniform()))
            if case .stopped = link.phase, job == nil { break }
            if inFlight != nil { try executeRound(inFlight!.round.tick(now: now)) }
            for message in try connection.receive(timeoutMs: 20) {
                let (event, directives) = link.receive(message, now: MonotonicClock.nowMs())
                try execute(directives)
                switch event {
                case nil: break
                case let .stopped(reason):
                    log.line(reason)
                case let .welcomed(w):
                    let served = w.tasks.map(\.name)
                    guard served == trainer.taskNames else {
                        throw ShellError("the coordinator serves \(served.joined(separator: ", ")) but this learner trains \(trainer.taskNames.joined(separator: ", ")); start both with the same cluster.toml")
                    }
                    log.line("welcomed (coordinator weights v\(w.weightsVersion), learner v\(core.policyVersion))")
                    if let version = core.welcomed(coordinatorVersion: w.weightsVersion), job == nil, inFlight == nil { try publish(version) }
                    // Requests sent before the reconnect may be lost: finish this round here.
                    if inFlight != nil { try executeRound(inFlight!.round.takeOverAll(reason: "reconnected to the coordinator")) }
                case let .message(m):
                    try handle(m)
                }
            }
            if let running = job, let result = running.result {
                job = nil
                switch try result.get() {
                case let .trained(report):
                    try completed(report)
                case let .prepared(prepared, count):
                    if let prepared { try startRound(prepared) } else { try completed(trainer.emptyReport(rejected: count)) }
                case let .computed(shard, step, built, part):
                    inFlight?.localShards[shard] = built
                    inFlight?.round.computedHere(shard: shard, step: step, part: part)
                }
            }
            try advanceRound()
            if job == nil, inFlight != nil, !inFlight!.localQueue.isEmpty {
                job = computeLocally(inFlight!.localQueue.removeFirst())
            }
            if job == nil, inFlight == nil, !shouldStop(), !isDone, link.welcome != nil, let batch = core.nextBatch() {
                let trainer = self.trainer
                jobStarted = MonotonicClock.nowMs()
                if distributed {
                    job = BackgroundJob { .prepared(try trainer.prepare(batch), batchCount: batch.count) }
                } else {
                    job = BackgroundJob { .trained(try trainer.train(batch)) }
                }
            }
        }
        if let abandoned = inFlight {
            inFlight = nil
            restore(abandoned.saved)
            log.line("stopped in the middle of update \(trainer.updates + 1); its steps are undone")
        }
        if trainer.updates > lastCheckpointUpdates { try writeCheckpoint() }
    }

    // MARK: Distributed gradients

    /// One shard per actor that played the batch (in the order they first appear), contiguous
    /// and of equal size; jobs out, then the first step's requests.
    private func startRound(_ prepared: ClusterTrainer.PreparedUpdate) throws {
        // Actors heard from within a few rounds; at least the ones that played this batch.
        let now = MonotonicClock.nowMs(), window = max(30_000, 3 * lastRoundMs)
        var helpers = lastHeardFrom.filter { now - $0.value <= window }.keys.sorted()
        for e in prepared.valid where !helpers.contains(e.actor) { helpers.append(e.actor) }
        let n = prepared.valid.count, k = max(1, min(helpers.count, n))
        let ranges = (0..<k).map { (($0 * n) / k)..<((($0 + 1) * n) / k) }
        let round = GradientRound(round: core.policyVersion + 1, helpers: helpers.isEmpty ? [nil] : helpers.prefix(k).map { $0 },
                                  stepCount: prepared.plan.steps.count, timeoutMs: roundTimeoutMs)
        inFlight = InFlight(prepared: prepared, round: round, ranges: ranges,
                            metrics: UpdateMetrics(learningRate: prepared.learningRate, explainedVariance: prepared.plan.explainedVariance),
                            saved: (trainer.network.store.optimizerState(), trainer.learner.rng))
        for (shard, actor) in round.helpers.enumerated() {
            guard let actor else { continue }
            try send(.gradientJob(GradientJob(actorId: actor, round: round.round, preset: trainer.network.config.name,
                                              hp: trainer.learner.hp, prepared: prepared, range: ranges[shard])))
        }
        log.debug("round \(round.round): \(prepared.valid.count) episodes in \(k) shard(s) for actors \(helpers.prefix(k).map(String.init).joined(separator: ", "))")
        try executeRound(inFlight!.round.requestStep(parameters: trainer.network.parameterArray(), now: MonotonicClock.nowMs()))
    }

    private func executeRound(_ directives: [GradientRound.Directive]) throws {
        for d in directives {
            switch d {
            case let .send(m): try send(m)
            case let .log(l): log.write(l)
            case let .computeHere(shard, step): inFlight?.localQueue.append((shard, step))
            }
        }
    }

    /// When every part of the step is in: add them (shard order), take the Adam step, ask for the
    /// next step, or finish the update.
    private func advanceRound() throws {
        guard var update = inFlight, update.round.stepComplete else { return }
        let parts = update.round.completeStep()
        let store = trainer.network.store
        store.zeroGradients()
        var sums = Learner.MinibatchSums()
        for part in parts {
            sums.add(part.sums)
            part.gradient.withUnsafeBufferPointer { g in
                for i in 0..<store.count { store.gradients[i] += g[i] }
            }
        }
        let step = update.prepared.plan.steps[update.round.step - 1]
        try trainer.learner.applyStep(sums, transitions: step.transitions, learningRate: update.prepared.learningRate, metrics: &update.metrics)
        inFlight = update
        if update.round.isFinished {
            inFlight = nil
            lastRoundMs = MonotonicClock.nowMs() - jobStarted
            if update.round.shardsTakenOver > 0 {
                log.line("round \(update.round.round): \(update.round.shardsTakenOver) shard(s) computed here after their actor failed")
            }
            try completed(trainer.finish(update.prepared, metrics: update.metrics))
        } else {
            try executeRound(inFlight!.round.requestStep(parameters: trainer.network.parameterArray(), now: MonotonicClock.nowMs()))
        }
    }

    /// A shard's part computed on this process (its helper failed), on the background thread.
    private func computeLocally(_ work: (shard: Int, step: Int)) -> BackgroundJob<Work> {
        let update = inFlight!
        let parameters = trainer.network.parameterArray()
        let cached = update.localShards[work.shard]
        let (trainer, range) = (self.trainer, update.ranges[work.shard])
        let job = GradientJob(actorId: 0, round: update.round.round, preset: trainer.network.config.name,
                              hp: trainer.learner.hp, prepared: update.prepared, range: range)
        return BackgroundJob {
            let shard = try cached ?? job.shard(specs: trainer.specs)
            let part = try shard.gradient(step: work.step, parameters: parameters)
            return .computed(shard: work.shard, step: work.step, built: shard, part: GradientRound.Part(sums: part.sums, gradient: part.gradient))
        }
    }

    private func restore(_ saved: (optimizer: ParameterStore.OptimizerState, rng: Xoshiro256StarStar)) {
        trainer.network.store.load(saved.optimizer)
        trainer.learner.rng = saved.rng
    }

    // MARK: After an update

    private func completed(_ report: ClusterTrainer.Report) throws {
        core.rejected(count: report.rejected)
        let version = core.updated()
        try publish(version)
        for task in report.improvedTasks {
            if let b = trainer.best[task] {
                try send(.bestOrder(Wire.BestOrder(taskIndex: UInt32(task), cost: UInt64(b.cost), order: b.order.map(Int32.init))))
            }
        }
        onUpdate?(LearnerProgress(report: report, policyVersion: version, queued: core.queuedEpisodes,
                                  droppedStale: core.droppedStale, droppedOverflow: core.droppedOverflow,
                                  seconds: Double(MonotonicClock.nowMs() - jobStarted) / 1000))
        if trainer.updates - lastCheckpointUpdates >= checkpointEvery { try writeCheckpoint() }
    }

    private func handle(_ message: Message) throws {
        switch message {
        case let .episodes(list):
            let now = MonotonicClock.nowMs()
            for e in list { lastHeardFrom[e.actorId] = now }
            for l in core.receive(list) { log.write(l) }
        case let .gradient(reply):
            guard inFlight != nil else { return log.debug("ignored a gradient for round \(reply.round): no round under way") }
            if reply.gradient.count != trainer.network.store.count, let shard = inFlight!.round.helpers.firstIndex(where: { $0 == reply.actorId }) {
                return try executeRound(inFlight!.round.takeOver(shard: shard, reason: "its gradient has \(reply.gradient.count) numbers, not \(trainer.network.store.count)"))
            }
            try executeRound(inFlight!.round.received(reply))
        case let .gradientUnavailable(u):
            // Gone or unwilling: not a helper again until its episodes arrive again.
            lastHeardFrom[u.actorId] = nil
            if inFlight != nil { try executeRound(inFlight!.round.unavailable(u)) }
        case let .ack(a):
            log.debug("coordinator accepted \(a.ackedKind) \(a.value)")
        case let .error(e):
            log.line("coordinator error \(e.code): \(e.message)")
        default:
            log.debug("ignored \(message.kind)")
        }
    }

    private func publish(_ version: UInt64) throws {
        try send(.publishWeights(Weights(version: version, preset: trainer.network.config.name, parameters: trainer.network.parameterArray())))
    }

    private func send(_ message: Message) throws {
        if try connection.send(message) { link.didSend(now: MonotonicClock.nowMs()) }
    }

    private func writeCheckpoint() throws {
        guard let checkpoint else { return }
        try checkpoint(trainer.snapshot(policyVersion: core.policyVersion))
        lastCheckpointUpdates = trainer.updates
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
