import Elimination

/// Warm start from orders found without learning (greedy rules, annealing): each order becomes a
/// game of the replay buffer whose π' at every move is one-hot on the move the order made, so the
/// first updates imitate it (cross-entropy) and learn its returns (the value target), and the
/// search then improves on that policy. Opt-in, and documented as such wherever a figure comes
/// from a warm-started run: the best cost such a run reports is still only ever a self-played
/// game's (the trainer scores the games it is given by its players, never the replay's). Expert
/// games carry `actor` = `ExpertGames.actor` and policy version 0.
public enum ExpertGames {
    /// The actor id of an expert game (no self-play actor has it).
    public static let actor = UInt32.max

    /// The game of `order` (vertex ids, a full valid order of `spec`) with one-hot targets: the
    /// pretraining's `ExpertTargets` without softening, laid out move after move as π' is.
    public static func episode(order: [Int], task: Int, spec: GameSpec) throws(AlphaZeroError) -> SearchEpisode {
        let targets = try ExpertTargets(order: order, spec: spec, soften: false)
        return SearchEpisode(
            task: task, order: order.map(Int32.init), improvedPolicies: Array(targets.policies.joined()),
            policyVersion: 0, actor: actor)
    }
}

extension AlphaZeroLearner {
    /// Adds expert games (`ExpertGames.episode`) of `orders` (task index, order) to the replay
    /// buffer, in that order; they age out like any game.
    public func addExpertGames(_ orders: [(task: Int, order: [Int])]) throws(AlphaZeroError) {
        for (task, order) in orders {
            guard replay.specs.indices.contains(task) else {
                throw .misuse("an expert order of task \(task); this learner knows \(replay.specs.count) task(s)")
            }
            try replay.add(try ExpertGames.episode(order: order, task: task, spec: replay.specs[task]))
        }
    }
}
