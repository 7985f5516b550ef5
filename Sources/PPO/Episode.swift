/// One finished episode as an actor reports it: which task, the order it played and the
/// behaviour policy's log-probability of each action. Costs are not trusted from anyone: the
/// learner recomputes them by replaying the order on its own copy of the graph.
public struct Episode: Equatable, Sendable {
    public var task: Int
    /// Vertex ids in elimination order (a permutation of the task's eliminable vertices).
    public var order: [Int32]
    /// log π_behaviour(action_t | state_t), one per step.
    public var logProbs: [Float]
    /// The weights version that played it (for the staleness limit).
    public var policyVersion: UInt64
    public var actor: UInt32

    public init(task: Int, order: [Int32], logProbs: [Float], policyVersion: UInt64, actor: UInt32) {
        self.task = task
        self.order = order
        self.logProbs = logProbs
        self.policyVersion = policyVersion
        self.actor = actor
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
