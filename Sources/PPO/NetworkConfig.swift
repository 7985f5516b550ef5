import NeuralNet

/// The shape of the agent's two networks (separate policy and value encoders, as in the paper).
public struct NetworkConfig: Equatable, Codable, Sendable, CustomStringConvertible {
    public var name: String
    public var policy: EncoderConfig
    public var value: EncoderConfig
    /// Numbers per token (TokenFeatures.count).
    public var features: Int

    public init(name: String, policy: EncoderConfig, value: EncoderConfig, features: Int = TokenFeatures.count) {
        self.name = name
        self.policy = policy
        self.value = value
        self.features = features
    }

    /// The paper's PPO networks: width 64, 6 heads, feed-forward 256, policy 5 layers, value 4.
    public static let paper = NetworkConfig(name: "paper", policy: .paper, value: .paperValue)
    /// For fast CPU runs: width 32, 2 heads of 16, feed-forward 64, 2 layers each.
    public static let small = NetworkConfig(name: "small", policy: .small, value: .small)

    public static func preset(_ name: String) -> NetworkConfig? {
        switch name {
        case "paper": return .paper
        case "small": return .small
        default: return nil
        }
    }

    public var description: String { "\(name): policy [\(policy)], value [\(value)], \(features) features" }
}
