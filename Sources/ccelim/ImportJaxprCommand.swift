import ArgumentParser
import Elimination
import Foundation
import TaskFiles

/// `ccelim import-jaxpr IN -o OUT`: jaxpr text → ccelim graph file.
struct ImportJaxprCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-jaxpr",
        abstract: "Convert jaxpr text (print(jax.make_jaxpr(f)(*xs))) into a ccelim graph file."
    )

    @Argument(help: "The jaxpr text file.") var input: String
    @Option(name: .shortAndLong, help: "The graph file to write (.graph).") var output: String
    @Option(help: "The graph's name (default: the input file's base name).") var name: String?
    @Option(help: "A provenance note stored in the file (repeatable).") var note: [String] = []

    func run() throws {
        let text = try GraphSource.readText(input)
        let graphName =
            name ?? GraphFile.name(from: URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent)
        guard GraphFile.isValidName(graphName) else {
            throw CLIError(
                "--name '\(graphName)' must be 1…\(GraphFile.maxNameBytes) bytes without white space or control characters: it is one field of the graph file"
            )
        }
        let graph: ComputationalGraph
        do {
            graph = try ComputationalGraph.fromJaxpr(text, name: graphName)
        } catch {
            throw CLIError(error.inFile(input).description)
        }
        let contents = GraphFile.write(graph, notes: note)
        // Write next to the target and rename, so a failed write never leaves half a file.
        let tmp = output + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(contents.utf8)) else {
            throw CLIError("cannot write '\(output)'")
        }
        if FileManager.default.fileExists(atPath: output) { try FileManager.default.removeItem(atPath: output) }
        try FileManager.default.moveItem(atPath: tmp, toPath: output)
        print(
            "\(output): \(graph.name), \(graph.inputCount) inputs, \(graph.vertexCount) vertices (\(graph.eliminable.count) eliminable), \(graph.outputs.count) outputs, \(graph.edges.count) edges"
        )
    }
}
