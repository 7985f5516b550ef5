import Console
import Elimination
import Foundation

/// Resolves `--order` for commands that evaluate Jacobians: `fwd`, `rev`, `markowitz`, a
/// comma-separated list, or `best`: the cheapest order (paper cost model) among those in
/// Datasets/best-orders.json if that file exists and has the task, else among the applicable
/// published AlphaGrad orders in Tests/Fixtures/reference/tasks.json (next to Datasets/), else
/// minimal Markowitz.
///
/// Datasets/best-orders.json maps a task name to an order, an object with "order", or a list of
/// either, at the top level or under "tasks" or "orders".
enum OrderChoice {
    struct Choice {
        var order: [Int]
        var name: String
        var source: String
    }

    static func resolve(_ text: String, graph: ComputationalGraph, spec: GameSpec, datasets: String?) throws -> Choice {
        switch text {
        case "best": return try best(graph: graph, spec: spec, datasets: datasets)
        case "fwd", "forward": return Choice(order: Baselines.forwardOrder(spec), name: "fwd", source: "forward mode")
        case "rev", "reverse": return Choice(order: Baselines.reverseOrder(spec), name: "rev", source: "reverse mode")
        case "markowitz", "mm": return Choice(order: Baselines.markowitzOrder(spec), name: "markowitz", source: "minimal Markowitz")
        default: return Choice(order: try OrderArgument.parse(text, spec: spec), name: "list", source: "--order")
        }
    }

    static func best(graph: ComputationalGraph, spec: GameSpec, datasets: String?) throws -> Choice {
        let directory = try? Datasets.directory(datasets)
        var candidates: [(order: [Int], source: String)] = []
        if let directory {
            let path = "\(directory)/best-orders.json"
            if FileManager.default.fileExists(atPath: path), let any = try? JacobianInputs.parseJSON(path) {
                candidates = orders(in: any, task: graph.name).map { ($0, path) }
            }
            if candidates.isEmpty {
                let path = URL(fileURLWithPath: directory).deletingLastPathComponent()
                    .appendingPathComponent("Tests/Fixtures/reference/tasks.json").path
                if FileManager.default.fileExists(atPath: path), let root = try? JacobianInputs.parseJSON(path) as? [String: Any],
                   let task = (root["tasks"] as? [String: Any])?[graph.name] as? [String: Any],
                   let published = task["published_orders"] as? [[String: Any]] {
                    for p in published where p["applicable"] as? Bool == true {
                        if let order = p["order"] as? [Int] { candidates.append((order, "\(path) (\(p["name"] as? String ?? "?"))")) }
                    }
                }
            }
        }
        var best: (cost: Int, order: [Int], source: String)? = nil
        for c in candidates {
            guard let cost = try? Baselines.score(c.order, on: spec).cost else { continue }  // orders for other graph variants
            if best == nil || cost < best!.cost { best = (cost, c.order, c.source) }
        }
        if let best { return Choice(order: best.order, name: "best", source: best.source) }
        return Choice(order: Baselines.markowitzOrder(spec), name: "best", source: "minimal Markowitz (no published order for \(graph.name))")
    }

    static func orders(in any: Any, task: String) -> [[Int]] {
        guard let root = any as? [String: Any] else { return [] }
        let table = (root["tasks"] as? [String: Any]) ?? (root["orders"] as? [String: Any]) ?? root
        guard let entry = table[task] else { return [] }
        func one(_ x: Any) -> [Int]? {
            if let o = x as? [Int] { return o }
            if let d = x as? [String: Any], let o = d["order"] as? [Int] { return o }
            return nil
        }
        if let o = one(entry) { return [o] }
        return (entry as? [Any])?.compactMap(one) ?? []
    }
}
