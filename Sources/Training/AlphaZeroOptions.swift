import AlphaZero
import PPO
import Search

/// The options only AlphaZero uses, as the command line gave them: the search overrides
/// (`--simulations`, `--c-scale`, `--rollout-weight`, `--rollout-rules`, `--rollout-endgame`) and
/// the trained policy's final decode (`--final-decode-seconds`, `--decode-simulations`). One value
/// held by `ccelim train --solo` (`SoloTraining`), `ccelim train` on the local cluster
/// (`EmbeddedCluster`) and `ccelim bench learning-vs-search` (`LearningVsSearchBenchmark`), with
/// one check (`problem`) that their commands and runs call, so the rules and their wording live
/// here only (four copies of them had drifted apart). nil, or 0 for `finalDecodeSeconds`: not given.
public struct AlphaZeroOptions: Equatable, Sendable {
    /// `--simulations`: simulations of the search per move. nil: the resumed checkpoint's, else
    /// cluster.toml's `learner.simulations` (cluster), else the paper's per-task value
    /// (`AlphaZeroHyperparameters.preset`: 50, 250 for Perceptron and Encoder).
    public var simulations: Int?
    /// `--c-scale`: c_scale of the policy improvement σ = (c_visit + max N) · c_scale · q̂. nil:
    /// the checkpoint's, else cluster.toml's `learner.c_scale`, else `AlphaZeroHyperparameters`'
    /// 1.0 (0.1 trusts the prior more when fine-tuning with `--init`).
    public var cScale: Double?
    /// `--rollout-weight`: λ of a leaf's value (1 − λ) · network + λ · greedy rollout. nil: the
    /// checkpoint's, else cluster.toml's `learner.rollout_weight`, else 0 (the network alone).
    public var rolloutWeight: Double?
    /// `--rollout-rules`: k of the rollouts, the cheapest of the k greedy rules cheapest from the
    /// start state. nil: the checkpoint's, else cluster.toml's `learner.rollout_rules`, else 1.
    public var rolloutRules: Int?
    /// `--rollout-endgame`: E of the rollouts, vertices each rule's completion orders exactly at
    /// the end. nil: the checkpoint's, else cluster.toml's `learner.rollout_endgame`, else 0.
    public var rolloutEndgame: Int?
    /// `--final-decode-seconds`: seconds of the trained policy's final decode (`FinalDecode`: its
    /// search decode, then `ccelim optimize`'s zero-shot pipeline); with `--minutes` the last
    /// seconds of that budget (training stops early enough to leave them). 0: none.
    public var finalDecodeSeconds = 0.0
    /// `--decode-simulations`: simulations per move of the final search decode (0: none, the
    /// zero-shot pipeline alone). nil: the run's own `simulations` in `ccelim train`; no search
    /// decode in the benchmark, which also decodes with them at the start and after training
    /// without a final decode (`problem(decodeAlone: true)`).
    public var decodeSimulations: Int?

    public init(
        simulations: Int? = nil, cScale: Double? = nil, rolloutWeight: Double? = nil, rolloutRules: Int? = nil,
        rolloutEndgame: Int? = nil, finalDecodeSeconds: Double = 0, decodeSimulations: Int? = nil
    ) {
        self.simulations = simulations
        self.cScale = cScale
        self.rolloutWeight = rolloutWeight
        self.rolloutRules = rolloutRules
        self.rolloutEndgame = rolloutEndgame
        self.finalDecodeSeconds = finalDecodeSeconds
        self.decodeSimulations = decodeSimulations
    }

    /// One search override that was given: its flag, its setting's name (`AlphaZeroHyperparameters`'
    /// and cluster.toml's `[learner]` key, as `SearchAgreement.Conflict.key` names it) and its
    /// value as the messages print it.
    public struct Override: Equatable, Sendable {
        public var flag: String
        public var key: String
        public var value: String
    }

    /// The search overrides given, in flag order.
    public var searchOverrides: [Override] {
        [
            simulations.map { Override(flag: "--simulations", key: "simulations", value: "\($0)") },
            cScale.map { Override(flag: "--c-scale", key: "c_scale", value: "\($0)") },
            rolloutWeight.map { Override(flag: "--rollout-weight", key: "rollout_weight", value: "\($0)") },
            rolloutRules.map { Override(flag: "--rollout-rules", key: "rollout_rules", value: "\($0)") },
            rolloutEndgame.map { Override(flag: "--rollout-endgame", key: "rollout_endgame", value: "\($0)") },
        ].compactMap { $0 }
    }

    /// `hp` (a task preset) with the given search overrides in place of its values.
    public func apply(to hp: inout AlphaZeroHyperparameters) {
        if let simulations { hp.simulations = simulations }
        if let cScale { hp.cScale = cScale }
        if let rolloutWeight { hp.rolloutWeight = rolloutWeight }
        if let rolloutRules { hp.rolloutRules = rolloutRules }
        if let rolloutEndgame { hp.rolloutEndgame = rolloutEndgame }
    }

    /// Where the refused command's user picks the algorithm, so that the refusal under PPO names
    /// what to change.
    public enum AlgorithmChoice: Sendable {
        /// `--algorithm` (`ccelim train`, with or without `--solo`; `bench learning-vs-search`).
        case flag
        /// cluster.toml's `[learner] algorithm`: `ccelim learner` has no `--algorithm` flag.
        case clusterConfig

        /// How AlphaZero is asked for there.
        var alphaZero: String {
            switch self {
            case .flag: "--algorithm alphazero"
            case .clusterConfig: "cluster.toml's [learner] algorithm = \"alphazero\""
            }
        }
    }

    /// What is wrong with these options, one line naming the flag and the value given, or nil.
    /// `algorithm` nil (at parse time, before the checkpoint or cluster.toml says which algorithm
    /// runs): the ranges alone — the search settings' (`AlphaZeroHyperparameters.validate`'s, by
    /// flag), `finalDecodeSeconds` finite ≥ 0 and below `minutes` × 60 (training needs some of the
    /// budget), `decodeSimulations` ≥ 0 and, unless `decodeAlone`, only with a final decode. With
    /// an algorithm, also: under PPO every option given is refused (PPO does not search), naming
    /// how `choice` asks for AlphaZero.
    public func problem(
        algorithm: AlgorithmKind?, minutes: Double?, decodeAlone: Bool = false, choice: AlgorithmChoice = .flag
    ) -> String? {
        func outside(_ flag: String, _ value: some Any, _ rule: String) -> String {
            "\(flag) must be \(rule), not \(value)"
        }
        if let simulations, simulations < 1 { return outside("--simulations", simulations, "at least 1") }
        if let cScale, !(cScale >= 0 && cScale.isFinite) {
            return outside("--c-scale", cScale, "a finite number ≥ 0")
        }
        if let rolloutWeight, !(rolloutWeight >= 0 && rolloutWeight <= 1) {
            return outside("--rollout-weight", rolloutWeight, "a number between 0 and 1")
        }
        if let rolloutRules, !(1...GreedyRule.all.count).contains(rolloutRules) {
            return outside("--rollout-rules", rolloutRules, "between 1 and \(GreedyRule.all.count) (the greedy rules)")
        }
        if let rolloutEndgame, !(0...GreedyCompletion.maxEndgame).contains(rolloutEndgame) {
            return outside(
                "--rollout-endgame", rolloutEndgame,
                "between 0 and \(GreedyCompletion.maxEndgame) (vertices ordered exactly at the end)")
        }
        guard finalDecodeSeconds >= 0, finalDecodeSeconds.isFinite else {
            return outside("--final-decode-seconds", finalDecodeSeconds, "a finite number ≥ 0")
        }
        if finalDecodeSeconds > 0, let minutes, finalDecodeSeconds >= minutes * 60 {
            return outside(
                "--final-decode-seconds", finalDecodeSeconds,
                "below --minutes × 60 = \(minutes * 60) (training needs some of the budget)")
        }
        if let decodeSimulations {
            if decodeSimulations < 0 { return outside("--decode-simulations", decodeSimulations, "≥ 0") }
            if !decodeAlone, finalDecodeSeconds == 0 {
                return
                    "--decode-simulations \(decodeSimulations) applies to the final decode: give --final-decode-seconds too"
            }
        }
        guard algorithm == .ppo else { return nil }
        let finalDecode: [(flag: String, value: String)] =
            (finalDecodeSeconds > 0 ? [("--final-decode-seconds", "\(finalDecodeSeconds)")] : [])
            + (decodeSimulations.map { [("--decode-simulations", "\($0)")] } ?? [])
        return (searchOverrides.map { (flag: $0.flag, value: $0.value) } + finalDecode).first.map {
            "\($0.flag) \($0.value) applies to \(choice.alphaZero); PPO does not search"
        }
    }
}
