import AlphaZero
import PPO
import Wire

/// An algorithm's played game as the cluster carries it: PPO's `Episode` travels as
/// `EpisodeRecord`s in `episodes`, AlphaZero's `SearchEpisode` as `SearchGameRecord`s in
/// `searchGames`. The one actor loop (`ActorCore`) and the one learner (`LearnerCore`, the shell's
/// `LearnerNode`) are written against this; the conversions themselves are PPO+Wire.swift's and
/// AlphaZero+Wire.swift's.
public protocol WireGame: PlayedGame {
    /// What an actor sends for `games`, with the costs its games computed (AlphaZero's record
    /// carries its claim, never trusted; PPO's does not).
    static func message(_ games: [Self], costs: [Int], actorId: UInt32) -> Message
    /// The games `message` carries when it is this algorithm's kind; nil for any other message.
    static func games(in message: Message) -> [Self]?
}

extension Episode: WireGame {
    public static func message(_ games: [Episode], costs: [Int], actorId: UInt32) -> Message {
        .episodes(games.map { EpisodeRecord($0, actorId: actorId) })
    }

    public static func games(in message: Message) -> [Episode]? {
        guard case let .episodes(list) = message else { return nil }
        return list.map(Episode.init)
    }
}

extension SearchEpisode: WireGame {
    public static func message(_ games: [SearchEpisode], costs: [Int], actorId: UInt32) -> Message {
        .searchGames(
            zip(games, costs.count == games.count ? costs : [Int](repeating: 0, count: games.count)).map {
                SearchGameRecord($0, cost: $1, actorId: actorId)
            })
    }

    public static func games(in message: Message) -> [SearchEpisode]? {
        guard case let .searchGames(list) = message else { return nil }
        return list.map(SearchEpisode.init)
    }
}
