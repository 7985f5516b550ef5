import Foundation
import Elimination
import NeuralNet
import PPO

/// What several test targets train on: the 8-vertex chain program (Tests/Fixtures/chain.jaxpr,
/// also run through the binary by the end-to-end tests) and a network and PPO settings small
/// enough for debug builds. One copy, so the targets test the same thing.
public enum TestFixtures {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// x → sin → (·y) → …: small enough for a debug test to train on.
    public static let chainJaxprPath = root.appendingPathComponent("Tests/Fixtures/chain.jaxpr").path

    public static func chain(name: String = "chain") throws -> ComputationalGraph {
        try ComputationalGraph.fromJaxpr(try String(contentsOfFile: chainJaxprPath, encoding: .utf8), name: name)
    }

    /// Width 8, 2 heads of 4, 1 layer.
    public static let tinyNetwork = NetworkConfig(
        name: "tiny",
        policy: EncoderConfig(width: 8, heads: 2, headDim: 4, ffnWidth: 16, layers: 1),
        value: EncoderConfig(width: 8, heads: 2, headDim: 4, ffnWidth: 16, layers: 1))

    public static func tinyHyperparameters(envs: Int = 4) -> Hyperparameters {
        var hp = Hyperparameters()
        hp.numEnvs = envs
        hp.updateEpochs = 2
        hp.numMinibatches = 2
        hp.scheduleUpdates = 4
        return hp
    }
}
