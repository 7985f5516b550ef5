/// What the learner remembers about helper actors across distributed rounds, with no I/O:
/// who is alive (their episodes arrive), who misbehaved, and two bounds learned from the run
/// instead of fixed:
/// - `normBound`: `normFactor` × the median norm of the last accepted parts (after
///   `minimumSamples` of them; `initialNormBound` before), so a part of 1e30 — or any part far
///   outside what honest shards of this run produce — is refused;
/// - `timeoutMs`: max(`minimumTimeoutMs`, `timeoutFactor` × the median time the slowest helper took
///   per step), `initialTimeoutMs` until `minimumSamples` steps are measured, so a silent actor
///   costs seconds, not a fixed minute, per update.
///
/// - `helperCount`: how many helpers the next update gets. Each helper costs the head node its
///   parameters and a gradient per step (communication grows with the helpers H), while each
///   helper's compute shrinks with its shard (B / H episodes): from the steps measured so far
///   (`GradientRound.StepSample`: wall time against the helpers' reported compute) the learner
///   estimates α, the communication per helper and step, and β, the compute per episode and
///   step, and takes the most helpers whose communication stays within
///   `communicationShare` of the compute: α · H ≤ share · β · B / H, so H = ⌊√(share · β · B / α)⌋
///   (Docs/SCALING.md). Before any step is measured: ⌊√B⌋.
///
/// Two kinds of fault (`GradientRound.Fault.Kind`), judged differently:
/// - a **bad** part (not finite, beyond the bound, the wrong size) is nothing an honest helper
///   sends: `faultLimit` of them and the actor is excluded from rounds for the rest of the run
///   (it may still play episodes);
/// - a **late** part is what an honest but slow (or briefly busy) actor does. Lateness decays —
///   each round the actor helps through to the end takes one late fault off — and `faultLimit`
///   late faults without that bench it for `benchRounds` rounds, doubling each time it is
///   benched again, after which it is a helper again. A chronically slow actor so costs a few
///   timeouts per ever longer bench, never the run's help of an actor that was only slow once.
public struct GradientHelpers: Sendable {
    public static let faultLimit = 3
    public static let normFactor: Float = 10
    /// Before the run has measured any: honest parts are gradients of a loss averaged over rows,
    /// orders of magnitude below this; the summed gradient is clipped to `max_grad_norm` anyway.
    public static let initialNormBound: Float = 1e4
    public static let minimumTimeoutMs = 2_000
    public static let timeoutFactor = 5
    static let minimumSamples = 5
    static let window = 64

    /// Rounds an actor sits out the first time it is benched for lateness (doubling each time).
    public static let benchRounds = 10
    /// The share of a step's compute its communication may take (issue 18's target: 10 %).
    public static let communicationShare = 0.1

    public let initialTimeoutMs: Int
    private var lastHeard: [UInt32: Int] = [:]
    /// Every fault (bad and late) by actor over the run, for the summary.
    public private(set) var faults: [UInt32: Int] = [:]
    /// Bad parts by actor: `faultLimit` of them exclude it for good.
    public private(set) var badParts: [UInt32: Int] = [:]
    /// Late faults by actor not yet worked off by rounds it helped through.
    public private(set) var lateness: [UInt32: Int] = [:]
    /// Excluded for good (bad parts).
    public private(set) var excluded: Set<UInt32> = []
    /// Benched for lateness: actor → the round count (`rounds`) from which it is a helper again.
    public private(set) var benchedUntil: [UInt32: Int] = [:]
    /// How often each actor was benched (the bench doubles each time).
    public private(set) var benchings: [UInt32: Int] = [:]
    /// Rounds absorbed so far.
    public private(set) var rounds = 0
    private var norms: [Float] = []
    private var stepTimes: [Int] = []
    private var lastRoundMs = 0
    /// Per measured step: communication per helper (α) and compute per episode (β), ms.
    private var perHelperMs: [Double] = []
    private var perEpisodeMs: [Double] = []
    /// Helpers of the last round that had any (growth is at most doubling per round).
    private var lastHelpers = 0

    public init(initialTimeoutMs: Int) {
        self.initialTimeoutMs = initialTimeoutMs
    }

    /// `actor`'s episodes arrived at `now`: it is alive.
    public mutating func heard(from actor: UInt32, now: Int) {
        lastHeard[actor] = now
    }

    /// Gone or unwilling: not a helper again until its episodes arrive again.
    public mutating func unavailable(_ actor: UInt32) {
        lastHeard[actor] = nil
    }

    /// The helpers of a new round, in order: actors heard from within a few rounds (sorted by id),
    /// then any other actor that played the batch (`playedBy`, in batch order); never an excluded
    /// or a benched one.
    public func candidates(now: Int, playedBy: [UInt32]) -> [UInt32] {
        let window = max(30_000, 3 * lastRoundMs)
        var helpers = lastHeard.filter { now - $0.value <= window }.keys.sorted()
        for actor in playedBy where !helpers.contains(actor) { helpers.append(actor) }
        return helpers.filter { !excluded.contains($0) && !isBenched($0) }
    }

    /// The measured communication per helper and step (α) and compute per episode and step (β),
    /// ms: medians over the last `window` steps every helper answered; nil before any.
    public var estimates: (perHelperMs: Double, perEpisodeMs: Double)? {
        perHelperMs.isEmpty ? nil : (Self.median(perHelperMs), Self.median(perEpisodeMs))
    }

    /// How many helpers an update of `episodes` episodes gets (at most `available`, the
    /// candidates, and `episodes / minShardEpisodes`): the most whose communication stays within
    /// `communicationShare` of their compute by the estimates, at most twice the last round's
    /// (a larger H is measured before it is trusted); ⌊√episodes⌋ before any estimate.
    public func helperCount(episodes: Int, available: Int, minShardEpisodes: Int = 1) -> Int {
        let cap = max(1, min(available, episodes / max(1, minShardEpisodes)))
        guard let (alpha, beta) = estimates else {
            return min(cap, max(1, Int(Double(episodes).squareRoot())))
        }
        let wanted =
            alpha <= 0 ? cap : Int((Self.communicationShare * beta * Double(episodes) / alpha).squareRoot())
        return max(1, min(cap, wanted, 2 * max(1, lastHelpers)))
    }

    public func isBenched(_ actor: UInt32) -> Bool { (benchedUntil[actor] ?? 0) > rounds }

    public var normBound: Float {
        norms.count < Self.minimumSamples ? Self.initialNormBound : Self.normFactor * Self.median(norms)
    }

    public var timeoutMs: Int {
        stepTimes.count < Self.minimumSamples
            ? initialTimeoutMs : max(Self.minimumTimeoutMs, Self.timeoutFactor * Self.median(stepTimes))
    }

    /// Learns from a finished (or abandoned) round that took `durationMs`; returns log lines for
    /// faults, exclusions, benches and returns from the bench.
    public mutating func absorb(_ round: GradientRound, durationMs: Int) -> [LogLine] {
        lastRoundMs = durationMs
        rounds += 1
        norms = Array((norms + round.acceptedNorms).suffix(Self.window))
        stepTimes = Array((stepTimes + round.stepTimesMs).suffix(Self.window))
        let samples = round.stepSamples.filter { $0.helpers > 0 && $0.episodesPerShard > 0 }
        perHelperMs = Array((perHelperMs + samples.map { $0.communicationMs / Double($0.helpers) }).suffix(Self.window))
        perEpisodeMs = Array((perEpisodeMs + samples.map { $0.computeMs / $0.episodesPerShard }).suffix(Self.window))
        if round.helpers.contains(where: { $0 != nil }) || !round.stepSamples.isEmpty {
            lastHelpers = round.ranges.count
        }
        var log: [LogLine] = []
        for (actor, until) in benchedUntil.sorted(by: { $0.key < $1.key }) where until == rounds {
            log.append(
                LogLine(
                    "actor \(actor) is a gradient helper again after \(Self.benchLength(benchings[actor] ?? 1)) rounds on the bench"
                ))
        }
        // Helping through a whole round works off one late fault.
        for case let actor? in round.helpers where (lateness[actor] ?? 0) > 0 {
            lateness[actor]! -= 1
        }
        for fault in round.faults where !excluded.contains(fault.actor) && !isBenched(fault.actor) {
            faults[fault.actor, default: 0] += 1
            switch fault.kind {
            case .bad:
                badParts[fault.actor, default: 0] += 1
                let count = badParts[fault.actor] ?? 0
                log.append(LogLine("actor \(fault.actor) bad part \(count) of \(Self.faultLimit): \(fault.reason)"))
                if count >= Self.faultLimit {
                    excluded.insert(fault.actor)
                    log.append(
                        LogLine(
                            "actor \(fault.actor) excluded from gradient rounds for the rest of the run (\(count) bad parts)"
                        ))
                }
            case .late:
                lateness[fault.actor, default: 0] += 1
                let count = lateness[fault.actor] ?? 0
                log.append(LogLine("actor \(fault.actor) late \(count) of \(Self.faultLimit): \(fault.reason)"))
                if count >= Self.faultLimit {
                    benchings[fault.actor, default: 0] += 1
                    let length = Self.benchLength(benchings[fault.actor]!)
                    benchedUntil[fault.actor] = rounds + length
                    lateness[fault.actor] = 0
                    log.append(
                        LogLine(
                            "actor \(fault.actor) benched from gradient rounds for \(length) rounds (\(count) late parts); it may still play episodes"
                        ))
                }
            }
        }
        return log
    }

    /// Rounds on the bench the `n`th time (1, 2, …): `benchRounds` × 2^(n−1), at most `benchRounds` × 2^16.
    static func benchLength(_ n: Int) -> Int {
        Self.benchRounds << min(max(n - 1, 0), 16)
    }

    static func median<T: Comparable>(_ xs: [T]) -> T {
        xs.sorted()[xs.count / 2]
    }
}
