import Console
import Elimination
import Foundation
import PPO
import Search

/// Large programs (issue 17, `ccelim bench scale`): for each size, a program from a `ccelim
/// generate` preset is written as a graph file, then timed: reading it and building the game spec
/// (import), the three classical baselines (forward, reverse, Markowitz), the process's peak
/// resident memory over those two, and annealing from the cheapest of the greedy rules, forward and reverse mode for a fixed budget of
/// seconds (its improvement over the best baseline), and one greedy episode of an untrained
/// paper-size policy (its time: the cost of such a policy says nothing). Above
/// `TokenFeatures.candidateViewAbove` vertices the policy sees the candidate set (TokenFeatures),
/// so a step's attention no longer grows with n².
public enum ScaleBenchmark {
    public struct Settings: Sendable {
        public var preset: GraphPreset = .scalar
        /// Inputs and outputs of the scalar preset (the structured presets fix their own).
        public var inputs = 20
        public var outputs = 10
        public var seed: UInt64 = 3
        /// Seconds of annealing per size (0: skip annealing).
        public var annealSeconds = 60.0
        /// The largest size that gets a policy episode. The candidate view keeps its costs
        /// incrementally (`RemainingCosts`), so a step costs the paper network's forward pass over 64
        /// tokens plus the eliminated vertex's neighbourhood, whatever n: an episode is linear in
        /// n (about 10 CPU seconds at 10,000 equations, 106 at 100,000).
        public var policyMaxEquations = 100_000

        public init() {}

        /// The `ccelim generate` command that writes the same program.
        public func generateCommand(equations: Int) -> String {
            var command = "ccelim generate --preset \(preset.rawValue) --equations \(equations) --seed \(seed)"
            if preset == .scalar { command += " --inputs \(inputs) --outputs \(outputs)" }
            return command + " -o FILE"
        }
    }

    public struct SizeResult: Sendable {
        public var equations: Int
        public var vertices: Int
        public var edges: Int
        public var layout: StateLayout
        public var generateCommand: String
        public var importSeconds: Double
        public var baselinesSeconds: Double
        /// Peak resident bytes of the process while importing and scoring the baselines (nil where
        /// the kernel does not report it).
        public var peakBytes: Int?
        /// Peak resident bytes over the whole size: import, baselines, annealing and the policy
        /// episode (nil where the kernel does not report it).
        public var peakBytesTotal: Int?
        public var forward: Int, reverse: Int, markowitz: Int
        /// Annealing's start — the cheapest of the greedy rules, forward and reverse mode — and
        /// which of them it is; annealing's result; nil: skipped.
        public var annealStart: Int?
        public var annealStartMethod: String?
        public var annealCost: Int?
        public var annealEvaluations: Int?
        public var annealSeconds: Double?
        /// One greedy episode of an untrained `NetworkConfig.paper` policy (seed 1); nil: skipped.
        public var policyEpisodeSeconds: Double?
        /// The same episode in CPU seconds of the whole process (a loaded machine inflates wall
        /// time, not this).
        public var policyEpisodeCPUSeconds: Double?
        /// The episode's cost (an untrained policy's: it says nothing about the policy, but two
        /// builds that show it the same tokens play the same order).
        public var policyEpisodeCost: Int?
        /// The 1-minute load average when the size started (nil where the OS does not say).
        public var loadAverage: Double?
        public var policyTokens: Int?

        public var bestBaseline: Int { min(forward, reverse, markowitz) }
        /// (best baseline − anneal) / best baseline: > 0 means annealing is cheaper.
        public var annealImprovement: Double? {
            annealCost.map { Double(bestBaseline - $0) / Double(max(bestBaseline, 1)) }
        }

        public var json: JSON {
            .object([
                ("equations", .int(equations)), ("vertices", .int(vertices)), ("edges", .int(edges)),
                ("layout", .string(layout.rawValue)), ("program", .string(generateCommand)),
                ("import_s", .double(rounded(importSeconds))), ("baselines_s", .double(rounded(baselinesSeconds))),
                ("peak_bytes", peakBytes.map { .int($0) } ?? .null),
                ("peak_bytes_total", peakBytesTotal.map { .int($0) } ?? .null),
                ("forward", .int(forward)), ("reverse", .int(reverse)), ("markowitz", .int(markowitz)),
                ("anneal_start", annealStart.map { .int($0) } ?? .null),
                ("anneal_start_method", annealStartMethod.map { .string($0) } ?? .null),
                ("anneal_cost", annealCost.map { .int($0) } ?? .null),
                ("anneal_evaluations", annealEvaluations.map { .int($0) } ?? .null),
                ("anneal_s", annealSeconds.map { .double(rounded($0)) } ?? .null),
                ("anneal_improvement", annealImprovement.map { .double(rounded($0, per: 1e6)) } ?? .null),
                ("policy_episode_s", policyEpisodeSeconds.map { .double(rounded($0)) } ?? .null),
                ("policy_episode_cpu_s", policyEpisodeCPUSeconds.map { .double(rounded($0)) } ?? .null),
                ("policy_episode_cost", policyEpisodeCost.map { .int($0) } ?? .null),
                ("policy_tokens", policyTokens.map { .int($0) } ?? .null),
                ("load_average", loadAverage.map { .double(rounded($0, per: 100)) } ?? .null),
            ])
        }
    }

    /// One size: generate, write, then measure (see the type's comment).
    public static func measure(equations: Int, settings: Settings) throws -> SizeResult {
        let generated = settings.preset.generate(
            equations: equations, seed: settings.seed, inputs: settings.inputs, outputs: settings.outputs)
        let text = GraphFile.write(generated)
        let loadAverage = Benchmarks.loadAverage()
        PeakMemory.reset()
        let start = monotonicSeconds()
        let graph = try GraphFile.read(text, path: "\(settings.preset.rawValue)-\(equations).graph")
        let spec = GameSpec(graph: graph)
        let imported = monotonicSeconds()
        let baselines = BaselineSummary(spec: spec)
        let scored = monotonicSeconds()
        let peak = PeakMemory.bytes()
        var result = SizeResult(
            equations: equations, vertices: graph.vertexCount, edges: graph.edges.count, layout: spec.layout,
            generateCommand: settings.generateCommand(equations: equations), importSeconds: imported - start,
            baselinesSeconds: scored - imported, peakBytes: peak, forward: baselines.forward,
            reverse: baselines.reverse, markowitz: baselines.markowitz)
        result.loadAverage = loadAverage
        if settings.annealSeconds > 0 {
            var portfolio = SearchPortfolio(clock: monotonicSeconds)
            portfolio.method = .anneal
            portfolio.seconds = settings.annealSeconds
            portfolio.seed = settings.seed
            let annealStart = monotonicSeconds()
            let outcome = try portfolio.run(on: spec)
            result.annealSeconds = monotonicSeconds() - annealStart
            result.annealStart = outcome.annealStart?.cost
            result.annealStartMethod = outcome.annealStart?.method
            let anneal = outcome.runs.first { $0.result.method == "anneal" }!.result
            result.annealCost = anneal.cost
            result.annealEvaluations = anneal.evaluations
        }
        if equations <= settings.policyMaxEquations {
            let tokens = TokenFeatures.maxTokens(spec)
            let network = try PolicyNetwork(config: .paper, maxBatch: 1, maxTokens: tokens, seed: 1)
            let episodeStart = monotonicSeconds(), cpuStart = processCPUSeconds()
            let episode = try PolicyDecoder(network: network, spec: spec).greedy()
            result.policyEpisodeSeconds = monotonicSeconds() - episodeStart
            result.policyEpisodeCPUSeconds = processCPUSeconds() - cpuStart
            result.policyEpisodeCost = episode.cost
            result.policyTokens = tokens
        }
        result.peakBytesTotal = PeakMemory.bytes()
        return result
    }

    /// The whole benchmark's JSON object.
    public static func json(_ results: [SizeResult], settings: Settings) -> JSON {
        .object([
            ("benchmark", .string("scale")), ("build", .string(buildConfiguration)),
            ("preset", .string(settings.preset.rawValue)), ("anneal_seconds", .double(settings.annealSeconds)),
            ("policy_max_equations", .int(settings.policyMaxEquations)),
            (
                "note",
                .string(
                    "peak_bytes: peak resident memory of the whole process during import and baselines (reset before each size where the kernel allows), peak_bytes_total: the same over the whole size (with annealing and the policy episode); policy_episode_s: one greedy episode of an untrained paper-size policy (seed 1), null above policy_max_equations; policy_tokens: the most tokens a step shows it (the candidate set above TokenFeatures.candidateViewAbove vertices)"
                )
            ),
            ("sizes", .array(results.map(\.json))),
        ])
    }
}

/// The process's peak resident memory: Linux reports it as VmHWM in /proc/self/status and resets
/// it when "5" is written to /proc/self/clear_refs; elsewhere getrusage's ru_maxrss (never reset).
enum PeakMemory {
    static func reset() {
        if let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") {
            handle.write(Data("5".utf8))
            try? handle.close()
        }
    }

    static func bytes() -> Int? {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
            for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                if fields.count >= 2, let kib = Int(fields[1]) { return kib * 1024 }
            }
        }
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return nil }
        return Int(usage.ru_maxrss) * 1024
    }
}
