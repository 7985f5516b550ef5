import ArgumentParser
import Benchmarks
import Console
import Elimination
import Foundation

/// `ccelim bench scale`: import, baselines, peak memory and annealing on generated programs of
/// growing size (issue 17). Flag handling around `ScaleBenchmark` (Benchmarks), which says what is
/// measured.
struct ScaleBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Large programs: import, baselines, peak memory, annealing and a policy episode per size (JSON).",
        discussion: """
            Each size is a program from `ccelim generate` (the JSON names the command that writes it). \
            Sizes run in the order given; give them ascending so the peak-memory figure of a size is its own \
            where the kernel cannot reset the peak (outside Linux).
            """
    )

    @Option(help: "Comma-separated equation counts.") var sizes = "1000,10000,100000"
    @Option(help: "Generator preset: \(GraphPreset.allCases.map(\.rawValue).joined(separator: " | ")).")
    var preset = "scalar"
    @Option(help: "Inputs of the scalar preset.") var inputs = 20
    @Option(help: "Outputs of the scalar preset.") var outputs = 10
    @Option(help: "Seed of the generated programs and of annealing.") var seed: UInt64 = 3
    @Option(help: "Seconds of annealing per size (0: skip).") var annealSeconds = 60.0
    @Option(help: "Largest size that gets a greedy policy episode (0: none).") var policyMaxEquations = 100_000
    @Flag(help: "Print one JSON object (progress on stderr); otherwise one line per size.") var json = false

    func validate() throws {
        guard let p = GraphPreset(rawValue: preset) else {
            throw ValidationError(
                "--preset '\(preset)' is not one of \(GraphPreset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let list = Self.sizes(sizes), !list.isEmpty else {
            throw ValidationError("--sizes must be equation counts separated by commas, e.g. 1000,10000")
        }
        let maximum = GenerateCommand.maximumEquations
        guard list.allSatisfy({ $0 >= p.minimumEquations && $0 <= maximum }) else {
            throw ValidationError("--sizes must each be \(p.minimumEquations)…\(maximum) for --preset \(preset)")
        }
        if p == .scalar {
            guard inputs >= 1, inputs <= 1000 else { throw ValidationError("--inputs must be 1…1000") }
            guard outputs >= 1, list.allSatisfy({ outputs <= $0 / 3 + 1 && outputs < $0 }) else {
                throw ValidationError("--outputs must be at least 1 and at most a third of every size")
            }
        }
        if !(annealSeconds >= 0) { throw ValidationError("--anneal-seconds must be ≥ 0") }
        if policyMaxEquations < 0 { throw ValidationError("--policy-max-equations must be ≥ 0") }
    }

    static func sizes(_ text: String) -> [Int]? {
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.map { $0! }
    }

    func run() throws {
        BLASSetup.prepare()  // the policy episode: one BLAS thread, the faster kernels where the CPU has them
        var settings = ScaleBenchmark.Settings()
        settings.preset = GraphPreset(rawValue: preset)!  // checked by validate()
        settings.inputs = inputs
        settings.outputs = outputs
        settings.seed = seed
        settings.annealSeconds = annealSeconds
        settings.policyMaxEquations = policyMaxEquations
        var results: [ScaleBenchmark.SizeResult] = []
        for n in Self.sizes(sizes)! {
            let r = try ScaleBenchmark.measure(equations: n, settings: settings)
            results.append(r)
            let peak = r.peakBytes.map { "\($0 >> 20) MiB" } ?? "unknown"
            var line =
                "\(n) equations (\(r.layout.rawValue)): import \(rounded(r.importSeconds)) s, baselines \(rounded(r.baselinesSeconds)) s, peak \(peak); forward \(r.forward), reverse \(r.reverse), markowitz \(r.markowitz)"
            if let cost = r.annealCost, let improvement = r.annealImprovement {
                line += "; anneal \(cost) (\(rounded(improvement * 100, per: 100))% below the best baseline)"
            }
            if let seconds = r.policyEpisodeSeconds { line += "; policy episode \(rounded(seconds)) s" }
            if json { StandardError.write(line + "\n") } else { print(line) }
        }
        if json { print(ScaleBenchmark.json(results, settings: settings).text) }
    }
}
