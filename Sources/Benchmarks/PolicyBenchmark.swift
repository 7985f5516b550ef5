import Console
import Elimination
import NeuralNet
import PPO

/// Milliseconds for a policy forward over a batch of states, and for one whole PPO update on a
/// batch of episodes with its parts timed (`ccelim bench policy`).
public enum PolicyBenchmark {
    public struct PresetResult {
        public var preset: String
        public var parameters: Int
        public var batch: Int
        /// Tokens per state (every vertex: the initial state, the largest step).
        public var tokens: Int
        public var forwardMs: Double
        public var rolloutMs: Double
        public var replayMs: Double
        public var updateMs: Double

        public var json: JSON {
            .object([
                ("preset", .string(preset)), ("parameters", .int(parameters)), ("batch", .int(batch)),
                ("tokens", .int(tokens)),
                ("forward_ms", .double(rounded(forwardMs))),
                ("rollout_ms", .double(rounded(rolloutMs))),
                ("replay_ms", .double(rounded(replayMs))),
                ("update_ms", .double(rounded(updateMs))),
                ("ppo_update_total_ms", .double(rounded(rolloutMs + replayMs + updateMs))),
            ])
        }
    }

    /// Medians over `runs` (the forward over 5 × `runs`) for one network preset on `task`.
    public static func measure(
        config: NetworkConfig, task: String, spec: GameSpec, batch: Int, runs: Int
    ) throws -> PresetResult {
        var hp = Hyperparameters.preset(task: task)
        hp.numEnvs = batch
        let network = try PolicyNetwork(
            config: config, maxBatch: batch, maxTokens: TokenFeatures.maxTokens(spec), seed: 1)
        let actor = Actor(network: network, seed: 1, id: 0)
        let learner = Learner(network: network, hp: hp, seed: 1)

        // Forward over `batch` copies of the initial state (T = its tokens: the largest step).
        var tokens = TokenBatch()
        let T = tokens.write(
            [EliminationState](repeating: EliminationState(spec: spec), count: batch),
            costs: [RemainingCosts?](repeating: nil, count: batch))
        let forward = try (0..<max(runs, 1) * 5).map { _ in
            try milliseconds { try tokens.forwardPolicy(network) }
        }
        var rolloutTimes: [Double] = [], replayTimes: [Double] = [], updateTimes: [Double] = []
        for _ in 0..<max(runs, 1) {
            var played: (episodes: [Episode], costs: [Int]) = ([], [])
            rolloutTimes.append(
                try milliseconds { played = try actor.play(spec, task: 0, count: batch, policyVersion: 0) })
            var rollout: RolloutBatch? = nil
            replayTimes.append(
                try milliseconds { rollout = try RolloutBatch(episodes: played.episodes, specs: [spec]) })
            updateTimes.append(try milliseconds { _ = try learner.update(&rollout!, learningRate: 1e-4) })
        }
        return PresetResult(
            preset: config.name, parameters: network.parameterCount, batch: batch, tokens: T,
            forwardMs: median(forward), rolloutMs: median(rolloutTimes), replayMs: median(replayTimes),
            updateMs: median(updateTimes))
    }

    /// The whole benchmark's JSON object.
    public static func json(_ results: [PresetResult], task: String, runs: Int) -> JSON {
        .object([
            ("benchmark", .string("policy")), ("task", .string(task)), ("build", .string(buildConfiguration)),
            ("blas_coretype", .string(blasCoreType)), ("runs", .int(runs)), ("presets", .array(results.map(\.json))),
        ])
    }
}
