import Elimination
import PPO

/// Self-play as the solo run's player: one call plays `count` games of a task in lockstep.
extension SelfPlay: GamePlayer {
    public func playGames(
        _ spec: GameSpec, task: Int, count: Int, policyVersion: UInt64
    ) throws -> (
        games: [SearchEpisode], costs: [Int]
    ) {
        let played = try play(spec, task: task, count: count, policyVersion: policyVersion)
        return (played.episodes, played.costs)
    }
}
