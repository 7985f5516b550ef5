import Console
import Elimination
import Foundation
import Jacobian
import Randomness

/// Batched Jacobians per task, batch size and elimination order: median time per batch and per
/// sample, and the ratio to forward mode measured in the same run (`ccelim bench jacobian`).
public enum JacobianBenchmark {
    /// One order to time: its name (fwd, rev, markowitz, best, list), where it came from, its ids.
    public struct Case {
        public var name: String
        public var source: String
        public var order: [Int]

        public init(name: String, source: String, order: [Int]) {
            self.name = name
            self.source = source
            self.order = order
        }
    }

    public struct Row {
        public var task: String
        public var batch: Int
        public var order: Case
        /// Multiplications of the compiled code, and of the paper's cost model.
        public var multiplications: Int
        public var modelMultiplications: Int
        /// Seconds per batch, one figure per run.
        public var times: [Double]
        /// This order's median over forward mode's (nil when fwd was not measured).
        public var ratioToForward: Double?

        public var medianSeconds: Double { median(times) }

        public var json: JSON {
            let m = medianSeconds
            return .object([
                ("task", .string(task)), ("batch", .int(batch)), ("order", .string(order.name)),
                ("order_source", .string(order.source)),
                ("multiplications", .int(multiplications)), ("model_multiplications", .int(modelMultiplications)),
                ("median_ms", .double(m * 1e3)), ("per_sample_ns", .double(m / Double(batch) * 1e9)),
                ("ratio_to_fwd", ratioToForward.map { .double($0) } ?? .null),
                ("run_ms", .array(times.map { .double($0 * 1e3) })),
            ])
        }

        public static let tableHeader = ["task", "B", "order", "mults", "model", "ms/batch", "ns/sample", "vs fwd"]

        public var tableRow: [String] {
            let m = medianSeconds
            return [
                task, "\(batch)", order.name, "\(multiplications)", "\(modelMultiplications)",
                String(format: "%.4f", m * 1e3),
                String(format: "%.1f", m / Double(batch) * 1e9),
                ratioToForward.map { String(format: "%.2f", $0) } ?? "-",
            ]
        }
    }

    /// `count` distinct samples: `point` scaled by 1 ± 5% per value, deterministically (seed 7).
    public static func perturbedSamples(_ point: [[Double]], count: Int) -> [[[Double]]] {
        var rng = SplitMix64(seed: 7)
        return (0..<count).map { _ in
            point.map { $0.map { $0 * (0.95 + 0.1 * Double(rng.next() >> 11) / Double(1 << 53)) } }
        }
    }

    /// Times every case on `values` (one batch of `batch` samples, per input): `runs` repetitions
    /// of `seconds` each. Runs interleave the orders, so load drifting on a shared machine hits
    /// them alike.
    public static func measure(
        task: String, graph: ComputationalGraph, cases: [Case], batch: Int, values: [[Double]],
        precision: Precision, runs: Int, seconds: Double
    ) throws -> [Row] {
        let spec = GameSpec(graph: graph)
        var rows: [Row] = []
        var workspaces: [JacobianWorkspace] = []
        for c in cases {
            let compiled = try CompiledJacobian(graph: graph, order: c.order)
            workspaces.append(try compiled.makeWorkspace(batch: batch, precision: precision))
            rows.append(
                Row(
                    task: task, batch: batch, order: c, multiplications: compiled.multiplications,
                    modelMultiplications: try Baselines.score(c.order, on: spec).cost, times: []))
        }
        for _ in 0..<max(runs, 1) {
            for i in rows.indices { rows[i].times.append(try time(workspaces[i], values, seconds: seconds)) }
        }
        if let forward = rows.first(where: { $0.order.name == "fwd" })?.medianSeconds {
            for i in rows.indices { rows[i].ratioToForward = rows[i].medianSeconds / forward }
        }
        return rows
    }

    /// The whole benchmark's JSON object.
    public static func json(_ rows: [Row], precision: Precision, runs: Int, seconds: Double) -> JSON {
        .object([
            ("benchmark", .string("jacobian")), ("build", .string(buildConfiguration)),
            ("precision", .string(precision.rawValue)),
            ("runs", .int(runs)), ("seconds_per_run", .double(seconds)), ("results", .array(rows.map(\.json))),
        ])
    }

    /// Seconds per (set inputs, evaluate) call, averaged over a repetition of `seconds`.
    static func time(_ workspace: JacobianWorkspace, _ values: [[Double]], seconds: Double) throws -> Double {
        try JacobianReport.timeOneRun(workspace, values, filling: seconds)
    }
}
