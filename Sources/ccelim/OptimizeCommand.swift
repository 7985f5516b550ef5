import ArgumentParser
import ClusterShell
import Console
import Foundation
import Optimize
import Search
import TaskFiles

/// `ccelim optimize PROGRAM [--seconds S] [--policy CKPT] [--json]`: the best order ccelim can find
/// for a program in S seconds — the policy's decodings, then the classical portfolio on every
/// core (Optimize.ProgramOptimizer). This shell finds the files, gives it the clock and prints.
struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Find a cheap elimination order for a program: the shipped policy, then search on all cores.",
        discussion: """
            The policy (--policy, else Datasets/policies/generalist.h5) decodes a greedy order, then tries its \
            runner-up moves completed greedily (exact costs) for 3/4 of its share of --policy-seconds, then samples \
            orders in batches of up to --samples while they fit; then, in the next --polish-share of \
            --policy-seconds, the best decoded orders' endgame and sliding windows are re-ordered exactly \
            (policy-polish; the best of all counts); then, in the last --descent-share, the best order so far is \
            descended exactly by moving single vertices and pairs anywhere in the order, interleaved with the polish \
            (policy-descent). With --seconds S the greedy rules, lookahead and annealing (seeded with the policy's \
            best order and the best classical one) run on every core until S seconds after the start, each thread \
            descending its best order in the last --final-descent-share of its time (--annealing-cycles: the thread \
            from the policy's order reheats 4 times, the one from the classical order cools once, slowly; each \
            cooling's temperature follows the time it has spent), annealing again over what is left; the \
            classical threads start at once, on the cores the policy's decoding leaves idle. The best order is \
            verified on the game and compared with forward, reverse and minimal Markowitz. --seconds 0: the policy alone \
            (when a baseline is cheaper, the output says so and --json adds cheaper_baseline). Ctrl-C \
            (SIGINT) or SIGTERM ends a long search early without losing it: every phase stops at its next look \
            at the clock, the best order found by then is verified and printed as usual (--json adds \
            interrupted: true), and the exit status is 130 (143 after SIGTERM); a second Ctrl-C kills at once. \
            Progress goes to stderr (stdout keeps the report or the JSON): the stage and the best cost so far, \
            rewritten in place on a terminal, a line every 10 s when piped (none in the first second).
            """
    )

    @Argument(help: "A .jaxpr file, a .graph file, or a task name from Datasets.") var program: String
    @Option(help: "Search budget in seconds from the start, the policy's decoding included (0: the policy alone).")
    var seconds: Double = 10
    @Option(help: "A policy checkpoint (default: the shipped one in Datasets/policies/).") var policy: String?
    @Option(help: "Most orders sampled from the policy per batch, besides the greedy one (0: greedy only).")
    var samples = 4
    @Option(
        help:
            "The policy's decoding budget in seconds, greedy included (0: exactly one batch of --samples; at most --seconds when that is positive)."
    )
    var policySeconds = 0.8
    @Option(
        help:
            "How --policy-seconds is counted: wall (time) or work (network work at a nominal rate: the same orders at any load, with a wall-clock ceiling of --policy-ceiling)."
    )
    var policyBudget = "wall"
    @Option(
        help:
            "With --policy-budget work: wall-clock seconds after which decoding stops anyway (default: 2 × --policy-seconds)."
    )
    var policyCeiling: Double?
    @Option(
        help:
            "The share of --policy-seconds kept for re-ordering the decoded orders' endgame and windows exactly (method policy-polish); 0: no polish."
    )
    var polishShare = LoadedPolicy.polishShare
    @Option(
        help:
            "The share of --policy-seconds kept for the long-range exact descent from the best decoded order (vertices and pairs moved anywhere, interleaved with the polish; method policy-descent); 0: no descent."
    )
    var descentShare = LoadedPolicy.descentShare
    @Option(
        help:
            "The share of each annealing thread's --seconds kept for the long-range exact descent and polish of its best order at the end; 0: annealing alone."
    )
    var finalDescentShare = ProgramOptimizer.defaultFinalDescentShare
    @Option(
        help:
            "When a thread's final descent and polish stop improving, re-interleave sets of this many vertices (one and its graph neighbours) exactly among the others; 0: none."
    )
    var interleaveSize = 0
    @Option(
        help:
            "Cooling runs of each annealing thread before its final descent, each from the thread's best so far; a comma-separated list gives thread i the i-th entry (cyclically)."
    )
    var annealingCycles = ProgramOptimizer.defaultAnnealingCycles.map(String.init).joined(separator: ",")
    @Option(help: "Annealing threads (default: one per core).") var threads: Int?
    @Option(help: "Seed of every random stream.") var seed: UInt64 = 1
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON object: program, cost, order, forward, reverse, markowitz, method, seconds, policy.")
    var json = false

    func validate() throws {
        guard seconds >= 0, seconds.isFinite else { throw ValidationError("--seconds must be 0 or more") }
        if samples < 0 { throw ValidationError("--samples must be 0 or more") }
        guard policySeconds >= 0, policySeconds.isFinite else {
            throw ValidationError("--policy-seconds must be 0 or more")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard let cycles = Self.cycles(annealingCycles), !cycles.isEmpty, cycles.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--annealing-cycles must be positive integers separated by commas, e.g. 4,1")
        }
        guard ["wall", "work"].contains(policyBudget) else {
            throw ValidationError("--policy-budget must be wall or work, not '\(policyBudget)'")
        }
        guard polishShare >= 0, polishShare < 1 else {
            throw ValidationError("--polish-share must be at least 0 and below 1 (0: no polish)")
        }
        guard descentShare >= 0, polishShare + descentShare < 1 else {
            throw ValidationError("--descent-share must be at least 0, and --polish-share + --descent-share below 1")
        }
        guard finalDescentShare >= 0, finalDescentShare < 1 else {
            throw ValidationError("--final-descent-share must be at least 0 and below 1 (0: annealing alone)")
        }
        guard interleaveSize == 0 || (2...InterleavingPolish.maxSize).contains(interleaveSize) else {
            throw ValidationError("--interleave-size must be 0 (none) or from 2 to \(InterleavingPolish.maxSize)")
        }
        if let policyCeiling, !(policyCeiling > 0 && policyCeiling.isFinite) {
            throw ValidationError("--policy-ceiling must be positive")
        }
    }

    private static func cycles(_ list: String) -> [Int]? {
        let parts = list.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        return parts.contains(nil) ? nil : parts.map { $0! }
    }

    func run() throws {
        BLASSetup.prepare()
        let graph = try GraphSource.load(program, datasets: graphOptions.datasets)
        let progress = ProgressLine(toStderr: true)
        let loaded: LoadedPolicy?
        do {
            if let policy {
                loaded = try LoadedPolicy.read(policy)
            } else if let datasets = try? Datasets.directory(graphOptions.datasets),
                let shipped = ShippedPolicy.path(inDatasets: datasets)
            {
                loaded = try LoadedPolicy.read(shipped)
            } else {
                loaded = nil
                progress.line(
                    "optimize: no policy found (no --policy, no Datasets/\(ShippedPolicy.relativePath)); classical search only"
                )
            }
        } catch {
            throw CLIError("\(error)")
        }
        var optimizer = ProgramOptimizer { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
        optimizer.seconds = seconds
        optimizer.samples = samples
        optimizer.decodingSeconds = policySeconds
        optimizer.polishShare = polishShare
        optimizer.descentShare = descentShare
        optimizer.finalDescentShare = finalDescentShare
        optimizer.interleaveSize = interleaveSize
        optimizer.annealingCycles = Self.cycles(annealingCycles)!
        if policyBudget == "work" {
            optimizer.decodingWork = LoadedPolicy.WorkBudget(ceiling: policyCeiling ?? 2 * policySeconds)
        }
        optimizer.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        optimizer.seed = seed
        // Ctrl-C (or SIGTERM) ends the search early with the best order found, printed as usual; a
        // second one kills at once.
        SignalTrap.install(secondKills: true)
        optimizer.interrupted = { SignalTrap.stopRequested }
        let outcome: OptimizeOutcome
        do {
            // The status on stderr: rewritten in place on a terminal, a line every 10 s when piped
            // (a run of minutes says where it is), none piped in the first second.
            let started = monotonicSeconds()
            outcome = try optimizer.run(graph, policy: loaded) { text in
                // After an interrupt the budgets' clock has jumped: no status with its seconds.
                guard !SignalTrap.stopRequested else { return }
                if progress.isTerminal || monotonicSeconds() - started >= 1 {
                    progress.status("optimize \(graph.name): \(text)")
                }
            }
        } catch {
            throw CLIError("optimize \(graph.name): \(error)")
        }
        progress.finish()
        if json {
            print(outcome.json.text)
        } else {
            for line in outcome.lines { print(line) }
        }
        // Interrupted: the order is printed, and the exit status says the run was cut short.
        if SignalTrap.stopRequested { throw ExitCode(128 + SignalTrap.received) }
    }
}
