/// Every message of the cluster protocol, one case per kind (Docs/PROTOCOL.md §3).
/// Encode with `Wire.encode(_:)`, decode with `Wire.decode(frames:)`.
public enum Message: Equatable, Sendable {
    case hello(Hello)
    case welcome(Welcome)
    case heartbeat
    /// A peer leaving on purpose (no body): forgotten at once, not declared dead.
    case goodbye
    case episodes([EpisodeRecord])
    case weightsRequest(haveVersion: UInt64)
    case weights(Weights)
    case noNewWeights(currentVersion: UInt64)
    case error(ErrorReply)
    case shutdown(reason: String)
    case publishWeights(Weights)
    case bestOrder(BestOrderNotice)
    case ack(Ack)
    case statusRequest
    case statusReply(StatusReply)
    case gradientJob(GradientJob)
    case gradientRequest(GradientRequest)
    case gradient(GradientReply)
    case gradientUnavailable(GradientUnavailable)
    /// Learner → coordinator: this many episodes handed to it since its last `publishWeights` (or
    /// last report) will never be trained on (refused, stale, overflow, or a batch with nothing
    /// trainable), so they stop counting towards the coordinator's backpressure bound. ≥ 1.
    case episodesDropped(count: UInt32)
    /// Actor → coordinator → learner: finished AlphaZero games with their search targets (1 … 4,096).
    case searchGames([SearchGameRecord])
    /// Learner → coordinator → every actor: the learner stopped training for good (version 7);
    /// actors stop and exit 0.
    case trainingOver(TrainingOver)

    public var kind: MessageKind {
        switch self {
        case .hello: .hello
        case .welcome: .welcome
        case .heartbeat: .heartbeat
        case .goodbye: .goodbye
        case .episodes: .episodes
        case .weightsRequest: .weightsRequest
        case .weights: .weights
        case .noNewWeights: .noNewWeights
        case .error: .error
        case .shutdown: .shutdown
        case .publishWeights: .publishWeights
        case .bestOrder: .bestOrder
        case .ack: .ack
        case .statusRequest: .statusRequest
        case .statusReply: .statusReply
        case .gradientJob: .gradientJob
        case .gradientRequest: .gradientRequest
        case .gradient: .gradient
        case .gradientUnavailable: .gradientUnavailable
        case .episodesDropped: .episodesDropped
        case .searchGames: .searchGames
        case .trainingOver: .trainingOver
        }
    }
}
