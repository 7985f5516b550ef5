import Console
import Elimination
import Foundation
import Search

/// What `ccelim optimize` found: the best order (verified on the game) and what it is worth
/// against the modes, with every candidate for the curious.
public struct OptimizeOutcome: Sendable {
    public var program: String
    public var eliminable: Int
    public var best: SearchResult
    public var baselines: BaselineSummary
    /// Wall-clock seconds of the whole optimisation (policy included, loading excluded).
    public var seconds: Double
    /// The checkpoint used, nil when no policy ran.
    public var policy: String?
    /// The policy's best order and its decoding time (zero-shot), when a policy ran.
    public var policyBest: SearchResult?
    public var policySeconds: Double?
    /// Every order considered, in the order they were found.
    public var candidates: [SearchResult]

    /// The best of forward, reverse and minimal Markowitz.
    public var bestBaseline: Int { baselines.best }
    /// The cheapest baseline when it beats `best`: only with `--seconds 0` and a policy (the policy
    /// alone; with a budget, or without a policy, the baselines are candidates).
    public var cheaperBaseline: CheaperBaseline?
    /// Whether an interrupt (ProgramOptimizer.interrupted) ended the search before its budget: the
    /// best order is the best found by then.
    public var interrupted = false

    /// `--json`: program, cost, order, forward, reverse, markowitz, method, seconds, policy,
    /// `cheaper_baseline` ({name, cost, order}) when a baseline beats the order found, and
    /// `interrupted: true` when an interrupt ended the search early.
    public var json: JSON {
        var fields: [(String, JSON)] = [
            ("program", .string(program)), ("cost", .int(best.cost)), ("order", .ints(best.order)),
            ("forward", .int(baselines.forward)), ("reverse", .int(baselines.reverse)),
            ("markowitz", .int(baselines.markowitz)), ("method", .string(best.method)),
            ("seconds", .double((seconds * 1000).rounded() / 1000)),
            ("policy", policy.map { .string($0) } ?? .null),
        ]
        if let cheaper = cheaperBaseline {
            fields.append(
                (
                    "cheaper_baseline",
                    .object([
                        ("name", .string(cheaper.name)), ("cost", .int(cheaper.cost)), ("order", .ints(cheaper.order)),
                    ])
                ))
        }
        if interrupted { fields.append(("interrupted", .bool(true))) }
        return .object(fields)
    }

    /// For people: the cost against each baseline, who found it, the order.
    public var lines: [String] {
        func versus(_ name: String, _ cost: Int) -> [String] {
            let change = cost > 0 ? 100 * Double(best.cost - cost) / Double(cost) : 0
            return [name, "\(cost)", String(format: "%+.1f %%", change)]
        }
        var out = ["\(program): \(eliminable) eliminable vertices"]
        out.append(
            TextTable.render(
                [
                    ["", "cost", "best vs it"], versus("forward", baselines.forward),
                    versus("reverse", baselines.reverse),
                    versus("markowitz", baselines.markowitz),
                ]))
        if let policyBest, let policySeconds {
            out.append(
                "policy alone: \(policyBest.cost) in \(String(format: "%.2f", policySeconds)) s (\(policy ?? ""))")
        } else {
            out.append("policy: none (classical search only)")
        }
        out.append("best: \(best.cost) (\(best.method)) in \(String(format: "%.1f", seconds)) s")
        if interrupted { out.append("interrupted: the best order found before the interrupt") }
        out.append("order: \(best.order.map(String.init).joined(separator: ","))")
        if let cheaper = cheaperBaseline {
            out.append(
                "\(cheaper.name) (cost \(cheaper.cost)) is cheaper than the policy's order; give --seconds for the search, or use it: \(cheaper.order.map(String.init).joined(separator: ","))"
            )
        }
        return out
    }
}
