/// What actors play: the `algorithm` byte of `welcome` (Docs/PROTOCOL.md §3). Raw values are
/// wire values: never renumber.
public enum AlgorithmCode: UInt8, CaseIterable, Sendable {
    case ppo = 1
    case alphazero = 2
}

/// The search every AlphaZero move runs, as the coordinator tells its actors in `welcome`
/// (the search half of `AlphaZeroHyperparameters`; Cluster converts). With PPO every field is 0.
public struct SearchSettings: Equatable, Sendable {
    /// Simulations per move, 1 … `WireLimits.maxSimulations`.
    public var simulations: UInt32
    /// m: root actions sampled by Gumbel-top-k, 1 … `WireLimits.maxOrderLength`.
    public var maxConsideredActions: UInt32
    /// c_visit and c_scale of σ(q̂) = (c_visit + max N) · c_scale · q̂; finite, ≥ 0.
    public var cVisit: Double
    public var cScale: Double
    /// Scale of the root's Gumbel noise (0 = a deterministic search); finite, ≥ 0.
    public var gumbelScale: Double
    /// λ of a leaf's value (1 − λ) · v_net + λ · v_rollout (exact greedy rollouts; 0 = the network
    /// alone), 0 … 1 (protocol 5).
    public var rolloutWeight: Double
    /// k of the rollouts: a leaf's rollout cost is the cheapest of the k greedy rules cheapest from
    /// the start state, 1 … `WireLimits.maxRolloutRules` (protocol 6).
    public var rolloutRules: UInt8
    /// E of the rollouts: each rule's last E vertices are ordered exactly, 0 …
    /// `WireLimits.maxRolloutEndgame` (protocol 6).
    public var rolloutEndgame: UInt8

    /// Rollout settings left out are the single cheapest rule without an exact endgame (k = 1,
    /// E = 0), AlphaZero's defaults; a PPO welcome's are 0 (`none`).
    public init(
        simulations: UInt32, maxConsideredActions: UInt32, cVisit: Double, cScale: Double, gumbelScale: Double,
        rolloutWeight: Double = 0, rolloutRules: UInt8 = 1, rolloutEndgame: UInt8 = 0
    ) {
        self.simulations = simulations
        self.maxConsideredActions = maxConsideredActions
        self.cVisit = cVisit
        self.cScale = cScale
        self.gumbelScale = gumbelScale
        self.rolloutWeight = rolloutWeight
        self.rolloutRules = rolloutRules
        self.rolloutEndgame = rolloutEndgame
    }

    /// What a PPO welcome carries: every field 0.
    public static let none = SearchSettings(
        simulations: 0, maxConsideredActions: 0, cVisit: 0, cScale: 0, gumbelScale: 0, rolloutWeight: 0,
        rolloutRules: 0, rolloutEndgame: 0)

    func write(into w: inout ByteWriter) {
        w.integer(simulations)
        w.integer(maxConsideredActions)
        w.integer(cVisit.bitPattern)
        w.integer(cScale.bitPattern)
        w.integer(gumbelScale.bitPattern)
        w.integer(rolloutWeight.bitPattern)
        w.integer(rolloutRules)
        w.integer(rolloutEndgame)
    }

    /// Reads the settings and checks them against `algorithm`: all zero with PPO (the only
    /// encoding of "no search"), in range with AlphaZero.
    init(reading r: inout ByteReader, algorithm: AlgorithmCode) throws(WireError) {
        simulations = try r.integer(UInt32.self, "welcome.search.simulations")
        maxConsideredActions = try r.integer(UInt32.self, "welcome.search.maxConsidered")
        cVisit = Double(bitPattern: try r.integer(UInt64.self, "welcome.search.cVisit"))
        cScale = Double(bitPattern: try r.integer(UInt64.self, "welcome.search.cScale"))
        gumbelScale = Double(bitPattern: try r.integer(UInt64.self, "welcome.search.gumbelScale"))
        rolloutWeight = Double(bitPattern: try r.integer(UInt64.self, "welcome.search.rolloutWeight"))
        rolloutRules = try r.integer(UInt8.self, "welcome.search.rolloutRules")
        rolloutEndgame = try r.integer(UInt8.self, "welcome.search.rolloutEndgame")
        switch algorithm {
        case .ppo:
            // Bit patterns, so −0.0 (another encoding of zero) is refused too.
            guard simulations == 0, maxConsideredActions == 0, cVisit.bitPattern == 0, cScale.bitPattern == 0,
                gumbelScale.bitPattern == 0, rolloutWeight.bitPattern == 0, rolloutRules == 0, rolloutEndgame == 0
            else {
                throw .invalidValue(field: "welcome.search", reason: "must be all zero when the algorithm is ppo")
            }
        case .alphazero:
            guard simulations >= 1 else {
                throw .invalidValue(field: "welcome.search.simulations", reason: "must be at least 1")
            }
            guard simulations <= WireLimits.maxSimulations else {
                throw .limitExceeded(
                    field: "welcome.search.simulations", value: Int(simulations), limit: WireLimits.maxSimulations)
            }
            guard maxConsideredActions >= 1 else {
                throw .invalidValue(field: "welcome.search.maxConsidered", reason: "must be at least 1")
            }
            guard maxConsideredActions <= WireLimits.maxOrderLength else {
                throw .limitExceeded(
                    field: "welcome.search.maxConsidered", value: Int(maxConsideredActions),
                    limit: WireLimits.maxOrderLength)
            }
            for (name, value) in [("cVisit", cVisit), ("cScale", cScale), ("gumbelScale", gumbelScale)] {
                guard value.isFinite, value >= 0 else {
                    throw .invalidValue(field: "welcome.search.\(name)", reason: "\(value) is not a finite number ≥ 0")
                }
            }
            // Rejects NaN too (every comparison with NaN is false).
            guard rolloutWeight >= 0, rolloutWeight <= 1 else {
                throw .invalidValue(
                    field: "welcome.search.rolloutWeight", reason: "\(rolloutWeight) is not a number between 0 and 1")
            }
            guard rolloutRules >= 1 else {
                throw .invalidValue(field: "welcome.search.rolloutRules", reason: "must be at least 1")
            }
            guard rolloutRules <= WireLimits.maxRolloutRules else {
                throw .limitExceeded(
                    field: "welcome.search.rolloutRules", value: Int(rolloutRules), limit: WireLimits.maxRolloutRules)
            }
            guard rolloutEndgame <= WireLimits.maxRolloutEndgame else {
                throw .limitExceeded(
                    field: "welcome.search.rolloutEndgame", value: Int(rolloutEndgame),
                    limit: WireLimits.maxRolloutEndgame)
            }
        }
    }
}
