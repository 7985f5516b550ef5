import AlphaZero
import Console
import Elimination
import Foundation
import NeuralNet
import PPO
import Randomness

/// The Gumbel AlphaZero search (issue 13, first increment) measured (`ccelim bench search`).
/// 1. One move's search: milliseconds per move with `simulations` simulations at the start of the
///    game (the most tokens) and averaged over whole games, for each lockstep size in `games`
///    (1 = one leaf per forward; G = up to G leaves per forward), one BLAS thread.
/// 2. With `learnSeconds > 0`: a learning sanity check — the AlphaZero solo run (the one training
///    loop, `AlphaZeroSoloRun`) for that many seconds per task, best cost against wall time, next to
///    annealing run by the `anneal` closure (the command runs `ccelim search --method anneal` as a
///    child). `ccelim bench learning-vs-search` is the full comparison (issue 13 item 5).
public struct SearchBenchmark {
    /// What the annealing child reported: the command line it ran and its best cost.
    public struct Anneal {
        public var command: String
        public var bestCost: Int
        public init(command: String, bestCost: Int) {
            self.command = command
            self.bestCost = bestCost
        }
    }

    public var config: NetworkConfig
    /// Simulations per move; nil: the paper's per-task value.
    public var simulations: Int?
    /// Lockstep sizes (games searched together) to time.
    public var games: [Int]
    /// Timed repetitions (the median is reported).
    public var runs: Int
    /// Seconds of self-play learning per task (0: timing only).
    public var learnSeconds: Double
    /// Games in lockstep during the learning check.
    public var learnGames: Int
    /// Seconds of annealing per task next to the learning check (0: skip).
    public var annealSeconds: Double
    public var seed: UInt64
    /// λ of leaf values mixed with greedy rollouts in the timed searches (0: the network alone).
    public var rolloutWeight = 0.0
    /// k of the rollouts: the cheapest of the k greedy rules cheapest from the start (1: one rule).
    public var rolloutRules = 1
    /// E of the rollouts: vertices each rule's completion orders exactly at the end (0: none).
    public var rolloutEndgame = 0

    public init(
        config: NetworkConfig, simulations: Int?, games: [Int], runs: Int, learnSeconds: Double, learnGames: Int,
        annealSeconds: Double, seed: UInt64
    ) {
        self.config = config
        self.simulations = simulations
        self.games = games
        self.runs = runs
        self.learnSeconds = learnSeconds
        self.learnGames = learnGames
        self.annealSeconds = annealSeconds
        self.seed = seed
    }

    /// Times the search on `graph`, then (with `learnSeconds > 0`) runs the learning check on each
    /// of `learnTasks` (loaded by `load` when its turn comes; annealed by `anneal` when
    /// `annealSeconds > 0`), calling `progress` with one line per timing and per batch; returns the
    /// result object.
    public func run(
        graph: ComputationalGraph, learnTasks: [String], load: (String) throws -> ComputationalGraph,
        anneal: (String) throws -> Anneal, progress: (String) -> Void
    ) throws -> JSON {
        let spec = GameSpec(graph: graph)
        var hp = AlphaZeroHyperparameters.preset(task: graph.name)
        if let simulations { hp.simulations = simulations }
        hp.rolloutWeight = rolloutWeight
        hp.rolloutRules = rolloutRules
        hp.rolloutEndgame = rolloutEndgame
        try hp.validate()
        let loadAtStart = Self.loadAverage()
        var timings: [JSON] = []
        for G in games {
            hp.gamesInLockstep = G
            let (entry, line) = try time(spec: spec, hp: hp)
            timings.append(entry)
            progress(line)
        }
        var learning: [JSON] = []
        if learnSeconds > 0 {
            for name in learnTasks {
                learning.append(try learn(try load(name), anneal: anneal, progress: progress))
            }
        }
        return .object([
            ("benchmark", .string("search")), ("task", .string(graph.name)), ("preset", .string(config.name)),
            ("build", .string(buildConfiguration)), ("simulations", .int(hp.simulations)),
            ("rollout_weight", .double(hp.rolloutWeight)), ("rollout_rules", .int(hp.rolloutRules)),
            ("rollout_endgame", .int(hp.rolloutEndgame)),
            ("max_considered_actions", .int(hp.maxConsideredActions)),
            ("eliminable", .int(spec.eliminable.count)),
            ("blas_coretype", .string(blasCoreType)),
            // Other processes on the machine inflate even the CPU figures (shared caches and cores).
            ("load_average_1min", .object([("start", .double(loadAtStart)), ("end", .double(Self.loadAverage()))])),
            ("runs", .int(runs)), ("timings", .array(timings)), ("learning", .array(learning)),
        ])
    }

    /// One lockstep size timed: the JSON entry and the progress line.
    private func time(
        spec: GameSpec, hp: AlphaZeroHyperparameters
    ) throws -> (
        JSON, String
    ) {
        let G = hp.gamesInLockstep
        let network = try PolicyNetwork(
            config: config, maxBatch: G, maxTokens: TokenFeatures.maxTokens(spec), seed: seed)
        let evaluator = NetworkLeafEvaluator(network: network)
        let leaves = RolloutLeafEvaluator.wrapping(evaluator, hp: hp)
        var rng = Xoshiro256StarStar(seed: seed, stream: 77)
        // First move: G searches of the initial state (the root's forward included).
        var firstMove: [Double] = [], firstMoveCPU: [Double] = [], policyRows = 0, valueRows = 0
        for _ in 0..<runs {
            let rowsBefore = evaluator.rows
            var policyRowsNow = 0
            let cpuStart = threadCPUSeconds()
            firstMove.append(
                try milliseconds {
                    let root = try leaves.evaluate([EliminationState(spec: spec)])[0]
                    var searches = try (0..<G).map { _ in
                        try GumbelSearch(root: EliminationState(spec: spec), evaluation: root, hp: hp, rng: &rng)
                    }
                    let counting = RequestCounter(leaves)
                    _ = try GumbelSearch.runLockstep(&searches, evaluator: counting)
                    policyRowsNow = counting.policies
                    for search in searches { _ = try search.outcome() }
                } / Double(G))
            firstMoveCPU.append((threadCPUSeconds() - cpuStart) * 1000 / Double(G))
            policyRows = policyRowsNow
            valueRows = evaluator.rows - rowsBefore - (hp.rolloutWeight == 1 ? 1 : 2) - policyRows
        }
        // Whole games: G games in lockstep, time per move of one game.
        let selfPlay = SelfPlay(evaluator: leaves, hp: hp, seed: seed, id: 0)
        var gameMove: [Double] = [], gameMoveCPU: [Double] = []
        var costs: [Int] = []
        for _ in 0..<runs {
            let cpuStart = threadCPUSeconds()
            gameMove.append(
                try milliseconds { costs = try selfPlay.play(spec, task: 0, count: G, policyVersion: 0).costs }
                    / Double(G * spec.eliminable.count))
            gameMoveCPU.append((threadCPUSeconds() - cpuStart) * 1000 / Double(G * spec.eliminable.count))
        }
        let entry: [(String, JSON)] = [
            ("games_in_lockstep", .int(G)),
            ("first_move_ms_per_game", .double(rounded(median(firstMove)))),
            ("first_move_cpu_ms_per_game", .double(rounded(median(firstMoveCPU)))),
            ("first_move_ms_runs", .array(firstMove.map { .double(rounded($0)) })),
            ("first_move_policy_rows", .int(policyRows)),
            ("first_move_value_rows", .int(valueRows)),
            ("game_ms_per_move", .double(rounded(median(gameMove)))),
            ("game_cpu_ms_per_move", .double(rounded(median(gameMoveCPU)))),
            ("game_ms_per_move_runs", .array(gameMove.map { .double(rounded($0)) })),
            (
                "requests_per_evaluator_call",
                .double(rounded(Double(selfPlay.evaluations) / Double(max(selfPlay.waves, 1))))
            ),
            (
                "evaluations_reused_per_move",
                .double(rounded(Double(selfPlay.reused) / Double(runs * G * spec.eliminable.count)))
            ),
            ("last_game_costs", .ints(costs)),
        ]
        let line =
            "search timing: \(G) game(s) in lockstep: first move \(rounded(median(firstMove))) ms (CPU \(rounded(median(firstMoveCPU))) ms) per game, whole game \(rounded(median(gameMove))) ms (CPU \(rounded(median(gameMoveCPU))) ms) per move (\(hp.simulations) simulations, \(config.name))"
        return (.object(entry), line)
    }

    /// The AlphaZero solo run (`AlgorithmSoloRun<AlphaZeroLearner>`, the one training loop) on one
    /// task for `learnSeconds`; the best cost against wall time, then annealing for `annealSeconds`.
    private func learn(
        _ graph: ComputationalGraph, anneal: (String) throws -> Anneal, progress: (String) -> Void
    ) throws -> JSON {
        let name = graph.name
        let spec = GameSpec(graph: graph)
        var hp = AlphaZeroHyperparameters.preset(task: graph.name)
        if let simulations { hp.simulations = simulations }
        hp.gamesInLockstep = learnGames
        try hp.validate()
        let run = try AlphaZeroSoloRun(graphs: [graph], network: config, settings: hp, seed: seed)
        run.clock = monotonicSeconds
        let trainer = run.trainer
        let baselines = BaselineSummary(spec: spec)
        var curve: [JSON] = []
        var selfPlaySeconds = 0.0, updateSeconds = 0.0
        let start = monotonicSeconds()
        while monotonicSeconds() - start < learnSeconds {
            let report = try run.runUpdate()
            selfPlaySeconds += run.lastTiming.playing
            updateSeconds += run.lastTiming.training
            let t = monotonicSeconds() - start
            curve.append(
                .object([
                    ("seconds", .double(rounded(t, per: 10))), ("games", .int(trainer.episodes)),
                    ("adam_steps", .int(trainer.updates * hp.stepsPerBatch)),
                    ("best_cost", .int(report.best)), ("batch_mean_cost", .double(rounded(report.meanCost, per: 10))),
                    ("batch_best_cost", .int(report.batchBest)),
                    ("policy_loss", .double(Double(report.metrics.policyLoss))),
                    ("value_loss", .double(Double(report.metrics.valueLoss))),
                ]))
            progress(
                String(
                    format:
                        "%@ %7.1fs games %5d  batch mean %8.1f  batch best %6d  best %6d  policy loss %.3f  value loss %.4f",
                    name, t, trainer.episodes, report.meanCost, report.batchBest, report.best,
                    report.metrics.policyLoss, report.metrics.valueLoss))
        }
        guard let best = trainer.best else {
            throw BenchmarkError("no AlphaZero update finished within \(learnSeconds) s on \(name); give more seconds")
        }
        let gamesPlayed = trainer.episodes, steps = trainer.updates * hp.stepsPerBatch
        let confirmed = try Baselines.score(best.order, on: spec).cost
        guard confirmed == best.cost else {
            throw BenchmarkError("internal error: the best order re-scores to \(confirmed)")
        }
        var entry: [(String, JSON)] = [
            ("task", .string(graph.name)), ("eliminable", .int(spec.eliminable.count)),
            ("seconds", .double(learnSeconds)),
            ("simulations", .int(hp.simulations)), ("games_in_lockstep", .int(hp.gamesInLockstep)),
            ("games", .int(gamesPlayed)), ("adam_steps", .int(steps)),
            ("self_play_seconds", .double((selfPlaySeconds * 10).rounded() / 10)),
            ("update_seconds", .double((updateSeconds * 10).rounded() / 10)),
            ("best_cost", .int(best.cost)), ("best_order", .ints(best.order)),
            (
                "baselines",
                .object([
                    ("forward", .int(baselines.forward)), ("reverse", .int(baselines.reverse)),
                    ("markowitz", .int(baselines.markowitz)),
                ])
            ),
            ("curve", .array(curve)),
        ]
        if annealSeconds > 0 {
            let annealed = try anneal(name)
            entry.append(
                (
                    "anneal",
                    .object([("command", .string(annealed.command)), ("best_cost", .int(annealed.bestCost))])
                ))
            progress(
                "\(name): AlphaZero best \(best.cost) in \(learnSeconds) s; anneal \(annealed.bestCost) in \(annealSeconds) s"
            )
        }
        return .object(entry)
    }

    /// The machine's 1-minute load average, −1 where the OS does not say (the JSON's convention).
    static func loadAverage() -> Double { Benchmarks.loadAverage() ?? -1 }
}

/// Passes requests through to an evaluator, counting the policies asked for.
private final class RequestCounter: LeafEvaluator {
    let inner: LeafEvaluator
    var policies = 0

    init(_ inner: LeafEvaluator) { self.inner = inner }

    func evaluate(_ requests: [LeafRequest]) throws -> [LeafEvaluation] {
        policies += requests.filter(\.wantsPolicy).count
        return try inner.evaluate(requests)
    }
}
