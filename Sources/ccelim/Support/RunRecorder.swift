import Elimination
import Foundation
import PPO

/// Writes a run's progress into its directory: `metrics.jsonl` (one JSON object per update,
/// appended and flushed) and `best.json`. HDF5 checkpoints and episode logs replace this in issue 4.
final class RunRecorder {
    let directory: String
    private let metrics: FileHandle

    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/metrics.jsonl"
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw CLIError("cannot write \(path)") }
        metrics = handle
    }

    func record(report: SoloTrainer.Report, seconds: Double, episodes: Int) throws {
        var fields: [(String, JSON)] = [
            ("update", .int(report.update)), ("seconds", .double((seconds * 1000).rounded() / 1000)),
            ("episodes", .int(episodes)), ("charts/mean_cost", .double(report.meanCost)),
            ("charts/batch_best_cost", .int(report.batchBest)), ("charts/best_cost", .int(report.best)),
        ]
        for (name, value) in report.metrics.named { fields.append((name, .double(Double(value)))) }
        metrics.write(Data((JSON.object(fields).text + "\n").utf8))
    }

    func writeBest(task: String, best: BestOrder, baselines: BaselineSummary) throws {
        let text = JSON.object([
            ("task", .string(task)), ("cost", .int(best.cost)), ("order", .ints(best.order)),
            ("forward", .int(baselines.forward)), ("reverse", .int(baselines.reverse)), ("markowitz", .int(baselines.markowitz)),
        ]).text + "\n"
        let tmp = "\(directory)/best.json.tmp"
        try Data(text.utf8).write(to: URL(fileURLWithPath: tmp))
        _ = try FileManager.default.replaceItemAt(URL(fileURLWithPath: "\(directory)/best.json"), withItemAt: URL(fileURLWithPath: tmp))
    }
}
