import Checkpoint
import Console
import Elimination
import Foundation
import PPO

/// Milliseconds to write (atomically, fsynced) and to read (verified) a checkpoint of a preset's
/// network, and the episode log's cost per episode as a share of training time, measured on real
/// updates in the same run (`ccelim bench checkpoint`).
public enum CheckpointBenchmark {
    public struct Result {
        public var task: String
        public var preset: String
        public var parameters: Int
        public var fileBytes: Int
        public var writes: [Double]  // ms per run
        public var reads: [Double]  // ms per run
        public var updates: Int
        public var episodes: Int
        public var trainSeconds: Double
        public var logSeconds: Double

        public var writeMs: Double { median(writes) }
        public var readMs: Double { median(reads) }
        public var updateMs: Double { trainSeconds / Double(updates) * 1000 }
        public var logOverheadPercent: Double { logSeconds / trainSeconds * 100 }
        public var logMicrosecondsPerEpisode: Double { logSeconds / Double(episodes) * 1e6 }

        public var json: JSON {
            func r(_ x: Double, _ per: Double = 100) -> JSON { .double(rounded(x, per: per)) }
            return .object([
                ("benchmark", .string("checkpoint")), ("build", .string(buildConfiguration)), ("task", .string(task)),
                ("preset", .string(preset)), ("parameters", .int(parameters)), ("file_bytes", .int(fileBytes)),
                ("runs", .int(writes.count)), ("write_ms", r(writeMs)), ("read_ms", r(readMs)),
                ("write_ms_runs", .array(writes.map { r($0) })), ("read_ms_runs", .array(reads.map { r($0) })),
                ("updates", .int(updates)), ("episodes", .int(episodes)), ("update_ms", r(updateMs, 10)),
                ("log_us_per_episode", r(logMicrosecondsPerEpisode)),
                ("log_overhead_percent", r(logOverheadPercent, 1000)),
                ("checkpoint_every_10_overhead_percent", r(writeMs / (10 * updateMs) * 100, 1000)),
            ])
        }
    }

    /// Trains `updates` updates of `run`, appending each to an episode log in `directory`, then
    /// saves and reads back its checkpoint `runs` times there.
    public static func measure(
        run: SoloRun, directory: String, runs: Int, updates: Int, codeVersion: String
    ) throws -> Result {
        let trainer = run.trainer
        // Logging overhead: the log's append (rows, orders, flush) against the update it records.
        let log = try EpisodeLog.create(
            at: directory + "/episodes.h5", tasks: [trainer.spec.name], codeVersion: codeVersion)
        var trainSeconds = 0.0, logSeconds = 0.0
        let start = monotonicSeconds()
        for _ in 0..<updates {
            let t0 = monotonicSeconds()
            let report = try run.runUpdate()
            let t1 = monotonicSeconds()
            try log.append(
                report, totalEpisodes: trainer.episodes, totalSteps: trainer.steps, wallTime: t1 - start,
                seconds: t1 - t0)
            logSeconds += monotonicSeconds() - t1
            trainSeconds += t1 - t0
        }
        try log.close()

        // Checkpoints: what training does (numbered file + link + prune), and a full verified read.
        let checkpoints = CheckpointDirectory(path: directory, keep: 2)
        let snapshot = run.snapshot()
        var writes: [Double] = [], reads: [Double] = []
        for _ in 0..<runs {
            let t0 = monotonicSeconds()
            try checkpoints.save(snapshot, codeVersion: codeVersion)
            writes.append((monotonicSeconds() - t0) * 1000)
            let t1 = monotonicSeconds()
            let back = try CheckpointFile.read(checkpoints.latestPath)
            reads.append((monotonicSeconds() - t1) * 1000)
            guard back == snapshot else {
                throw BenchmarkError("internal error: the checkpoint read back differs from the snapshot")
            }
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: checkpoints.latestPath)[.size] as? Int) ?? 0
        return Result(
            task: trainer.spec.name, preset: trainer.network.config.name, parameters: trainer.network.parameterCount,
            fileBytes: bytes, writes: writes, reads: reads, updates: updates, episodes: trainer.episodes,
            trainSeconds: trainSeconds, logSeconds: logSeconds)
    }
}
