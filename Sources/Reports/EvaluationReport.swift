import Console
import Elimination
import Foundation
import PPO

/// What `ccelim eval` reports about a policy's decoding on one task: each method's best cost and
/// time, the best of them next to the baselines, as one JSON object or lines for people.
public struct EvaluationReport {
    public var task: String
    public var results: [PolicyEvaluation.Result]
    public var baselines: BaselineSummary
    /// Updates the checkpoint had trained.
    public var checkpointUpdates: Int

    public init(task: String, results: [PolicyEvaluation.Result], baselines: BaselineSummary, checkpointUpdates: Int) {
        self.task = task
        self.results = results
        self.baselines = baselines
        self.checkpointUpdates = checkpointUpdates
    }

    /// The cheapest result (the first of equal ones); `results` is never empty.
    public var best: PolicyEvaluation.Result { results.min { $0.best.cost < $1.best.cost }! }

    public var json: JSON {
        let best = self.best
        return JSON.object([
            ("task", .string(task)), ("best_cost", .int(best.best.cost)),
            ("best_order", .ints(best.best.order)),
            ("method", .string(best.method)),
            ("seconds", .double((results.reduce(0) { $0 + $1.seconds } * 1000).rounded() / 1000)),
            ("checkpoint_updates", .int(checkpointUpdates)),
            (
                "baselines",
                .object([
                    ("forward", .int(baselines.forward)), ("reverse", .int(baselines.reverse)),
                    ("markowitz", .int(baselines.markowitz)),
                ])
            ),
            (
                "results",
                .array(
                    results.map {
                        .object([
                            ("method", .string($0.method)), ("cost", .int($0.best.cost)),
                            ("seconds", .double(($0.seconds * 1000).rounded() / 1000)),
                        ])
                    })
            ),
        ])
    }

    public var lines: [String] {
        let best = self.best
        return results.map { "\($0.method): \($0.best.cost) (\(String(format: "%.2f", $0.seconds)) s)" } + [
            "best: \(best.best.cost) by \(best.method) (forward \(baselines.forward), reverse \(baselines.reverse), markowitz \(baselines.markowitz))",
            "order: \(best.best.order.map(String.init).joined(separator: ","))",
        ]
    }
}
