import ArgumentParser
import Console
import Elimination
import Foundation
import Jacobian
import Randomness

/// `ccelim bench jacobian`: seconds per batched Jacobian (primal, partials, accumulation, dense
/// result) for several tasks, batch sizes and orders; medians of several runs, and each order's
/// ratio to forward mode measured in the same run.
struct JacobianBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jacobian",
        abstract: "Time batched Jacobians per task, batch size and order (medians, JSON)."
    )

    @Option(help: "Comma-separated tasks.") var tasks = "RoeFlux_1d,RobotArm_6DOF,HumanHeartDipole"
    @Option(help: "Comma-separated batch sizes.") var batches = "1,512,2048"
    @Option(help: "Comma-separated orders (fwd, rev, markowitz, best).") var orders = "fwd,rev,markowitz,best"
    @Option(help: "float32 (what JAX computes in) or float64.") var precision = "float32"
    @Option(help: "Timed repetitions per figure; the median is reported.") var runs = 7
    @Option(help: "Seconds per repetition.") var seconds = 0.1
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        guard let precision = Precision(rawValue: precision) else { throw CLIError("--precision must be float32 or float64") }
        let batchSizes = try batches.split(separator: ",").map { s -> Int in
            guard let b = Int(s), b >= 1 else { throw CLIError("--batches: '\(s)' is not a positive integer") }
            return b
        }
        var rows: [JSON] = []
        var table: [[String]] = [["task", "B", "order", "mults", "model", "ms/batch", "ns/sample", "vs fwd"]]
        for task in tasks.split(separator: ",").map(String.init) {
            let g = try GraphSource.load(task, datasets: graphOptions.datasets)
            let spec = GameSpec(graph: g)
            let point = try JacobianInputs.load(nil, graph: g, datasets: graphOptions.datasets)
            for b in batchSizes {
                // Distinct samples: the safe point scaled by 1 ± 5% per sample, deterministically.
                var rng = SplitMix64(seed: 7)
                let samples = (0..<b).map { _ in point.samples[0].map { $0.map { $0 * (0.95 + 0.1 * Double(rng.next() >> 11) / Double(1 << 53)) } } }
                let (values, _) = try JacobianInputs.batched(.init(samples: samples, source: point.source), batch: b)
                // Runs interleave the orders, so load drifting on a shared machine hits them alike.
                var cases: [(choice: OrderChoice.Choice, model: Int, compiled: CompiledJacobian, workspace: JacobianWorkspace)] = []
                for name in orders.split(separator: ",").map(String.init) {
                    let choice = try OrderChoice.resolve(name, graph: g, spec: spec, datasets: graphOptions.datasets)
                    let model = try Baselines.score(choice.order, on: spec).cost
                    let compiled = try jacobianCall { () throws(JacobianError) in try CompiledJacobian(graph: g, order: choice.order) }
                    let workspace = try jacobianCall { () throws(JacobianError) in try compiled.makeWorkspace(batch: b, precision: precision) }
                    cases.append((choice, model, compiled, workspace))
                }
                var times = [[Double]](repeating: [], count: cases.count)
                for _ in 0..<max(runs, 1) {
                    for (i, c) in cases.enumerated() { times[i].append(try Self.time(c.workspace, values, seconds: seconds)) }
                }
                let forwardMedian = cases.firstIndex { $0.choice.name == "fwd" }.map { median(times[$0]) }
                for (i, c) in cases.enumerated() {
                    let m = median(times[i])
                    let ratio = forwardMedian.map { m / $0 }
                    rows.append(.object([
                        ("task", .string(task)), ("batch", .int(b)), ("order", .string(c.choice.name)), ("order_source", .string(c.choice.source)),
                        ("multiplications", .int(c.compiled.multiplications)), ("model_multiplications", .int(c.model)),
                        ("median_ms", .double(m * 1e3)), ("per_sample_ns", .double(m / Double(b) * 1e9)),
                        ("ratio_to_fwd", ratio.map { .double($0) } ?? .null),
                        ("run_ms", .array(times[i].map { .double($0 * 1e3) })),
                    ]))
                    table.append([task, "\(b)", c.choice.name, "\(c.compiled.multiplications)", "\(c.model)", String(format: "%.4f", m * 1e3),
                                  String(format: "%.1f", m / Double(b) * 1e9), ratio.map { String(format: "%.2f", $0) } ?? "-"])
                }
            }
        }
        if json {
            print(JSON.object([
                ("benchmark", .string("jacobian")), ("build", .string(buildConfiguration)), ("precision", .string(precision.rawValue)),
                ("runs", .int(runs)), ("seconds_per_run", .double(seconds)), ("results", .array(rows)),
            ]).text)
        } else {
            print(TextTable.render(table))
        }
    }

    /// Seconds per (set inputs, evaluate) call, averaged over a repetition of `seconds`.
    static func time(_ workspace: JacobianWorkspace, _ values: [[Double]], seconds: Double) throws -> Double {
        var calls = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        repeat {
            try jacobianCall { () throws(JacobianError) in try workspace.setInputs(values) }
            workspace.run()
            calls += 1
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < seconds
        return elapsed / Double(calls)
    }
}
