import Checksum
import PPO

/// The policy/value network of any ccelim checkpoint (PPO or AlphaZero), read for another use than
/// resuming its run: decoding orders (`optimize --policy`: `LoadedPolicy`) or a new run's first
/// weights (`train --init`, `pretrain --init`: `InitialWeights`). What it keeps: the network's shape
/// (preset, layers and token features: `network`), the weights, their checksum, and the tasks and
/// updates it was trained for (for reports). The optimiser state, the counters and the
/// algorithm's state are not kept. The one reader of a checkpoint's network; its users put their
/// flag in front of its errors.
public struct CheckpointWeights: Sendable {
    /// The checkpoint file, as given.
    public let path: String
    public let network: NetworkConfig
    public let parameters: [Float]
    /// The tasks it was trained on.
    public let tasks: [String]
    public let updates: Int
    /// `weightsChecksum(of: parameters)`.
    public let weightsChecksum: String

    public init(path: String, network: NetworkConfig, parameters: [Float], tasks: [String] = [], updates: Int = 0) {
        self.path = path
        self.network = network
        self.parameters = parameters
        self.tasks = tasks
        self.updates = updates
        weightsChecksum = Self.weightsChecksum(of: parameters)
    }

    /// Reads and verifies `path` (`CheckpointFile.read`: every checksum checked). The error names
    /// the file and what is wrong with it (missing, empty, truncated, corrupted, another format…).
    public static func read(_ path: String) throws -> CheckpointWeights {
        let snapshot = try CheckpointFile.read(path)
        return CheckpointWeights(
            path: path, network: snapshot.network, parameters: snapshot.parameters, tasks: snapshot.tasks,
            updates: snapshot.updates)
    }

    /// The weights' FNV-1a 64 in hex: the `weights_checksum` a run's summary reports for its final
    /// weights and records for the weights it started from.
    public static func weightsChecksum(of parameters: [Float]) -> String {
        String(FNV1a64.checksum(of: parameters), radix: 16)
    }
}
