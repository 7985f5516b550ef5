import PPO
import Wire

/// The learner's side of one distributed PPO update, as a value with no I/O (DD-PPO's split of
/// the gradient work, Docs/PROTOCOL.md §4): every decision of the round lives here, the shell
/// (ClusterShell/LearnerNode.swift) only carries the directives out.
///
/// - Helpers and shards: the batch's episodes are cut into contiguous shards of (almost) equal
///   size, one per helper, at most one per episode; no helper means one shard computed here.
/// - Steps: at every minibatch step each helper returns its shard's part of the gradient; when
///   every part is in, `completeStep` adds them in shard order (deterministic whatever the arrival
///   order) and the trainer takes the optimiser step (`Trainer.applyStep`).
/// - Untrusted parts: a part must have the model's size, be finite everywhere (gradient and loss
///   sums) and have a norm within `normBound` (learned from the run: `GradientHelpers`). A bad part,
///   or none within `timeoutMs`, is a fault of its sender: the learner computes that shard itself
///   from then on, so a bad or dead actor costs time, never the update nor the weights.
/// - Undo: `undo` is the trainer's state before the first step; a learner stopped half way goes
///   back to it, so its last checkpoint holds a whole number of updates.
public struct GradientRound: Sendable {
    public enum Directive: Equatable, Sendable {
        case send(Message)
        /// Compute shard `shard`'s part of step `step` here and call `computedHere`.
        case computeHere(shard: Int, step: Int)
        case log(LogLine)
    }

    /// One shard's part of one step: its loss sums and its gradient.
    public struct Part: Sendable {
        public var sums: Learner.MinibatchSums
        public var gradient: [Float]
        public init(sums: Learner.MinibatchSums, gradient: [Float]) {
            self.sums = sums
            self.gradient = gradient
        }
    }

    /// A finished step: the parts in shard order, and their sum (in that order).
    public struct CompletedStep: Sendable {
        public var index: Int
        public var parts: [Part]
        public var sum: Part
    }

    /// One step every helper answered (none taken over): how long it took from the requests to
    /// the last part, against the helpers' own compute (the median of their `computeMicros`),
    /// for `GradientHelpers.helperCount`.
    public struct StepSample: Equatable, Sendable {
        /// From `requestStep` (before the requests are encoded) to the last part, ms.
        public var wallMs: Int
        /// The median helper's compute for its part, ms.
        public var computeMs: Double
        public var helpers: Int
        /// Episodes of the batch over the helpers (the mean shard).
        public var episodesPerShard: Double

        public init(wallMs: Int, computeMs: Double, helpers: Int, episodesPerShard: Double) {
            self.wallMs = wallMs
            self.computeMs = computeMs
            self.helpers = helpers
            self.episodesPerShard = episodesPerShard
        }

        /// The step's time that was not the helpers' compute (the coordinator's hops, encoding,
        /// copies, waiting for the slowest), ms; ≥ 0.
        public var communicationMs: Double { max(0, Double(wallMs) - computeMs) }
    }

    /// A helper's misbehaviour, for `GradientHelpers`: a bad part (three and it is out for good)
    /// or a late one (an honest but slow actor: it is benched for a while, then tried again).
    public struct Fault: Equatable, Sendable {
        public enum Kind: Equatable, Sendable {
            /// Not finite, out of bound, of the wrong size: nothing an honest helper sends.
            case bad
            /// No answer within the step's timeout.
            case late
        }

        public var actor: UInt32
        public var reason: String
        public var kind: Kind

        public init(actor: UInt32, reason: String, kind: Kind) {
            self.actor = actor
            self.reason = reason
            self.kind = kind
        }
    }

    /// The learner's id for this update (≥ 1; the policy version it will produce).
    public let round: UInt64
    public let stepCount: Int
    /// The model's size: a part of another size is refused.
    public let parameterCount: Int
    /// Per shard, the episodes of the prepared batch it holds (indices in batch order).
    public let ranges: [Range<Int>]
    /// Per shard: the actor computing it, or nil once (or if) the learner computes it.
    public private(set) var helpers: [UInt32?]
    /// The step under way (== `stepCount` when the round is over).
    public private(set) var step = 0
    public private(set) var shardsTakenOver = 0
    /// The trainer's weights, Adam state and shuffling stream before the round.
    public let undo: Trainer.UndoPoint
    /// What this round learnt, for the next rounds: faults of helpers, norms of the parts it
    /// accepted, and per step how long the slowest helper took (ms), when every helper answered.
    public private(set) var faults: [Fault] = []
    public private(set) var acceptedNorms: [Float] = []
    public private(set) var stepTimesMs: [Int] = []
    /// Per step every helper answered: its wall time against the helpers' compute.
    public private(set) var stepSamples: [StepSample] = []
    private var parts: [Part?]
    /// The compute each helper reported for its current part (µs).
    private var computeMicros: [UInt32?]
    private var handedOver: Set<Int> = []
    private var stepStartedMs = 0
    private var slowestAnswerMs = 0
    private var tookOverThisStep = false
    private let timeoutMs: Int
    private let normBound: Float

    /// Shards for `episodeCount` episodes over `candidates` (helpers in the order given: the
    /// first ones get the first episodes); `undo` is `Trainer.undoPoint()` taken now. Every shard
    /// holds at least `minShardEpisodes` episodes (when the batch has that many), and there are
    /// at most `maxHelpers` (`GradientHelpers.helperCount`: sized to the measured compute and
    /// communication), so the helpers are bounded by the batch, not by the actors heard from:
    /// each helper costs the coordinator the parameters and a gradient per step, while its
    /// compute shrinks with its shard (Docs/SCALING.md).
    public init(
        round: UInt64, episodeCount n: Int, candidates: [UInt32], stepCount: Int, parameterCount: Int,
        timeoutMs: Int, normBound: Float, undo: Trainer.UndoPoint, minShardEpisodes: Int = 1,
        maxHelpers: Int = .max
    ) {
        let k = max(1, min(candidates.count, n / max(1, minShardEpisodes), maxHelpers))
        self.round = round
        self.stepCount = stepCount
        self.parameterCount = parameterCount
        ranges = (0..<k).map { (($0 * n) / k)..<((($0 + 1) * n) / k) }
        helpers = candidates.isEmpty ? [nil] : candidates.prefix(k).map { $0 }
        self.timeoutMs = timeoutMs
        self.normBound = normBound
        self.undo = undo
        parts = Array(repeating: nil, count: k)
        computeMicros = Array(repeating: nil, count: k)
    }

    public var isFinished: Bool { step >= stepCount }
    public var stepComplete: Bool { !isFinished && parts.allSatisfy { $0 != nil } }

    /// Asks for the current step at `parameters`: a request to every helper, the rest here.
    public mutating func requestStep(parameters: [Float], now: Int) -> [Directive] {
        stepStartedMs = now
        slowestAnswerMs = 0
        tookOverThisStep = false
        handedOver = []
        return helpers.indices.map { k in
            if let actor = helpers[k] {
                return .send(
                    .gradientRequest(
                        GradientRequest(actorId: actor, round: round, step: UInt32(step), parameters: parameters)))
            }
            handedOver.insert(k)
            return .computeHere(shard: k, step: step)
        }
    }

    /// A helper's part. Parts for another round or step, from an actor that holds no shard, or
    /// for a shard already taken over are ignored (logged): late answers are harmless. A part
    /// that fails a check is a fault: its shard is computed here from now on.
    public mutating func received(_ reply: GradientReply, now: Int) -> [Directive] {
        guard reply.round == round, Int(reply.step) == step, !isFinished else {
            return [
                .log(
                    LogLine(
                        "ignored a gradient for round \(reply.round) step \(reply.step) (now round \(round) step \(step))",
                        verbose: true))
            ]
        }
        guard let k = helpers.firstIndex(where: { $0 == reply.actorId }) else {
            return [
                .log(
                    LogLine(
                        "ignored a gradient from actor \(reply.actorId), which holds no shard of round \(round)",
                        verbose: true))
            ]
        }
        let part = Part(sums: reply.sums, gradient: reply.gradient)
        if let problem = check(part) {
            return takeOver(shard: k, reason: "its gradient \(problem)", fault: .bad)
        }
        parts[k] = part
        computeMicros[k] = reply.computeMicros
        acceptedNorms.append(Self.norm(part.gradient))
        slowestAnswerMs = max(slowestAnswerMs, now - stepStartedMs)
        return []
    }

    /// Why `part` cannot be used, or nil.
    func check(_ part: Part) -> String? {
        guard part.gradient.count == parameterCount else {
            return "has \(part.gradient.count) numbers, not \(parameterCount)"
        }
        let s = part.sums
        guard
            [s.policyLoss, s.valueLoss, s.entropy, s.approxKL, s.clipped, s.transitions].allSatisfy({
                $0.isFinite && abs($0) <= Self.maxLossSum
            }),
            s.transitions >= 0
        else {
            return "comes with loss sums that are not finite or beyond \(Self.maxLossSum)"
        }
        guard part.gradient.allSatisfy(\.isFinite) else { return "is not finite" }
        let norm = Self.norm(part.gradient)
        guard norm <= normBound else { return "has norm \(norm), above the bound \(normBound)" }
        return nil
    }

    /// The coordinator or the actor says a shard will not come: the learner takes it over (not a
    /// fault: actors leave).
    public mutating func unavailable(_ u: GradientUnavailable) -> [Directive] {
        guard u.round == round, let k = helpers.firstIndex(where: { $0 == u.actorId }) else { return [] }
        return takeOver(shard: k, reason: u.reason, fault: nil)
    }

    /// From now on the learner computes shard `k`; a `fault` counts it against its helper.
    public mutating func takeOver(shard k: Int, reason: String, fault: Fault.Kind?) -> [Directive] {
        guard helpers.indices.contains(k), let actor = helpers[k], !isFinished else { return [] }
        helpers[k] = nil
        shardsTakenOver += 1
        tookOverThisStep = true
        if let fault { faults.append(Fault(actor: actor, reason: reason, kind: fault)) }
        var out: [Directive] = [
            .log(LogLine("round \(round): computing actor \(actor)'s shard here from step \(step) (\(reason))"))
        ]
        if parts[k] == nil && !handedOver.contains(k) {
            handedOver.insert(k)
            out.append(.computeHere(shard: k, step: step))
        }
        return out
    }

    /// Every helper still owing a part (after a reconnect, the requests may be lost).
    public mutating func takeOverAll(reason: String) -> [Directive] {
        helpers.indices.flatMap { takeOver(shard: $0, reason: reason, fault: nil) }
    }

    /// Helpers silent for longer than the timeout on the current step are taken over (a fault).
    public mutating func tick(now: Int) -> [Directive] {
        guard !isFinished, now - stepStartedMs > timeoutMs else { return [] }
        return helpers.indices.filter { parts[$0] == nil && helpers[$0] != nil }
            .flatMap { takeOver(shard: $0, reason: "no answer within \(timeoutMs) ms", fault: .late) }
    }

    /// A part computed here (trusted; its norm teaches the bound too).
    public mutating func computedHere(shard k: Int, step s: Int, part: Part) {
        guard s == step, parts.indices.contains(k), !isFinished else { return }
        parts[k] = part
        acceptedNorms.append(Self.norm(part.gradient))
    }

    /// The current step's parts in shard order and their sum; moves on to the next step.
    public mutating func completeStep() -> CompletedStep {
        precondition(stepComplete, "completeStep before every part is in")
        let done = parts.compactMap { $0 }
        var sum = Part(sums: Learner.MinibatchSums(), gradient: [Float](repeating: 0, count: parameterCount))
        for part in done {
            sum.sums.add(part.sums)
            for i in 0..<parameterCount { sum.gradient[i] += part.gradient[i] }
        }
        if !tookOverThisStep && helpers.contains(where: { $0 != nil }) {
            stepTimesMs.append(slowestAnswerMs)
            if helpers.allSatisfy({ $0 != nil }) {
                // No part took longer than the step: a helper claiming more is clamped to it.
                let computes = computeMicros.compactMap { $0 }.map { min(Double($0) / 1000, Double(slowestAnswerMs)) }
                stepSamples.append(
                    StepSample(
                        wallMs: slowestAnswerMs, computeMs: GradientHelpers.median(computes), helpers: helpers.count,
                        episodesPerShard: Double(ranges.last?.upperBound ?? 0) / Double(helpers.count)))
            }
        }
        let completed = CompletedStep(index: step, parts: done, sum: sum)
        parts = Array(repeating: nil, count: helpers.count)
        computeMicros = Array(repeating: nil, count: helpers.count)
        step += 1
        return completed
    }

    /// Loss figures are sums over a shard's rows of per-row terms of order 1 (symlog values,
    /// clipped ratios): beyond this a part is forged, and the summed figures (which the trainer
    /// checks, then logs) stay finite whatever the helpers send.
    static let maxLossSum: Float = 1e9

    static func norm(_ xs: [Float]) -> Float {
        var s: Double = 0
        for x in xs { s += Double(x) * Double(x) }
        return Float(s.squareRoot())
    }
}
