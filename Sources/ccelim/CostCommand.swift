import ArgumentParser
import Console
import Elimination
import TaskFiles

/// `ccelim cost <task | file> --order 3,1,2,… [--json]`: the cost of one elimination order.
struct CostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract: "Score one elimination order: total multiplications and per-step costs."
    )

    @Argument(help: "A task name from Datasets, a .graph file, or a .jaxpr file.") var graph: String
    @Option(
        help:
            "Comma-separated vertex ids, a permutation of the eliminable vertices (or fwd, rev, markowitz, or a file holding an order, e.g. the JSON `optimize --json` printed)."
    )
    var order: String
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON object: task, cost, steps, order.") var json = false

    func run() throws {
        let g = try GraphSource.load(graph, datasets: graphOptions.datasets)
        let spec = GameSpec(graph: g)
        let ids = try OrderArgument.parse(order, spec: spec)
        let scored: (cost: Int, steps: [Int])
        do {
            scored = try Baselines.score(ids, on: spec)
        } catch {
            throw CLIError("invalid order for \(g.name): \(error)")
        }
        if json {
            print(
                JSON.object([
                    ("task", .string(g.name)), ("cost", .int(scored.cost)), ("steps", .ints(scored.steps)),
                    ("order", .ints(ids)),
                ]).text)
        } else {
            print("\(g.name): \(scored.cost) multiplications")
            print("steps: \(scored.steps.map(String.init).joined(separator: ","))")
        }
    }
}
