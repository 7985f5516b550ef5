import NeuralNet

/// Everything needed to continue a run exactly where it stopped: what a checkpoint stores.
/// Pure data; the HDF5 file format lives in the Checkpoint module (Docs/CHECKPOINT.md).
public struct TrainerSnapshot: Equatable, Sendable {
    /// The tasks this run trains on, in task-index order.
    public var tasks: [String]
    public var network: NetworkConfig
    /// The algorithm's part: PPO's `Hyperparameters`, or AlphaZero's hyperparameters and replay
    /// buffer (`AlphaZeroState`).
    public var algorithmState: any AlgorithmState
    /// The run's configuration as text (the command line or cluster.toml), stored verbatim.
    public var configText: String
    public var seed: UInt64
    /// Tensor names and shapes, in buffer order (the network's ParameterLayout).
    public var tensors: [(name: String, shape: [Int])]
    public var parameters: [Float]
    public var firstMoment: [Float]
    public var secondMoment: [Float]
    public var adamStep: Int
    public var updates: Int
    public var policyVersion: UInt64
    public var episodes: Int
    public var steps: Int
    /// Random streams by role ("actor.0", "learner"), as Xoshiro256StarStar.checkpointState.
    public var rngStates: [String: [UInt64]]
    /// Best order per task name (cost recomputed by the game).
    public var best: [String: BestOrder]
    /// Forward, reverse and minimal-Markowitz costs per task name.
    public var baselines: [String: [Int]]

    public init(
        tasks: [String], network: NetworkConfig, algorithmState: any AlgorithmState, configText: String, seed: UInt64,
        tensors: [(name: String, shape: [Int])], parameters: [Float], firstMoment: [Float], secondMoment: [Float],
        adamStep: Int, updates: Int, policyVersion: UInt64, episodes: Int, steps: Int,
        rngStates: [String: [UInt64]], best: [String: BestOrder], baselines: [String: [Int]]
    ) {
        self.tasks = tasks
        self.network = network
        self.algorithmState = algorithmState
        self.configText = configText
        self.seed = seed
        self.tensors = tensors
        self.parameters = parameters
        self.firstMoment = firstMoment
        self.secondMoment = secondMoment
        self.adamStep = adamStep
        self.updates = updates
        self.policyVersion = policyVersion
        self.episodes = episodes
        self.steps = steps
        self.rngStates = rngStates
        self.best = best
        self.baselines = baselines
    }

    /// A PPO run's snapshot (the only kind before AlphaZero).
    public init(
        tasks: [String], network: NetworkConfig, hyperparameters: Hyperparameters, configText: String, seed: UInt64,
        tensors: [(name: String, shape: [Int])], parameters: [Float], firstMoment: [Float], secondMoment: [Float],
        adamStep: Int, updates: Int, policyVersion: UInt64, episodes: Int, steps: Int,
        rngStates: [String: [UInt64]], best: [String: BestOrder], baselines: [String: [Int]]
    ) {
        self.init(
            tasks: tasks, network: network, algorithmState: hyperparameters, configText: configText, seed: seed,
            tensors: tensors, parameters: parameters, firstMoment: firstMoment, secondMoment: secondMoment,
            adamStep: adamStep, updates: updates, policyVersion: policyVersion, episodes: episodes, steps: steps,
            rngStates: rngStates, best: best, baselines: baselines)
    }

    /// The algorithm that trained the run.
    public var algorithm: AlgorithmKind { algorithmState.algorithm }

    /// PPO's hyperparameters; nil in another algorithm's snapshot. Setting them makes this a PPO
    /// snapshot (nil leaves it as it is).
    public var ppoHyperparameters: Hyperparameters? {
        get { algorithmState as? Hyperparameters }
        set { if let newValue { algorithmState = newValue } }
    }

    public static func == (a: TrainerSnapshot, b: TrainerSnapshot) -> Bool {
        a.tasks == b.tasks && a.network == b.network && a.algorithmState.isEqual(to: b.algorithmState)
            && a.configText == b.configText
            && a.seed == b.seed && a.tensors.map(\.name) == b.tensors.map(\.name)
            && a.tensors.map(\.shape) == b.tensors.map(\.shape)
            && a.parameters.map(\.bitPattern) == b.parameters.map(\.bitPattern)
            && a.firstMoment.map(\.bitPattern) == b.firstMoment.map(\.bitPattern)
            && a.secondMoment.map(\.bitPattern) == b.secondMoment.map(\.bitPattern)
            && a.adamStep == b.adamStep && a.updates == b.updates && a.policyVersion == b.policyVersion
            && a.episodes == b.episodes && a.steps == b.steps && a.rngStates == b.rngStates && a.best == b.best
            && a.baselines == b.baselines
    }
}
