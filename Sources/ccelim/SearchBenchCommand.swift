import ArgumentParser
import Benchmarks
import ClusterShell
import Console
import Foundation
import PPO
import TaskFiles
import Training

/// `ccelim bench search`: the Gumbel AlphaZero search (issue 13, first increment) measured.
/// Flag handling around `SearchBenchmark` (Benchmarks), which says what is measured:
/// 1. One move's search: milliseconds per move with `--simulations` simulations at the start of
///    the game (the most tokens) and averaged over whole games, for each lockstep size in `--games`
///    (1 = one leaf per forward; G = up to G leaves per forward), one BLAS thread.
/// 2. With `--learn-seconds S`: a learning sanity check — the AlphaZero solo run for S seconds per
///    task, best cost against wall time, next to `ccelim search TASK --method anneal --seconds A`
///    run as a child of this benchmark (`ccelim bench learning-vs-search` is the full comparison).
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
    @Option(help: "λ of leaf values mixed with greedy rollouts in the timed searches (0: the network alone).")
    var rolloutWeight = 0.0
    @Option(
        help:
            "k of the rollouts: each is the cheapest of the k greedy rules cheapest from the start state (1 to 6; default 1)."
    )
    var rolloutRules = 1
    @Option(
        help: "E of the rollouts: vertices each rule's completion orders exactly at the end (0 to 12; default 0)."
    )
    var rolloutEndgame = 0
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON object (progress on stderr); otherwise progress and summary lines only.") var json =
        false

    func validate() throws {
        // The search settings' ranges, by the one rule of AlphaZero's flags.
        let search = AlphaZeroOptions(
            simulations: simulations, rolloutWeight: rolloutWeight, rolloutRules: rolloutRules,
            rolloutEndgame: rolloutEndgame)
        if let problem = search.problem(algorithm: nil, minutes: nil) { throw ValidationError(problem) }
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
        var benchmark = SearchBenchmark(
            config: config, simulations: simulations, games: Self.sizes(games)!, runs: runs,
            learnSeconds: learnSeconds, learnGames: learnGames, annealSeconds: annealSeconds, seed: seed)
        benchmark.rolloutWeight = rolloutWeight
        benchmark.rolloutRules = rolloutRules
        benchmark.rolloutEndgame = rolloutEndgame
        let result = try benchmark.run(
            graph: try GraphSource.load(task, datasets: graphOptions.datasets),
            learnTasks: learnTasks.split(separator: ",").map(String.init),
            load: { try GraphSource.load($0, datasets: graphOptions.datasets) }, anneal: anneal, progress: progress)
        if json { print(result.text) }
    }

    /// `ccelim search NAME --method anneal` for `annealSeconds`, run as a child.
    private func anneal(_ name: String) throws -> SearchBenchmark.Anneal {
        let arguments = [
            "search", name, "--method", "anneal", "--seconds", "\(annealSeconds)", "--seed", "\(seed)", "--json",
        ]
        let r = try ChildProcesses.capture(arguments + (graphOptions.datasets.map { ["--datasets", $0] } ?? []))
        guard r.status == 0, let data = r.stdout.data(using: .utf8),
            let o = try? JSONReading.parse(data) as? [String: Any],
            let cost = o["best_cost"] as? Int
        else {
            throw CLIError("ccelim \(arguments.joined(separator: " ")) failed (exit \(r.status)): \(r.stderr)")
        }
        return SearchBenchmark.Anneal(command: "ccelim " + arguments.joined(separator: " "), bestCost: cost)
    }

    /// Progress and summary lines: stdout for people, stderr when stdout carries the JSON.
    private func progress(_ line: String) {
        if json {
            StandardError.write(line + "\n")
        } else {
            print(line)
            fflush(stdout)
        }
    }
}
