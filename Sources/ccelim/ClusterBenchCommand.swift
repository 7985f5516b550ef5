import ArgumentParser
import Benchmarks
import ClusterShell
import Foundation

/// `ccelim bench cluster`: the local cluster's throughput against the single-process trainer,
/// measured in the same run by starting this binary (Benchmarks.ClusterBenchmark).
struct ClusterBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Episodes/s of the local cluster vs `train --solo`, policy lag, dead-actor detection time.",
        discussion:
            "Episodes/s are episodes trained per second, from each `ccelim train --json` summary (episodes ÷ seconds, start-up included); medians over --runs."
    )

    @Option(help: "Task.") var task = "RoeFlux_1d"
    @Option(help: "PPO updates per measured run.") var updates = 6
    @Option(help: "Repetitions per figure; the median is reported.") var runs = 1
    @Option(help: "Episodes per update.") var envs: Int?
    @Flag(help: "Only the fault figures (dead-actor detection, resume to first update), no throughput runs.")
    var faultsOnly = false
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let benchmark = ClusterBenchmark(
            task: task, updates: updates, runs: runs, trainArguments: envs.map { ["--envs", "\($0)"] } ?? [],
            work: work, capture: ChildProcesses.capture, processes: { ChildProcesses() })
        // JSON either way: the figures are for scripts.
        print(try faultsOnly ? benchmark.faults().text : benchmark.all().text)
    }
}

extension ChildProcesses: ClusterBenchmark.Processes {
    public func launch(_ name: String, _ arguments: [String], followParent: Bool) throws -> Int32 {
        try start(name, arguments, followParent: followParent).processIdentifier
    }
}
