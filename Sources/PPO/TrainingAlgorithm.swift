import Elimination
import NeuralNet
import Randomness

/// The algorithm half of the one trainer (`AlgorithmTrainer`): how a batch of accepted games
/// becomes optimiser steps, and the state only this algorithm has. Everything else — the tasks,
/// the network, the counters, the policy version, the refusal of bad games, the best order per
/// task re-scored by the game, snapshot and restore, the undo point and the `UpdateReport` —
/// is the trainer's, written once.
///
/// PPO's `Learner` conforms (its games are `Episode`s, its work a replayed `RolloutBatch` and an
/// `UpdatePlan`); Gumbel AlphaZero's `AlphaZeroLearner` conforms in the AlphaZero module (its games
/// are `SearchEpisode`s, which go into its replay buffer, and its work is a number of Adam steps
/// on minibatches drawn from that buffer).
public protocol TrainingAlgorithm: AnyObject {
    /// A finished game as this algorithm's players report it.
    associatedtype Game: PlayedGame
    /// What plays `Game`s with the current weights.
    associatedtype Player: GamePlayer where Player.Game == Game
    /// Everything of one update that is fixed before its first optimiser step.
    associatedtype Work
    /// The algorithm's hyperparameters (one documented struct, stored in every checkpoint).
    associatedtype Settings: Equatable & Sendable

    static var kind: AlgorithmKind { get }
    /// The most rows one forward of the network takes under `settings` (sizes its buffers).
    static func maxBatch(_ settings: Settings) -> Int

    /// The update rule for `network` on the graphs `specs`, its streams derived from `seed`.
    init(network: PolicyNetwork, settings: Settings, specs: [GameSpec], seed: UInt64)

    var network: PolicyNetwork { get }
    var settings: Settings { get }
    /// `key=value` pairs of the settings, for the log line at start and the config text.
    var settingsSummary: [(String, String)] { get }
    /// The stream the update draws from, checkpointed as "learner".
    var rng: Xoshiro256StarStar { get set }
    /// Games of every task the solo run's actor plays per update.
    var gamesPerUpdate: Int { get }
    /// A player for this algorithm on the same network, its stream derived from (seed, id).
    func makePlayer(seed: UInt64, id: UInt32) -> Player
    /// Brings `player` in line with the settings (after `restore` took a checkpoint's).
    func configure(_ player: Player)

    /// The learning rate of update `update` (0 = the first).
    func learningRate(atUpdate update: Int) -> Float
    /// From the games the trainer accepted (valid orders of known tasks, in batch order) to the
    /// update's work. May draw from `rng` and keep the games (a replay buffer).
    func prepare(_ games: [Game], specs: [GameSpec]) throws -> Work
    /// Optimiser steps `work` takes (the update's metrics are averaged over them).
    func stepCount(of work: Work) -> Int
    /// Every step of `work`, here; the metrics summed over the steps.
    func takeSteps(_ work: Work, learningRate: Float) throws -> UpdateMetrics

    /// What a checkpoint stores of the algorithm beyond the weights, Adam and `rng`: its settings
    /// (and AlphaZero's replay buffer).
    func checkpointState() -> any AlgorithmState
    /// Continues from `state`; throws, changing nothing, when it is another algorithm's or does
    /// not fit the run's tasks.
    func restore(_ state: any AlgorithmState, specs: [GameSpec]) throws(PPOError)
}

/// The algorithm's part of a checkpoint (`TrainerSnapshot.algorithmState`): PPO's is its
/// `Hyperparameters`; AlphaZero's (`AlphaZeroState`) its hyperparameters and replay buffer. The
/// checkpoint file knows each kind's layout (Docs/CHECKPOINT.md).
public protocol AlgorithmState: Sendable {
    var algorithm: AlgorithmKind { get }
    func isEqual(to other: any AlgorithmState) -> Bool
}

extension AlgorithmState where Self: Equatable {
    public func isEqual(to other: any AlgorithmState) -> Bool { (other as? Self) == self }
}

extension Hyperparameters: AlgorithmState {
    public var algorithm: AlgorithmKind { .ppo }
}
