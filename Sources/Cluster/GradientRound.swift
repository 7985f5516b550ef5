import PPO
import Wire

/// The learner's side of one distributed PPO update, as a value with no I/O (DD-PPO's split of
/// the gradient work, Docs/PROTOCOL.md §4): the batch is cut into shards, one per helper actor;
/// at every minibatch step each helper returns its shard's part of the gradient, and when every
/// part is in, the learner adds them in shard order and takes the optimiser step. A shard whose
/// actor is gone (the coordinator says so), refuses, or stays silent past `timeoutMs` is taken
/// over: the learner computes it itself from then on, so a dead actor costs time, never the update.
public struct GradientRound: Sendable {
    public enum Directive: Equatable, Sendable {
        case send(Message)
        /// Compute shard `shard`'s part of step `step` here and call `computedHere`.
        case computeHere(shard: Int, step: Int)
        case log(LogLine)
    }

    /// One shard's part of one step.
    public struct Part: Sendable {
        public var sums: Learner.MinibatchSums
        public var gradient: [Float]
        public init(sums: Learner.MinibatchSums, gradient: [Float]) {
            self.sums = sums
            self.gradient = gradient
        }
    }

    /// The learner's id for this update (≥ 1; the policy version it will produce).
    public let round: UInt64
    public let stepCount: Int
    /// Per shard: the actor computing it, or nil once the learner computes it.
    public private(set) var helpers: [UInt32?]
    /// The step under way (== `stepCount` when the round is over).
    public private(set) var step = 0
    public private(set) var shardsTakenOver = 0
    private var parts: [Part?]
    private var handedOver: Set<Int> = []
    private var stepStartedMs = 0
    private let timeoutMs: Int

    /// `helpers[k]` computes shard k; nil means the learner does.
    public init(round: UInt64, helpers: [UInt32?], stepCount: Int, timeoutMs: Int) {
        self.round = round
        self.helpers = helpers
        self.stepCount = stepCount
        self.timeoutMs = timeoutMs
        parts = Array(repeating: nil, count: helpers.count)
    }

    public var isFinished: Bool { step >= stepCount }
    public var stepComplete: Bool { !isFinished && parts.allSatisfy { $0 != nil } }

    /// Asks for the current step at `parameters`: a request to every helper, the rest here.
    public mutating func requestStep(parameters: [Float], now: Int) -> [Directive] {
        stepStartedMs = now
        handedOver = []
        return helpers.indices.map { k in
            if let actor = helpers[k] {
                return .send(.gradientRequest(GradientRequest(actorId: actor, round: round, step: UInt32(step), parameters: parameters)))
            }
            handedOver.insert(k)
            return .computeHere(shard: k, step: step)
        }
    }

    /// A helper's part. Parts for another round or step, from an actor that holds no shard, or
    /// for a shard already taken over are ignored (logged): late answers are harmless.
    public mutating func received(_ reply: GradientReply) -> [Directive] {
        guard reply.round == round, Int(reply.step) == step, !isFinished else {
            return [.log(LogLine("ignored a gradient for round \(reply.round) step \(reply.step) (now round \(round) step \(step))", verbose: true))]
        }
        guard let k = helpers.firstIndex(where: { $0 == reply.actorId }) else {
            return [.log(LogLine("ignored a gradient from actor \(reply.actorId), which holds no shard of round \(round)", verbose: true))]
        }
        let sums = Learner.MinibatchSums(policyLoss: reply.policyLoss, valueLoss: reply.valueLoss, entropy: reply.entropy,
                                         approxKL: reply.approxKL, clipped: reply.clipped, transitions: reply.transitions)
        parts[k] = Part(sums: sums, gradient: reply.gradient)
        return []
    }

    /// The coordinator or the actor says a shard will not come: the learner takes it over.
    public mutating func unavailable(_ u: GradientUnavailable) -> [Directive] {
        guard u.round == round, let k = helpers.firstIndex(where: { $0 == u.actorId }) else { return [] }
        return takeOver(shard: k, reason: u.reason)
    }

    /// From now on the learner computes shard `k` (its helper failed, or sent a bad part).
    public mutating func takeOver(shard k: Int, reason: String) -> [Directive] {
        guard helpers.indices.contains(k), let actor = helpers[k], !isFinished else { return [] }
        helpers[k] = nil
        shardsTakenOver += 1
        var out: [Directive] = [.log(LogLine("round \(round): computing actor \(actor)'s shard here from step \(step) (\(reason))"))]
        if parts[k] == nil && !handedOver.contains(k) {
            handedOver.insert(k)
            out.append(.computeHere(shard: k, step: step))
        }
        return out
    }

    /// Every helper still owing a part (after a reconnect, the requests may be lost).
    public mutating func takeOverAll(reason: String) -> [Directive] {
        helpers.indices.flatMap { takeOver(shard: $0, reason: reason) }
    }

    /// Helpers silent for longer than the timeout on the current step are taken over.
    public mutating func tick(now: Int) -> [Directive] {
        guard !isFinished, now - stepStartedMs > timeoutMs else { return [] }
        return helpers.indices.filter { parts[$0] == nil && helpers[$0] != nil }
            .flatMap { takeOver(shard: $0, reason: "no answer within \(timeoutMs) ms") }
    }

    public mutating func computedHere(shard k: Int, step s: Int, part: Part) {
        guard s == step, parts.indices.contains(k) else { return }
        parts[k] = part
    }

    /// The current step's parts in shard order; moves on to the next step.
    public mutating func completeStep() -> [Part] {
        precondition(stepComplete, "completeStep before every part is in")
        let done = parts.map { $0! }
        parts = Array(repeating: nil, count: helpers.count)
        step += 1
        return done
    }
}
