import AlphaZero
import NeuralNet
import PPO

/// Names and version of the checkpoint file format (Docs/CHECKPOINT.md is the same schema in
/// prose; change both together, and bump `version` for anything an older reader would misread).
enum CheckpointSchema {
    static let format = "ccelim-checkpoint"
    static let version: Int64 = 1

    static let parametersGroup = "parameters"
    /// Attribute on /parameters: tensor names in buffer order, one per line (the group itself
    /// lists its children sorted by name, which is not the order the flat buffers use).
    static let tensorOrderAttribute = "names"
    static let adamGroup = "adam"
    static let firstMomentGroup = "first_moment"
    static let secondMomentGroup = "second_moment"
    static let rngGroup = "rng"
    static let tasksGroup = "tasks"
    static let networkGroup = "network"
    static let hyperparametersGroup = "hyperparameters"
    /// Root attribute naming the algorithm (`AlgorithmKind`); a file without it is PPO's (written
    /// before AlphaZero existed). It decides which fields /hyperparameters holds and whether
    /// /replay is there.
    static let algorithmAttribute = "algorithm"
    /// AlphaZero's replay buffer (Docs/CHECKPOINT.md).
    static let replayGroup = "replay"
    static let checksumAttribute = "checksum_fnv1a64"
    // Root attribute `strings_fnv1a64` (optional): `StringAttributesChecksum`, shared with the episode log.
    static let rngStateWords = 6
}

/// The hyperparameters as attributes of /hyperparameters, one per field under its snake_case
/// name: Int as int64, Float as float32 (bit-exact), Bool as int32 0/1. One table drives both
/// writing and reading, and a test checks it covers every stored property of Hyperparameters.
enum HyperparameterFields {
    enum Field {
        case int(String, WritableKeyPath<Hyperparameters, Int>)
        case float(String, WritableKeyPath<Hyperparameters, Float>)
        case bool(String, WritableKeyPath<Hyperparameters, Bool>)

        var name: String {
            switch self {
            case .int(let n, _), .float(let n, _), .bool(let n, _): return n
            }
        }
    }

    static let all: [Field] = [
        .int("num_envs", \.numEnvs), .float("learning_rate", \.learningRate),
        .int("schedule_updates", \.scheduleUpdates),
        .float("min_learning_rate_fraction", \.minLearningRateFraction), .float("gamma", \.gamma),
        .float("gae_lambda", \.gaeLambda), .int("num_minibatches", \.numMinibatches),
        .int("update_epochs", \.updateEpochs),
        .float("clip_coef", \.clipCoef), .bool("clip_value_loss", \.clipValueLoss),
        .float("entropy_coef", \.entropyCoef),
        .float("value_coef", \.valueCoef), .float("max_grad_norm", \.maxGradNorm),
        .bool("normalize_advantages", \.normalizeAdvantages),
        .bool("normalize_rewards_per_task", \.normalizeRewardsPerTask),
    ]

    /// Fields added after format version 1 was published, with the value that reproduces what a
    /// file written before them trained with (its run did not have the field).
    static let absentInOlderFiles: [String: Bool] = ["normalize_rewards_per_task": false]
}

/// An encoder's shape as int64 attributes of /network/policy and /network/value.
enum EncoderFields {
    static let all: [(String, WritableKeyPath<EncoderConfig, Int>)] = [
        ("width", \.width), ("heads", \.heads), ("head_dim", \.headDim), ("ffn_width", \.ffnWidth),
        ("layers", \.layers),
    ]
}

/// AlphaZero's hyperparameters as attributes of /hyperparameters in an AlphaZero checkpoint, one
/// per field under its snake_case name (the names of `AlphaZeroHyperparameters.summary`): Int as
/// int64, Double as float64, Float as float32 (bit-exact). A test checks the table covers every
/// stored property.
enum AlphaZeroHyperparameterFields {
    enum Field {
        case int(String, WritableKeyPath<AlphaZeroHyperparameters, Int>)
        case double(String, WritableKeyPath<AlphaZeroHyperparameters, Double>)
        case float(String, WritableKeyPath<AlphaZeroHyperparameters, Float>)

        var name: String {
            switch self {
            case .int(let n, _), .double(let n, _), .float(let n, _): return n
            }
        }
    }

    static let all: [Field] = [
        .int("simulations", \.simulations), .int("max_considered_actions", \.maxConsideredActions),
        .double("c_visit", \.cVisit), .double("c_scale", \.cScale), .double("gumbel_scale", \.gumbelScale),
        .int("games_in_lockstep", \.gamesInLockstep), .float("learning_rate", \.learningRate),
        .int("minibatch_size", \.minibatchSize), .int("steps_per_batch", \.stepsPerBatch),
        .float("value_coef", \.valueCoef), .float("max_grad_norm", \.maxGradNorm),
        .int("replay_games", \.replayGames), .double("rollout_weight", \.rolloutWeight),
        .int("rollout_rules", \.rolloutRules), .int("rollout_endgame", \.rolloutEndgame),
    ]

    /// Fields added after format version 1 was published, with the value that reproduces what a
    /// file written before them searched with (its run did not have the field).
    static let absentInOlderFiles: [String: Double] = [
        "rollout_weight": 0, "rollout_rules": 1, "rollout_endgame": 0,
    ]
}

/// AlphaZero's replay buffer as /replay: per game (oldest first) its task, actor, weights version
/// and order length, the orders concatenated, the improved policies concatenated (move t of a game
/// of L moves has L − t numbers), and the `added` attribute (games ever added). Datasets are
/// absent when the buffer is empty (`games` = 0).
enum ReplaySchema {
    static let gamesAttribute = "games"
    static let addedAttribute = "added"
    static let task = "task"
    static let actor = "actor"
    static let policyVersion = "policy_version"
    static let length = "length"
    static let orders = "orders"
    static let improvedPolicies = "improved_policies"
}
