import Elimination

/// The episodes of one update, replayed on the learner's own graphs and laid out for the network:
/// one block per (task, time step) holding that step of every episode of the task. All episodes of
/// a task have the same length and the same number of tokens at step t, so a block is a dense
/// (B, T_t) batch with no padding.
public struct RolloutBatch {
    public struct Block {
        public let task: Int
        public let step: Int
        public let B: Int
        public let T: Int
        public var features: [Float]  // (B, T, F)
        public var legal: [Bool]  // (B, T)
        public var actions: [Int]  // (B) token index of the chosen vertex
        public var oldLogProbs: [Float]  // (B) behaviour policy
        public var rewards: [Float]  // (B) −cost of the step
        public var values: [Float]  // (B) value prediction before the update (symlog)
        public var advantages: [Float]  // (B)
        public var returns: [Float]  // (B) real space
    }

    public var blocks: [Block] = []
    /// Episode costs, in the order episodes were given.
    public var costs: [Int] = []
    /// Where each episode (in the order given) sits: its task and its row in that task's blocks.
    public private(set) var placement: [(task: Int, row: Int, steps: Int)] = []
    /// Index of the first block of each task (a task's blocks are contiguous, one per step).
    private var firstBlock: [Int: Int] = [:]
    private var stepsOfTask: [Int: Int] = [:]
    /// The tasks of the run, by task index (what the episodes were replayed on).
    public let specs: [GameSpec]
    /// Number of transitions (Σ B over blocks).
    public var transitions: Int { blocks.reduce(0) { $0 + $1.B } }
    /// Largest T of any block, to size buffers.
    public var maxTokens: Int { blocks.map(\.T).max() ?? 0 }
    /// Token slots the network computes over (Σ B·T over blocks). Blocks are dense, so this is
    /// exactly the tokens of the replayed states: no padding however the graph sizes mix.
    public var tokenSlots: Int { blocks.reduce(0) { $0 + $1.B * $1.T } }
    /// What one padded (B_all, T_max) batch per step would compute instead: Σ over steps up to
    /// the longest episode of (all episodes) × (largest T of any block). The padding a layout
    /// by step alone would waste is 1 − tokenSlots / paddedTokenSlots.
    public var paddedTokenSlots: Int {
        let episodes = placement.count
        let longest = placement.map(\.steps).max() ?? 0
        return episodes * longest * maxTokens
    }

    /// Replays `episodes` on `specs[episode.task]`; refuses an episode whose order is not a valid
    /// permutation or whose log-probabilities do not match it.
    public init(episodes: [Episode], specs: [GameSpec]) throws(PPOError) {
        self.specs = specs
        var byTask: [Int: [Int]] = [:]
        for (i, e) in episodes.enumerated() {
            guard e.task >= 0 && e.task < specs.count else { throw .invalidEpisode("task index \(e.task) is unknown") }
            guard e.logProbs.count == e.order.count else {
                throw .invalidEpisode("\(e.order.count) actions but \(e.logProbs.count) log-probabilities")
            }
            do {
                try Baselines.validate(e.order, on: specs[e.task])
            } catch {
                throw .invalidEpisode("order for \(specs[e.task].name): \(error)")
            }
            byTask[e.task, default: []].append(i)
        }
        costs = [Int](repeating: 0, count: episodes.count)
        placement = Array(repeating: (0, 0, 0), count: episodes.count)
        let F = TokenFeatures.count
        for task in byTask.keys.sorted() {
            let members = byTask[task]!
            firstBlock[task] = blocks.count
            stepsOfTask[task] = specs[task].eliminable.count
            for (row, e) in members.enumerated() { placement[e] = (task, row, specs[task].eliminable.count) }
            let spec = specs[task]
            var states = members.map { _ in EliminationState(spec: spec) }
            var remainingCosts = states.map(TokenFeatures.episodeCosts)
            let B = members.count
            for step in 0..<spec.eliminable.count {
                let T = TokenFeatures.tokenCount(states[0])
                var block = Block(
                    task: task, step: step, B: B, T: T,
                    features: [Float](repeating: 0, count: B * T * F),
                    legal: [Bool](repeating: false, count: B * T),
                    actions: [Int](repeating: 0, count: B), oldLogProbs: [Float](repeating: 0, count: B),
                    rewards: [Float](repeating: 0, count: B), values: [Float](repeating: 0, count: B),
                    advantages: [Float](repeating: 0, count: B), returns: [Float](repeating: 0, count: B))
                var vertices = [Int32](repeating: 0, count: T)
                for (row, e) in members.enumerated() {
                    block.features.withUnsafeMutableBufferPointer { f in
                        block.legal.withUnsafeMutableBufferPointer { l in
                            vertices.withUnsafeMutableBufferPointer { v in
                                _ = TokenFeatures.write(
                                    states[row], costs: remainingCosts[row], features: f.baseAddress! + row * T * F,
                                    vertices: v.baseAddress!, legal: l.baseAddress! + row * T)
                            }
                        }
                    }
                    let vertex = episodes[e].order[step]
                    // Valid orders hold vertex ids of this graph, which fit in the token buffer's Int32.
                    guard let token = vertices.firstIndex(of: Int32(vertex)) else {
                        throw .invalidEpisode("vertex \(vertex) is not a token at step \(step)")
                    }
                    block.actions[row] = token
                    block.oldLogProbs[row] = episodes[e].logProbs[step]
                    let cost = TokenFeatures.eliminate(vertex, in: &states[row], costs: &remainingCosts[row])
                    block.rewards[row] = -Float(cost)
                }
                blocks.append(block)
            }
            for (row, e) in members.enumerated() { costs[e] = states[row].cost }
        }
    }

    /// The block holding step `step` of task `task`'s episodes, if this batch has that task.
    public func blockIndex(task: Int, step: Int) -> Int? {
        guard let first = firstBlock[task], let steps = stepsOfTask[task], step >= 0, step < steps else { return nil }
        return first + step
    }

    /// Values, advantages and returns of `episodes` (indices in the order given), episode-major:
    /// every step of the first episode, then of the next. What a gradient shard needs besides
    /// the episodes themselves.
    public func series(of episodes: Range<Int>) -> (values: [Float], advantages: [Float], returns: [Float]) {
        var values: [Float] = [], advantages: [Float] = [], returns: [Float] = []
        for e in episodes {
            let p = placement[e]
            for step in 0..<p.steps {
                let block = blocks[firstBlock[p.task]! + step]
                values.append(block.values[p.row])
                advantages.append(block.advantages[p.row])
                returns.append(block.returns[p.row])
            }
        }
        return (values, advantages, returns)
    }

    /// Sets values, advantages and returns from `series(of: 0..<count)` of another batch of the
    /// same episodes (a shard receiving what the learner computed).
    public mutating func setSeries(values: [Float], advantages: [Float], returns: [Float]) throws(PPOError) {
        let total = placement.reduce(0) { $0 + $1.steps }
        guard values.count == total, advantages.count == total, returns.count == total else {
            throw .invalidEpisode(
                "the series have \(values.count)/\(advantages.count)/\(returns.count) entries, the episodes \(total) steps"
            )
        }
        var k = 0
        for p in placement {
            for step in 0..<p.steps {
                let b = firstBlock[p.task]! + step
                blocks[b].values[p.row] = values[k]
                blocks[b].advantages[p.row] = advantages[k]
                blocks[b].returns[p.row] = returns[k]
                k += 1
            }
        }
    }

    /// Advantages and returns by GAE, per episode, from the values already in the blocks; each
    /// task's rewards multiplied by `rewardScale` of it first (joint training: `TaskRewardScale`;
    /// returns and values are then in those units).
    public mutating func computeAdvantages(gamma: Float, lambda: Float, rewardScale: (Int) -> Float = { _ in 1 }) {
        var start = 0
        while start < blocks.count {
            let task = blocks[start].task
            let scale = rewardScale(task)
            var end = start
            while end < blocks.count && blocks[end].task == task { end += 1 }
            for row in 0..<blocks[start].B {
                let rewards = (start..<end).map { blocks[$0].rewards[row] * scale }  // × 1 is exact
                let values = (start..<end).map { symexp(blocks[$0].values[row]) }
                let (adv, ret) = generalizedAdvantages(rewards: rewards, values: values, gamma: gamma, lambda: lambda)
                for (k, b) in (start..<end).enumerated() {
                    blocks[b].advantages[row] = adv[k]
                    blocks[b].returns[row] = ret[k]
                }
            }
            start = end
        }
    }
}
