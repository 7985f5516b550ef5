import Console
import Elimination
import Foundation
import Jacobian

/// One `ccelim jacobian` evaluation: the graph and order resolved, the program compiled (refusing
/// one too large before its inputs exist), the inputs read and batched, the memory checked before
/// the workspace exists, then one evaluation. The command adds the checks and timings it was asked
/// for and prints `fields` or `lines`.
public struct JacobianEvaluation {
    public let graph: ComputationalGraph
    public let spec: GameSpec
    public let choice: OrderChoice.Choice
    public let precision: Precision
    public let modelCost: Int
    public let compiled: CompiledJacobian
    public let compileSeconds: Double
    public let points: JacobianInputs.Points
    /// The `--constants` file, if one was given.
    public let constantsSource: String?
    public let batch: Int
    public let values: [[Double]]
    public let workspace: JacobianWorkspace
    public let seconds: Double
    public let result: JacobianResult

    /// `graph`: a task name, .graph or .jaxpr file; `order`: fwd, rev, markowitz, best or a list;
    /// `inputs`: a JSON inputs file (nil: the task's safe point, else deterministic values);
    /// `constants`: a JSON file of the closed-over constants' values (`JacobianConstants`).
    public init(
        graph argument: String, order: String, batch: Int?, inputs: String?, constants: String? = nil,
        precision: Precision, datasets: String?
    ) throws {
        let g = try GraphSource.load(argument, datasets: datasets)
        let spec = GameSpec(graph: g)
        let choice = try OrderChoice.resolve(order, graph: g, spec: spec, datasets: datasets)
        do {
            modelCost = try Baselines.score(choice.order, on: spec).cost
        } catch {
            throw Self.failure("invalid order for \(g.name): \(error)")
        }
        // Compiling first refuses a program too large to interpret before its inputs are made.
        let compileStart = DispatchTime.now().uptimeNanoseconds
        let constantValues = try JacobianConstants.load(constants, graph: g)
        constantsSource = constants
        let compiled = try CompiledJacobian(graph: g, order: choice.order, constants: constantValues)
        compileSeconds = JacobianReport.seconds(since: compileStart)
        let points = try JacobianInputs.load(inputs, graph: g, datasets: datasets)
        let b = try JacobianInputs.batchSize(points, batch: batch)
        // The memory check comes before the batch's inputs or workspace exist.
        let budget = JacobianReport.memoryBudget()
        let workspace: JacobianWorkspace
        do {
            workspace = try compiled.makeWorkspace(batch: b, precision: precision, maxBytes: budget.bytes)
        } catch {
            throw Self.failure("--batch \(b): \(error) (\(budget.source))")
        }
        let values = JacobianInputs.batched(points, batch: b)
        let evalStart = DispatchTime.now().uptimeNanoseconds
        try workspace.setInputs(values)
        workspace.run()
        seconds = JacobianReport.seconds(since: evalStart)
        result = workspace.result()
        (self.graph, self.spec, self.choice, self.precision, self.compiled) = (g, spec, choice, precision, compiled)
        (self.points, self.batch, self.values, self.workspace) = (points, b, values, workspace)
    }

    /// The `--json` object's fields before the checks and timings.
    public var fields: [(String, JSON)] {
        var fields: [(String, JSON)] = [
            ("task", .string(graph.name)), ("order_name", .string(choice.name)),
            ("order_source", .string(choice.source)),
            ("order", .ints(choice.order)), ("precision", .string(precision.rawValue)), ("batch", .int(batch)),
            ("inputs_source", .string(points.source)),
            ("constants_source", constantsSource.map { .string($0) } ?? .null),
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
                        (0..<batch).map {
                            .object([
                                ("outputs", JacobianReport.outputs(result, sample: $0)),
                                ("jacobian", JacobianReport.jacobian(result, sample: $0)),
                            ])
                        })
                ))
        }
        return fields
    }

    /// The comparison with finite differences and reverse mode at the first sample.
    public func check() throws(JacobianError) -> JacobianReport.Check {
        try JacobianReport.check(
            graph, spec: spec, result: result, point: points.samples[0], constants: compiled.constants)
    }

    /// Seconds per evaluation of the batch, `runs` times.
    public func time(runs: Int) throws(JacobianError) -> [Double] {
        var times: [Double] = []
        for _ in 0..<runs { times.append(try JacobianReport.timeOneRun(workspace, values)) }
        return times
    }

    /// Said on stderr when outputs or Jacobian entries are NaN or infinite: which inputs were, if any.
    public var nonFiniteWarning: String? {
        guard result.nonFiniteCount > 0 else { return nil }
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
        return warning
    }

    /// The lines for people (before the checks' and timings' notes).
    public var lines: [String] {
        var out = [
            "\(graph.name): order \(choice.name) (\(choice.source)), \(precision.rawValue), batch \(batch), inputs from \(points.source)"
                + (constantsSource.map { ", constants from \($0)" } ?? "")
        ]
        for (o, shape) in compiled.outputShapes.enumerated() {
            out.append("output \(o + 1) \(shape): \(NestedArray.json(result.output(o, sample: 0), shape: shape).text)")
            for (k, inShape) in compiled.inputShapes.enumerated() {
                out.append(
                    "  d/d input \(k + 1) \(inShape): \(NestedArray.json(result.block(o, k, sample: 0), shape: shape + inShape).text)"
                )
            }
        }
        out.append(
            "multiplications: \(compiled.multiplications) performed per sample (\(compiled.products) chain-rule products), cost model: \(modelCost)"
        )
        out.append(String(format: "evaluation: %.3f ms (compile %.3f ms)", seconds * 1e3, compileSeconds * 1e3))
        return out
    }

    /// A one-line failure, made printable (it quotes the graph's names).
    private static func failure(_ message: String) -> TaskFileError { TaskFileError(PrintableText.escaped(message)) }
}
