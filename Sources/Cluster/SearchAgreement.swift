import AlphaZero
import PPO
import Wire

/// Who decides an AlphaZero cluster's search: on `--resume`, the checkpoint. The learner restores
/// the checkpoint's hyperparameters, so the coordinator's welcome must tell the actors exactly
/// that search (simulations, c_scale, rollout_weight, rollout_rules, rollout_endgame, …) and the learner must wait for the
/// checkpoint's games per update. A value cluster.toml (or a flag) names that differs from the
/// checkpoint's is refused, naming the key, never overridden silently in either direction; and a
/// learner refuses a welcome whose search is not its own. Pure: the shells read the files.
public enum SearchAgreement {
    /// A value cluster.toml or a flag names that the checkpoint's run does not have.
    public struct Conflict: Error, Equatable, CustomStringConvertible {
        /// The `[learner]` key, e.g. "simulations".
        public var key: String
        /// Its `ccelim train` flag, e.g. "--simulations".
        public var flag: String
        /// The value named, and the checkpoint's.
        public var named: String
        public var stored: String

        /// For a value from cluster.toml.
        public var description: String {
            "[learner] \(key) = \(named) differs from the checkpoint's \(stored); a resumed run keeps its checkpoint's settings (remove the key or set it to \(stored))"
        }

        /// For a value from a flag.
        public var flagDescription: String {
            "\(flag) \(named) differs from the checkpoint's \(stored); a resumed run keeps its hyperparameters (drop \(flag))"
        }
    }

    /// `config` continuing the AlphaZero run whose checkpoint holds `stored`: the keys it leaves
    /// out take the checkpoint's values (so the welcome built from it, and the run's written
    /// cluster.toml, say them); a key it names with another value is a `Conflict`.
    public static func config(
        _ config: ClusterConfig, resuming stored: AlphaZeroHyperparameters
    ) throws(Conflict)
        -> ClusterConfig
    {
        var config = config
        try settle(&config.learner.simulations, stored.simulations, key: "simulations", flag: "--simulations")
        try settle(&config.learner.cScale, stored.cScale, key: "c_scale", flag: "--c-scale")
        try settle(
            &config.learner.rolloutWeight, stored.rolloutWeight, key: "rollout_weight", flag: "--rollout-weight")
        try settle(&config.learner.rolloutRules, stored.rolloutRules, key: "rollout_rules", flag: "--rollout-rules")
        try settle(
            &config.learner.rolloutEndgame, stored.rolloutEndgame, key: "rollout_endgame", flag: "--rollout-endgame")
        try settle(&config.learner.numEnvs, stored.gamesInLockstep, key: "num_envs", flag: "--envs")
        return config
    }

    private static func settle<Value: Equatable>(
        _ named: inout Value?, _ stored: Value, key: String, flag: String
    )
        throws(Conflict)
    {
        if let value = named, value != stored {
            throw Conflict(key: key, flag: flag, named: "\(value)", stored: "\(stored)")
        }
        named = stored
    }

    /// What the welcome of a run resuming `stored` says: AlphaZero with exactly the checkpoint's
    /// search (also the fields cluster.toml has no key for, which the task's preset gives a new run).
    public static func welcome(
        resuming stored: AlphaZeroHyperparameters
    ) throws(AlphaZeroError) -> (
        algorithm: AlgorithmCode, search: SearchSettings
    ) {
        (.alphazero, try SearchSettings(stored))
    }

    /// Why a learner that trains `expected` must not take the games of actors welcomed with
    /// `algorithm` and `search`, or nil when they agree.
    public static func welcomeProblem(
        algorithm: AlgorithmCode, search: SearchSettings,
        expected: (algorithm: AlgorithmCode, search: SearchSettings)
    ) -> String? {
        guard algorithm == expected.algorithm else {
            return
                "the coordinator's actors play \(name(algorithm)) but this learner trains \(name(expected.algorithm)); start both with the same cluster.toml"
        }
        let fields = differences(search, expected.search)
        guard !fields.isEmpty else { return nil }
        return
            "the coordinator's welcome searches with \(fields.map { "\($0.0) \($0.1)" }.joined(separator: ", ")) but this learner's run has \(fields.map { "\($0.0) \($0.2)" }.joined(separator: ", ")); start the coordinator with the learner's cluster.toml, or with --resume and the learner's checkpoint"
    }

    private static func name(_ algorithm: AlgorithmCode) -> String {
        switch algorithm {
        case .ppo: AlgorithmKind.ppo.rawValue
        case .alphazero: AlgorithmKind.alphaZero.rawValue
        }
    }

    /// The fields where `a` and `b` differ: name, a's value, b's value.
    private static func differences(_ a: SearchSettings, _ b: SearchSettings) -> [(String, String, String)] {
        var fields: [(String, String, String)] = []
        func compare<Value: Equatable>(_ name: String, _ x: Value, _ y: Value) {
            if x != y { fields.append((name, "\(x)", "\(y)")) }
        }
        compare("simulations", a.simulations, b.simulations)
        compare("max_considered_actions", a.maxConsideredActions, b.maxConsideredActions)
        compare("c_visit", a.cVisit, b.cVisit)
        compare("c_scale", a.cScale, b.cScale)
        compare("gumbel_scale", a.gumbelScale, b.gumbelScale)
        compare("rollout_weight", a.rolloutWeight, b.rolloutWeight)
        compare("rollout_rules", a.rolloutRules, b.rolloutRules)
        compare("rollout_endgame", a.rolloutEndgame, b.rolloutEndgame)
        return fields
    }
}
