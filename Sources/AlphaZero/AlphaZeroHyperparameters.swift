import Search

/// Gumbel AlphaZero as the paper trains it ("Policy improvement by planning with Gumbel",
/// Danihelka et al., ICLR 2022; mctx's `gumbel_muzero_policy`), one line of documentation per
/// field with where its value comes from: the Gumbel paper, mctx's defaults, AlphaGrad (the
/// paper's AlphaZero runs; its per-task configs, e.g. Encoder's, are quoted where they differ) or
/// ours. Logged at start and stored in every AlphaZero checkpoint (/hyperparameters).
public struct AlphaZeroHyperparameters: Codable, Equatable, Sendable {
    // MARK: Search (the paper's and mctx's values)

    /// Simulations per move: AlphaGrad's 50 (250 for Perceptron and Encoder, see `preset`); the
    /// Gumbel paper shows gains from as few as 2.
    public var simulations = 50
    /// m: root actions sampled by Gumbel-top-k and halved sequentially (mctx's default 16; the
    /// Gumbel paper's Go runs 16 too; AlphaGrad's Encoder config 5).
    public var maxConsideredActions = 16
    /// c_visit of σ(q̂) = (c_visit + max_b N(b)) · c_scale · q̂ (the Gumbel paper and mctx's
    /// `maxvisit_init`: 50; AlphaGrad's configs 25).
    public var cVisit: Double = 50
    /// c_scale of the same σ (the Gumbel paper's 1.0; mctx's `value_scale` defaults to 0.1,
    /// AlphaGrad's configs use 0.01).
    public var cScale: Double = 1.0
    /// Scale of the root Gumbel noise: 1 in self-play, 0 for a deterministic search (mctx's
    /// `gumbel_scale`, default 1; AlphaGrad's Encoder config 1).
    public var gumbelScale: Double = 1.0
    /// λ of a leaf's value (1 − λ) · v_network + λ · v_rollout, v_rollout minus the exact cost of
    /// finishing the leaf with the task's cheapest greedy rule (`RolloutLeafEvaluator`; AlphaGo's
    /// mixing of a value network with rollouts, weight 0.5 there). Ours: 0 (the network alone,
    /// the paper's AlphaZero) by default; 1 values leaves by the rollout alone and skips the value
    /// forwards. The rollout keeps the search honest where the value head was never trained.
    public var rolloutWeight: Double = 0
    /// k of the rollout: a leaf's v_rollout is the cheapest completion among the k greedy rules
    /// (of `GreedyRule.all`'s six) whose orders are cheapest from the start state. Ours: 1 (the
    /// single cheapest rule, as before the field existed); more rules give a tighter (never
    /// looser) exact value at k times the rollout work (Docs/RESULTS.md, az6). Unused when λ = 0.
    public var rolloutRules = 1
    /// E of the rollout: each rule's completion orders its last E vertices exactly
    /// (`GreedyCompletion.endgame`, a dynamic programme over 2^E subsets). Ours: 0 (the rules
    /// alone, as before the field existed); greedy rules err most among the last few vertices
    /// (on f by about 1,000 multiplications, Docs/RESULTS.md, az6). Unused when λ = 0.
    public var rolloutEndgame = 0

    // MARK: Self-play (ours)

    /// Games played in lockstep, so each simulation wave evaluates up to this many leaves in one
    /// forward; also the games per update of the solo run (`--envs`). Ours: the paper batches
    /// environments on accelerators (AlphaGrad: 16 to 32 `num_envs`); on a CPU core batching more
    /// leaves per forward buys little (Docs/RESULTS.md), so 8 games give twice as many updates
    /// per minute as 16 for the same self-play (was 16 until 2026-12-02).
    public var gamesInLockstep = 8

    // MARK: Learning (ours unless stated)

    /// Adam learning rate, constant (ours: PPO's 2.5e-4 is too slow for supervised targets; 1e-3
    /// is the common Adam default and AlphaGrad's Encoder config).
    public var learningRate: Float = 1e-3
    /// Examples (moves) per minibatch (ours; AlphaGrad's Encoder config trains on 4096 on a GPU).
    public var minibatchSize = 128
    /// Adam steps per update, i.e. per batch of `gamesInLockstep` self-play games (ours: 16 steps
    /// of 128 moves draw each of 8 games' moves about 2.6 times on RoeFlux_1d's 98 moves, where 8
    /// steps after 16 games drew each 0.65 times; self-play still takes most of an update).
    public var stepsPerBatch = 16
    /// Weight of the value loss valueCoef · (v − symlog(R))² (ours; MuZero-style 0.25 to 1 is
    /// common, AlphaGrad's configs use 1 to 10).
    public var valueCoef: Float = 0.5
    /// Global gradient-norm clip (ours, as PPO's but looser for a supervised loss).
    public var maxGradNorm: Float = 1.0
    /// Games kept in the replay buffer, oldest dropped first (ours; AlphaGrad's Encoder config
    /// keeps 50,000 moves, ~280 of its games).
    public var replayGames = 256

    public init() {}

    /// The paper's per-task settings: 250 simulations for the two neural-network tasks.
    public static func preset(task: String) -> AlphaZeroHyperparameters {
        var hp = AlphaZeroHyperparameters()
        if task == "Perceptron" || task == "Encoder" { hp.simulations = 250 }
        return hp
    }

    /// `key=value` lines, for logs and checkpoints.
    public var summary: [(String, String)] {
        [
            ("simulations", "\(simulations)"), ("max_considered_actions", "\(maxConsideredActions)"),
            ("c_visit", "\(cVisit)"),
            ("c_scale", "\(cScale)"), ("gumbel_scale", "\(gumbelScale)"), ("rollout_weight", "\(rolloutWeight)"),
            ("rollout_rules", "\(rolloutRules)"), ("rollout_endgame", "\(rolloutEndgame)"),
            ("games_in_lockstep", "\(gamesInLockstep)"),
            ("learning_rate", "\(learningRate)"), ("minibatch_size", "\(minibatchSize)"),
            ("steps_per_batch", "\(stepsPerBatch)"),
            ("value_coef", "\(valueCoef)"), ("max_grad_norm", "\(maxGradNorm)"), ("replay_games", "\(replayGames)"),
        ]
    }

    /// Refuses settings the search or the update cannot run with, naming the field.
    public func validate() throws(AlphaZeroError) {
        func require(_ ok: Bool, _ field: String, _ rule: String) throws(AlphaZeroError) {
            if !ok { throw .invalidSetting("\(field) \(rule)") }
        }
        try require(simulations >= 1, "simulations", "must be at least 1")
        try require(maxConsideredActions >= 1, "max_considered_actions", "must be at least 1")
        try require(cVisit >= 0 && cVisit.isFinite, "c_visit", "must be a finite number ≥ 0")
        try require(cScale >= 0 && cScale.isFinite, "c_scale", "must be a finite number ≥ 0")
        try require(gumbelScale >= 0 && gumbelScale.isFinite, "gumbel_scale", "must be a finite number ≥ 0")
        try require(
            rolloutWeight >= 0 && rolloutWeight <= 1, "rollout_weight", "must be a number between 0 and 1")
        try require(
            rolloutRules >= 1 && rolloutRules <= GreedyRule.all.count, "rollout_rules",
            "must be between 1 and \(GreedyRule.all.count) (the greedy rules)")
        try require(
            rolloutEndgame >= 0 && rolloutEndgame <= GreedyCompletion.maxEndgame, "rollout_endgame",
            "must be between 0 and \(GreedyCompletion.maxEndgame) (vertices ordered exactly at the end)")
        try require(gamesInLockstep >= 1, "games_in_lockstep", "must be at least 1")
        try require(learningRate > 0 && learningRate.isFinite, "learning_rate", "must be a positive number")
        try require(minibatchSize >= 1, "minibatch_size", "must be at least 1")
        try require(stepsPerBatch >= 0, "steps_per_batch", "must be ≥ 0")
        try require(valueCoef >= 0 && valueCoef.isFinite, "value_coef", "must be a finite number ≥ 0")
        try require(maxGradNorm > 0, "max_grad_norm", "must be positive")
        try require(replayGames >= 1, "replay_games", "must be at least 1")
    }
}
