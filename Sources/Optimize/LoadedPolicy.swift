import Checkpoint
import Elimination
import Foundation
import PPO
import Search

/// A trained policy read from a checkpoint, ready to decode orders for any graph (its token
/// features do not depend on the graph's size). Only the weights and the network's shape are
/// used; the optimiser state and the run's counters are ignored.
public struct LoadedPolicy: Sendable {
    /// Methods of orders the policy decoded start with this.
    public static let methodPrefix = "policy-"

    /// The checkpoint file, as given.
    public var path: String
    public var network: NetworkConfig
    public var parameters: [Float]
    /// The tasks it was trained on (for the report).
    public var tasks: [String]
    public var updates: Int

    public init(path: String, network: NetworkConfig, parameters: [Float], tasks: [String], updates: Int) {
        self.path = path
        self.network = network
        self.parameters = parameters
        self.tasks = tasks
        self.updates = updates
    }

    /// Reads `path` (any ccelim checkpoint, e.g. runs/NAME/checkpoint.h5).
    public static func read(_ path: String) throws -> LoadedPolicy {
        let snapshot: TrainerSnapshot
        do {
            snapshot = try CheckpointFile.read(path)
        } catch {
            throw OptimizeError("--policy: \(error)")
        }
        return LoadedPolicy(
            path: path, network: snapshot.network, parameters: snapshot.parameters, tasks: snapshot.tasks,
            updates: snapshot.updates)
    }

    /// The greedy order and the best of `samples` sampled ones (seeded), each re-scored by the
    /// game: "policy-greedy" and "policy-samples".
    public func decode(_ spec: GameSpec, samples: Int, seed: UInt64) throws -> [SearchResult] {
        let net = try PolicyNetwork(
            config: network, maxBatch: max(samples, 1), maxTokens: max(spec.vertexCount, 1), seed: 0)
        try net.loadParameters(parameters)
        var results: [SearchResult] = []
        let greedy = try PolicyDecoder(network: net, spec: spec).greedy()
        results.append(
            try SearchResult.rescored(
                method: Self.methodPrefix + "greedy", order: greedy.order, evaluations: 1, on: spec))
        if samples > 0 {
            let played = try Actor(network: net, seed: seed, id: 0).play(
                spec, task: 0, count: samples, policyVersion: 0)
            let i = played.costs.indices.min { played.costs[$0] < played.costs[$1] }!
            results.append(
                try SearchResult.rescored(
                    method: Self.methodPrefix + "samples", order: played.episodes[i].order, evaluations: samples,
                    on: spec))
        }
        return results
    }
}
