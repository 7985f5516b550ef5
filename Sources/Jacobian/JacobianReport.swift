import Console
import Elimination
import Foundation

/// What `ccelim jacobian` reports about an evaluation: outputs and Jacobian blocks as nested JSON
/// arrays, the checks against finite differences and reverse mode, the timing of repeated runs,
/// and the memory one evaluation may hold.
public enum JacobianReport {
    /// The outputs of sample `b`, one nested array per output.
    public static func outputs(_ r: JacobianResult, sample b: Int) -> JSON {
        .array(r.outputShapes.enumerated().map { o, s in NestedArray.json(r.output(o, sample: b), shape: s) })
    }

    /// The Jacobian of sample `b`: [output][input] blocks of shape output shape + input shape.
    public static func jacobian(_ r: JacobianResult, sample b: Int) -> JSON {
        .array(
            r.outputShapes.enumerated().map { o, os in
                .array(
                    r.inputShapes.enumerated().map { k, ks in NestedArray.json(r.block(o, k, sample: b), shape: os + ks)
                    })
            })
    }

    /// The checks' JSON object and the lines printed for people.
    public struct Check {
        public var json: JSON
        public var lines: [String]
    }

    /// Central differences (Float64) and reverse-mode accumulation (Float64) at the first sample.
    /// The differences skip the rows of output elements that are NaN or infinite at the point: a
    /// difference of such values says nothing (NaN even where the output does not depend on the
    /// input, and the Jacobian's entry is an exact 0); `skipped_outputs` counts them. Elsewhere a
    /// NaN or infinity on one side only is an infinite difference (JSON null).
    public static func check(
        _ g: ComputationalGraph, spec: GameSpec, result: JacobianResult, point: [[Double]],
        constants: [[Double]] = []
    ) throws(JacobianError) -> Check {
        let fd = try FiniteDifferences.jacobian(of: g, constants: constants, at: point)
        var fdAbs = 0.0, fdRel = 0.0
        var skipped = 0
        for o in fd.indices {
            let values = Array(result.output(o, sample: 0))
            skipped += values.filter { !$0.isFinite }.count
            for k in fd[o].indices {
                // Block (o, k): row-major over output o's elements, then input k's.
                let columns = values.isEmpty ? 0 : fd[o][k].count / values.count
                for (e, (x, y)) in zip(result.block(o, k, sample: 0), fd[o][k]).enumerated()
                where (x.isFinite || y.isFinite) && values[e / columns].isFinite {
                    let d = abs(x - y)
                    fdAbs = max(fdAbs, d.isNaN ? .infinity : d)
                    fdRel = max(fdRel, d.isNaN ? .infinity : d / (1 + abs(y)))
                }
            }
        }
        let reverse = try CompiledJacobian(graph: g, order: Baselines.reverseOrder(spec), constants: constants)
            .evaluate(
                inputs: point, precision: .float64)
        let revAbs = result.maxJacobianDifference(to: reverse)
        return Check(
            json: .object([
                (
                    "finite_differences",
                    .object([
                        ("max_abs_diff", .double(fdAbs)), ("max_rel_diff", .double(fdRel)),
                        ("skipped_outputs", .int(skipped)),
                    ])
                ),
                ("reverse_mode", .object([("max_abs_diff", NestedArray.number(revAbs))])),
            ]),
            lines: [
                String(format: "check: max |J − finite differences| = %.3g (relative %.3g", fdAbs, fdRel)
                    + (skipped > 0 ? "; \(skipped) output values not finite at the point, their rows skipped" : "")
                    + String(format: "); max |J − reverse mode| = %.3g", revAbs)
            ])
    }

    /// One timed run: enough repetitions of (set inputs, evaluate) to fill `seconds` (default ~50 ms);
    /// seconds per call. The one timing loop of `jacobian --bench` and `ccelim bench jacobian`.
    public static func timeOneRun(
        _ workspace: JacobianWorkspace, _ values: [[Double]], filling duration: Double = 0.05
    ) throws(JacobianError) -> Double {
        var calls = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        repeat {
            try workspace.setInputs(values)
            workspace.run()
            calls += 1
            elapsed = seconds(since: start)
        } while elapsed < duration
        return elapsed / Double(calls)
    }

    /// What one evaluation may hold: the interpreter's 4 GiB ceiling, or half of what this
    /// process may use (physical memory, or a cgroup v2 `memory.max`) when that is less.
    public static func memoryBudget() -> (bytes: Int, source: String) {
        var bytes = CompiledJacobian.defaultMaxEvaluationBytes
        var source = "the interpreter's ceiling"
        let physical = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        if physical > 0, physical / 2 < bytes { bytes = physical / 2; source = "half of this machine's memory" }
        if let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
            let cgroup = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), cgroup / 2 < bytes
        {
            bytes = cgroup / 2
            source = "half of this process's cgroup memory.max"
        }
        return (bytes, "limit: \(source)")
    }

    /// Seconds since `start` (DispatchTime nanoseconds).
    public static func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
