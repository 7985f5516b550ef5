/// What the learner remembers about helper actors across distributed rounds, with no I/O:
/// who is alive (their episodes arrive), who misbehaved (faults; `faultLimit` of them and the
/// actor is excluded from rounds for the rest of the run — it may still play episodes), and two
/// bounds learned from the run instead of fixed:
/// - `normBound`: `normFactor` × the median norm of the last accepted parts (after
///   `minimumSamples` of them; `initialNormBound` before), so a part of 1e30 — or any part far
///   outside what honest shards of this run produce — is refused;
/// - `timeoutMs`: max(`minimumTimeoutMs`, `timeoutFactor` × the median time the slowest helper took
///   per step), `initialTimeoutMs` until `minimumSamples` steps are measured, so a silent actor
///   costs seconds, not a fixed minute, per update.
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

    public let initialTimeoutMs: Int
    private var lastHeard: [UInt32: Int] = [:]
    public private(set) var faults: [UInt32: Int] = [:]
    public private(set) var excluded: Set<UInt32> = []
    private var norms: [Float] = []
    private var stepTimes: [Int] = []
    private var lastRoundMs = 0

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
    /// then any other actor that played the batch (`playedBy`, in batch order); never an excluded one.
    public func candidates(now: Int, playedBy: [UInt32]) -> [UInt32] {
        let window = max(30_000, 3 * lastRoundMs)
        var helpers = lastHeard.filter { now - $0.value <= window }.keys.sorted()
        for actor in playedBy where !helpers.contains(actor) { helpers.append(actor) }
        return helpers.filter { !excluded.contains($0) }
    }

    public var normBound: Float {
        norms.count < Self.minimumSamples ? Self.initialNormBound : Self.normFactor * Self.median(norms)
    }

    public var timeoutMs: Int {
        stepTimes.count < Self.minimumSamples ? initialTimeoutMs : max(Self.minimumTimeoutMs, Self.timeoutFactor * Self.median(stepTimes))
    }

    /// Learns from a finished (or abandoned) round that took `durationMs`; returns log lines for
    /// faults and exclusions.
    public mutating func absorb(_ round: GradientRound, durationMs: Int) -> [LogLine] {
        lastRoundMs = durationMs
        norms = Array((norms + round.acceptedNorms).suffix(Self.window))
        stepTimes = Array((stepTimes + round.stepTimesMs).suffix(Self.window))
        var log: [LogLine] = []
        for fault in round.faults where !excluded.contains(fault.actor) {
            faults[fault.actor, default: 0] += 1
            let count = faults[fault.actor] ?? 0
            log.append(LogLine("actor \(fault.actor) fault \(count) of \(Self.faultLimit): \(fault.reason)"))
            if count >= Self.faultLimit {
                excluded.insert(fault.actor)
                log.append(LogLine("actor \(fault.actor) excluded from gradient rounds for the rest of the run (\(count) faults)"))
            }
        }
        return log
    }

    static func median<T: Comparable>(_ xs: [T]) -> T {
        xs.sorted()[xs.count / 2]
    }
}
