import ArgumentParser
import Benchmarks
import Console
import Elimination
import Jacobian
import TaskFiles

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
        guard let precision = Precision(rawValue: precision) else {
            throw CLIError("--precision must be float32 or float64")
        }
        let batchSizes = try batches.split(separator: ",").map { s -> Int in
            guard let b = Int(s), b >= 1 else { throw CLIError("--batches: '\(s)' is not a positive integer") }
            return b
        }
        var rows: [JacobianBenchmark.Row] = []
        for task in tasks.split(separator: ",").map(String.init) {
            let g = try GraphSource.load(task, datasets: graphOptions.datasets)
            let spec = GameSpec(graph: g)
            let point = try JacobianInputs.load(nil, graph: g, datasets: graphOptions.datasets)
            for b in batchSizes {
                let samples = JacobianBenchmark.perturbedSamples(point.samples[0], count: b)
                let values = JacobianInputs.batched(.init(samples: samples, source: point.source), batch: b)
                let cases = try orders.split(separator: ",").map { name in
                    let choice = try OrderChoice.resolve(
                        String(name), graph: g, spec: spec, datasets: graphOptions.datasets)
                    return JacobianBenchmark.Case(name: choice.name, source: choice.source, order: choice.order)
                }
                rows += try JacobianBenchmark.measure(
                    task: task, graph: g, cases: cases, batch: b, values: values, precision: precision,
                    runs: runs, seconds: seconds)
            }
        }
        if json {
            print(JacobianBenchmark.json(rows, precision: precision, runs: runs, seconds: seconds).text)
        } else {
            print(TextTable.render([JacobianBenchmark.Row.tableHeader] + rows.map(\.tableRow)))
        }
    }
}
