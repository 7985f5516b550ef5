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
        let compileSeconds = JacobianReport.seconds(since: compileStart)
        let points = try JacobianInputs.load(inputs, graph: g, datasets: graphOptions.datasets)
        let b = try JacobianInputs.batchSize(points, batch: batch)
        // The memory check comes before the batch's inputs or workspace exist.
        let budget = JacobianReport.memoryBudget()
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
        let seconds = JacobianReport.seconds(since: evalStart)
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
            ("outputs", JacobianReport.outputs(result, sample: 0)),
            ("jacobian", JacobianReport.jacobian(result, sample: 0)),
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
                                ("outputs", JacobianReport.outputs(result, sample: $0)),
                                ("jacobian", JacobianReport.jacobian(result, sample: $0)),
                            ])
                        })
                ))
        }
        var notes: [String] = []
        if check {
            let report = try jacobianCall { () throws(JacobianError) in
                try JacobianReport.check(g, spec: spec, result: result, point: points.samples[0])
            }
            fields.append(("check", report.json))
            notes += report.lines
        }
        if bench {
            let times = try (0..<runs).map { _ in
                try jacobianCall { () throws(JacobianError) in try JacobianReport.timeOneRun(workspace, values) }
            }
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
}

/// Runs a Jacobian-module call, turning its typed error into a user-facing one.
func jacobianCall<T>(_ body: () throws(JacobianError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw CLIError(error.description)
    }
}
