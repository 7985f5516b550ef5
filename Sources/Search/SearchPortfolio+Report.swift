import Console
import Elimination
import Foundation

extension SearchPortfolio.Outcome {
    /// `ccelim search --json`: task, results [{method, cost, order, seconds, evaluations}],
    /// best_cost, best_order, the skipped methods with their reasons when there are any, and
    /// `interrupted: true` when the run was interrupted (only then).
    public func json(task: String, eliminable: Int, seed: UInt64) -> JSON {
        var fields: [(String, JSON)] = [
            ("task", .string(task)), ("eliminable", .int(eliminable)),
            ("seed", .int(Int(truncatingIfNeeded: seed))),
            (
                "results",
                .array(
                    runs.map { run in
                        .object([
                            ("method", .string(run.result.method)), ("cost", .int(run.result.cost)),
                            ("order", .ints(run.result.order)),
                            ("seconds", .double((run.seconds * 1000).rounded() / 1000)),
                            ("evaluations", .int(run.result.evaluations)),
                        ])
                    })
            ),
            ("best_cost", .int(best.cost)), ("best_order", .ints(best.order)),
        ]
        if !skipped.isEmpty {
            fields.append(
                (
                    "skipped",
                    .array(
                        skipped.map {
                            .object([("method", .string($0.method)), ("reason", .string($0.reason))])
                        })
                ))
        }
        if interrupted { fields.append(("interrupted", .bool(true))) }
        return JSON.object(fields)
    }

    /// `ccelim search` for people: a table of the methods, the skipped ones, the best order.
    public func lines(task: String, eliminable: Int, seed: UInt64) -> [String] {
        var out = ["\(task): \(eliminable) eliminable vertices, seed \(seed)"]
        let rows = runs.map {
            [$0.result.method, "\($0.result.cost)", String(format: "%.3f", $0.seconds), "\($0.result.evaluations)"]
        }
        out.append(TextTable.render([["method", "cost", "seconds", "evaluations"]] + rows))
        for s in skipped { out.append("\(s.method): skipped: \(s.reason)") }
        if interrupted { out.append("interrupted: each method stopped early with its best order so far") }
        out.append("best: \(best.cost) (\(best.method))")
        out.append("order: \(best.order.map(String.init).joined(separator: ","))")
        return out
    }
}
