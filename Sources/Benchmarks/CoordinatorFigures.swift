import Console

/// What `ccelim bench coordinator` measured at one actor count, and the arithmetic behind it
/// (pure: fairness, fan-out, step intervals, the byte model of Docs/SCALING.md).
public struct CoordinatorFigures: Equatable {
    public var actors: Int
    /// Episodes the learner received per second (routing phase).
    public var episodesPerSecond: Double
    /// Median over the versions published in the window: from the publish until every actor held it.
    public var weightsFanoutMs: Double
    public var weightsFanoutMaxMs: Double
    public var versionsPublished: Int
    /// The coordinator thread's CPU time over the window's wall time, in percent of one core.
    public var coordinatorCPUPercent: Double
    /// Peak resident bytes of the whole benchmark process during the window (an upper bound for
    /// the coordinator's: the simulated actors and learner live in the same process).
    public var coordinatorPeakBytes: Int
    /// Batches per actor in the window: the largest over the mean (1 is perfectly fair).
    public var fairnessMaxOverMean: Double
    public var deadDeclared: Int
    /// The slowest `ccelim status` answer during the window, and the fewest actors it listed.
    public var statusMaxMs: Double
    public var actorsListedMin: Int
    /// Bytes through the coordinator (in + out) per episode routed.
    public var routingBytesPerEpisode: Double
    // Update phase, the last update (NaN / 0 when skipped).
    public var roundStepMs: Double = .nan
    public var bytesPerUpdate: Int = 0
    public var updateSeconds: Double = .nan
    /// The coordinator thread's CPU over the last update's wall time, in percent of one core.
    public var updateCoordinatorCPUPercent: Double = .nan
    public var gradientHelpers: Int = 0
    /// One helper's gradient step for the last round's largest shard: what the fleet simulated
    /// (the measured compute per episode × the shard, plus any fixed `--gradient-ms`), the
    /// compute the communication is compared with.
    public var gradientComputeMs: Double = .nan
    /// A real helper's gradient step per episode of its shard, measured on this machine before the
    /// update phase (ms; 0 with instant helpers).
    public var computePerEpisodeMs: Double = .nan
    /// Where the last update's steps went on the learner (medians over its steps, ms): encoding
    /// and sending the requests, waiting for every part, the optimiser step.
    public var stepSendMs: Double = .nan
    public var stepWaitMs: Double = .nan
    public var stepApplyMs: Double = .nan
    /// The learner's estimates after the last update (`GradientHelpers.estimates`, ms):
    /// communication per helper and step (α), compute per episode and step (β).
    public var learnerPerHelperMs: Double = .nan
    public var learnerPerEpisodeMs: Double = .nan

    /// A step's time that was not the helpers' compute: the coordinator's hops, the learner's
    /// encoding and optimiser step, the copies, the wait for the slowest helper.
    public var communicationMs: Double {
        gradientComputeMs.isFinite ? max(0, roundStepMs - gradientComputeMs) : roundStepMs
    }
    /// The preset's parameter count (the size of every weights, request and gradient body / 4).
    public var parameters = 0
    /// Episodes per version in the routing phase (the update phase uses the task's `num_envs`).
    public var routingNumEnvs = 0
    /// Helpers of each update's round, and each update's bytes through the coordinator.
    public var helpersPerUpdate: [Int] = []
    /// Episodes per actor batch in the update phase (num_envs spread over the actors).
    public var updateEnvsPerActor = 0
    public var bytesPerUpdateEach: [Int] = []

    public var json: JSON {
        func r(_ x: Double) -> JSON { x.isFinite ? .double(rounded(x)) : .null }
        return .object([
            ("actors", .int(actors)),
            ("episodes_per_second", r(episodesPerSecond)),
            ("weights_fanout_ms", r(weightsFanoutMs)),
            ("round_step_ms", r(roundStepMs)),
            ("bytes_per_update", .int(bytesPerUpdate)),
            ("coordinator_cpu_percent", r(coordinatorCPUPercent)),
            ("coordinator_peak_bytes", .int(coordinatorPeakBytes)),
            ("fairness_max_over_mean", r(fairnessMaxOverMean)),
            ("dead_declared", .int(deadDeclared)),
            ("weights_fanout_max_ms", r(weightsFanoutMaxMs)),
            ("versions_published", .int(versionsPublished)),
            ("status_max_ms", r(statusMaxMs)),
            ("actors_listed_min", .int(actorsListedMin)),
            ("routing_bytes_per_episode", r(routingBytesPerEpisode)),
            ("gradient_helpers", .int(gradientHelpers)),
            ("update_seconds", r(updateSeconds)),
            ("update_coordinator_cpu_percent", r(updateCoordinatorCPUPercent)),
            ("gradient_compute_ms", r(gradientComputeMs)),
            ("communication_ms", r(communicationMs)),
            ("communication_over_compute", r(communicationMs / gradientComputeMs)),
            ("compute_per_episode_ms", r(computePerEpisodeMs)),
            ("step_send_ms", r(stepSendMs)), ("step_wait_ms", r(stepWaitMs)), ("step_apply_ms", r(stepApplyMs)),
            ("learner_alpha_ms", r(learnerPerHelperMs)), ("learner_beta_ms", r(learnerPerEpisodeMs)),
            ("parameters", .int(parameters)),
            ("routing_num_envs", .int(routingNumEnvs)),
            ("helpers_per_update", .ints(helpersPerUpdate)),
            ("update_envs_per_actor", .int(updateEnvsPerActor)),
            ("bytes_per_update_each", .ints(bytesPerUpdateEach)),
        ])
    }

    /// Max over mean of per-actor counts (1 when all are equal; NaN without any).
    static func fairness(_ counts: [Int]) -> Double {
        guard !counts.isEmpty else { return .nan }
        let mean = Double(counts.reduce(0, +)) / Double(counts.count)
        guard mean > 0 else { return .nan }
        return Double(counts.max()!) / mean
    }

    /// Per version published at `published[v]` (ms) that all `actors` reached (`reached[v]`: how
    /// many, and when the last did), the fan-out time, in version order.
    static func fanoutMs(
        published: [UInt64: Int], reached: [UInt64: (count: Int, lastMs: Int)], actors: Int
    ) -> [Double] {
        published.keys.sorted().compactMap { v in
            guard let r = reached[v], r.count >= actors else { return nil }
            return Double(max(0, r.lastMs - published[v]!))
        }
    }

    /// From the first arrival of each (round, step)'s request (ms): the time between consecutive
    /// steps of a round, all rounds together.
    static func stepIntervalsMs(_ arrivals: [(round: UInt64, step: UInt32, ms: Int)]) -> [Int] {
        let byRound = Dictionary(grouping: arrivals, by: \.round)
        return byRound.keys.sorted().flatMap { round -> [Int] in
            let times = byRound[round]!.sorted { $0.step < $1.step }
            return zip(times.dropFirst(), times).compactMap { later, earlier in
                later.step == earlier.step + 1 ? later.ms - earlier.ms : nil
            }
        }
    }
}

/// The byte model of Docs/SCALING.md: what passes through the coordinator (in + out) per PPO
/// update, frame headers and routing ids neglected.
public struct CoordinatorByteModel: Equatable {
    /// Float parameters of the preset (small ≈ 36 k, paper ≈ 0.5 M).
    public var parameters: Int
    /// Episodes per update, and per actor batch.
    public var numEnvs: Int
    public var envsPerActor: Int
    /// Minibatch steps per update (epochs × minibatches).
    public var steps: Int
    /// Bytes of one episode on the wire (≈ 24 + 8 × its length).
    public var episodeBytes: Int
    /// Parameters go to every helper at every step (protocol version 3 as it is).
    public init(parameters: Int, numEnvs: Int, envsPerActor: Int, steps: Int, episodeBytes: Int) {
        self.parameters = parameters
        self.numEnvs = numEnvs
        self.envsPerActor = envsPerActor
        self.steps = steps
        self.episodeBytes = episodeBytes
    }

    /// Helpers a round uses: one per actor, at most one per episode.
    public func helpers(actors: Int) -> Int { max(0, min(actors, numEnvs)) }

    /// Episodes in and out (to the learner), and one weights message per actor batch (each
    /// `weightsRequest` is answered with the newest weights when the actor's are older).
    public func routingBytes() -> Int {
        let batches = (numEnvs + envsPerActor - 1) / envsPerActor
        return 2 * numEnvs * episodeBytes + (1 + batches) * 4 * parameters
    }

    /// Each step: parameters learner → coordinator → helper, gradient helper → coordinator →
    /// learner, so 4 × 4 bytes × parameters per helper per step, both directions counted.
    public func gradientBytes(actors: Int) -> Int {
        16 * parameters * steps * helpers(actors: actors)
    }

    /// Messages through the coordinator per update (in + out).
    public func messages(actors: Int) -> Int {
        let batches = (numEnvs + envsPerActor - 1) / envsPerActor
        // Per batch: episodes in, episodes out, weightsRequest in, weights out; publish + ack;
        // per helper: the job in and out, and per step a request in and out, a gradient in and out.
        return 4 * batches + 2 + helpers(actors: actors) * (2 + 4 * steps)
    }

    public func bytesPerUpdate(actors: Int) -> Int { routingBytes() + gradientBytes(actors: actors) }

    /// Updates per second a head node with `bitsPerSecond` of link can carry at most (the
    /// coordinator sends and receives every byte, so in and out share the link's two directions:
    /// the busier direction, half the total, is the limit).
    public func updatesPerSecondLimit(actors: Int, bitsPerSecond: Double) -> Double {
        bitsPerSecond / 8 / (Double(bytesPerUpdate(actors: actors)) / 2)
    }
}
