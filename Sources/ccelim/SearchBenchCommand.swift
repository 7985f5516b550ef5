import AlphaZero
import ArgumentParser
import Benchmarks
import Console
import Elimination
import Foundation
import NeuralNet
import PPO
import Randomness
import TaskFiles

/// `ccelim bench search`: the Gumbel AlphaZero search (issue 13, first increment) measured.
/// 1. One move's search: milliseconds per move with `--simulations` simulations at the start of
///    the game (the most tokens) and averaged over whole games, for each lockstep size in `--games`
///    (1 = one leaf per forward; G = up to G leaves per forward), one BLAS thread.
/// 2. With `--learn-seconds S`: a learning sanity check, not a trainer — lockstep self-play and
///    Adam steps on a replay buffer for S seconds per task, best cost against wall time, next to
///    `ccelim search TASK --method anneal --seconds A` run as a child of this benchmark.
struct SearchBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract:
            "Gumbel AlphaZero: ms per move's search, and an optional self-play learning check against annealing (JSON)."
    )

    @Option(help: "Task of the timing.") var task = "RoeFlux_1d"
    @Option(help: "Network preset.") var preset = "small"
    @Option(help: "Simulations per move (default: the paper's per-task value).") var simulations: Int?
    @Option(help: "Comma-separated lockstep sizes (games searched together) to time.") var games = "1,16"
    @Option(help: "Timed repetitions (median reported).") var runs = 3
    @Option(help: "Seconds of self-play learning per task (0: timing only).") var learnSeconds = 0.0
    @Option(help: "Comma-separated tasks of the learning check.") var learnTasks = "PropaneCombustion,RoeFlux_1d"
    @Option(help: "Seconds of `ccelim search --method anneal` per task next to the learning check (0: skip).")
    var annealSeconds = 60.0
    @Option(help: "Games in lockstep during the learning check.") var learnGames = 16
    @Option(help: "Seed.") var seed: UInt64 = 1
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON object (progress on stderr); otherwise progress and summary lines only.") var json =
        false

    func validate() throws {
        if let simulations, simulations < 1 { throw ValidationError("--simulations must be at least 1") }
        guard let sizes = Self.sizes(games), !sizes.isEmpty else {
            throw ValidationError("--games must be positive integers separated by commas, e.g. 1,16")
        }
        if runs < 1 { throw ValidationError("--runs must be at least 1") }
        if !(learnSeconds >= 0) { throw ValidationError("--learn-seconds must be ≥ 0") }
        if !(annealSeconds >= 0) { throw ValidationError("--anneal-seconds must be ≥ 0") }
        if learnGames < 1 { throw ValidationError("--learn-games must be at least 1") }
    }

    static func sizes(_ text: String) -> [Int]? {
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
        return parts.map { $0! }
    }

    func run() throws {
        BLASSetup.prepare()
        guard let config = NetworkConfig.preset(preset) else {
            throw CLIError("unknown preset '\(preset)' (small or paper)")
        }
        let graph = try GraphSource.load(task, datasets: graphOptions.datasets)
        let spec = GameSpec(graph: graph)
        var hp = AlphaZeroHyperparameters.preset(task: graph.name)
        if let simulations { hp.simulations = simulations }
        var timings: [JSON] = []
        for G in Self.sizes(games)! {
            hp.gamesInLockstep = G
            let network = try PolicyNetwork(config: config, maxBatch: G, maxTokens: graph.vertexCount, seed: seed)
            let evaluator = NetworkLeafEvaluator(network: network)
            var rng = Xoshiro256StarStar(seed: seed, stream: 77)
            // First move: G searches of the initial state (the root's forward included).
            var firstMove: [Double] = [], firstMoveCPU: [Double] = [], policyRows = 0, valueRows = 0
            for _ in 0..<runs {
                let rowsBefore = evaluator.rows
                var policyRowsNow = 0
                let cpuStart = threadCPUSeconds()
                firstMove.append(
                    try milliseconds {
                        let root = try evaluator.evaluate([EliminationState(spec: spec)])[0]
                        var searches = try (0..<G).map { _ in
                            try GumbelSearch(root: EliminationState(spec: spec), evaluation: root, hp: hp, rng: &rng)
                        }
                        let counting = RequestCounter(evaluator)
                        _ = try GumbelSearch.runLockstep(&searches, evaluator: counting)
                        policyRowsNow = counting.policies
                        for search in searches { _ = try search.outcome() }
                    } / Double(G))
                firstMoveCPU.append((threadCPUSeconds() - cpuStart) * 1000 / Double(G))
                policyRows = policyRowsNow
                valueRows = evaluator.rows - rowsBefore - 2 - policyRows
            }
            // Whole games: G games in lockstep, time per move of one game.
            let selfPlay = SelfPlay(evaluator: evaluator, hp: hp, seed: seed, id: 0)
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
            timings.append(.object(entry))
            progress(
                "search timing: \(G) game(s) in lockstep: first move \(rounded(median(firstMove))) ms (CPU \(rounded(median(firstMoveCPU))) ms) per game, whole game \(rounded(median(gameMove))) ms (CPU \(rounded(median(gameMoveCPU))) ms) per move (\(hp.simulations) simulations, \(preset))"
            )
        }
        var learning: [JSON] = []
        if learnSeconds > 0 {
            for name in learnTasks.split(separator: ",").map(String.init) {
                learning.append(try learn(name, config: config))
            }
        }
        let result = JSON.object([
            ("benchmark", .string("search")), ("task", .string(graph.name)), ("preset", .string(config.name)),
            ("build", .string(buildConfiguration)), ("simulations", .int(hp.simulations)),
            ("max_considered_actions", .int(hp.maxConsideredActions)), ("eliminable", .int(spec.eliminable.count)),
            ("blas_coretype", .string(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "auto")),
            ("runs", .int(runs)), ("timings", .array(timings)), ("learning", .array(learning)),
        ])
        if json { print(result.text) }
    }

    /// Self-play + updates on one task for `learnSeconds`; the best cost against wall time, then
    /// annealing for `annealSeconds` in a child process.
    private func learn(_ name: String, config: NetworkConfig) throws -> JSON {
        let graph = try GraphSource.load(name, datasets: graphOptions.datasets)
        let spec = GameSpec(graph: graph)
        var hp = AlphaZeroHyperparameters.preset(task: graph.name)
        if let simulations { hp.simulations = simulations }
        hp.gamesInLockstep = learnGames
        try hp.validate()
        let network = try PolicyNetwork(
            config: config, maxBatch: max(hp.gamesInLockstep, hp.minibatchSize), maxTokens: graph.vertexCount,
            seed: seed)
        let selfPlay = SelfPlay(evaluator: NetworkLeafEvaluator(network: network), hp: hp, seed: seed, id: 0)
        let learner = AlphaZeroLearner(network: network, hp: hp, seed: seed)
        var replay = ReplayBuffer(capacity: hp.replayGames, specs: [spec])
        let baselines = BaselineSummary(spec: spec)
        var best = BestOrder(cost: Int.max, order: [])
        var curve: [JSON] = []
        var gamesPlayed = 0, steps = 0, batches = 0
        var selfPlaySeconds = 0.0, updateSeconds = 0.0
        let start = Date()
        while Date().timeIntervalSince(start) < learnSeconds {
            var played: (episodes: [SearchEpisode], costs: [Int]) = ([], [])
            selfPlaySeconds +=
                try milliseconds {
                    played = try selfPlay.play(spec, task: 0, count: hp.gamesInLockstep, policyVersion: UInt64(batches))
                } / 1000
            for (episode, cost) in zip(played.episodes, played.costs) {
                let replayed = try replay.add(episode)
                guard replayed == cost else {
                    throw CLIError("internal error: a self-played game re-scores to \(replayed), not \(cost)")
                }
                if cost < best.cost { best = BestOrder(cost: cost, order: episode.order.map(Int.init)) }
            }
            gamesPlayed += played.episodes.count
            batches += 1
            var metrics: AlphaZeroLearner.StepMetrics?
            updateSeconds +=
                try milliseconds {
                    for _ in 0..<hp.stepsPerBatch { metrics = try learner.step(replay: replay); steps += 1 }
                } / 1000
            let t = Date().timeIntervalSince(start)
            let mean = Double(played.costs.reduce(0, +)) / Double(max(played.costs.count, 1))
            curve.append(
                .object([
                    ("seconds", .double((t * 10).rounded() / 10)), ("games", .int(gamesPlayed)),
                    ("adam_steps", .int(steps)),
                    ("best_cost", .int(best.cost)), ("batch_mean_cost", .double((mean * 10).rounded() / 10)),
                    ("batch_best_cost", .int(played.costs.min() ?? 0)),
                    ("policy_loss", .double(Double(metrics?.policyLoss ?? .nan))),
                    ("value_loss", .double(Double(metrics?.valueLoss ?? .nan))),
                ]))
            progress(
                String(
                    format:
                        "%@ %7.1fs games %5d  batch mean %8.1f  batch best %6d  best %6d  policy loss %.3f  value loss %.4f",
                    name, t, gamesPlayed, mean, played.costs.min() ?? 0, best.cost, metrics?.policyLoss ?? .nan,
                    metrics?.valueLoss ?? .nan))
        }
        let confirmed = try Baselines.score(best.order, on: spec).cost
        guard confirmed == best.cost else { throw CLIError("internal error: the best order re-scores to \(confirmed)") }
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
            let arguments = [
                "search", name, "--method", "anneal", "--seconds", "\(annealSeconds)", "--seed", "\(seed)", "--json",
            ]
            let r = try ClusterBenchCommand.capture(
                arguments + (graphOptions.datasets.map { ["--datasets", $0] } ?? []))
            guard r.status == 0, let data = r.stdout.data(using: .utf8),
                let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let cost = o["best_cost"] as? Int
            else {
                throw CLIError("ccelim \(arguments.joined(separator: " ")) failed (exit \(r.status)): \(r.stderr)")
            }
            entry.append(
                (
                    "anneal",
                    .object([
                        ("command", .string("ccelim " + arguments.joined(separator: " "))), ("best_cost", .int(cost)),
                    ])
                ))
            progress("\(name): AlphaZero best \(best.cost) in \(learnSeconds) s; anneal \(cost) in \(annealSeconds) s")
        }
        return .object(entry)
    }

    /// CPU seconds of this thread (the search is single-threaded with one BLAS thread): a
    /// per-core figure that a loaded machine does not inflate the way it inflates wall time.
    private func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Progress and summary lines: stdout for people, stderr when stdout carries the JSON.
    private func progress(_ line: String) {
        if json {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        } else {
            print(line)
            fflush(stdout)
        }
    }
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
