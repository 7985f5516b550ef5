import ArgumentParser
import Benchmarks
import Bounds
import Console
import Elimination
import Foundation

/// `ccelim bench bound`: how often `ccelim bound` proves the optimum of generated scalar programs
/// within a budget (issue 16's "exact optimum for scalar graphs with ≥ 60 eliminable vertices").
/// Flag handling around Benchmarks.BoundBenchmark, which says what is measured.
struct BoundBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bound",
        abstract: "Lower bound, best cost and time of `ccelim bound` on generated scalar programs (JSON).",
        discussion: """
            For the scalar preset every combination of --equations, --inputs and seeds 1…--seeds is a \
            program of `ccelim generate --preset scalar --outputs 1` (the JSON names the command) whose \
            unread values are all made outputs (the generator's extra outputs are read later and get \
            identity copies, which are not the scalar model); for the structured presets of --presets \
            (blocks, rk4, stencil1d, stencil2d, reduction) every combination of --equations and seeds \
            is the generator's program as it is (they fix their inputs). Each gets `ccelim bound` with \
            --seconds on --clock. Never fails for slowness.
            """
    )

    @Option(help: "Comma-separated generator presets: scalar, blocks, rk4, stencil1d, stencil2d, reduction.")
    var presets = "scalar"
    @Option(help: "Comma-separated equation counts (eliminable = equations − outputs).") var equations = "65,80"
    @Option(help: "Comma-separated input counts.") var inputs = "6,10"
    @Option(help: "Seeds 1…N per shape.") var seeds: UInt64 = 3
    @Option(help: "Budget of each `ccelim bound` run in seconds.") var seconds = 60.0
    @OptionGroup var search: BoundSearchOptions
    @Option(
        help:
            "Clock of --seconds: cpu (this thread's CPU time: the target's \"one core\", fair on a loaded machine) or wall."
    ) var clock = "cpu"
    @Flag(help: "Print one JSON object (one line per case on stderr); otherwise one line per case.") var json = false

    /// The presets named in `text` (nil: an unknown name, none, or the tensor preset).
    static func presetList(_ text: String) -> [GraphPreset]? {
        let parts = text.split(separator: ",").map { GraphPreset(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0 != .mixed }) else { return nil }
        return parts.map { $0! }
    }

    static func list(_ text: String) -> [Int]? {
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0! >= 1 }) else { return nil }
        return parts.map { $0! }
    }

    func validate() throws {
        let most = VertexSet.capacity - 1
        guard let e = Self.list(equations), e.allSatisfy({ $0 >= 2 && $0 <= most }) else {
            throw ValidationError(
                "--equations must be counts 2…\(most) separated by commas (the search holds \(VertexSet.capacity) vertices)"
            )
        }
        guard let i = Self.list(inputs), i.allSatisfy({ $0 <= 1000 }) else {
            throw ValidationError("--inputs must be counts 1…1000 separated by commas")
        }
        _ = i
        guard let p = Self.presetList(presets) else {
            throw ValidationError(
                "--presets must be generator presets separated by commas: \(GraphPreset.allCases.filter { $0 != .mixed }.map(\.rawValue).joined(separator: ", ")) (mixed is tensors: no bound)"
            )
        }
        for preset in p {
            guard let small = e.first(where: { $0 < preset.minimumEquations }) else { continue }
            throw ValidationError(
                "--equations \(small) is too few for --presets \(preset.rawValue), which needs at least \(preset.minimumEquations)"
            )
        }
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1") }
        guard clock == "cpu" || clock == "wall" else { throw ValidationError("--clock must be cpu or wall") }
        guard seconds > 0, seconds.isFinite else { throw ValidationError("--seconds must be a positive number") }
        var probe = BoundRun(clock: monotonicSeconds)
        do { try search.configure(&probe) } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        // The bound runs on this one thread: its CPU clock is the target's "one core".
        var run =
            clock == "cpu"
            ? BoundRun(clock: search.cpuClock) : BoundRun(clock: monotonicSeconds)
        run.seconds = seconds
        run.clockIsCPU = clock == "cpu"
        try search.configure(&run)
        let bench = BoundBenchmark(run: run)
        let load = loadAverage()  // at the start, as the other benchmarks print it
        var cases: [BoundBenchmark.Case] = []
        for preset in Self.presetList(presets)! {
            for e in Self.list(equations)! {
                // The structured presets fix their inputs: one case per seed.
                for i in preset == .scalar ? Self.list(inputs)! : [0] {
                    for s in 1...seeds {
                        cases.append(BoundBenchmark.Case(preset: preset, equations: e, inputs: i, seed: s))
                    }
                }
            }
        }
        var results: [BoundBenchmark.Result] = []
        for c in cases {
            let r: BoundBenchmark.Result
            do { r = try bench.measure(c) } catch { throw CLIError("bench bound: \(c.command): \(error)") }
            results.append(r)
            let line: String
            if let report = r.report {
                let gap = report.gap.map { String(format: "%.2f%%", $0 * 100) } ?? "unknown"
                line =
                    "\(c.command): \(r.eliminable) eliminable, \(r.outputs) outputs, lower \(report.lowerBound) (start \(report.rootBound ?? 0)), best \(report.bestCost), gap \(gap), \(report.status.rawValue) in \(String(format: "%.1f", report.seconds)) s, \(report.expanded) expanded"
            } else {
                line = "\(c.command): skipped, \(r.skipped ?? "")"
            }
            if json { StandardError.write(line + "\n") } else { print(line) }
        }
        if json { print(bench.json(results, load: load, clock: clock).text) }
    }
}
