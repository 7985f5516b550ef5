import Cluster
import ClusterShell
import Console
import Elimination
import Foundation
import PPO
import Randomness
import Wire

/// Many actors against one coordinator, in one process (`ccelim bench coordinator`, issue 18):
/// the real `CoordinatorServer` (shell and `CoordinatorCore`) on a loopback ROUTER, N simulated
/// actors (`SimulatedFleet`: the real `ActorCore` and codec, canned batches, zero gradients) and
/// two learners, one per phase:
///
/// 1. **Routing**: a `SinkLearner` (real protocol, an update that costs nothing) publishes new
///    weights of the preset's size every `numEnvs` episodes, so the coordinator is what limits
///    the episode rate. Measured over `seconds`: episodes routed per second, weights fan-out (from
///    a publish until all N actors hold it), the coordinator thread's CPU, the process's peak
///    memory, fairness (batches per actor, max over mean), status answer times, peers declared dead.
/// 2. **Update**: the real `LearnerNode` and `Trainer` (distributed gradients, the default) train
///    `updates` PPO updates on the fleet's episodes; the fleet answers gradient steps after
///    the compute a real helper's step takes on this machine for its shard (measured first, per
///    episode; `instantHelpers`: at once), plus `gradientMs`, and reports it as a real helper
///    does. Measured on the last update: bytes through the coordinator, the helpers the learner
///    chose (it sizes them itself), the time from one step's requests to the next's
///    (`round_step_ms`), what of it was not the helpers' compute (`communication_ms`), and where
///    the learner's side of a step went.
public struct CoordinatorBenchmark {
    public var taskName: String
    public var graph: ComputationalGraph
    public var graphText: String
    public var preset: NetworkConfig
    /// Seconds of the routing measurement (after every actor registered).
    public var seconds: Double
    /// Simulated play time per batch and gradient time per step (0: instant).
    public var playMs: Int
    public var gradientMs: Int
    /// Episodes per update (nil: the task's hyperparameters, as `ccelim train`).
    public var numEnvs: Int?
    /// PPO updates of the update phase (0: skip it).
    public var updates: Int
    /// Poll loops the fleet's actors share.
    public var fleetThreads: Int
    /// The learner's fewest episodes per gradient shard (a floor under the helpers it sizes itself).
    public var minShardEpisodes = 1
    /// Helpers answer at once (`gradientMs` only) instead of after the compute a real helper's
    /// step takes here for its shard (measured before the update phase).
    public var instantHelpers = false
    /// The learner does not size its helpers: one per `minShardEpisodes` episodes, as before protocol 4.
    public var unsizedHelpers = false

    public init(
        taskName: String, graph: ComputationalGraph, graphText: String, preset: NetworkConfig, seconds: Double,
        playMs: Int, gradientMs: Int, numEnvs: Int?, updates: Int, fleetThreads: Int
    ) {
        self.taskName = taskName
        self.graph = graph
        self.graphText = graphText
        self.preset = preset
        self.seconds = seconds
        self.playMs = playMs
        self.gradientMs = gradientMs
        self.numEnvs = numEnvs
        self.updates = updates
        self.fleetThreads = fleetThreads
    }

    /// The cluster.toml defaults the real commands would run with, for this task and preset
    /// (`numEnvs` episodes per update; nil: the task's hyperparameters, or `--envs`).
    func config(numEnvs override: Int? = nil, envsPerActor: Int? = nil) -> ClusterConfig {
        var c = ClusterConfig()
        c.run.tasks = [taskName]
        c.learner.preset = preset.name
        if let n = override ?? numEnvs { c.learner.numEnvs = n }
        if let envsPerActor { c.actors.envsPerActor = envsPerActor }
        return c
    }

    /// Episodes per actor batch in the update phase: one update's batch spread over all actors
    /// (at least one episode each), so every actor is heard from and may help, as in a run where
    /// many actors feed each update; with the default 16, the coordinator's bound lets only
    /// num_envs / 16 actors play per version and the learner's helpers are those few.
    func updateEnvsPerActor(actors: Int) -> Int {
        max(1, config.hyperparameters.numEnvs / actors)
    }

    var config: ClusterConfig { config() }

    /// Episodes per version in the routing phase: every actor plays one batch per version (so
    /// each version fans out to all of them), unless `--envs` says otherwise. With fewer, the
    /// coordinator's bound (`num_envs` pending episodes) leaves all but num_envs / envs_per_actor
    /// actors waiting, whatever their count.
    func routingNumEnvs(actors: Int) -> Int {
        numEnvs ?? max(config.hyperparameters.numEnvs, actors * config.actors.envsPerActor)
    }

    /// The coordinator's settings exactly as `ccelim coordinator` builds them from the config.
    func coordinatorSettings(numEnvs: Int? = nil, envsPerActor: Int? = nil) -> CoordinatorSettings {
        let c = config(numEnvs: numEnvs, envsPerActor: envsPerActor)
        return CoordinatorSettings(
            tasks: [TaskSpec(name: graph.name, graphText: graphText)], seed: c.run.seed,
            heartbeatIntervalMs: c.heartbeat.intervalMs, liveness: c.heartbeat.liveness,
            environmentsPerActor: c.actors.envsPerActor, maxQueuedEpisodes: c.coordinatorHoldThreshold)
    }

    /// One batch of legal episodes (uniformly random orders), as an actor would send.
    func cannedBatch(_ count: Int) -> [Episode] {
        let spec = GameSpec(graph: graph)
        var rng = SplitMix64(seed: 18)
        return (0..<count).map { _ in
            let order = RandomOrders.order(spec, using: &rng)
            // A uniform policy's log-probabilities: log(1 / legal moves left).
            let logProbs = (0..<order.count).map { Float(-log(Double(order.count - $0))) }
            return Episode(task: 0, order: order, logProbs: logProbs, policyVersion: 0, actor: 0)
        }
    }

    /// Both phases at `actors` simulated actors.
    public func measure(actors: Int) throws -> CoordinatorFigures {
        var figures = try route(actors: actors)
        if updates > 0 { try update(actors: actors, into: &figures) }
        return figures
    }

    /// One figure set with what it was measured on: build, task, preset, settings, the load.
    public func json(_ f: CoordinatorFigures) -> JSON {
        guard case let .object(fields) = f.json else { return f.json }
        let load = loadAverage() ?? -1
        let c = config
        return .object(
            fields + [
                ("benchmark", .string("coordinator")), ("build", .string(buildConfiguration)),
                ("task", .string(taskName)), ("preset", .string(preset.name)),
                ("num_envs", .int(c.hyperparameters.numEnvs)), ("envs_per_actor", .int(c.actors.envsPerActor)),
                ("play_ms", .int(playMs)), ("gradient_ms", .int(gradientMs)), ("seconds", .double(seconds)),
                ("updates", .int(updates)), ("min_shard_episodes", .int(minShardEpisodes)),
                ("instant_helpers", .bool(instantHelpers)), ("unsized_helpers", .bool(unsizedHelpers)),
                ("load_1min", .double(load)),
            ])
    }

    // MARK: Phase 1: routing

    func route(actors: Int) throws -> CoordinatorFigures {
        let routingEnvs = routingNumEnvs(actors: actors)
        let settings = coordinatorSettings(numEnvs: routingEnvs)
        let coordinator = try RunningCoordinator(settings: settings)
        defer { coordinator.stop() }
        let parameterCount = try Trainer(graphs: [graph], network: preset, hp: config.hyperparameters, seed: 1)
            .network.parameterCount
        let sink = try SinkLearner(
            endpoint: coordinator.endpoint, numEnvs: routingEnvs, preset: preset.name,
            parameterCount: parameterCount, heartbeatIntervalMs: settings.heartbeatIntervalMs,
            liveness: settings.liveness)
        sink.start()
        defer { sink.stop() }
        let fleet = try SimulatedFleet(
            .init(
                count: actors, endpoint: coordinator.endpoint, heartbeatIntervalMs: settings.heartbeatIntervalMs,
                liveness: settings.liveness, playMs: playMs, gradientMs: gradientMs,
                batch: cannedBatch(config.actors.envsPerActor), parameterCount: parameterCount, threads: fleetThreads))
        fleet.start()
        defer { _ = fleet.stop() }
        try coordinator.waitForActors(actors, seconds: 60)
        usleep(500_000)

        PeakMemory.reset()
        let t0 = monotonicSeconds()
        let traffic0 = coordinator.server.traffic
        let sink0 = sink.counts
        let fleet0 = fleet.observed()
        var statusMs: [Double] = []
        var listed: [Int] = []
        while monotonicSeconds() - t0 < seconds {
            let start = monotonicSeconds()
            let reply = try? StatusClient.fetch(coordinator.endpoint, security: nil, timeoutMs: 5_000)
            statusMs.append((monotonicSeconds() - start) * 1000)
            listed.append(reply?.peers.filter { $0.role == .actor }.count ?? -1)
            usleep(250_000)
        }
        let elapsed = monotonicSeconds() - t0
        let traffic = coordinator.server.traffic.since(traffic0)
        let sink1 = sink.counts
        let fleet1 = fleet.observed()
        let peak = PeakMemory.bytes() ?? -1
        let dead = Int(coordinator.server.traffic.deadPeers)
        // The coordinator goes first and tells everyone to shut down: the fleet's closing
        // sockets are then no deaths to log.
        coordinator.stop()

        let published = sink1.published.filter { $0.key > (sink0.published.keys.max() ?? 0) }
        let fanouts = CoordinatorFigures.fanoutMs(published: published, reached: fleet1.versions, actors: actors)
        var figures = CoordinatorFigures(
            actors: actors, episodesPerSecond: Double(sink1.episodes - sink0.episodes) / elapsed,
            weightsFanoutMs: median(fanouts), weightsFanoutMaxMs: fanouts.max() ?? .nan,
            versionsPublished: published.count,
            coordinatorCPUPercent: 100 * traffic.cpuSeconds / elapsed, coordinatorPeakBytes: peak,
            fairnessMaxOverMean: CoordinatorFigures.fairness(
                zip(fleet1.batches, fleet0.batches).map { $0 - $1 }),
            deadDeclared: dead,
            statusMaxMs: statusMs.max() ?? .nan, actorsListedMin: listed.min() ?? -1,
            routingBytesPerEpisode: Double(traffic.bytes) / Double(max(1, sink1.episodes - sink0.episodes)))
        figures.parameters = parameterCount
        figures.routingNumEnvs = routingEnvs
        return figures
    }

    // MARK: Phase 2: a distributed update with the real learner

    func update(actors: Int, into figures: inout CoordinatorFigures) throws {
        let c = config
        let settings = coordinatorSettings(envsPerActor: updateEnvsPerActor(actors: actors))
        let coordinator = try RunningCoordinator(settings: settings)
        defer { coordinator.stop() }
        let hp = c.hyperparameters
        let trainer = try Trainer(graphs: [graph], network: preset, hp: hp, seed: c.run.seed)
        // A real helper's compute per episode here, measured on a trainer of its own (same seed).
        let perEpisodeMs =
            instantHelpers
            ? 0
            : try shardStepMs(trainer: Trainer(graphs: [graph], network: preset, hp: hp, seed: c.run.seed), helpers: 4)
                / Double(max(1, hp.numEnvs / 4))
        var fleetSettings = SimulatedFleet.Settings(
            count: actors, endpoint: coordinator.endpoint, heartbeatIntervalMs: settings.heartbeatIntervalMs,
            liveness: settings.liveness, playMs: playMs, gradientMs: gradientMs,
            batch: cannedBatch(settings.environmentsPerActor), parameterCount: trainer.network.parameterCount,
            threads: fleetThreads)
        fleetSettings.gradientMsPerEpisode = perEpisodeMs
        let fleet = try SimulatedFleet(fleetSettings)
        fleet.start()
        defer { _ = fleet.stop() }
        try coordinator.waitForActors(actors, seconds: 60)
        let node = try LearnerNode(
            trainer: trainer,
            core: LearnerCore<Episode>(
                settings: LearnerSettings(
                    numEnvs: hp.numEnvs, maxPolicyLag: c.learner.maxPolicyLag,
                    maxQueuedEpisodes: c.coordinatorHoldThreshold, taskCount: 1)),
            connect: coordinator.endpoint, security: nil, heartbeatIntervalMs: settings.heartbeatIntervalMs,
            liveness: settings.liveness, maxUpdates: updates, distributed: .ppo(trainer),
            minShardEpisodes: minShardEpisodes, sizeHelpers: !unsizedHelpers,
            log: RoleLog(prefix: "bench learner", verbose: false))
        let marks = Marks()
        marks.add(coordinator.server.traffic, seconds: 0)
        node.onUpdate = { marks.add(coordinator.server.traffic, seconds: $0.seconds) }
        let done = DispatchGroup()
        done.enter()
        let failure = Marks.Failure()
        let thread = Thread {
            do { try node.run(shouldStop: { false }) } catch { failure.error = error }
            done.leave()
        }
        thread.stackSize = 1 << 24
        thread.start()
        done.wait()
        if let error = failure.error { throw BenchmarkError("the learner failed: \(error)") }
        let observed = fleet.observed()
        coordinator.stop()
        let all = marks.all
        // Update k's bytes: from the end of update k − 1 (or the learner's start) to its end.
        let perUpdate = zip(all.dropFirst(), all).map { $0.0.traffic.since($0.1.traffic).bytes }
        let lastRound = observed.helpers.keys.max() ?? 0
        figures.bytesPerUpdate = perUpdate.last ?? 0
        if all.count >= 2 {
            let (last, before) = (all[all.count - 1], all[all.count - 2])
            figures.updateCoordinatorCPUPercent =
                100 * last.traffic.since(before.traffic).cpuSeconds / max(1e-9, last.at - before.at)
        }
        figures.updateSeconds = all.last?.seconds ?? .nan
        figures.gradientHelpers = observed.helpers[lastRound]?.count ?? 0
        figures.updateEnvsPerActor = settings.environmentsPerActor
        figures.helpersPerUpdate = observed.helpers.keys.sorted().map { observed.helpers[$0]!.count }
        figures.bytesPerUpdateEach = perUpdate
        let steps = CoordinatorFigures.stepIntervalsMs(
            observed.stepArrivals.filter { $0.key.round == lastRound }.map { ($0.key.round, $0.key.step, $0.value) })
        figures.roundStepMs = median(steps.map(Double.init))
        let largestShard = (hp.numEnvs + max(1, figures.gradientHelpers) - 1) / max(1, figures.gradientHelpers)
        figures.computePerEpisodeMs = perEpisodeMs
        figures.gradientComputeMs = Double(fleetSettings.gradientMs(episodes: largestShard))
        let timings = node.stepTimings
        figures.stepSendMs = median(timings.map { Double($0.sendMicros) / 1000 })
        figures.stepWaitMs = median(timings.map { Double($0.waitMicros) / 1000 })
        figures.stepApplyMs = median(timings.map { Double($0.applyMicros) / 1000 })
        if let (alpha, beta) = node.helpers.estimates {
            figures.learnerPerHelperMs = alpha
            figures.learnerPerEpisodeMs = beta
        }
    }

    /// How long one helper's real gradient step takes here: the shard a round with `helpers`
    /// helpers gives the first of them, on a fresh batch of canned episodes.
    func shardStepMs(trainer: Trainer, helpers: Int) throws -> Double {
        let n = config.hyperparameters.numEnvs
        let base = cannedBatch(n)
        let batch = (0..<n).map { i -> Episode in
            var e = base[i % base.count]
            e.policyVersion = trainer.policyVersion
            return e
        }
        guard case let .update(prepared) = try trainer.prepare(batch) else {
            throw BenchmarkError("the canned batch had nothing to train on")
        }
        let k = max(1, min(helpers, n))
        let job = GradientJob(
            actorId: 1, round: 1, preset: preset.name, hp: trainer.learner.hp, prepared: prepared, range: 0..<(n / k))
        let shard = try job.shard(specs: trainer.specs)
        let parameters = trainer.network.parameterArray()
        var times: [Double] = []
        for step in 0..<min(3, prepared.plan.steps.count) {
            times.append(try milliseconds { _ = try shard.gradient(step: step, parameters: parameters) })
        }
        return median(times)
    }

    /// Traffic snapshots at each finished update (thread-safe: `onUpdate` runs on the learner's thread).
    final class Marks: @unchecked Sendable {
        /// The learner thread's error (read after it finished).
        final class Failure: @unchecked Sendable { var error: Error? }

        private let lock = NSLock()
        private var marks: [(traffic: CoordinatorTraffic, seconds: Double, at: Double)] = []
        func add(_ t: CoordinatorTraffic, seconds: Double) {
            lock.lock()
            marks.append((t, seconds, monotonicSeconds()))
            lock.unlock()
        }
        var all: [(traffic: CoordinatorTraffic, seconds: Double, at: Double)] {
            lock.lock()
            defer { lock.unlock() }
            return marks
        }
    }
}

/// A `CoordinatorServer` on 127.0.0.1 (a free port) served by its own thread until `stop`.
final class RunningCoordinator: @unchecked Sendable {
    let server: CoordinatorServer
    let endpoint: String
    private let lock = NSLock()
    private var stopping = false
    private let finished = DispatchGroup()

    init(settings: CoordinatorSettings) throws {
        server = try CoordinatorServer(
            settings: settings, bind: "tcp://127.0.0.1:0", security: nil, maxMessageBytes: WireLimits.maxMessageBytes,
            log: RoleLog(prefix: "bench coordinator", verbose: false))
        endpoint = server.boundEndpoint
        finished.enter()
        let thread = Thread { [self] in
            try? server.run(shouldStop: { [self] in
                self.lock.lock()
                defer { self.lock.unlock() }
                return self.stopping
            })
            finished.leave()
        }
        thread.start()
    }

    /// Until the status answer lists `count` actors.
    func waitForActors(_ count: Int, seconds: Double) throws {
        let start = monotonicSeconds()
        while monotonicSeconds() - start < seconds {
            if let s = try? StatusClient.fetch(endpoint, security: nil, timeoutMs: 2_000),
                s.peers.filter({ $0.role == .actor }).count >= count
            {
                return
            }
            usleep(100_000)
        }
        throw BenchmarkError("only some of the \(count) simulated actors registered within \(seconds) s")
    }

    func stop() {
        lock.lock()
        let already = stopping
        stopping = true
        lock.unlock()
        if !already { finished.wait() }
    }
}
