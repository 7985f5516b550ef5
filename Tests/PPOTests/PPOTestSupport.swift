import Foundation
import Elimination
import NeuralNet
@testable import PPO
import TestFixtures

enum PPOFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func graph(_ name: String) throws -> ComputationalGraph {
        let url = root.appendingPathComponent("Datasets/\(name).graph")
        return try GraphFile.read(try String(contentsOf: url, encoding: .utf8), path: url.path)
    }

    /// The shared tiny network and PPO settings (Tests/TestFixtures).
    static let tiny = TestFixtures.tinyNetwork

    static func tinyHyperparameters(envs: Int = 4) -> Hyperparameters { TestFixtures.tinyHyperparameters(envs: envs) }
}

/// A hand-built program: x → sin → (·y) → … small enough for a debug test to train on.
enum SmallGraphs {
    static func chain() throws -> ComputationalGraph { try TestFixtures.chain() }
}
