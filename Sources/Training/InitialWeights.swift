import Checkpoint
import Console
import PPO

/// The weights a new run starts from (`ccelim train --init CKPT`): the network and parameters of
/// any ccelim checkpoint (PPO or AlphaZero, e.g. Datasets/policies/generalist.h5), read by
/// `CheckpointWeights`; its optimiser state, counters, tasks and algorithm are ignored — the run is
/// new, only its first weights are the checkpoint's. `weightsChecksum` is the checkpoint's weights'
/// FNV-1a 64 (the `weights_checksum` a run's summary reports for its final weights), recorded with
/// the path in the new run's checkpoints and JSON summary.
public struct InitialWeights: Sendable {
    /// The checkpoint's network and weights.
    public let weights: CheckpointWeights
    /// The checkpoint file, as given.
    public var path: String { weights.path }
    public var network: NetworkConfig { weights.network }
    public var parameters: [Float] { weights.parameters }
    public var weightsChecksum: String { weights.weightsChecksum }

    public init(_ weights: CheckpointWeights) { self.weights = weights }

    public init(path: String, network: NetworkConfig, parameters: [Float]) {
        self.init(CheckpointWeights(path: path, network: network, parameters: parameters))
    }

    /// Reads `path`, or says why it cannot start a run.
    public static func read(_ path: String) throws(SoloTrainingError) -> InitialWeights {
        do {
            return InitialWeights(try CheckpointWeights.read(path))
        } catch {
            throw SoloTrainingError("--init: cannot read checkpoint \(path): \(error)")
        }
    }

    /// Puts the weights into `network`, which must have the checkpoint's shape (preset and token
    /// features); the error names both.
    public func load(into network: PolicyNetwork) throws(SoloTrainingError) {
        if widens(to: network.config) {
            do {
                return try network.loadWidening(parameters, from: self.network)
            } catch {
                throw SoloTrainingError("--init \(path): \(error)")
            }
        }
        try require(network.config, parameterCount: network.store.count)
        do {
            try network.loadParameters(parameters)
        } catch {
            throw SoloTrainingError("--init \(path): \(error)")
        }
    }

    /// Refuses a run whose network is not the checkpoint's (before any is built, as the cluster's
    /// parent does, `parameterCount` is nil); the error names both.
    public func require(_ network: NetworkConfig, parameterCount: Int? = nil) throws(SoloTrainingError) {
        guard !widens(to: network) else { return }
        guard self.network == network, parameterCount.map({ $0 == parameters.count }) ?? true else {
            throw SoloTrainingError(
                "--init \(path) holds a \(self.network) network (\(parameters.count) numbers); this run's is \(network)\(parameterCount.map { " (\($0))" } ?? ""): pass the checkpoint's preset with --preset, or a checkpoint of this network"
            )
        }
    }

    /// Whether `network` is the checkpoint's with token features appended since: `load` widens
    /// the weights (`PolicyNetwork.loadWidening`; the new features start unused).
    public func widens(to network: NetworkConfig) -> Bool {
        var same = network
        same.features = self.network.features
        return network.features > self.network.features && same == self.network
    }

    /// The `initialized_from` entry of a run's JSON summary (solo and cluster alike).
    public var summaryEntry: (String, JSON) {
        ("initialized_from", .object([("path", .string(path)), ("weights_checksum", .string(weightsChecksum))]))
    }

    /// The progress line that says where a run's first weights come from.
    public var logLine: String {
        "weights initialised from \(path) (\(network.name), weights checksum \(weightsChecksum))"
    }

    /// The lines a run started from these weights adds to its checkpoints' `config` text.
    public var configLines: [String] {
        ["initialized_from = \(path)", "initialized_from_weights_checksum = \(weightsChecksum)"]
    }
}
