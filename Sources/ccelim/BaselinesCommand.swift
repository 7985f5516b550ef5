import ArgumentParser
import Console
import Elimination
import TaskFiles

/// `ccelim baselines <task | graph file | jaxpr file> [--json]`: forward, reverse and minimal
/// Markowitz costs, and the Markowitz order.
struct BaselinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baselines",
        abstract: "Forward, reverse and minimal-Markowitz costs of one graph."
    )

    @Argument(help: "A task name from Datasets, a .graph file, or a .jaxpr file.") var graph: String
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(help: "Include the per-step costs of each order (JSON key `per_step_costs`).") var steps = false

    func run() throws {
        let g = try GraphSource.load(graph, datasets: graphOptions.datasets)
        let spec = GameSpec(graph: g)
        let b = BaselineSummary(spec: spec)
        if json {
            var fields: [(String, JSON)] = [
                ("task", .string(g.name)), ("inputs", .int(g.inputCount)), ("vertices", .int(g.vertexCount)),
                ("eliminable", .int(spec.eliminable.count)), ("outputs", .int(g.outputs.count)),
                ("forward", .int(b.forward)), ("reverse", .int(b.reverse)), ("markowitz", .int(b.markowitz)),
                ("markowitz_order", .ints(b.markowitzOrder)),
            ]
            if steps {
                fields.append(
                    (
                        "per_step_costs",
                        .object([
                            ("forward", .ints(b.forwardSteps)), ("reverse", .ints(b.reverseSteps)),
                            ("markowitz", .ints(b.markowitzSteps)),
                        ])
                    ))
            }
            print(JSON.object(fields).text)
        } else {
            print(
                "\(g.name): \(g.inputCount) inputs, \(g.vertexCount) vertices (\(spec.eliminable.count) eliminable), \(g.outputs.count) outputs"
            )
            print(
                TextTable.render([
                    ["order", "multiplications"], ["forward", "\(b.forward)"], ["reverse", "\(b.reverse)"],
                    ["markowitz", "\(b.markowitz)"],
                ]))
            print("markowitz order: \(b.markowitzOrder.map(String.init).joined(separator: ","))")
        }
    }
}
