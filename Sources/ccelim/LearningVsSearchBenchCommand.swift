import ArgumentParser
import Benchmarks
import Console
import Foundation
import Optimize
import PPO
import TaskFiles
import Training

/// `ccelim bench learning-vs-search`: issue 13's comparison of learning against search. Flag
/// handling around `LearningVsSearchBenchmark` (Benchmarks), which says what each method runs:
/// per task, PPO, Gumbel AlphaZero (solo), AlphaZero in a local cluster with 2 actors (child
/// processes of this one) and annealing each get `--minutes` of wall time, one after the other;
/// the JSON has each method's curve of (seconds, best_cost) and its final figures.
struct LearningVsSearchBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learning-vs-search",
        abstract:
            "PPO, AlphaZero (solo and 2 actors) and annealing with the same wall-clock budget per task: best cost against time (JSON)."
    )

    @Option(help: "Comma-separated tasks.") var tasks = "RoeFlux_1d,RoeFlux_3d,BlackScholes_Jacobian,f,Encoder"
    @Option(help: "Wall-clock budget per method and task, in minutes.") var minutes = 15.0
    @Option(
        help:
            "Comma-separated methods: ppo, alphazero, alphazero-2-actors, anneal, alphazero-generalist (AlphaZero fine-tuned from --generalist), alphazero-2-actors-generalist (the 2-actor cluster fine-tuned from --generalist)."
    ) var methods =
        "ppo,alphazero,alphazero-2-actors,anneal"
    @Option(help: "Network preset of the learners.") var preset = "small"
    @Option(help: "Seed of every method.") var seed: UInt64 = 1
    @Option(help: "AlphaZero: simulations per move (default: the paper's per-task value).") var simulations: Int?
    @Option(help: "AlphaZero: games per update (default: AlphaZeroHyperparameters').") var azGames: Int?
    @Option(help: "AlphaZero solo: Adam steps per update (default: AlphaZeroHyperparameters'; the cluster uses those).")
    var azSteps: Int?
    @Option(
        help:
            "AlphaZero (solo and the 2-actor cluster): c_scale of the policy improvement (default: AlphaZeroHyperparameters')."
    )
    var cScale: Double?
    @Option(
        help:
            "AlphaZero (solo and alphazero-2-actors): λ of a leaf's value (1 − λ)·network + λ·greedy rollout, in self-play and search decodes (default 0)."
    )
    var rolloutWeight: Double?
    @Option(
        help:
            "AlphaZero (solo and alphazero-2-actors): k of the rollouts, each the cheapest of the k greedy rules cheapest from the start state (1 to 6; default 1)."
    )
    var rolloutRules: Int?
    @Option(
        help:
            "AlphaZero (solo and alphazero-2-actors): E of the rollouts, vertices each rule's completion orders exactly at the end (0 to 12; default 0)."
    )
    var rolloutEndgame: Int?
    @Flag(help: "AlphaZero: warm-start the replay buffer with the greedy rules' and forward/reverse orders.")
    var expertGames = false
    @Option(help: "AlphaZero: simulations of a final deterministic search decode of the policy (default 0: none).")
    var decodeSimulations: Int?
    @Option(
        help:
            "AlphaZero solo: seconds at the end of --minutes kept for the final decode (train --solo's: the search decode, then `ccelim optimize`'s zero-shot pipeline on the trained weights until the budget ends; 0: none, training takes the whole budget)."
    )
    var finalDecodeSeconds = 0.0
    @Option(help: "Annealing: the reference budget in seconds, run too when shorter than --minutes.")
    var annealSeconds = 60.0
    @Option(
        help:
            "alphazero-generalist and alphazero-2-actors-generalist: the checkpoint they start from (default: the shipped Datasets/\(ShippedPolicy.relativePath))."
    ) var generalist: String?
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON object (progress on stderr); otherwise progress lines and a summary.") var json = false

    func validate() throws {
        if !(minutes > 0) { throw ValidationError("--minutes must be positive") }
        if !(annealSeconds > 0) { throw ValidationError("--anneal-seconds must be positive") }
        if let azGames, azGames < 1 { throw ValidationError("--az-games must be at least 1") }
        if let azSteps, azSteps < 0 { throw ValidationError("--az-steps must be ≥ 0") }
        if let problem = alphaZero.problem(algorithm: nil, minutes: minutes, decodeAlone: true) {
            throw ValidationError(problem)
        }
        _ = try Self.methods(methods)
        if tasks.split(separator: ",").isEmpty { throw ValidationError("--tasks: give at least one task") }
    }

    /// The options only AlphaZero uses, as given.
    var alphaZero: AlphaZeroOptions {
        AlphaZeroOptions(
            simulations: simulations, cScale: cScale, rolloutWeight: rolloutWeight, rolloutRules: rolloutRules,
            rolloutEndgame: rolloutEndgame, finalDecodeSeconds: finalDecodeSeconds,
            decodeSimulations: decodeSimulations)
    }

    static func methods(_ text: String) throws -> [LearningVsSearchBenchmark.Method] {
        var out: [LearningVsSearchBenchmark.Method] = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let method = LearningVsSearchBenchmark.Method(rawValue: part) else {
                throw ValidationError(
                    "--methods: unknown method '\(part)'; use \(LearningVsSearchBenchmark.Method.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            if !out.contains(method) { out.append(method) }
        }
        guard !out.isEmpty else { throw ValidationError("--methods: give at least one method") }
        return out
    }

    func run() throws {
        BLASSetup.prepare()
        guard let config = NetworkConfig.preset(preset) else {
            throw CLIError("unknown preset '\(preset)' (small or paper)")
        }
        var benchmark = LearningVsSearchBenchmark(
            config: config, minutes: minutes, methods: try Self.methods(methods), seed: seed)
        benchmark.alphaZero = alphaZero
        benchmark.gamesPerUpdate = azGames
        benchmark.stepsPerBatch = azSteps
        benchmark.expertGames = expertGames
        benchmark.annealReferenceSeconds = annealSeconds
        benchmark.datasets = graphOptions.datasets
        if benchmark.methods.contains(where: \.startsFromGeneralist) {
            if let generalist {
                benchmark.generalist = generalist
            } else if let datasets = try? Datasets.directory(graphOptions.datasets),
                let shipped = ShippedPolicy.path(inDatasets: datasets)
            {
                benchmark.generalist = shipped
            } else {
                throw CLIError(
                    "\(benchmark.methods.first(where: \.startsFromGeneralist)!.rawValue): no --generalist and no Datasets/\(ShippedPolicy.relativePath) found (pass --generalist CKPT or --datasets DIR)"
                )
            }
        }
        let log = Log(toStderr: json)
        var results: [JSON] = []
        for name in tasks.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let graph = try GraphSource.load(name, datasets: graphOptions.datasets)
            results.append(try benchmark.run(graph, task: name, progress: log.line))
        }
        let result = benchmark.json(tasks: results)
        if json {
            print(result.text)
        } else {
            for task in results {
                guard case .object(let fields) = task, case .string(let name)? = fields.first?.1,
                    case .object(let best)? = fields.first(where: { $0.0 == "best_cost" })?.1
                else { continue }
                print("\(name): " + best.map { "\($0.0) \($0.1.text)" }.joined(separator: ", "))
            }
        }
    }
}
