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
    static let checksumAttribute = "checksum_fnv1a64"
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
