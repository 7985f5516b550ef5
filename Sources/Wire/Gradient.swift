import Checksum

// Distributed gradients (DD-PPO style, Docs/PROTOCOL.md §4 "Distributed gradients"): the learner
// sends each helper actor a shard of an update's episodes (`gradientJob`), then for every
// minibatch step the current parameters (`gradientRequest`); the actor answers with the gradient
// of its shard (`gradient`), or the coordinator or actor says it cannot (`gradientUnavailable`)
// and the learner computes that shard itself.

/// A (task, time step) block of a rollout: the unit minibatches are made of.
public struct BlockKey: Equatable, Hashable, Sendable {
    public var task: UInt32
    public var step: UInt32

    public init(task: UInt32, step: UInt32) {
        self.task = task
        self.step = step
    }

    static let encodedBytes = 8
}

/// One minibatch step of a distributed update, the same for every shard.
public struct GradientStep: Equatable, Sendable {
    /// 1 … `WireLimits.maxBlocksPerStep` blocks; each shard uses the rows of its own episodes.
    public var blocks: [BlockKey]
    /// N: rows of the minibatch over ALL shards (the loss is a sum over rows / N).
    public var transitions: Float
    /// Statistics of the minibatch's advantages over all shards, for normalization.
    public var advantageMean: Float
    public var advantageStd: Float

    public init(blocks: [BlockKey], transitions: Float, advantageMean: Float, advantageStd: Float) {
        self.blocks = blocks
        self.transitions = transitions
        self.advantageMean = advantageMean
        self.advantageStd = advantageStd
    }

    /// The smallest an encoded step can be (one block).
    static let minimumEncodedBytes = 4 + BlockKey.encodedBytes + 4 + 4 + 4
}

/// Body of `gradientJob` (kind 15, learner → coordinator → actor, one body frame): everything a
/// helper needs to compute the gradient of its shard for every step of one update.
public struct GradientJob: Equatable, Sendable {
    /// The helper addressed; the coordinator routes by it.
    public var actorId: UInt32
    /// ≥ 1: the learner's id for this update.
    public var round: UInt64
    /// Network preset, non-empty, ≤ `WireLimits.maxNameBytes`.
    public var preset: String
    public var clipCoef: Float
    public var entropyCoef: Float
    public var valueCoef: Float
    public var clipValueLoss: Bool
    public var normalizeAdvantages: Bool
    /// The shard: 1 … `WireLimits.maxEpisodesPerMessage` episodes, in the `episodes` layout.
    public var episodes: [EpisodeRecord]
    /// Value prediction (symlog) before the update, one per step of every episode, episode-major.
    public var values: [Float]
    /// Same count as `values`.
    public var advantages: [Float]
    /// Same count as `values`.
    public var returns: [Float]
    /// 1 … `WireLimits.maxGradientSteps` minibatch steps.
    public var steps: [GradientStep]

    public init(
        actorId: UInt32, round: UInt64, preset: String, clipCoef: Float, entropyCoef: Float,
        valueCoef: Float, clipValueLoss: Bool, normalizeAdvantages: Bool, episodes: [EpisodeRecord],
        values: [Float], advantages: [Float], returns: [Float], steps: [GradientStep]
    ) {
        self.actorId = actorId
        self.round = round
        self.preset = preset
        self.clipCoef = clipCoef
        self.entropyCoef = entropyCoef
        self.valueCoef = valueCoef
        self.clipValueLoss = clipValueLoss
        self.normalizeAdvantages = normalizeAdvantages
        self.episodes = episodes
        self.values = values
        self.advantages = advantages
        self.returns = returns
        self.steps = steps
    }

    /// A capacity hint for the encoder's buffer.
    var approximateEncodedBytes: Int {
        64 + preset.utf8.count
            + episodes.reduce(0) { $0 + EpisodeRecord.minimumEncodedBytes + 8 * $1.order.count }
            + 4 * (values.count + advantages.count + returns.count)
            + steps.reduce(0) { $0 + 16 + BlockKey.encodedBytes * $1.blocks.count }
    }

    func write(into w: inout ByteWriter) {
        w.integer(actorId)
        w.integer(round)
        w.string(preset)
        w.float32(clipCoef)
        w.float32(entropyCoef)
        w.float32(valueCoef)
        w.bool(clipValueLoss)
        w.bool(normalizeAdvantages)
        w.count(episodes.count)
        for e in episodes { e.write(into: &w) }
        for list in [values, advantages, returns] {
            w.count(list.count)
            w.float32s(list)
        }
        w.count(steps.count)
        for s in steps {
            w.count(s.blocks.count)
            for b in s.blocks {
                w.integer(b.task)
                w.integer(b.step)
            }
            w.float32(s.transitions)
            w.float32(s.advantageMean)
            w.float32(s.advantageStd)
        }
    }

    init(reading r: inout ByteReader) throws(WireError) {
        actorId = try r.integer(UInt32.self, "gradientJob.actorId")
        round = try readRound(&r, "gradientJob")
        preset = try r.string("gradientJob.preset", maxBytes: WireLimits.maxNameBytes, allowEmpty: false)
        clipCoef = try r.float32("gradientJob.clipCoef")
        entropyCoef = try r.float32("gradientJob.entropyCoef")
        valueCoef = try r.float32("gradientJob.valueCoef")
        clipValueLoss = try r.bool("gradientJob.clipValueLoss")
        normalizeAdvantages = try r.bool("gradientJob.normalizeAdvantages")

        let episodeCount = try r.count(
            "gradientJob.episodes", limit: WireLimits.maxEpisodesPerMessage,
            elementBytes: EpisodeRecord.minimumEncodedBytes)
        guard episodeCount > 0 else {
            throw .invalidValue(field: "gradientJob.episodes", reason: "a shard has at least one episode")
        }
        episodes = []
        episodes.reserveCapacity(episodeCount)
        // ≤ 4,096 × 65,536 = 2^28: cannot overflow, and bounded by bytes already read.
        var rows = 0
        for i in 0..<episodeCount {
            let e = try EpisodeRecord(reading: &r, index: i, list: "gradientJob.episodes")
            rows += e.order.count
            episodes.append(e)
        }

        /// One value per row: the count must be exactly `rows`, and `float32s` checks the bytes
        /// left before allocating.
        func perRow(_ field: String) throws(WireError) -> [Float] {
            let n = Int(try r.integer(UInt32.self, "gradientJob.\(field)"))
            guard n == rows else { throw .lengthMismatch(field: "gradientJob.\(field)", expected: rows, actual: n) }
            return try r.float32s(count: n, "gradientJob.\(field)")
        }
        values = try perRow("values")
        advantages = try perRow("advantages")
        returns = try perRow("returns")

        let stepCount = try r.count(
            "gradientJob.steps", limit: WireLimits.maxGradientSteps,
            elementBytes: GradientStep.minimumEncodedBytes)
        guard stepCount > 0 else {
            throw .invalidValue(field: "gradientJob.steps", reason: "an update has at least one step")
        }
        steps = []
        steps.reserveCapacity(stepCount)
        for i in 0..<stepCount {
            let blockCount = try r.count(
                "gradientJob.steps[\(i)].blocks", limit: WireLimits.maxBlocksPerStep,
                elementBytes: BlockKey.encodedBytes)
            guard blockCount > 0 else {
                throw .invalidValue(field: "gradientJob.steps[\(i)].blocks", reason: "a step has at least one block")
            }
            var blocks: [BlockKey] = []
            blocks.reserveCapacity(blockCount)
            for j in 0..<blockCount {
                blocks.append(
                    BlockKey(
                        task: try r.integer(UInt32.self, "gradientJob.steps[\(i)].blocks[\(j)].task"),
                        step: try r.integer(UInt32.self, "gradientJob.steps[\(i)].blocks[\(j)].step")))
            }
            steps.append(
                GradientStep(
                    blocks: blocks,
                    transitions: try r.float32("gradientJob.steps[\(i)].transitions"),
                    advantageMean: try r.float32("gradientJob.steps[\(i)].advantageMean"),
                    advantageStd: try r.float32("gradientJob.steps[\(i)].advantageStd")))
        }
    }
}

/// Body of `gradientRequest` (kind 16, learner → coordinator → actor, two body frames: meta, then
/// the parameters as f32 like `weights`): compute step `step` of round `round` at `parameters`.
public struct GradientRequest: Equatable, Sendable {
    public var actorId: UInt32
    /// ≥ 1.
    public var round: UInt64
    /// Index into the job's `steps`.
    public var step: UInt32
    /// ≤ `WireLimits.maxParameters`; the meta frame carries their count and FNV-1a 64 checksum.
    public var parameters: [Float]

    public init(actorId: UInt32, round: UInt64, step: UInt32, parameters: [Float]) {
        self.actorId = actorId
        self.round = round
        self.step = step
        self.parameters = parameters
    }

    func writeMeta(into w: inout ByteWriter) {
        w.integer(actorId)
        w.integer(round)
        w.integer(step)
        w.integer(FNV1a64.checksum(of: parameters))
        w.count(parameters.count)
    }

    /// The frames of one step's `gradientRequest`s, one per helper in `actorIds`, all at the same
    /// `parameters`: the header, the parameters frame and its checksum are encoded once and shared
    /// (the messages differ only in the meta's `actorId`), so a step costs one encoding and
    /// checksum of the parameters, not one per helper. Each element equals
    /// `encode(.gradientRequest(GradientRequest(actorId:round:step:parameters:)))`.
    public static func encodeStep(actorIds: [UInt32], round: UInt64, step: UInt32, parameters: [Float]) -> [[[UInt8]]] {
        let header = MessageHeader.encode(.gradientRequest)
        var bulk = ByteWriter(capacity: 4 * parameters.count)
        bulk.float32s(parameters)
        let checksum = FNV1a64.checksum(of: parameters)
        return actorIds.map { actorId in
            var meta = ByteWriter(capacity: 28)
            meta.integer(actorId)
            meta.integer(round)
            meta.integer(step)
            meta.integer(checksum)
            meta.count(parameters.count)
            return [header, meta.bytes, bulk.bytes]
        }
    }

    init(meta: inout ByteReader, bulk: inout ByteReader) throws(WireError) {
        actorId = try meta.integer(UInt32.self, "gradientRequest.actorId")
        round = try readRound(&meta, "gradientRequest")
        step = try meta.integer(UInt32.self, "gradientRequest.step")
        parameters = try readChecksummedFloats(
            meta: &meta, bulk: &bulk, kind: "gradientRequest",
            count: "parameterCount", values: "parameters")
    }
}

/// Body of `gradient` (kind 17, actor → coordinator → learner, two body frames: meta, then the
/// gradient as f32): the gradient of Σ loss / N over this shard's rows of one step, with the
/// step's loss statistics summed over those rows.
public struct GradientReply: Equatable, Sendable {
    public var actorId: UInt32
    /// ≥ 1.
    public var round: UInt64
    public var step: UInt32
    /// This shard's rows in the step.
    public var transitions: Float
    /// Sums over this shard's rows.
    public var policyLoss: Float
    public var valueLoss: Float
    public var entropy: Float
    public var approxKL: Float
    public var clipped: Float
    /// How long the helper computed this part, in µs (version 4): what the learner sets the
    /// round's communication against when it sizes the next update's helpers
    /// (`GradientHelpers.helperCount`). Untrusted like every field: a lie only moves that choice.
    public var computeMicros: UInt32
    /// ≤ `WireLimits.maxParameters`; the meta frame carries their count and FNV-1a 64 checksum.
    public var gradient: [Float]

    public init(
        actorId: UInt32, round: UInt64, step: UInt32, transitions: Float, policyLoss: Float,
        valueLoss: Float, entropy: Float, approxKL: Float, clipped: Float, computeMicros: UInt32 = 0,
        gradient: [Float]
    ) {
        self.actorId = actorId
        self.round = round
        self.step = step
        self.transitions = transitions
        self.policyLoss = policyLoss
        self.valueLoss = valueLoss
        self.entropy = entropy
        self.approxKL = approxKL
        self.clipped = clipped
        self.computeMicros = computeMicros
        self.gradient = gradient
    }

    func writeMeta(into w: inout ByteWriter) {
        w.integer(actorId)
        w.integer(round)
        w.integer(step)
        w.float32(transitions)
        w.float32(policyLoss)
        w.float32(valueLoss)
        w.float32(entropy)
        w.float32(approxKL)
        w.float32(clipped)
        w.integer(computeMicros)
        w.integer(FNV1a64.checksum(of: gradient))
        w.count(gradient.count)
    }

    init(meta: inout ByteReader, bulk: inout ByteReader) throws(WireError) {
        actorId = try meta.integer(UInt32.self, "gradient.actorId")
        round = try readRound(&meta, "gradient")
        step = try meta.integer(UInt32.self, "gradient.step")
        transitions = try meta.float32("gradient.transitions")
        policyLoss = try meta.float32("gradient.policyLoss")
        valueLoss = try meta.float32("gradient.valueLoss")
        entropy = try meta.float32("gradient.entropy")
        approxKL = try meta.float32("gradient.approxKL")
        clipped = try meta.float32("gradient.clipped")
        computeMicros = try meta.integer(UInt32.self, "gradient.computeMicros")
        gradient = try readChecksummedFloats(
            meta: &meta, bulk: &bulk, kind: "gradient",
            count: "gradientCount", values: "gradient")
    }
}

/// Body of `gradientUnavailable` (kind 18, coordinator or actor → learner, one body frame): the
/// shard of `actorId` in round `round` will not be computed remotely; the learner computes it.
public struct GradientUnavailable: Equatable, Sendable {
    public var actorId: UInt32
    /// ≥ 1.
    public var round: UInt64
    /// ≤ `WireLimits.maxTextBytes`, for people.
    public var reason: String

    public init(actorId: UInt32, round: UInt64, reason: String) {
        self.actorId = actorId
        self.round = round
        self.reason = reason
    }

    func write(into w: inout ByteWriter) {
        w.integer(actorId)
        w.integer(round)
        w.string(reason)
    }

    init(reading r: inout ByteReader) throws(WireError) {
        actorId = try r.integer(UInt32.self, "gradientUnavailable.actorId")
        round = try readRound(&r, "gradientUnavailable")
        reason = try r.string("gradientUnavailable.reason", maxBytes: WireLimits.maxTextBytes)
    }
}

/// A round id: `u64`, at least 1.
private func readRound(_ r: inout ByteReader, _ kind: String) throws(WireError) -> UInt64 {
    let round = try r.integer(UInt64.self, "\(kind).round")
    guard round >= 1 else { throw .invalidValue(field: "\(kind).round", reason: "must be at least 1") }
    return round
}

/// The end of a two-frame meta (`checksum u64`, `count u32`) and the bulk frame of `count` f32s
/// it describes: the count is checked against its limit before the bulk frame is looked at, the
/// bulk frame must be exactly `count` × 4 bytes, and the bytes must hash to the checksum. Also
/// finishes `meta`. `kind` prefixes the field names `count` and `values` in errors.
private func readChecksummedFloats(
    meta: inout ByteReader, bulk: inout ByteReader, kind: String,
    count: String, values: String
) throws(WireError) -> [Float] {
    let stated = try meta.integer(UInt64.self, "\(kind).checksum")
    let n = Int(try meta.integer(UInt32.self, "\(kind).\(count)"))
    guard n <= WireLimits.maxParameters else {
        throw .limitExceeded(field: "\(kind).\(count)", value: n, limit: WireLimits.maxParameters)
    }
    try meta.finish()
    guard bulk.remaining == n * 4 else {
        if bulk.remaining < n * 4 {
            throw .truncated(field: "\(kind).\(values)", needed: n * 4, remaining: bulk.remaining)
        }
        throw .trailingBytes(frame: bulk.frame, count: bulk.remaining - n * 4)
    }
    let floats = try bulk.float32s(count: n, "\(kind).\(values)")
    let computed = FNV1a64.checksum(of: floats)
    guard computed == stated else { throw .checksumMismatch(stated: stated, computed: computed) }
    return floats
}
