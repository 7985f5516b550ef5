import ArgumentParser
import Codegen
import Elimination
import Foundation
import TaskFiles

/// `ccelim export PROGRAM --order ORDER --format graphax [--json]`: the order in graphax's
/// `jacve(f, order=[...])` numbering, with the JAX version the jaxpr came from and the (index,
/// primitive) of every vertex, so a JAX user can apply it and check it (Docs/CODEGEN.md).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export an elimination order for use outside ccelim (graphax's jacve numbering).",
        discussion: """
            The JAX version is read from a README.md beside the program's file or one folder up (Datasets/README.md \
            for the ten tasks, Datasets/corpus/README.md for the corpus); otherwise it is reported as unknown.
            """
    )

    @Argument(help: "A task name from Datasets, a .graph file, or a .jaxpr file.") var program: String
    @Option(
        help:
            "fwd, rev, markowitz, best, comma-separated vertex ids, or a file holding an order (the JSON of `optimize --json` and other commands; as in `ccelim jacobian`)."
    ) var order =
        "best"
    @Option(help: "graphax (the only format).") var format = "graphax"
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard format == "graphax" else { throw ValidationError("--format must be graphax, not '\(format)'") }
    }

    func run() throws {
        let graph = try GraphSource.load(program, datasets: graphOptions.datasets)
        let choice = try OrderChoice.resolve(
            order, graph: graph, spec: GameSpec(graph: graph), datasets: graphOptions.datasets)
        let (version, source) = jaxVersion()
        let export = try codegenCall { () throws(CodegenError) in
            try GraphaxExport(graph: graph, order: choice.order, jaxVersion: version, jaxVersionSource: source)
        }
        if json {
            print(export.json.text)
        } else {
            for line in export.lines { print(line) }
        }
    }

    /// The version a README beside the program (or one folder up) states, and where it was read.
    private func jaxVersion() -> (String?, String) {
        let directory: String
        if program.hasSuffix(".jaxpr") || program.hasSuffix(".graph") || program.contains("/")
            || FileManager.default.fileExists(atPath: program)
        {
            directory = URL(fileURLWithPath: program).deletingLastPathComponent().path
        } else if let datasets = try? Datasets.directory(graphOptions.datasets) {
            directory = datasets
        } else {
            return (nil, "no README.md found beside the program")
        }
        let here = URL(fileURLWithPath: directory)
        var looked: [String] = []
        for candidate in [here, here.deletingLastPathComponent()] {
            let readme = candidate.appendingPathComponent("README.md").path
            looked.append(readme)
            guard let text = try? GraphSource.readText(readme) else { continue }
            if let version = GraphaxExport.jaxVersion(inReadme: text) { return (version, readme) }
        }
        return (nil, "no README.md stating \"JAX x.y.z\" at \(looked.joined(separator: " or "))")
    }
}
