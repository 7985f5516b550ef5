import Elimination
import NeuralNet
import PPO
import Randomness

/// The AlphaZero update, top to bottom: a minibatch of moves drawn from the replay buffer with
/// the learner's seeded stream; per example loss = cross-entropy(π', softmax(logits)) +
/// valueCoef · (v − symlog(R))²; the gradient of Σ loss over the rows divided by N, the minibatch
/// size (so the parts of a minibatch split into shards add up to the whole, as PPO's do); the
/// global-norm clip; one Adam step. As the trainer's algorithm (AlphaZeroLearner+TrainingAlgorithm
/// .swift) it keeps its own replay buffer of the games it was given.
public final class AlphaZeroLearner {
    public let network: PolicyNetwork
    public var hp: AlphaZeroHyperparameters
    /// Draws minibatches; derived from the run's seed.
    public var rng: Xoshiro256StarStar
    /// The games an update trains on, newest `hp.replayGames` (the trainer's; callers driving
    /// `step(replay:)` themselves may keep their own).
    public var replay: ReplayBuffer
    private var logp: [Float] = []  // (B, T)
    private var dlogp: [Float] = []  // (B, T)
    private var dlogits: [Float] = []  // (B, T)

    /// `specs`: the graphs of the tasks the replay buffer takes games of.
    public init(network: PolicyNetwork, hp: AlphaZeroHyperparameters, seed: UInt64, specs: [GameSpec] = []) {
        self.network = network
        self.hp = hp
        rng = Xoshiro256StarStar(seed: seed, stream: 0xA1FA_2E70)
        replay = ReplayBuffer(capacity: hp.replayGames, specs: specs)
    }

    /// Sums over a batch's rows (divide by N for means).
    public struct LossSums: Sendable, Equatable {
        public var policyLoss: Float = 0
        public var valueLoss: Float = 0
        public var rows: Float = 0

        public init() {}
    }

    /// Figures of one Adam step (means over the minibatch).
    public struct StepMetrics: Sendable {
        public var policyLoss: Float
        public var valueLoss: Float
        public var gradNorm: Float
        public var examples: Int
    }

    /// Adds into the gradients d(Σ_rows loss)/N over the rows of `batch` (the caller zeroes them
    /// once per step), in forwards of at most `network.maxBatch` rows. Returns the loss sums.
    public func addGradients(_ batch: ExampleBatch, N: Float) throws -> LossSums {
        var sums = LossSums()
        var start = 0
        while start < batch.B {
            let end = min(start + network.maxBatch, batch.B)
            let part = start == 0 && end == batch.B ? batch : batch.rows(start..<end)
            let s = try chunk(part, N: N)
            sums.policyLoss += s.policyLoss
            sums.valueLoss += s.valueLoss
            sums.rows += s.rows
            start = end
        }
        return sums
    }

    /// Zeroes the gradients and adds those of the whole `batch` (N = its rows).
    public func lossAndGradients(_ batch: ExampleBatch) throws -> LossSums {
        network.store.zeroGradients()
        return try addGradients(batch, N: Float(batch.B))
    }

    /// One optimiser step on a minibatch of `hp.minibatchSize` moves drawn from `replay`.
    public func step(replay: ReplayBuffer) throws -> StepMetrics {
        let moves = replay.sample(count: hp.minibatchSize, rng: &rng)
        guard !moves.isEmpty else { throw AlphaZeroError.misuse("an update step with an empty replay buffer") }
        let batch = try replay.batch(moves)
        let sums = try lossAndGradients(batch)
        let N = Float(batch.B)
        guard sums.policyLoss.isFinite, sums.valueLoss.isFinite else {
            throw AlphaZeroError.degenerate(
                "the loss is not finite (policy \(sums.policyLoss / N), value \(sums.valueLoss / N))")
        }
        let gradNorm = network.store.clipGradients(maxNorm: hp.maxGradNorm)
        guard gradNorm.isFinite else { throw AlphaZeroError.degenerate("the gradient norm is not finite") }
        network.store.adamStep(lr: hp.learningRate, config: AdamConfig())
        return StepMetrics(
            policyLoss: sums.policyLoss / N, valueLoss: sums.valueLoss / N, gradNorm: gradNorm, examples: batch.B)
    }

    /// Forward and backward of both networks on one chunk of rows.
    private func chunk(_ batch: ExampleBatch, N: Float) throws -> LossSums {
        let (B, T) = (batch.B, batch.T)
        if logp.count < B * T {
            logp = [Float](repeating: 0, count: B * T)
            dlogp = [Float](repeating: 0, count: B * T)
            dlogits = [Float](repeating: 0, count: B * T)
        }
        var sums = LossSums()
        sums.rows = Float(B)
        var crossEntropy = [Float](repeating: 0, count: B)
        let dCrossEntropy = [Float](repeating: 1 / N, count: B)
        var dValue = [Float](repeating: 0, count: B)
        try batch.features.withUnsafeBufferPointer { f in
            try batch.tokenMask.withUnsafeBufferPointer { m in
                try batch.legal.withUnsafeBufferPointer { legal in
                    try batch.targets.withUnsafeBufferPointer { y in
                        try logp.withUnsafeMutableBufferPointer { lp in
                            // Policy: cross-entropy towards π', through the masked log-softmax.
                            try network.forwardPolicy(features: f.baseAddress!, tokenMask: m.baseAddress!, B: B, T: T)
                            maskedLogSoftmaxForward(
                                logp: lp.baseAddress!, logits: network.logits, actionMask: legal.baseAddress!, B: B,
                                T: T)
                            crossEntropyForward(
                                out: &crossEntropy, logp: lp.baseAddress!, target: y.baseAddress!,
                                actionMask: legal.baseAddress!, B: B, T: T)
                            sums.policyLoss = crossEntropy.reduce(0, +)
                            for k in 0..<(B * T) { dlogp[k] = 0; dlogits[k] = 0 }
                            crossEntropyBackward(
                                dlogp: &dlogp, dout: dCrossEntropy, target: y.baseAddress!,
                                actionMask: legal.baseAddress!, B: B, T: T)
                            maskedLogSoftmaxBackward(
                                dlogits: &dlogits, dlogp: dlogp, logp: lp.baseAddress!, actionMask: legal.baseAddress!,
                                B: B, T: T)
                            try network.backwardPolicy(
                                dlogits: dlogits, features: f.baseAddress!, tokenMask: m.baseAddress!, B: B, T: T)
                        }
                    }
                }
                // Value: squared error to symlog(R).
                try network.forwardValue(features: f.baseAddress!, tokenMask: m.baseAddress!, B: B, T: T)
                for row in 0..<B {
                    let target = symlog(batch.returns[row])
                    let error = network.values[row] - target
                    sums.valueLoss += error * error  // reported unweighted; the gradient carries valueCoef
                    dValue[row] =
                        alphaZeroValueLoss(value: network.values[row], target: target, coef: hp.valueCoef).dValue / N
                }
                try network.backwardValue(
                    dvalues: dValue, features: f.baseAddress!, tokenMask: m.baseAddress!, B: B, T: T)
            }
        }
        return sums
    }
}
