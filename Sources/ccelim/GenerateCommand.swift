import ArgumentParser
import Elimination
import Foundation

/// `ccelim generate -o FILE`: a random scalar program as a graph file, to test policies and
/// search on graphs nobody has trained on.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a random scalar program (like the scalar benchmarks) as a ccelim graph file."
    )

    @Option(help: "Input variables.") var inputs = 6
    @Option(help: "Equations (vertices).") var equations = 100
    @Option(help: "Outputs.") var outputs = 3
    @Option(help: "Seed.") var seed: UInt64 = 1
    @Option(name: .shortAndLong, help: "The graph file to write.") var output: String

    func validate() throws {
        guard inputs >= 1, inputs <= 1000 else { throw ValidationError("--inputs must be 1…1000") }
        guard equations >= 2, equations <= 5000 else { throw ValidationError("--equations must be 2…5000") }
        guard outputs >= 1, outputs < equations, outputs <= equations / 3 + 1 else {
            throw ValidationError("--outputs must be at least 1 and at most a third of the equations")
        }
    }

    func run() throws {
        let graph = RandomGraphs.scalar(seed: seed, inputs: inputs, equations: equations, outputs: outputs)
        let text = GraphFile.write(graph, notes: ["random scalar program: ccelim generate --inputs \(inputs) --equations \(equations) --outputs \(outputs) --seed \(seed)"])
        guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8)) else { throw CLIError("cannot write '\(output)'") }
        let spec = GameSpec(graph: graph)
        let b = BaselineSummary(spec: spec)
        print("\(output): \(graph.name), \(graph.vertexCount) vertices (\(spec.eliminable.count) eliminable), \(graph.edges.count) edges; forward \(b.forward), reverse \(b.reverse), markowitz \(b.markowitz)")
    }
}
