import Elimination
import NeuralNet
import PPO
import Randomness

/// The learner's memory: the most recent `capacity` self-played games (oldest dropped first).
/// Each game is checked and replayed once when it arrives, so the returns come from the game's
/// own costs, never the sender's; minibatches are drawn uniformly over all stored moves with the
/// caller's seeded stream.
public struct ReplayBuffer {
    public let capacity: Int
    /// The graphs, by task index.
    public let specs: [GameSpec]
    /// What each task's returns are multiplied by in the training examples (`TaskRewardScale`).
    public let returnScales: [Float]
    /// Stored games, oldest first.
    public private(set) var games: [StoredGame] = []
    /// Games ever added (a game's sequence number, for logs and tests).
    public private(set) var added = 0

    public struct StoredGame: Sendable {
        public let episode: SearchEpisode
        /// The return from each move's state to the end: −(multiplications still to pay).
        public let returns: [Float]
        /// The game's total cost.
        public let cost: Int
    }

    /// One move of one stored game.
    public struct MoveKey: Equatable, Sendable {
        public var game: Int
        public var move: Int
    }

    public init(capacity: Int, specs: [GameSpec]) {
        self.capacity = max(capacity, 1)
        self.specs = specs
        returnScales = specs.map { TaskRewardScale.factor(of: $0) }
    }

    /// A buffer holding `games` (oldest first, each checked and replayed again as `add` does) after
    /// `added` games ever: what a checkpoint restores, so the next minibatches are drawn exactly as
    /// in the run that saved it.
    public init(capacity: Int, specs: [GameSpec], games stored: [SearchEpisode], added: Int) throws(AlphaZeroError) {
        self.init(capacity: capacity, specs: specs)
        guard stored.count <= self.capacity, added >= stored.count else {
            throw .misuse(
                "a replay buffer of \(stored.count) games after \(added) added, with room for \(self.capacity)")
        }
        for game in stored { try add(game) }
        self.added = added
    }

    public var moveCount: Int { games.reduce(0) { $0 + $1.episode.order.count } }

    /// Checks `episode` (known task, a valid full order, π' of the right length, each move's π' a
    /// distribution), replays it and stores it; returns its cost.
    @discardableResult
    public mutating func add(_ episode: SearchEpisode) throws(AlphaZeroError) -> Int {
        guard specs.indices.contains(episode.task) else {
            throw .misuse("an episode of task \(episode.task); this buffer knows \(specs.count) task(s)")
        }
        let spec = specs[episode.task]
        let L = spec.eliminable.count
        let steps: [Int]
        do { steps = try Baselines.score(episode.order.map(Int.init), on: spec).steps } catch {
            throw .misuse("an episode of \(spec.name) whose order is not playable: \(error)")
        }
        guard episode.improvedPolicies.count == SearchEpisode.policyCount(eliminable: L) else {
            throw .misuse(
                "an episode of \(spec.name) with \(episode.improvedPolicies.count) policy numbers; \(L) moves need \(SearchEpisode.policyCount(eliminable: L))"
            )
        }
        for t in 0..<L {
            let offset = SearchEpisode.policyOffset(move: t, eliminable: L)
            let row = episode.improvedPolicies[offset..<(offset + L - t)]
            let total = row.reduce(0, +)
            guard row.allSatisfy({ $0 >= 0 && $0.isFinite }), abs(total - 1) < 1e-3 else {
                throw .misuse("move \(t) of an episode of \(spec.name): π' is not a distribution (sums to \(total))")
            }
        }
        var returns = [Float](repeating: 0, count: L)
        var remaining = 0
        for t in stride(from: L - 1, through: 0, by: -1) {
            remaining += steps[t]
            returns[t] = -Float(remaining)
        }
        games.append(StoredGame(episode: episode, returns: returns, cost: remaining))
        if games.count > capacity { games.removeFirst(games.count - capacity) }
        added += 1
        return remaining
    }

    /// `count` moves drawn uniformly (with replacement) over every stored move.
    public func sample(count: Int, rng: inout Xoshiro256StarStar) -> [MoveKey] {
        var ends: [Int] = []
        var total = 0
        for game in games {
            total += game.episode.order.count
            ends.append(total)
        }
        guard total > 0 else { return [] }
        return (0..<count).map { _ in
            let k = Int(rng.next() % UInt64(total))
            // The first game whose cumulative move count exceeds k.
            var low = 0, high = ends.count - 1
            while low < high {
                let mid = (low + high) / 2
                if ends[mid] > k { high = mid } else { low = mid + 1 }
            }
            let start = low == 0 ? 0 : ends[low - 1]
            return MoveKey(game: low, move: k - start)
        }
    }

    /// The training examples of `moves`, materialised by replaying their games; the returns in
    /// `TaskRewardScale`'s units.
    public func batch(_ moves: [MoveKey]) throws(AlphaZeroError) -> ExampleBatch {
        var examples = ExampleBatch()
        for key in moves {
            let game = games[key.game]
            let spec = specs[game.episode.task]
            var state = EliminationState(spec: spec)
            for v in game.episode.order.prefix(key.move) { state.eliminateUnchecked(Int(v)) }
            let L = spec.eliminable.count
            let offset = SearchEpisode.policyOffset(move: key.move, eliminable: L)
            try examples.append(
                state: state, improvedPolicy: Array(game.episode.improvedPolicies[offset..<(offset + L - key.move)]),
                return: game.returns[key.move] * returnScales[game.episode.task])
        }
        return examples
    }
}
