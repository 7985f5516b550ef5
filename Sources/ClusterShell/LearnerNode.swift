import Cluster
import Foundation
import NeuralNet
import PPO
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
/// and `ClusterTrainer` running each PPO update on a background thread so heartbeats continue.
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

    public init(trainer: ClusterTrainer, core: LearnerCore, connect endpoint: String, security: ClientSecurity?,
                heartbeatIntervalMs: Int, liveness: Int, maxUpdates: Int, checkpointEvery: Int,
                checkpoint: ((TrainerSnapshot) throws -> Void)?, log: RoleLog) throws {
        self.trainer = trainer
        self.core = core
        self.maxUpdates = maxUpdates
        self.checkpointEvery = checkpointEvery
        self.checkpoint = checkpoint
        self.log = log
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
        var job: BackgroundJob<ClusterTrainer.Report>?
        // However the loop ends (an error included), let an update in flight finish before the
        // process can exit (BackgroundJob.wait says why).
        defer { job?.wait() }
        var jobStarted = 0
        defer { connection.close() }
        while !isDone {
            if shouldStop() && job == nil { break }
            let now = MonotonicClock.nowMs()
            try execute(link.tick(now: now, unitRandom: jitter.nextUniform()))
            if case .stopped = link.phase, job == nil { break }
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
                    if let version = core.welcomed(coordinatorVersion: w.weightsVersion), job == nil { try publish(version) }
                case let .message(m):
                    handle(m)
                }
            }
            if let running = job, let result = running.result {
                job = nil
                let report = try result.get()
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
            if job == nil, !shouldStop(), !isDone, link.welcome != nil, let batch = core.nextBatch() {
                let trainer = self.trainer
                jobStarted = MonotonicClock.nowMs()
                job = BackgroundJob { try trainer.train(batch) }
            }
        }
        if trainer.updates > lastCheckpointUpdates { try writeCheckpoint() }
    }

    private func handle(_ message: Message) {
        switch message {
        case let .episodes(list):
            for l in core.receive(list) { log.write(l) }
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
