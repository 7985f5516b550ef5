import Elimination
import Foundation

/// Resolves `--order` for commands that evaluate Jacobians: `fwd`, `rev`, `markowitz`, a
/// comma-separated list, a file holding an order (`OrderFile`, e.g. `optimize --json`'s output),
/// or `best`: the order stored for the task in Datasets/best-orders.json
/// (re-scored by the game), else minimal Markowitz. Shipped code reads Datasets only.
public enum OrderChoice {
    public struct Choice: Sendable {
        public var order: [Int]
        public var name: String
        public var source: String
    }

    public static func resolve(
        _ text: String, graph: ComputationalGraph, spec: GameSpec, datasets: String?
    ) throws -> Choice {
        switch text {
        case "best": return try best(graph: graph, spec: spec, datasets: datasets)
        case "fwd", "forward": return Choice(order: Baselines.forwardOrder(spec), name: "fwd", source: "forward mode")
        case "rev", "reverse": return Choice(order: Baselines.reverseOrder(spec), name: "rev", source: "reverse mode")
        case "markowitz", "mm":
            return Choice(order: Baselines.markowitzOrder(spec), name: "markowitz", source: "minimal Markowitz")
        default:
            let order = try OrderArgument.parse(text, spec: spec)
            return OrderArgument.isFile(text)
                ? Choice(order: order, name: "file", source: text)
                : Choice(order: order, name: "list", source: "--order")
        }
    }

    /// The stored order when it is a valid order of this graph (a file of the same name may be
    /// another variant of the task), else minimal Markowitz. A damaged best-orders file is an error.
    public static func best(graph: ComputationalGraph, spec: GameSpec, datasets: String?) throws -> Choice {
        if let directory = try? Datasets.directory(datasets) {
            let path = "\(directory)/\(BestOrdersFile.name)"
            if let entry = try BestOrdersFile.entries(path)[graph.name],
                (try? Baselines.score(entry.order, on: spec)) != nil
            {
                return Choice(order: entry.order, name: "best", source: path)
            }
        }
        return Choice(
            order: Baselines.markowitzOrder(spec), name: "best",
            source: "minimal Markowitz (no stored order for \(graph.name))")
    }
}
