/// One self-played game with its search targets, in compact arrays (what an actor will send the
/// learner): the order played and, per move, the improved policy π' over that move's legal
/// actions. Costs are not trusted from anyone: the replay buffer recomputes them by replaying the
/// order on its own copy of the graph.
public struct SearchEpisode: Equatable, Sendable {
    public var task: Int
    /// Vertex ids in elimination order (a permutation of the task's eliminable vertices).
    public var order: [Int32]
    /// π' of every move, concatenated: move t has (eliminable − t) numbers, one per legal action
    /// in ascending vertex id.
    public var improvedPolicies: [Float]
    /// The weights version that played it.
    public var policyVersion: UInt64
    public var actor: UInt32

    public init(task: Int, order: [Int32], improvedPolicies: [Float], policyVersion: UInt64, actor: UInt32) {
        self.task = task
        self.order = order
        self.improvedPolicies = improvedPolicies
        self.policyVersion = policyVersion
        self.actor = actor
    }

    /// Where move t's π' starts in `improvedPolicies` for a game of `eliminable` moves:
    /// Σ_{s<t} (eliminable − s).
    public static func policyOffset(move t: Int, eliminable L: Int) -> Int {
        t * L - t * (t - 1) / 2
    }

    /// Numbers in `improvedPolicies` of a whole game of `eliminable` moves: L(L+1)/2.
    public static func policyCount(eliminable L: Int) -> Int {
        L * (L + 1) / 2
    }
}
