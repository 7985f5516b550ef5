import Wire

/// A finished game as it travels from an actor through the coordinator to the learner, whatever
/// the algorithm: PPO's `EpisodeRecord` (in `episodes`) or AlphaZero's `SearchGameRecord` (in
/// `searchGames`). The coordinator routes both the same way (checked, counted once, forwarded or
/// held for the learner, under one backpressure bound), written once against this.
protocol ActorGameRecord: Sendable {
    var actorId: UInt32 { get }
    var taskIndex: UInt32 { get }
    /// The algorithm whose actors send this kind.
    static var algorithm: AlgorithmCode { get }
    /// The message kind that carries it.
    static var kind: MessageKind { get }
    /// One message carrying `list` (at most `WireLimits.maxEpisodesPerMessage`).
    static func message(_ list: [Self]) -> Message
}

extension EpisodeRecord: ActorGameRecord {
    static var algorithm: AlgorithmCode { .ppo }
    static var kind: MessageKind { .episodes }
    static func message(_ list: [EpisodeRecord]) -> Message { .episodes(list) }
}

extension SearchGameRecord: ActorGameRecord {
    static var algorithm: AlgorithmCode { .alphazero }
    static var kind: MessageKind { .searchGames }
    static func message(_ list: [SearchGameRecord]) -> Message { .searchGames(list) }
}

extension AlgorithmCode {
    /// The name `AlgorithmKind` gives it (cluster.toml's `[learner] algorithm`).
    var name: String {
        switch self {
        case .ppo: "ppo"
        case .alphazero: "alphazero"
        }
    }

    /// The message kind this algorithm's actors send their games in.
    var gamesKind: MessageKind {
        switch self {
        case .ppo: .episodes
        case .alphazero: .searchGames
        }
    }
}
