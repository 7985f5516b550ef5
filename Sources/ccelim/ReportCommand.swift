import ArgumentParser
import Checkpoint
import Console
import Elimination
import Foundation
import Reports
import TaskFiles

/// `ccelim report`: the comparison table — per task the classical baselines, AlphaGrad's published
/// figures, ccelim's best order (re-scored here) and the improvement — written into
/// Docs/RESULTS.md between markers (the rest of the file is kept). The table is Reports.ResultsReport.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the results table (baselines, AlphaGrad, ccelim's best orders) into Docs/RESULTS.md."
    )

    @Option(help: "The results file to update.") var output = "Docs/RESULTS.md"
    @Option(help: "ccelim's best orders (task → cost, order, method, found).") var bestOrders =
        "Datasets/best-orders.json"
    @Option(help: "AlphaGrad's published figures.") var published = "Datasets/alphagrad-published.json"
    @Option(
        help:
            "Episode logs (runs/NAME/episodes.h5) whose training curves to plot as SVG next to the results file (repeatable)."
    ) var curve: [String] = []
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print the table as JSON instead of writing the file.") var json = false

    func run() throws {
        let directory = try Datasets.directory(graphOptions.datasets)
        let best = try loadObject(bestOrders)
        guard let paper = try loadObject(published)["tasks"] as? [String: [String: Any]] else {
            throw CLIError("\(published) has no \"tasks\" object")
        }
        var report = ResultsReport()
        for name in try Datasets.taskNames(in: directory) {
            let spec = GameSpec(graph: try GraphSource.loadGraphFile("\(directory)/\(name).graph"))
            try report.add(task: name, spec: spec, published: paper[name] ?? [:], best: best[name] as? [String: Any])
        }
        if json {
            print(report.json.text)
            return
        }
        // Training curves from episode logs, as SVG files beside the results file.
        var plots = ""
        for log in curve {
            let c: EpisodeLogCurve
            do { c = try EpisodeLogCurve.read(log) } catch { throw CLIError("\(log): \(error)") }
            guard let task = c.tasks.first, !c.updates.isEmpty else { throw CLIError("\(log) has no updates to plot") }
            var references: [(String, Int)] = []
            if let spec = try? GameSpec(graph: GraphSource.loadGraphFile("\(directory)/\(task).graph")) {
                references.append(("best baseline", BaselineSummary(spec: spec).best))
            }
            if let p = paper[task]?["best_published_order_cost"] as? Int { references.append(("AlphaGrad", p)) }
            let folder = URL(fileURLWithPath: output).deletingLastPathComponent().appendingPathComponent("plots")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let name = "training-\(task).svg"
            try ResultsReport.trainingPlot(c, log: log, references: references)
                .write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
            plots += "![\(task) training curve](plots/\(name))\n\n"
        }
        let text = ResultsReport.replacingSection(
            in: try? String(contentsOfFile: output, encoding: .utf8), with: report.section(plots: plots))
        try text.write(toFile: output, atomically: true, encoding: .utf8)
        let (cheaper, equal, worse) = report.comparison
        print(
            "report: \(output) updated (\(cheaper) cheaper, \(equal) equal, \(worse) dearer than AlphaGrad's best published orders)"
        )
    }

    private func loadObject(_ path: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
        guard let object = try? JSONReading.parse(data) as? [String: Any] else {
            throw CLIError("\(path) is not a JSON object")
        }
        return object
    }
}
