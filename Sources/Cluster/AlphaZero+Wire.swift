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
    /// The search half of `hp`, as a coordinator's welcome carries it; refuses settings the wire
    /// cannot carry (Docs/PROTOCOL.md §7) instead of clamping them.
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
        self.init(
            simulations: UInt32(hp.simulations), maxConsideredActions: UInt32(hp.maxConsideredActions),
            cVisit: hp.cVisit, cScale: hp.cScale, gumbelScale: hp.gumbelScale)
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
        return hp
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
