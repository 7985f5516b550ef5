/// A finished game as the trainer sees it, whatever the algorithm that played it: which task,
/// the order played, the weights version and the actor. Each algorithm's game carries more (PPO's
/// `Episode` the behaviour log-probabilities, AlphaZero's `SearchEpisode` the improved policies),
/// checked by its own `refusal`; the trainer replays the order on its own graph for the cost.
public protocol PlayedGame: Sendable {
    var task: Int { get }
    /// What the logs and the update report keep of the game.
    var record: GameRecord { get }
    /// Why the game cannot be trained on, judged without replaying it (cheap enough for every
    /// arriving game); nil when it may go on to the replay, which checks the order itself.
    func refusal(taskCount: Int, newestVersion: UInt64) -> DropReason?
}

/// The part of a played game every algorithm shares: what the episode log stores per episode.
public struct GameRecord: Equatable, Sendable {
    public var task: Int
    /// Vertex ids in elimination order.
    public var order: [Int]
    public var policyVersion: UInt64
    public var actor: UInt32

    public init(task: Int, order: [Int], policyVersion: UInt64, actor: UInt32) {
        self.task = task
        self.order = order
        self.policyVersion = policyVersion
        self.actor = actor
    }
}

extension Episode: PlayedGame {
    public var record: GameRecord {
        GameRecord(task: task, order: order, policyVersion: policyVersion, actor: actor)
    }
}
