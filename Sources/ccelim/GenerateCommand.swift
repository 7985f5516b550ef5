import ArgumentParser
import Elimination
import Foundation

/// `ccelim generate [--preset NAME] [--equations N] [--seed S] -o FILE`: a generated program as a
/// graph file, to test policies and search on graphs nobody has trained on.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract:
            "Write a generated program (random scalar, or structured: blocks, RK4 steps, stencils, reductions, tensor layers) as a ccelim graph file.",
        discussion: """
            Presets (deterministic in --seed; exactly --equations equations):
            \(GraphPreset.allCases.map { "  \($0.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \($0.summary) (min \($0.minimumEquations))" }.joined(separator: "\n"))

            --inputs and --outputs shape the scalar preset only; the structured presets fix them by their structure. The scalar preset's programs are finite, with finite Jacobians, on inputs in [0.2, 0.8) (where `ccelim jacobian` evaluates by default): it draws log, sqrt, div and exp only where interval arithmetic keeps them in their domain, and a safe primitive of the same arity elsewhere (the same graphs as before that rule, session 42; only primitive names changed). The structured presets compute what they say (rk4's step dt is an input: at the default point, 0.2-0.8, programs of 1000 equations and more integrate past where the random ODE blows up; pass a small dt with --inputs). Generation is linear in --equations (up to \(GenerateCommand.maximumEquations)); baselines are printed up to \(GenerateCommand.baselineLimit) vertices (above that, run `ccelim baselines FILE`: about 11 s at 100,000 equations).
            """
    )

    static let maximumEquations = 1_000_000
    static let baselineLimit = 20000

    @Option(help: "Preset: \(GraphPreset.allCases.map(\.rawValue).joined(separator: " | ")).") var preset = "scalar"
    @Option(help: "Equations (vertices).") var equations = 100
    @Option(help: "Input variables (scalar preset only; default 6).") var inputs: Int?
    @Option(help: "Outputs (scalar preset only; default 3).") var outputs: Int?
    @Option(help: "Seed.") var seed: UInt64 = 1
    @Option(name: .shortAndLong, help: "The graph file to write.") var output: String

    func validate() throws {
        guard let p = GraphPreset(rawValue: preset) else {
            throw ValidationError(
                "--preset '\(preset)' is not one of \(GraphPreset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard equations >= p.minimumEquations, equations <= Self.maximumEquations else {
            throw ValidationError(
                "--equations must be \(p.minimumEquations)…\(Self.maximumEquations) for --preset \(preset)")
        }
        if p != .scalar {
            guard inputs == nil, outputs == nil else {
                throw ValidationError(
                    "--inputs and --outputs apply to --preset scalar only; --preset \(preset) fixes them by its structure"
                )
            }
            return
        }
        let i = inputs ?? 6, o = outputs ?? 3
        guard i >= 1, i <= 1000 else { throw ValidationError("--inputs must be 1…1000") }
        guard o >= 1, o < equations, o <= equations / 3 + 1 else {
            throw ValidationError("--outputs must be at least 1 and at most a third of the equations")
        }
    }

    func run() throws {
        let p = GraphPreset(rawValue: preset)!  // checked by validate()
        let graph = p.generate(equations: equations, seed: seed, inputs: inputs ?? 6, outputs: outputs ?? 3)
        var command = "ccelim generate --preset \(preset) --equations \(equations) --seed \(seed)"
        if p == .scalar { command += " --inputs \(inputs ?? 6) --outputs \(outputs ?? 3)" }
        let text = GraphFile.write(graph, notes: ["\(p.summary): \(command)"])
        guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8)) else {
            throw CLIError("cannot write '\(output)': check that its folder exists and is writable")
        }
        let sizes =
            "\(graph.inputCount) inputs, \(graph.vertexCount) vertices (\(graph.eliminable.count) eliminable), \(graph.outputs.count) outputs, \(graph.edges.count) edges"
        guard graph.vertexCount <= Self.baselineLimit else {
            print(
                "\(output): \(graph.name), \(sizes); baselines not computed above \(Self.baselineLimit) vertices (run `ccelim baselines \(output)`)"
            )
            return
        }
        let b = BaselineSummary(spec: GameSpec(graph: graph))
        print(
            "\(output): \(graph.name), \(sizes); forward \(b.forward), reverse \(b.reverse), markowitz \(b.markowitz)")
    }
}
