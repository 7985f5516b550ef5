import AlphaZero
import PPO
import Wire

// Every conversion between the AlphaZero module's values and the wire's messages, in one place
// (PPO's are in PPO+Wire.swift). A search game changes type exactly twice per trip: to a
// `SearchGameRecord` when an actor sends it, back to a `SearchEpisode` when the learner receives
// it. The claimed cost travels with the record but not into the episode: the learner's replay
// buffer recomputes every cost from the order and compares.

extension SearchEpisode {
    /// A received game, as the learner holds it.
    public init(_ record: SearchGameRecord) {
        self.init(
            task: Int(record.taskIndex), order: record.order, improvedPolicies: record.policies,
            policyVersion: record.policyVersion, actor: record.actorId)
    }
}

extension SearchGameRecord {
    /// `episode` as actor `actorId` sends it, with the cost its game computed (SelfPlay returns
    /// the costs beside the episodes).
    public init(_ episode: SearchEpisode, cost: Int, actorId: UInt32) {
        self.init(
            taskIndex: UInt32(truncatingIfNeeded: episode.task), policyVersion: episode.policyVersion,
            actorId: actorId, cost: UInt64(max(cost, 0)), order: episode.order, policies: episode.improvedPolicies)
    }
}

extension SearchSettings {
    /// The search half of `hp`, as a coordinator's welcome carries it (the rollouts' λ, k and E
    /// too, so actors run the solo run's search); refuses settings the wire cannot carry
    /// (Docs/PROTOCOL.md §7) instead of clamping them.
    public init(_ hp: AlphaZeroHyperparameters) throws(AlphaZeroError) {
        try hp.validate()
        guard hp.simulations <= WireLimits.maxSimulations else {
            throw .invalidSetting(
                "simulations \(hp.simulations) is above the \(WireLimits.maxSimulations) a cluster's welcome carries")
        }
        guard hp.maxConsideredActions <= WireLimits.maxOrderLength else {
            throw .invalidSetting(
                "max_considered_actions \(hp.maxConsideredActions) is above the \(WireLimits.maxOrderLength) a cluster's welcome carries"
            )
        }
        // `validate` bounds k and E by the code's own constants; the wire's must be as wide.
        guard hp.rolloutRules <= WireLimits.maxRolloutRules, hp.rolloutEndgame <= WireLimits.maxRolloutEndgame
        else {
            throw .invalidSetting(
                "rollout_rules \(hp.rolloutRules) or rollout_endgame \(hp.rolloutEndgame) is above the \(WireLimits.maxRolloutRules) or \(WireLimits.maxRolloutEndgame) a cluster's welcome carries"
            )
        }
        self.init(
            simulations: UInt32(hp.simulations), maxConsideredActions: UInt32(hp.maxConsideredActions),
            cVisit: hp.cVisit, cScale: hp.cScale, gumbelScale: hp.gumbelScale, rolloutWeight: hp.rolloutWeight,
            rolloutRules: UInt8(hp.rolloutRules), rolloutEndgame: UInt8(hp.rolloutEndgame))
    }
}

extension AlphaZeroHyperparameters {
    /// `self` with the search an AlphaZero welcome prescribes (the learning fields stay: they are
    /// the learner's, not the actor's).
    public func applying(_ search: SearchSettings) -> AlphaZeroHyperparameters {
        var hp = self
        hp.simulations = Int(search.simulations)
        hp.maxConsideredActions = Int(search.maxConsideredActions)
        hp.cVisit = search.cVisit
        hp.cScale = search.cScale
        hp.gumbelScale = search.gumbelScale
        hp.rolloutWeight = search.rolloutWeight
        hp.rolloutRules = Int(search.rolloutRules)
        hp.rolloutEndgame = Int(search.rolloutEndgame)
        return hp
    }
}

extension SelfPlay {
    /// The self-play an AlphaZero actor runs for `welcome`: the welcome's search settings, its
    /// `environmentsPerActor` games in lockstep, leaves valued by `network` mixed with exact
    /// greedy rollouts at the welcome's λ, k and E (`RolloutLeafEvaluator.wrapping`, as the solo
    /// run: the network alone when λ = 0), and its Gumbel stream from (seed, actor id). Refuses
    /// settings that cannot run.
    public static func playing(_ welcome: Welcome, network: LeafEvaluator) throws(AlphaZeroError) -> SelfPlay {
        var hp = AlphaZeroHyperparameters().applying(welcome.search)
        hp.gamesInLockstep = max(1, Int(welcome.environmentsPerActor))
        try hp.validate()
        return SelfPlay(
            evaluator: RolloutLeafEvaluator.wrapping(network, hp: hp), hp: hp, seed: welcome.seed, id: welcome.actorId)
    }
}

extension AlgorithmKind {
    /// The algorithm a `welcome` names.
    public init(_ code: AlgorithmCode) {
        switch code {
        case .ppo: self = .ppo
        case .alphazero: self = .alphaZero
        }
    }
}

extension AlgorithmCode {
    /// The byte `welcome` carries for `kind`.
    public init(_ kind: AlgorithmKind) {
        switch kind {
        case .ppo: self = .ppo
        case .alphaZero: self = .alphazero
        }
    }
}
