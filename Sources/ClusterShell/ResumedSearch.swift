import AlphaZero
import Checkpoint
import Cluster
import PPO
import Wire

/// What a cluster role continuing a checkpoint's run plays: the checkpoint decides an AlphaZero
/// run's search (`SearchAgreement`, the pure rule); this reads it for the coordinator and the
/// learner, which must agree on it.
public enum ResumedSearch {
    /// `config` continuing `snapshot`'s run (the checkpoint at `path`), and what the welcome says
    /// the actors play. Refuses a checkpoint of another algorithm than cluster.toml's and a
    /// cluster.toml that names other search settings than the checkpoint's.
    public static func settle(
        _ config: ClusterConfig, resuming snapshot: TrainerSnapshot, path: String
    )
        throws(ShellError) -> (config: ClusterConfig, played: (algorithm: AlgorithmCode, search: SearchSettings))
    {
        guard snapshot.algorithm == config.algorithm else {
            throw ShellError(
                "--resume \(path): the checkpoint was trained with \(snapshot.algorithm.rawValue), cluster.toml's [learner] algorithm is \(config.algorithm.rawValue); resume with the same algorithm"
            )
        }
        do {
            guard let state = snapshot.algorithmState as? AlphaZeroState else {
                return (config, try config.welcomeAlgorithm())
            }
            return (
                try SearchAgreement.config(config, resuming: state.settings),
                try SearchAgreement.welcome(resuming: state.settings)
            )
        } catch {
            throw ShellError("cluster.toml: \(error) (--resume \(path))")
        }
    }

    /// The same, reading the checkpoint at `path`.
    public static func settle(
        _ config: ClusterConfig, resuming path: String
    ) throws(ShellError) -> (
        config: ClusterConfig, played: (algorithm: AlgorithmCode, search: SearchSettings)
    ) {
        let snapshot: TrainerSnapshot
        do {
            snapshot = try CheckpointFile.read(path)
        } catch {
            throw ShellError("cannot resume: \(error)")
        }
        return try settle(config, resuming: snapshot, path: path)
    }
}
