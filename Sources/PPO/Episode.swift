/// One finished episode as an actor reports it: which task, the order it played and the
/// behaviour policy's log-probability of each action. Costs are not trusted from anyone: the
/// learner recomputes them by replaying the order on its own copy of the graph.
///
/// Vertex ids are `Int` everywhere in memory (the game's type); they are `i32` only inside the
/// byte formats (the wire's `EpisodeRecord`, the episode log's rows), converted at those edges.
public struct Episode: Equatable, Sendable {
    public var task: Int
    /// Vertex ids in elimination order (a permutation of the task's eliminable vertices).
    public var order: [Int]
    /// log π_behaviour(action_t | state_t), one per step.
    public var logProbs: [Float]
    /// The weights version that played it (for the staleness limit).
    public var policyVersion: UInt64
    public var actor: UInt32

    public init(task: Int, order: [Int], logProbs: [Float], policyVersion: UInt64, actor: UInt32) {
        self.task = task
        self.order = order
        self.logProbs = logProbs
        self.policyVersion = policyVersion
        self.actor = actor
    }

    /// The lowest log-probability an honestly sampled action can have. Actors sample with a
    /// 53-bit uniform, so an action below 2⁻⁵³ (log ≈ −36.7) is never drawn; −60 leaves room.
    /// A lower (or a positive, or a non-finite) value can only be forged, and would make the
    /// importance ratio exp(new − old) overflow.
    public static let logProbFloor: Float = -60
    /// Log-softmax can round a certain action's log-probability a hair above 0.
    static let logProbCeiling: Float = 1e-3

    /// Why this episode cannot be trained on, judged without replaying it (cheap enough for
    /// every arriving episode): an unknown task, log-probabilities that do not match the order
    /// or are not log-probabilities, or a version no learner has published yet (newer than
    /// `newestVersion`). Nil when it may go on to the replay, which checks the order itself.
    public func refusal(taskCount: Int, newestVersion: UInt64) -> DropReason? {
        guard task >= 0 && task < taskCount else { return .unknownTask }
        guard logProbs.count == order.count, !order.isEmpty else { return .invalidOrder }
        guard logProbs.allSatisfy({ $0 >= Self.logProbFloor && $0 <= Self.logProbCeiling }) else { return .logProb }
        guard policyVersion <= newestVersion else { return .futureVersion }
        return nil
    }
}

/// The cheapest order seen for a task, with its cost as the game computed it.
public struct BestOrder: Equatable, Sendable, Codable {
    public var cost: Int
    public var order: [Int]

    public init(cost: Int, order: [Int]) {
        self.cost = cost
        self.order = order
    }
}
