/// The kind field of the header (UInt16 LE). Raw values are wire values: never renumber.
public enum MessageKind: UInt16, CaseIterable, Sendable {
    case hello = 1
    case welcome = 2
    case heartbeat = 3
    case episodes = 4
    case weightsRequest = 5
    case weights = 6
    case noNewWeights = 7
    case error = 8
    case shutdown = 9
    case publishWeights = 10
    case bestOrder = 11
    case ack = 12
    case statusRequest = 13
    case statusReply = 14
    case gradientJob = 15
    case gradientRequest = 16
    case gradient = 17
    case gradientUnavailable = 18
    case goodbye = 19
    case episodesDropped = 20
    /// AlphaZero games with their search targets (version 3).
    case searchGames = 21
    /// The learner stopped training for good; the coordinator tells every actor (version 7).
    case trainingOver = 22

    /// Body frames after the header; fixed per kind so a decoder can check it before parsing.
    /// Weights, parameters and gradients carry their Float32 buffer in a frame of its own (meta
    /// first, bulk second).
    public var bodyFrameCount: Int {
        switch self {
        case .heartbeat, .statusRequest, .goodbye: 0
        case .weights, .publishWeights, .gradientRequest, .gradient: 2
        default: 1
        }
    }
}
