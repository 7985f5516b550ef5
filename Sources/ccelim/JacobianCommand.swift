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
            the task's safe point from Datasets/sample-inputs.json (values.json's second point), else values in [0.2, 0.8).
            """
    )

    @Argument(help: "A task name from Datasets, a .graph file, or a .jaxpr file.") var graph: String
    @Option(help: "fwd, rev, markowitz, best, or comma-separated vertex ids.") var order = "best"
    @Option(help: "Samples per evaluation (a single input point is repeated).") var batch: Int?
    @Option(help: "JSON inputs file (see the discussion).") var inputs: String?
    @Option(help: "float32 or float64.") var precision = "float64"
    @Flag(help: "Compare with central finite differences (Float64) and with reverse-mode accumulation.") var check =
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
        let g = try GraphSource.load(graph, datasets: graphOptions.datasets)
        let spec = GameSpec(graph: g)
        let choice = try OrderChoice.resolve(order, graph: g, spec: spec, datasets: graphOptions.datasets)
        let modelCost: Int
        do {
            modelCost = try Baselines.score(choice.order, on: spec).cost
        } catch {
            throw CLIError("invalid order for \(g.name): \(error)")
        }
        // Compiling first refuses a program too large to interpret before its inputs are made.
        let compileStart = DispatchTime.now().uptimeNanoseconds
        let compiled = try jacobianCall { () throws(JacobianError) in
            try CompiledJacobian(graph: g, order: choice.order)
        }
        let compileSeconds = Self.seconds(since: compileStart)
        let points = try JacobianInputs.load(inputs, graph: g, datasets: graphOptions.datasets)
        let b = try JacobianInputs.batchSize(points, batch: batch)
        // The memory check comes before the batch's inputs or workspace exist.
        let budget = Self.memoryBudget()
        let workspace: JacobianWorkspace
        do {
            workspace = try compiled.makeWorkspace(batch: b, precision: precision, maxBytes: budget.bytes)
        } catch {
            throw CLIError("--batch \(b): \(error) (\(budget.source))")
        }
        let values = JacobianInputs.batched(points, batch: b)
        let evalStart = DispatchTime.now().uptimeNanoseconds
        try jacobianCall { () throws(JacobianError) in try workspace.setInputs(values) }
        workspace.run()
        let seconds = Self.seconds(since: evalStart)
        let result = workspace.result()

        var fields: [(String, JSON)] = [
            ("task", .string(g.name)), ("order_name", .string(choice.name)), ("order_source", .string(choice.source)),
            ("order", .ints(choice.order)), ("precision", .string(precision.rawValue)), ("batch", .int(b)),
            ("inputs_source", .string(points.source)),
            (
                "inputs",
                .array(
                    compiled.inputShapes.enumerated().map { k, s in NestedArray.json(points.samples[0][k], shape: s) })
            ),
            ("outputs", outputsJSON(result, sample: 0)), ("jacobian", jacobianJSON(result, sample: 0)),
            ("multiplications", .int(compiled.multiplications)), ("model_multiplications", .int(modelCost)),
            ("products", .int(compiled.products)), ("seconds", .double(seconds)),
            ("compile_seconds", .double(compileSeconds)),
            ("tape_instructions", .int(compiled.instructionCount)), ("tape_rows", .int(compiled.rowCount)),
            ("nonfinite", .int(result.nonFiniteCount)),
        ]
        if points.samples.count > 1 {
            fields.append(
                (
                    "samples",
                    .array(
                        (0..<b).map {
                            .object([
                                ("outputs", outputsJSON(result, sample: $0)),
                                ("jacobian", jacobianJSON(result, sample: $0)),
                            ])
                        })
                ))
        }
        var notes: [String] = []
        if check {
            let report = try checks(g, spec: spec, compiled: compiled, result: result, point: points.samples[0])
            fields.append(("check", report.json))
            notes += report.lines
        }
        if bench {
            let times = try (0..<runs).map { _ in try Self.timeOneRun(workspace, values) }
            let m = median(times)
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
        if result.nonFiniteCount > 0 {
            var warning = "warning: \(result.nonFiniteCount) output or Jacobian values are NaN or infinite"
            let bad = compiled.inputShapes.indices.filter { k in
                points.samples.contains { $0[k].contains { !$0.isFinite } }
            }
            if !bad.isEmpty {
                warning +=
                    "; non-finite values in input\(bad.count == 1 ? "" : "s") \(bad.map { String($0 + 1) }.joined(separator: ", "))"
            } else {
                warning += " (the inputs are outside the program's domain?)"
            }
            FileHandle.standardError.write(Data((warning + "\n").utf8))
        }
        if json {
            print(JSON.object(fields).text)
            return
        }
        print(
            "\(g.name): order \(choice.name) (\(choice.source)), \(precision.rawValue), batch \(b), inputs from \(points.source)"
        )
        for (o, shape) in compiled.outputShapes.enumerated() {
            print("output \(o + 1) \(shape): \(NestedArray.json(result.output(o, sample: 0), shape: shape).text)")
            for (k, inShape) in compiled.inputShapes.enumerated() {
                print(
                    "  d/d input \(k + 1) \(inShape): \(NestedArray.json(result.block(o, k, sample: 0), shape: shape + inShape).text)"
                )
            }
        }
        print(
            "multiplications: \(compiled.multiplications) performed per sample (\(compiled.products) chain-rule products), cost model: \(modelCost)"
        )
        print(String(format: "evaluation: %.3f ms (compile %.3f ms)", seconds * 1e3, compileSeconds * 1e3))
        for line in notes { print(line) }
    }

    func outputsJSON(_ r: JacobianResult, sample b: Int) -> JSON {
        .array(r.outputShapes.enumerated().map { o, s in NestedArray.json(r.output(o, sample: b), shape: s) })
    }

    func jacobianJSON(_ r: JacobianResult, sample b: Int) -> JSON {
        .array(
            r.outputShapes.enumerated().map { o, os in
                .array(
                    r.inputShapes.enumerated().map { k, ks in NestedArray.json(r.block(o, k, sample: b), shape: os + ks)
                    })
            })
    }

    struct CheckReport {
        var json: JSON
        var lines: [String]
    }

    /// Central differences (Float64) and reverse-mode accumulation (Float64) at the first sample.
    func checks(
        _ g: ComputationalGraph, spec: GameSpec, compiled: CompiledJacobian, result: JacobianResult, point: [[Double]]
    ) throws -> CheckReport {
        let fd = try jacobianCall { () throws(JacobianError) in try FiniteDifferences.jacobian(of: g, at: point) }
        var fdAbs = 0.0, fdRel = 0.0
        for o in fd.indices {
            for k in fd[o].indices {
                for (x, y) in zip(result.block(o, k, sample: 0), fd[o][k]) where x.isFinite || y.isFinite {
                    let d = abs(x - y)
                    fdAbs = max(fdAbs, d.isNaN ? .infinity : d)
                    fdRel = max(fdRel, d.isNaN ? .infinity : d / (1 + abs(y)))
                }
            }
        }
        let reverse = try jacobianCall { () throws(JacobianError) in
            try CompiledJacobian(graph: g, order: Baselines.reverseOrder(spec)).evaluate(
                inputs: point, precision: .float64)
        }
        let revAbs = result.maxJacobianDifference(to: reverse)
        return CheckReport(
            json: .object([
                ("finite_differences", .object([("max_abs_diff", .double(fdAbs)), ("max_rel_diff", .double(fdRel))])),
                ("reverse_mode", .object([("max_abs_diff", NestedArray.number(revAbs))])),
            ]),
            lines: [
                String(
                    format: "check: max |J − finite differences| = %.3g (relative %.3g); max |J − reverse mode| = %.3g",
                    fdAbs, fdRel, revAbs)
            ])
    }

    /// One timed run: enough repetitions of (set inputs, evaluate) to fill ~50 ms; seconds per call.
    static func timeOneRun(_ workspace: JacobianWorkspace, _ values: [[Double]]) throws -> Double {
        var calls = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        repeat {
            try jacobianCall { () throws(JacobianError) in try workspace.setInputs(values) }
            workspace.run()
            calls += 1
            elapsed = seconds(since: start)
        } while elapsed < 0.05
        return elapsed / Double(calls)
    }

    /// What one evaluation may hold: the interpreter's 4 GiB ceiling, or half of what this
    /// process may use (physical memory, or a cgroup v2 `memory.max`) when that is less.
    static func memoryBudget() -> (bytes: Int, source: String) {
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

    static func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
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
