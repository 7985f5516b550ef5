import Elimination
import Randomness

/// Plays games of one algorithm with the current weights: PPO's `Actor` samples the policy,
/// AlphaZero's `SelfPlay` searches at every move. The solo run's actor loop (`AlgorithmSoloRun`)
/// is written once against this.
public protocol GamePlayer: AnyObject {
    associatedtype Game: PlayedGame
    /// The player's own seeded stream, checkpointed as "actor.N".
    var rng: Xoshiro256StarStar { get set }
    /// Plays `count` full games of `spec` (task index `task`) with the weights of `policyVersion`;
    /// returns them with their costs as the game computed them.
    func playGames(
        _ spec: GameSpec, task: Int, count: Int, policyVersion: UInt64
    ) throws -> (
        games: [Game], costs: [Int]
    )
}

extension Actor: GamePlayer {
    public func playGames(
        _ spec: GameSpec, task: Int, count: Int, policyVersion: UInt64
    ) throws -> (
        games: [Episode], costs: [Int]
    ) {
        let played = try play(spec, task: task, count: count, policyVersion: policyVersion)
        return (played.episodes, played.costs)
    }
}
