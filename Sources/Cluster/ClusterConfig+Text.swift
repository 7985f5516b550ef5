import AlphaZero
import PPO
import Wire

extension ClusterConfig {
    /// The whole configuration as cluster.toml text, every key explicit. `ccelim train` writes it
    /// to the run folder so every child role reads exactly the same settings (and a later
    /// `--resume` can be checked against them).
    public var tomlText: String {
        func q(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var lines = [
            "# written by ccelim: the effective configuration of this run", "", "[run]",
            "name = \(q(run.name))", "seed = \(run.seed)", "tasks = [\(run.tasks.map(q).joined(separator: ", "))]",
            "datasets = \(q(run.datasets))", "runs_directory = \(q(run.runsDirectory))", "",
            "[coordinator]", "bind = \(q(coordinator.bind))", "advertise = \(q(coordinator.advertise))", "",
            "[learner]", "algorithm = \(q(learner.algorithm))", "preset = \(q(learner.preset))",
        ]
        if let v = learner.simulations { lines.append("simulations = \(v)") }
        if let v = learner.cScale { lines.append("c_scale = \(v)") }
        if let v = learner.rolloutWeight { lines.append("rollout_weight = \(v)") }
        if let v = learner.rolloutRules { lines.append("rollout_rules = \(v)") }
        if let v = learner.rolloutEndgame { lines.append("rollout_endgame = \(v)") }
        if let v = learner.learningRate { lines.append("learning_rate = \(v)") }
        if let v = learner.numEnvs { lines.append("num_envs = \(v)") }
        if let v = learner.updateEpochs { lines.append("update_epochs = \(v)") }
        if let v = learner.numMinibatches { lines.append("num_minibatches = \(v)") }
        if let v = learner.entropyCoef { lines.append("entropy_coef = \(v)") }
        if let v = learner.scheduleUpdates { lines.append("schedule_updates = \(v)") }
        lines += [
            "updates = \(learner.updates)", "checkpoint_every = \(learner.checkpointEvery)",
            "keep_checkpoints = \(learner.keepCheckpoints)", "max_policy_lag = \(learner.maxPolicyLag)",
            "max_queued_episodes = \(learner.maxQueuedEpisodes)", "gradients = \(q(learner.gradients))",
            "min_shard_episodes = \(learner.minShardEpisodes)", "size_helpers = \(learner.sizeHelpers)", "",
            "[actors]", "per_host = \(actors.perHost)", "envs_per_actor = \(actors.envsPerActor)", "",
            "[heartbeat]", "interval_ms = \(heartbeat.intervalMs)", "liveness = \(heartbeat.liveness)", "",
            "[security]", "curve = \(security.curve)", "server_secret_key_file = \(q(security.serverSecretKeyFile))",
            "allowed_keys_file = \(q(security.allowedKeysFile))", "client_key_file = \(q(security.clientKeyFile))",
            "server_public_key = \(q(security.serverPublicKey))", "max_message_bytes = \(security.maxMessageBytes)", "",
        ]
        return lines.joined(separator: "\n")
    }

    /// PPO settings: the paper's per-task preset for the first task, then cluster.toml's keys.
    public var hyperparameters: Hyperparameters {
        var hp = Hyperparameters.preset(task: run.tasks.first ?? "")
        if let v = learner.learningRate { hp.learningRate = Float(v) }
        if let v = learner.numEnvs { hp.numEnvs = v }
        if let v = learner.updateEpochs { hp.updateEpochs = v }
        if let v = learner.numMinibatches { hp.numMinibatches = v }
        if let v = learner.entropyCoef { hp.entropyCoef = Float(v) }
        if let v = learner.scheduleUpdates {
            hp.scheduleUpdates = v
        } else if learner.updates > 0 {
            hp.scheduleUpdates = learner.updates
        }
        return hp
    }

    /// The run's algorithm (`[learner] algorithm`, checked when parsed).
    public var algorithm: AlgorithmKind { AlgorithmKind(rawValue: learner.algorithm) ?? .ppo }

    /// AlphaZero settings: the paper's per-task preset for the first task, then cluster.toml's
    /// keys (`simulations`, `c_scale`, `rollout_weight`, `rollout_rules`, `rollout_endgame`; `num_envs` is the games per update, `learning_rate` Adam's rate).
    public var alphaZeroHyperparameters: AlphaZeroHyperparameters {
        var hp = AlphaZeroHyperparameters.preset(task: run.tasks.first ?? "")
        if let v = learner.simulations { hp.simulations = v }
        if let v = learner.cScale { hp.cScale = v }
        if let v = learner.rolloutWeight { hp.rolloutWeight = v }
        if let v = learner.rolloutRules { hp.rolloutRules = v }
        if let v = learner.rolloutEndgame { hp.rolloutEndgame = v }
        if let v = learner.numEnvs { hp.gamesInLockstep = v }
        if let v = learner.learningRate { hp.learningRate = Float(v) }
        return hp
    }

    /// Games per update: PPO's `num_envs`, AlphaZero's games in lockstep.
    public var gamesPerUpdate: Int {
        algorithm == .alphaZero ? alphaZeroHyperparameters.gamesInLockstep : hyperparameters.numEnvs
    }

    /// Games an actor plays per batch (what `welcome` says): `envs_per_actor`, except that an
    /// AlphaZero actor plays at most one update's games. Its batch is searched in lockstep and
    /// sent whole; a batch of two updates' worth (the default 16 against 8 games per update) is
    /// trained on over two updates, and with two actors half of the games reach the learner more
    /// than `max_policy_lag` versions late and are dropped as stale (Docs/RESULTS.md, "Learning
    /// against search").
    public var actorBatchGames: Int {
        algorithm == .alphaZero ? min(actors.envsPerActor, gamesPerUpdate) : actors.envsPerActor
    }

    /// What every `welcome` says the actors play, and AlphaZero's search; refuses settings the
    /// wire cannot carry.
    public func welcomeAlgorithm() throws(AlphaZeroError) -> (algorithm: AlgorithmCode, search: SearchSettings) {
        guard algorithm == .alphaZero else { return (.ppo, .none) }
        return (.alphazero, try SearchSettings(alphaZeroHyperparameters))
    }

    /// The coordinator's backpressure bound, also the learner's queue bound. Never below one
    /// update's worth of episodes (the learner could never start; `max_queued_episodes = 0`, the
    /// default, means exactly that); exactly one update's worth when `max_policy_lag` is 0, which
    /// with a single actor makes the run synchronous: the actor waits for each new version.
    /// AlphaZero's default (`max_queued_episodes = 0`) is `max_policy_lag + 1` updates' worth: its
    /// actors have no gradients to compute while the learner updates, and its replay buffer trains
    /// on games of older weights anyway, so several actors search at once and ahead (PPO's one
    /// update's worth would let only one actor of a batch's size play at a time).
    public var coordinatorHoldThreshold: Int {
        let numEnvs = gamesPerUpdate
        if learner.maxPolicyLag == 0 { return numEnvs }
        let byDefault = algorithm == .alphaZero ? numEnvs * (learner.maxPolicyLag + 1) : numEnvs
        return learner.maxQueuedEpisodes == 0 ? byDefault : max(learner.maxQueuedEpisodes, numEnvs)
    }
}
