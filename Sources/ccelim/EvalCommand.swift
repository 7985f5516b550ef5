import ArgumentParser
import Checkpoint
import Console
import Elimination
import Foundation
import PPO
import Reports
import TaskFiles

/// `ccelim eval CHECKPOINT --task T [--greedy] [--samples K] [--beam W] [--mcts N] [--json]`: decode orders
/// from a trained policy. The policy plays any graph (its features do not depend on the graph's
/// size), so --task may name a graph it never trained on.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Decode elimination orders from a trained policy: greedy, sampled, beam search."
    )

    @Argument(help: "A checkpoint file (runs/NAME/checkpoint.h5).") var checkpoint: String
    @Option(help: "Task name, .graph or .jaxpr file (default: the checkpoint's first task).") var task: String?
    @Flag(help: "Greedy decoding (the most likely action every step).") var greedy = false
    @Option(help: "Sample this many episodes from the policy.") var samples: Int?
    @Option(help: "Beam search of this width (policy prior, exact cost + value estimate).") var beam: Int?
    @Option(help: "Children expanded per beam state (default: the beam width).") var expand: Int?
    @Option(help: "AlphaZero-style tree search (PUCT): this many simulations per step.") var mcts: Int?
    @Option(help: "Seed of the sampling.") var seed: UInt64 = 1
    @Option(help: "Record the best order in this best-orders file if it is cheaper (e.g. Datasets/best-orders.json).")
    var save: String?
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        if let samples, samples < 1 { throw ValidationError("--samples must be at least 1") }
        if let beam, beam < 1 { throw ValidationError("--beam must be at least 1") }
        if let expand, expand < 1 { throw ValidationError("--expand must be at least 1") }
        if let mcts, mcts < 1 { throw ValidationError("--mcts must be at least 1") }
    }

    func run() throws {
        BLASSetup.prepare()
        let snapshot: TrainerSnapshot
        do {
            snapshot = try CheckpointFile.read(checkpoint)
        } catch {
            throw CLIError("\(error)")
        }
        let graph = try GraphSource.load(task ?? snapshot.tasks[0], datasets: graphOptions.datasets)
        let spec = GameSpec(graph: graph)
        var evaluation = PolicyEvaluation()
        (evaluation.greedy, evaluation.samples, evaluation.beam, evaluation.expand, evaluation.mcts, evaluation.seed) =
            (greedy, samples, beam, expand, mcts, seed)
        let network = try PolicyNetwork(
            config: snapshot.network, maxBatch: evaluation.maxBatch, maxTokens: TokenFeatures.maxTokens(spec),
            seed: snapshot.seed)
        try network.loadParameters(snapshot.parameters)
        let results = try evaluation.run(network: network, spec: spec, policyVersion: snapshot.policyVersion) {
            Date().timeIntervalSinceReferenceDate
        }
        let report = EvaluationReport(
            task: graph.name, results: results, baselines: BaselineSummary(spec: spec),
            checkpointUpdates: snapshot.updates)
        let best = report.best
        if let save {
            let changed = try BestOrdersFile.record(
                task: graph.name, order: best.best.order, spec: spec,
                method: "ccelim eval (\(best.method)) of \(checkpoint), trained \(snapshot.updates) updates",
                found: "\(todayUTC()), ccelim eval \(CommandLine.arguments.dropFirst(2).joined(separator: " "))",
                path: save)
            StandardError.write("eval: \(changed ? "recorded" : "not cheaper than") \(save) for \(graph.name)\n")
        }
        if json {
            print(report.json.text)
        } else {
            for line in report.lines { print(line) }
        }
    }
}
