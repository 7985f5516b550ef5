import ArgumentParser
import Console
import Elimination
import TaskFiles

/// `ccelim tasks [--json]`: every Dataset with its sizes and baseline costs.
struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "List the Datasets: inputs, vertices, eliminable, outputs, forward, reverse, Markowitz."
    )

    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON array of objects instead of a table.") var json = false

    func run() throws {
        let directory = try Datasets.directory(graphOptions.datasets)
        var rows: [JSON] = []
        var table: [[String]] = [
            ["task", "inputs", "vertices", "eliminable", "outputs", "edges", "forward", "reverse", "markowitz"]
        ]
        for name in try Datasets.taskNames(in: directory) {
            let graph = try GraphSource.loadGraphFile("\(directory)/\(name).graph")
            let spec = GameSpec(graph: graph)
            let b = BaselineSummary(spec: spec)
            rows.append(
                .object([
                    ("task", .string(name)), ("inputs", .int(graph.inputCount)), ("vertices", .int(graph.vertexCount)),
                    ("eliminable", .int(spec.eliminable.count)), ("outputs", .int(graph.outputs.count)),
                    ("edges", .int(graph.edges.count)),
                    ("forward", .int(b.forward)), ("reverse", .int(b.reverse)), ("markowitz", .int(b.markowitz)),
                ]))
            table.append([
                name, "\(graph.inputCount)", "\(graph.vertexCount)", "\(spec.eliminable.count)",
                "\(graph.outputs.count)",
                "\(graph.edges.count)", "\(b.forward)", "\(b.reverse)", "\(b.markowitz)",
            ])
        }
        if json {
            print(JSON.array(rows).text)
        } else {
            print(TextTable.render(table))
        }
    }
}
