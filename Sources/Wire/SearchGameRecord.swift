/// One finished AlphaZero game as an actor reports it (`searchGames`, Docs/PROTOCOL.md §3): the
/// order its searches chose and, per move, the improved policy π' over that move's legal actions,
/// the learner's training target. The learner replays `order` on its own graph for the returns
/// and the legal actions, so only what it cannot recompute travels, plus the cost the actor
/// claims (a check on the actor, never trusted).
public struct SearchGameRecord: Equatable, Sendable {
    public var taskIndex: UInt32
    public var policyVersion: UInt64
    public var actorId: UInt32
    /// Multiplications of the whole order as the actor's game counted them.
    public var cost: UInt64
    /// Eliminated vertex ids, in order (L of them).
    public var order: [Int32]
    /// π' of every move, concatenated: move t has L − t numbers (L(L+1)/2 in all), each in
    /// [0, 1], each move's summing to 1 (the decoder checks).
    public var policies: [Float]

    public init(
        taskIndex: UInt32, policyVersion: UInt64, actorId: UInt32, cost: UInt64, order: [Int32], policies: [Float]
    ) {
        self.taskIndex = taskIndex
        self.policyVersion = policyVersion
        self.actorId = actorId
        self.cost = cost
        self.order = order
        self.policies = policies
    }

    /// Numbers of π' in a game of `moves` moves: L(L+1)/2.
    public static func policyCount(moves L: Int) -> Int { L * (L + 1) / 2 }

    func write(into w: inout ByteWriter) {
        w.integer(taskIndex)
        w.integer(policyVersion)
        w.integer(actorId)
        w.integer(cost)
        w.count(order.count)
        w.int32s(order)
        w.count(policies.count)
        w.float32s(policies)
    }

    init(reading r: inout ByteReader, index i: Int) throws(WireError) {
        taskIndex = try r.integer(UInt32.self, "searchGames[\(i)].taskIndex")
        policyVersion = try r.integer(UInt64.self, "searchGames[\(i)].policyVersion")
        actorId = try r.integer(UInt32.self, "searchGames[\(i)].actorId")
        cost = try r.integer(UInt64.self, "searchGames[\(i)].cost")
        let moves = try r.count("searchGames[\(i)].order", limit: WireLimits.maxOrderLength, elementBytes: 4)
        guard moves > 0 else {
            throw .invalidValue(field: "searchGames[\(i)].order", reason: "a game has at least one move")
        }
        order = try r.int32s(count: moves, "searchGames[\(i)].order")
        // The count is checked against L(L+1)/2 before the bytes are: it says what the sender meant.
        let expected = Self.policyCount(moves: moves)
        let n = Int(try r.integer(UInt32.self, "searchGames[\(i)].policies"))
        guard n == expected else {
            throw .lengthMismatch(field: "searchGames[\(i)].policies", expected: expected, actual: n)
        }
        guard 4 * n <= r.remaining else {
            throw .truncated(field: "searchGames[\(i)].policies", needed: 4 * n, remaining: r.remaining)
        }
        policies = try r.float32s(count: n, "searchGames[\(i)].policies")
        try Self.checkPolicies(policies, moves: moves, game: i)
    }

    /// Every number finite and in [0, 1]; each move's row sums to 1 within
    /// `WireLimits.policySumTolerance`.
    private static func checkPolicies(_ p: [Float], moves L: Int, game i: Int) throws(WireError) {
        var start = 0
        for t in 0..<L {
            let width = L - t
            var sum: Float = 0
            for k in start..<(start + width) {
                let x = p[k]
                guard x >= 0 && x <= 1 else {  // false for NaN too
                    throw .invalidValue(
                        field: "searchGames[\(i)].policies[\(k)]", reason: "\(x) (move \(t)) is not a probability")
                }
                sum += x
            }
            guard abs(sum - 1) <= WireLimits.policySumTolerance else {
                throw .invalidValue(
                    field: "searchGames[\(i)].policies", reason: "move \(t) sums to \(sum), not 1")
            }
            start += width
        }
    }

    /// The smallest an encoded game can be (one move, one number): lets the batch count be
    /// checked against the bytes left before anything is allocated.
    static let minimumEncodedBytes = 4 + 8 + 4 + 8 + 4 + 4 + 4 + 4
}
