import Elimination
import NeuralNet
import PPO
import Randomness

/// Gumbel AlphaZero as the trainer's algorithm: the games of an update go into the replay buffer
/// (replayed there for the returns), then `stepsPerBatch` Adam steps each train on a minibatch of
/// `minibatchSize` moves drawn uniformly from the whole buffer with the learner's stream. The
/// checkpoint keeps the hyperparameters and the buffer (`AlphaZeroState`), so a resumed run draws
/// the same minibatches. Metrics: `losses/policy_loss` is the cross-entropy to π',
/// `losses/value_loss` the squared error to symlog(return) (unweighted), `losses/grad_norm` the
/// norm before clipping, each averaged over the update's steps; the PPO-only figures stay 0.
extension AlphaZeroLearner: TrainingAlgorithm {
    public static var kind: AlgorithmKind { .alphaZero }

    /// A lockstep wave evaluates up to `gamesInLockstep` leaves; a minibatch is `minibatchSize` rows.
    public static func maxBatch(_ settings: AlphaZeroHyperparameters) -> Int {
        max(settings.gamesInLockstep, settings.minibatchSize)
    }

    public convenience init(
        network: PolicyNetwork, settings: AlphaZeroHyperparameters, specs: [GameSpec], seed: UInt64
    ) {
        self.init(network: network, hp: settings, seed: seed, specs: specs)
    }

    public var settings: AlphaZeroHyperparameters { hp }
    public var settingsSummary: [(String, String)] { hp.summary }
    public var gamesPerUpdate: Int { hp.gamesInLockstep }

    public func makePlayer(seed: UInt64, id: UInt32) -> SelfPlay {
        SelfPlay(
            evaluator: RolloutLeafEvaluator.wrapping(NetworkLeafEvaluator(network: network), hp: hp), hp: hp,
            seed: seed,
            id: id)
    }

    /// The search settings self-play uses are the learner's.
    public func configure(_ player: SelfPlay) { player.hp = hp }

    /// Constant (the paper trains with a fixed rate; `AlphaZeroHyperparameters.learningRate`).
    public func learningRate(atUpdate update: Int) -> Float { hp.learningRate }

    /// Adds the games to the replay buffer; the work is the number of steps to take.
    public func prepare(_ games: [SearchEpisode], specs: [GameSpec]) throws -> Int {
        for game in games { try replay.add(game) }
        return hp.stepsPerBatch
    }

    public func stepCount(of work: Int) -> Int { work }

    public func takeSteps(_ work: Int, learningRate: Float) throws -> UpdateMetrics {
        var metrics = UpdateMetrics(learningRate: learningRate, explainedVariance: 0)
        for _ in 0..<work {
            let step = try step(replay: replay)
            metrics.policyLoss += step.policyLoss
            metrics.valueLoss += step.valueLoss
            metrics.gradNorm += step.gradNorm
        }
        return metrics
    }

    public func checkpointState() -> any AlgorithmState {
        AlphaZeroState(settings: hp, replay: replay.games.map(\.episode), replayAdded: replay.added)
    }

    public func restore(_ state: any AlgorithmState, specs: [GameSpec]) throws(PPOError) {
        guard let stored = state as? AlphaZeroState else {
            throw .incompatible("the checkpoint holds \(state.algorithm.rawValue) state, not AlphaZero's")
        }
        do {
            try stored.settings.validate()
            replay = try ReplayBuffer(
                capacity: stored.settings.replayGames, specs: specs, games: stored.replay, added: stored.replayAdded)
        } catch {
            throw .incompatible("the checkpoint's AlphaZero state does not fit this run: \(error)")
        }
        hp = stored.settings
    }
}

/// What a checkpoint keeps of an AlphaZero run beyond the weights, Adam and the random streams:
/// the hyperparameters and the replay buffer (its games, oldest first, and how many were ever
/// added). Resuming rebuilds the buffer by replaying those games, which gives the same returns
/// bit for bit, so the resumed run continues exactly.
public struct AlphaZeroState: AlgorithmState, Equatable {
    public var settings: AlphaZeroHyperparameters
    public var replay: [SearchEpisode]
    public var replayAdded: Int

    public init(settings: AlphaZeroHyperparameters, replay: [SearchEpisode], replayAdded: Int) {
        self.settings = settings
        self.replay = replay
        self.replayAdded = replayAdded
    }

    public var algorithm: AlgorithmKind { .alphaZero }
}

/// The AlphaZero trainer: the one `AlgorithmTrainer` with Gumbel AlphaZero as its algorithm.
public typealias AlphaZeroTrainer = AlgorithmTrainer<AlphaZeroLearner>
/// The AlphaZero solo run (`ccelim train --solo --algorithm alphazero`).
public typealias AlphaZeroSoloRun = AlgorithmSoloRun<AlphaZeroLearner>
