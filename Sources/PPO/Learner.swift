#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Dispatch
import Elimination
import NeuralNet
import Randomness

/// The PPO update, read top to bottom in the paper's names (after cleanrl's ppo.py). It trains
/// on a `RolloutBatch` using the behaviour policy's stored log-probabilities, so episodes played
/// by slightly older weights on remote actors are corrected by the importance ratio.
public final class Learner {
    public let network: PolicyNetwork
    public var hp: Hyperparameters
    /// Shuffles minibatches; derived from the run's seed.
    public var rng: Xoshiro256StarStar
    private var logp: [Float] = []  // (B, T)
    private var dlogp: [Float] = []  // (B, T)
    private var dlogits: [Float] = []  // (B, T)
    private var tokenMask: [Bool] = []  // (B, T) all true: blocks have no padding
    private var valueTokenMask: [Bool] = []  // the same, owned by the value thread
    /// Run the policy and value halves of each block on two threads.
    public var parallel = true
    /// The run's reward scale, computed once for its tasks (a pure function of them and the flag).
    private var cachedScale: (names: [String], enabled: Bool, scale: TaskRewardScale)?

    public init(network: PolicyNetwork, hp: Hyperparameters, seed: UInt64) {
        self.network = network
        self.hp = hp
        rng = Xoshiro256StarStar(seed: seed, stream: 0x1EA2)
    }

    /// Fills `values` of every block with the current value network (before the update).
    public func evaluateValues(_ batch: inout RolloutBatch) throws {
        for i in batch.blocks.indices {
            let (B, T) = (batch.blocks[i].B, batch.blocks[i].T)
            ensure(B * T)
            try batch.blocks[i].features.withUnsafeBufferPointer { f in
                try tokenMask.withUnsafeBufferPointer { m in
                    try network.forwardValue(features: f.baseAddress!, tokenMask: m.baseAddress!, B: B, T: T)
                }
            }
            for row in 0..<B { batch.blocks[i].values[row] = network.values[row] }
        }
    }

    /// Values, GAE, then `updateEpochs` passes of clipped-surrogate updates over `numMinibatches`
    /// minibatches of whole time steps.
    public func update(_ batch: inout RolloutBatch, learningRate: Float) throws -> UpdateMetrics {
        let plan = try self.plan(&batch)
        var metrics = try takeSteps(batch, plan: plan, learningRate: learningRate)
        metrics.averageSteps(plan.steps.count)
        return metrics
    }

    /// Values (before the update), advantages and the minibatch schedule: the part of an update
    /// that needs the whole batch. The schedule shuffles with the learner's random stream.
    public func plan(_ batch: inout RolloutBatch) throws -> UpdatePlan {
        try evaluateValues(&batch)
        let scale = rewardScale(batch.specs)
        batch.computeAdvantages(gamma: hp.gamma, lambda: hp.gaeLambda, rewardScale: scale.factor(task:))
        var steps: [UpdatePlan.Step] = []
        var order = Array(batch.blocks.indices)
        for _ in 0..<hp.updateEpochs {
            shuffle(&order)
            for minibatch in split(order, into: hp.numMinibatches) {
                let (mean, std) = advantageStatistics(batch, minibatch)
                steps.append(
                    UpdatePlan.Step(
                        blocks: minibatch.map {
                            UpdatePlan.BlockKey(task: batch.blocks[$0].task, step: batch.blocks[$0].step)
                        },
                        transitions: Float(minibatch.reduce(0) { $0 + batch.blocks[$1].B }),
                        advantageMean: mean, advantageStd: std))
            }
        }
        return UpdatePlan(steps: steps, explainedVariance: explainedVariance(batch))
    }

    /// One optimiser step from the gradients now in the store (the sum over shards, if the step's
    /// rows were split): checks the loss, clips the gradient norm, takes the Adam step and adds
    /// the step's figures to `metrics`. A NaN never reaches the weights.
    public func applyStep(
        _ sums: MinibatchSums, transitions N: Float, learningRate: Float, metrics: inout UpdateMetrics
    ) throws {
        guard sums.policyLoss.isFinite, sums.valueLoss.isFinite else {
            throw PPOError.degenerate(
                "the loss is not finite (policy \(sums.policyLoss / N), value \(sums.valueLoss / N))")
        }
        let gradNorm = network.store.clipGradients(maxNorm: hp.maxGradNorm)
        guard gradNorm.isFinite else { throw PPOError.degenerate("the gradient norm is not finite") }
        network.store.adamStep(lr: learningRate, config: AdamConfig())
        metrics.policyLoss += sums.policyLoss / N
        metrics.valueLoss += sums.valueLoss / N
        metrics.entropy += sums.entropy / N
        metrics.approxKL += sums.approxKL / N
        metrics.clipFraction += sums.clipped / N
        metrics.gradNorm += gradNorm
    }

    /// Sums of the minibatch's loss terms (over its transitions) and their count.
    public struct MinibatchSums: Sendable {
        public var policyLoss: Float = 0, valueLoss: Float = 0, entropy: Float = 0, approxKL: Float = 0,
            clipped: Float = 0
        /// Rows of this batch in the minibatch (of this shard, when the batch is a shard).
        public var transitions: Float = 0
        /// The loss the gradients are of: (Σ pg − entropyCoef·Σ H + valueCoef·Σ v) / N.
        public var total: Float = 0

        public init() {}

        public init(
            policyLoss: Float, valueLoss: Float, entropy: Float, approxKL: Float, clipped: Float, transitions: Float
        ) {
            self.policyLoss = policyLoss
            self.valueLoss = valueLoss
            self.entropy = entropy
            self.approxKL = approxKL
            self.clipped = clipped
            self.transitions = transitions
        }

        /// The figures of two shards of the same step together.
        public mutating func add(_ other: MinibatchSums) {
            policyLoss += other.policyLoss
            valueLoss += other.valueLoss
            entropy += other.entropy
            approxKL += other.approxKL
            clipped += other.clipped
            transitions += other.transitions
            total += other.total
        }
    }

    /// The gradient of a minibatch given by block indices, with its own size and statistics (the
    /// whole batch is one shard): for tests and callers without a plan.
    public func lossAndGradients(_ batch: RolloutBatch, _ minibatch: [Int]) throws -> MinibatchSums {
        let (mean, std) = advantageStatistics(batch, minibatch)
        let step = UpdatePlan.Step(
            blocks: minibatch.map { UpdatePlan.BlockKey(task: batch.blocks[$0].task, step: batch.blocks[$0].step) },
            transitions: Float(minibatch.reduce(0) { $0 + batch.blocks[$1].B }), advantageMean: mean, advantageStd: std)
        return try lossAndGradients(batch, step: step)
    }

    /// Zeroes the gradients, then adds into them the gradient of Σ(loss over this batch's rows of
    /// the step's blocks) / `step.transitions`. On a shard this is the shard's part of the step's
    /// gradient; the parts of all shards add up to the whole. Blocks of the step this batch lacks
    /// are skipped. The policy and value networks share nothing, so with `parallel` their halves
    /// of each block run on two threads (disjoint gradient ranges, sums combined in a fixed order:
    /// deterministic, and the same bits as one thread).
    public func lossAndGradients(_ batch: RolloutBatch, step: UpdatePlan.Step) throws -> MinibatchSums {
        let (N, advMean, advStd) = (step.transitions, step.advantageMean, step.advantageStd)
        var sums = MinibatchSums()
        network.store.zeroGradients()
        for key in step.blocks {
            guard let i = batch.blockIndex(task: key.task, step: key.step) else { continue }
            let block = batch.blocks[i]
            sums.transitions += Float(block.B)
            ensure(block.B * block.T)
            var policy: Result<PolicyTerms, Error> = .success(PolicyTerms())
            var value: Result<Float, Error> = .success(0)
            if parallel {
                DispatchQueue.concurrentPerform(iterations: 2) { part in
                    if part == 0 {
                        policy = Result { try policyTerms(block, N: N, advMean: advMean, advStd: advStd) }
                    } else {
                        value = Result { try valueTerms(block, N: N) }
                    }
                }
            } else {
                policy = Result { try policyTerms(block, N: N, advMean: advMean, advStd: advStd) }
                value = Result { try valueTerms(block, N: N) }
            }
            let p = try policy.get()
            sums.policyLoss += p.loss
            sums.entropy += p.entropy
            sums.approxKL += p.approxKL
            sums.clipped += p.clipped
            sums.valueLoss += try value.get()
        }
        sums.total = (sums.policyLoss - hp.entropyCoef * sums.entropy + hp.valueCoef * sums.valueLoss) / N
        return sums
    }

    struct PolicyTerms {
        var loss: Float = 0, entropy: Float = 0, approxKL: Float = 0, clipped: Float = 0
    }

    /// Policy half of one block: clipped surrogate and entropy bonus, forward and backward.
    private func policyTerms(_ block: RolloutBatch.Block, N: Float, advMean: Float, advStd: Float) throws -> PolicyTerms
    {
        let (B, T) = (block.B, block.T)
        let clip = hp.clipCoef
        var terms = PolicyTerms()
        var dNewLogProb = [Float](repeating: 0, count: B)
        var dEntropy = [Float](repeating: -hp.entropyCoef / N, count: B)
        var entropy = [Float](repeating: 0, count: B)
        try block.features.withUnsafeBufferPointer { f in
            try tokenMask.withUnsafeBufferPointer { m in
                try block.legal.withUnsafeBufferPointer { legal in
                    try logp.withUnsafeMutableBufferPointer { lp in
                        try network.forwardPolicy(features: f.baseAddress!, tokenMask: m.baseAddress!, B: B, T: T)
                        maskedLogSoftmaxForward(
                            logp: lp.baseAddress!, logits: network.logits, actionMask: legal.baseAddress!, B: B, T: T)
                        for row in 0..<B {
                            var advantage = block.advantages[row]
                            if hp.normalizeAdvantages { advantage = (advantage - advMean) / (advStd + 1e-8) }
                            let newLogProb = lp[row * T + block.actions[row]]
                            let pg = ppoPolicyLoss(
                                newLogProb: newLogProb, oldLogProb: block.oldLogProbs[row], advantage: advantage,
                                clip: clip)
                            terms.loss += pg.loss
                            terms.approxKL += (pg.ratio - 1) - (newLogProb - block.oldLogProbs[row])
                            if abs(pg.ratio - 1) > clip { terms.clipped += 1 }
                            dNewLogProb[row] = pg.dNewLogProb / N
                        }
                        entropyForward(out: &entropy, logp: lp.baseAddress!, actionMask: legal.baseAddress!, B: B, T: T)
                        terms.entropy = entropy.reduce(0, +)
                        // loss = pg − entropyCoef·H: both flow into d logp, then through the log-softmax.
                        for k in 0..<(B * T) { dlogp[k] = 0; dlogits[k] = 0 }
                        block.actions.withUnsafeBufferPointer { actions in
                            chosenLogProbBackward(
                                dlogp: &dlogp, dout: &dNewLogProb, actions: actions.baseAddress!, B: B, T: T)
                        }
                        entropyBackward(
                            dlogp: &dlogp, dout: &dEntropy, logp: lp.baseAddress!, actionMask: legal.baseAddress!, B: B,
                            T: T)
                        maskedLogSoftmaxBackward(
                            dlogits: &dlogits, dlogp: dlogp, logp: lp.baseAddress!, actionMask: legal.baseAddress!,
                            B: B, T: T)
                        try network.backwardPolicy(
                            dlogits: dlogits, features: f.baseAddress!, tokenMask: m.baseAddress!, B: B, T: T)
                    }
                }
            }
        }
        return terms
    }

    /// Value half of one block: MSE to symlog(return), clipped around the old prediction.
    private func valueTerms(_ block: RolloutBatch.Block, N: Float) throws -> Float {
        let (B, T) = (block.B, block.T)
        var loss: Float = 0
        var dValue = [Float](repeating: 0, count: B)
        try block.features.withUnsafeBufferPointer { f in
            try valueTokenMask.withUnsafeBufferPointer { m in
                try network.forwardValue(features: f.baseAddress!, tokenMask: m.baseAddress!, B: B, T: T)
                for row in 0..<B {
                    let vl = ppoValueLoss(
                        value: network.values[row], oldValue: block.values[row],
                        target: symlog(block.returns[row]), clip: hp.clipCoef, clipped: hp.clipValueLoss)
                    loss += vl.loss
                    dValue[row] = hp.valueCoef * vl.dValue / N
                }
                try network.backwardValue(
                    dvalues: dValue, features: f.baseAddress!, tokenMask: m.baseAddress!, B: B, T: T)
            }
        }
        return loss
    }

    private func advantageStatistics(_ batch: RolloutBatch, _ minibatch: [Int]) -> (Float, Float) {
        var sum: Double = 0, sumSquares: Double = 0, n: Double = 0
        for i in minibatch {
            for a in batch.blocks[i].advantages {
                sum += Double(a)
                sumSquares += Double(a) * Double(a)
                n += 1
            }
        }
        guard n > 1 else { return (0, 1) }
        let mean = sum / n
        // Unbiased standard deviation, as torch.std.
        let variance = max((sumSquares - n * mean * mean) / (n - 1), 0)
        return (Float(mean), Float(variance.squareRoot()))
    }

    /// 1 − Var(target − prediction) / Var(target), in symlog space.
    private func explainedVariance(_ batch: RolloutBatch) -> Float {
        var targets: [Double] = [], residuals: [Double] = []
        for block in batch.blocks {
            for row in 0..<block.B {
                let y = Double(symlog(block.returns[row]))
                targets.append(y)
                residuals.append(y - Double(block.values[row]))
            }
        }
        func variance(_ xs: [Double]) -> Double {
            guard !xs.isEmpty else { return 0 }
            let m = xs.reduce(0, +) / Double(xs.count)
            return xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count)
        }
        let vy = variance(targets)
        return vy == 0 ? .nan : Float(1 - variance(residuals) / vy)
    }

    /// Per-task reward factors of a run on `specs` under `hp.normalizeRewardsPerTask`.
    func rewardScale(_ specs: [GameSpec]) -> TaskRewardScale {
        let names = specs.map(\.name)
        if let c = cachedScale, c.names == names, c.enabled == hp.normalizeRewardsPerTask { return c.scale }
        let scale = TaskRewardScale(specs: specs, enabled: hp.normalizeRewardsPerTask)
        cachedScale = (names, hp.normalizeRewardsPerTask, scale)
        return scale
    }

    private func shuffle(_ xs: inout [Int]) {
        guard xs.count > 1 else { return }
        for i in stride(from: xs.count - 1, to: 0, by: -1) {
            xs.swapAt(i, Int(rng.next() % UInt64(i + 1)))
        }
    }

    private func split(_ xs: [Int], into parts: Int) -> [[Int]] {
        let parts = max(1, min(parts, xs.count))
        return (0..<parts).map { p in Array(xs[(p * xs.count / parts)..<((p + 1) * xs.count / parts)]) }
    }

    private func ensure(_ n: Int) {
        if logp.count < n {
            logp = [Float](repeating: 0, count: n)
            dlogp = [Float](repeating: 0, count: n)
            dlogits = [Float](repeating: 0, count: n)
            tokenMask = [Bool](repeating: true, count: n)
            valueTokenMask = [Bool](repeating: true, count: n)
        }
    }
}
