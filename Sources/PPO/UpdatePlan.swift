/// Everything about one PPO update that is fixed before its first gradient: the values and
/// advantages (in the batch), and the minibatch schedule with each minibatch's size and
/// advantage statistics. With the plan, any subset of the batch's episodes (a shard) can compute
/// its part of every step's gradient on its own, and the parts add up to the whole-batch gradient:
/// this is what lets actors share the learner's work (Docs/PROTOCOL.md §4, distributed gradients).
public struct UpdatePlan: Sendable {
    /// A block of a `RolloutBatch`: one time step of one task's episodes.
    public struct BlockKey: Hashable, Sendable {
        public var task: Int
        public var step: Int
        public init(task: Int, step: Int) {
            self.task = task
            self.step = step
        }
    }

    /// One minibatch: its blocks, its rows over the whole batch, and the advantage statistics
    /// over those rows (the normalisation every shard must share).
    public struct Step: Sendable {
        public var blocks: [BlockKey]
        public var transitions: Float
        public var advantageMean: Float
        public var advantageStd: Float
        public init(blocks: [BlockKey], transitions: Float, advantageMean: Float, advantageStd: Float) {
            self.blocks = blocks
            self.transitions = transitions
            self.advantageMean = advantageMean
            self.advantageStd = advantageStd
        }
    }

    /// `updateEpochs × numMinibatches` steps, in the order they are taken.
    public var steps: [Step]
    /// Of the value predictions before the update, in symlog space.
    public var explainedVariance: Float
}
