import ArgumentParser
import Benchmarks
import Console
import Elimination
import Foundation
import Jacobian
import TaskFiles

/// `ccelim jacobian <task | graph file | jaxpr file> --order fwd|rev|markowitz|best|LIST`: evaluates
/// the program and its exact Jacobian by vertex elimination in the given order, and reports the
/// multiplications the interpreter performs next to the paper cost model's figure.
struct JacobianCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jacobian",
        abstract: "Evaluate outputs and the exact Jacobian by vertex elimination in a given order.",
        discussion: """
            --order best: the task's order in Datasets/best-orders.json (ccelim's cheapest known), else minimal Markowitz. \
            --inputs FILE: one nested array per input variable, in order, or {"samples": [[...], ...]}; without it \
            the task's safe point from Datasets/sample-inputs.json (values.json's second point), else values in [0.2, 0.8). \
            --constants FILE: the values of a program's closed-over constants, which a jaxpr does not print: one nested \
            array per constant, in the program's order (Docs/COST_MODEL.md §1); Python/ccelim_jax.py writes it.
            """
    )

    @Argument(help: "A task name from Datasets, a .graph file, or a .jaxpr file.") var graph: String
    @Option(
        help:
            "fwd, rev, markowitz, best, comma-separated vertex ids, or a file holding an order: the JSON `optimize`, `search`, `bound` or `cost` printed (`order`, `best_order` or the cheapest of `results[].order`), or ids separated by commas, spaces or newlines."
    ) var order = "best"
    @Option(help: "Samples per evaluation (a single input point is repeated).") var batch: Int?
    @Option(help: "JSON inputs file (see the discussion).") var inputs: String?
    @Option(help: "JSON file of the closed-over constants' values (see the discussion).") var constants: String?
    @Option(help: "float32 or float64.") var precision = "float64"
    @Flag(
        help:
            "Compare with central finite differences (Float64; rows of outputs not finite at the point skipped) and with reverse-mode accumulation."
    ) var check =
        false
    @Flag(help: "Time repeated evaluations of the batch (median of --runs).") var bench = false
    @Option(help: "Timed repetitions for --bench (1…\(Self.maxRuns)).") var runs = 7
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON object.") var json = false

    /// Each run lasts at least 50 ms: 1,000 runs is most of a minute.
    static let maxRuns = 1_000

    func validate() throws {
        guard (1...Self.maxRuns).contains(runs) else {
            throw ValidationError("--runs must be 1…\(Self.maxRuns), not \(runs)")
        }
        if let batch, batch < 1 { throw ValidationError("--batch must be at least 1, not \(batch)") }
    }

    func run() throws {
        guard let precision = Precision(rawValue: precision) else {
            throw CLIError("--precision must be float32 or float64, not '\(self.precision)'")
        }
        let evaluation = try JacobianEvaluation(
            graph: graph, order: order, batch: batch, inputs: inputs, constants: constants, precision: precision,
            datasets: graphOptions.datasets)
        var fields = evaluation.fields
        var notes: [String] = []
        if check {
            let report = try jacobianCall { () throws(JacobianError) in try evaluation.check() }
            fields.append(("check", report.json))
            notes += report.lines
        }
        if bench {
            let times = try jacobianCall { () throws(JacobianError) in try evaluation.time(runs: runs) }
            let m = median(times), b = evaluation.batch
            fields.append(
                (
                    "bench",
                    .object([
                        ("runs", .int(times.count)), ("median_seconds", .double(m)),
                        ("per_sample_seconds", .double(m / Double(b))),
                        ("run_seconds", .array(times.map { .double($0) })),
                    ])
                ))
            notes.append(
                String(
                    format: "bench: median %.3f ms per batch of %d (%.1f ns per sample), %d runs", m * 1e3, b,
                    m / Double(b) * 1e9, times.count))
        }
        if let warning = evaluation.nonFiniteWarning { StandardError.write(warning + "\n") }
        if json {
            print(JSON.object(fields).text)
        } else {
            for line in evaluation.lines + notes { print(line) }
        }
    }
}

/// Runs a Jacobian-module call, turning its typed error into a user-facing one.
func jacobianCall<T>(_ body: () throws(JacobianError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw CLIError(error.description)
    }
}
