import PPO

/// A self-played game as the trainer sees it: its shared record, and the checks made before the
/// replay (which checks the order on the game itself).
extension SearchEpisode: PlayedGame {
    public var record: GameRecord {
        GameRecord(task: task, order: order.map(Int.init), policyVersion: policyVersion, actor: actor)
    }

    /// An unknown task (`unknown_task`); an empty order or π' of another length than the order
    /// needs (`invalid_order`); a π' entry that is negative or not finite, or a move's π' that
    /// does not sum to 1 (`log_prob`: the targets are not probabilities); a version no learner
    /// has published (`future_version`).
    public func refusal(taskCount: Int, newestVersion: UInt64) -> DropReason? {
        guard task >= 0 && task < taskCount else { return .unknownTask }
        let L = order.count
        guard L > 0, improvedPolicies.count == Self.policyCount(eliminable: L) else { return .invalidOrder }
        for t in 0..<L {
            let offset = Self.policyOffset(move: t, eliminable: L)
            let row = improvedPolicies[offset..<(offset + L - t)]
            guard row.allSatisfy({ $0 >= 0 && $0.isFinite }), abs(row.reduce(0, +) - 1) < 1e-3 else { return .logProb }
        }
        guard policyVersion <= newestVersion else { return .futureVersion }
        return nil
    }
}
