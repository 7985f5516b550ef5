import Foundation
import Elimination
import NeuralNet
@testable import PPO

enum PPOFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func graph(_ name: String) throws -> ComputationalGraph {
        let url = root.appendingPathComponent("Datasets/\(name).graph")
        return try GraphFile.read(try String(contentsOf: url, encoding: .utf8), path: url.path)
    }

    /// A network small enough for debug-build tests: width 8, 2 heads of 4, 1 layer.
    static let tiny = NetworkConfig(name: "tiny",
                                    policy: EncoderConfig(width: 8, heads: 2, headDim: 4, ffnWidth: 16, layers: 1),
                                    value: EncoderConfig(width: 8, heads: 2, headDim: 4, ffnWidth: 16, layers: 1))

    static func tinyHyperparameters(envs: Int = 4) -> Hyperparameters {
        var hp = Hyperparameters()
        hp.numEnvs = envs
        hp.updateEpochs = 2
        hp.numMinibatches = 2
        hp.scheduleUpdates = 4
        return hp
    }
}

/// A hand-built program: x → sin → (·y) → … small enough for a debug test to train on.
enum SmallGraphs {
    static func chain() throws -> ComputationalGraph {
        try ComputationalGraph.fromJaxpr("""
        { lambda ; a:f32[] b:f32[] c:f32[]. let
            d:f32[] = mul a b
            e:f32[] = sin d
            f:f32[] = mul e c
            g:f32[] = add f a
            h:f32[] = cos g
            i:f32[] = mul h b
            j:f32[] = add i c
            k:f32[] = mul j j
          in (k, f) }
        """, name: "chain")
    }
}
