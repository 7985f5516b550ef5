import Checkpoint
import Console
import Foundation
import PPO
import Wire

/// A training run's folder, the same for `ccelim train --solo` and `ccelim learner`, written by
/// exactly one process (`RunFolderLock` on DIR/lock, taken first): numbered checkpoints plus
/// `checkpoint.h5` every `checkpointEvery` updates (and at the end), `episodes.h5` (one row per
/// episode and per update), `updates.jsonl` (one JSON object per update, flushed) and
/// `summary.json` at the end (`RunSummary`). Docs/CHECKPOINT.md describes every file.
public final class RunFolder {
    public static let episodesName = "episodes.h5"
    public static let updatesName = "updates.jsonl"
    public static let summaryName = "summary.json"

    public let path: String
    public let checkpoints: CheckpointDirectory
    /// nil when the folder is written under the parent process's lock (`lockHeldByParent`).
    private let lock: RunFolderLock?
    private let episodeLog: EpisodeLog
    private let updatesFile: FileHandle
    private let checkpointEvery: Int
    private let codeVersion: String
    private var lastSaved: Int

    /// Takes the folder's lock (or, with `lockHeldByParent`, checks that this process's parent
    /// holds it: `RunFolderLock.verifyHeldByParent`), then opens its files. `fresh`: a new run,
    /// which refuses a folder that already holds one (it would overwrite it); otherwise the
    /// episode log and updates.jsonl continue, trimmed to what `trainer` (restored from a
    /// checkpoint, or new) covers.
    public init<Algorithm>(
        path: String, trainer: AlgorithmTrainer<Algorithm>, fresh: Bool, checkpointEvery: Int, keep: Int,
        codeVersion: String,
        lockHeldByParent: Bool = false
    ) throws(RunFolderError) {
        self.path = path
        self.checkpointEvery = max(1, checkpointEvery)
        self.codeVersion = codeVersion
        checkpoints = CheckpointDirectory(path: path, keep: keep)
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw RunFolderError(path, "cannot create the run folder: \(error.localizedDescription)")
        }
        if lockHeldByParent {
            try RunFolderLock.verifyHeldByParent(directory: path)
            lock = nil
        } else {
            lock = try RunFolderLock(directory: path)
        }
        let logPath = Self.file(path, Self.episodesName)
        if fresh { try Self.refuseExistingRun(in: path) }
        do {
            episodeLog =
                fresh
                ? try EpisodeLog.create(
                    at: logPath, tasks: trainer.taskNames, codeVersion: codeVersion, algorithm: Algorithm.kind)
                : try EpisodeLog.resume(
                    at: logPath, tasks: trainer.taskNames, codeVersion: codeVersion,
                    checkpointUpdates: trainer.updates, checkpointEpisodes: trainer.episodes,
                    algorithm: Algorithm.kind)
        } catch {
            throw RunFolderError(logPath, "episode log: \(error)")
        }
        let updatesPath = Self.file(path, Self.updatesName)
        do {
            try Self.keepUpdateLines(at: updatesPath, upTo: fresh ? 0 : trainer.updates)
        } catch {
            throw RunFolderError(updatesPath, "cannot rewrite: \(error.localizedDescription)")
        }
        guard let handle = FileHandle(forWritingAtPath: updatesPath) else {
            throw RunFolderError(updatesPath, "cannot open for writing")
        }
        handle.seekToEndOfFile()
        updatesFile = handle
        lastSaved = fresh ? -1 : trainer.updates
    }

    /// Logs one update in episodes.h5 and updates.jsonl; checkpoints when the update number is a
    /// multiple of `checkpointEvery` (returns the checkpoint's path then). `dropped`: every episode
    /// dropped so far, by reason; `wallTime`: seconds since this process began training; `extra`:
    /// mode-specific keys.
    @discardableResult
    public func record<Algorithm>(
        _ report: UpdateReport, trainer: AlgorithmTrainer<Algorithm>, dropped: EpisodeDrops, wallTime: Double,
        seconds: Double,
        extra: [(String, JSON)] = [], snapshot: () -> TrainerSnapshot
    ) throws(RunFolderError) -> String? {
        let time = episodeLog.wallTimeOffset + wallTime
        do {
            try episodeLog.append(
                report, totalEpisodes: trainer.episodes, totalSteps: trainer.steps, wallTime: time, seconds: seconds)
        } catch {
            throw RunFolderError(Self.file(path, Self.episodesName), "episode log: \(error)")
        }
        let line = JSON.object(
            [
                ("update", .int(report.update)), ("algorithm", .string(Algorithm.kind.rawValue)),
                ("policy_version", .int(Int(truncatingIfNeeded: report.policyVersion))),
                ("episodes", .int(report.episodes)), ("mean_cost", .double(report.meanCost)),
                ("batch_best", .int(report.batchBest)),
                ("best", .int(report.best)),
                (
                    "weights_checksum",
                    .string(CheckpointWeights.weightsChecksum(of: trainer.network.parameterArray()))
                ),
                ("dropped", .object(dropped.named.map { ($0.0, .int($0.1)) })),
                ("update_seconds", .double(seconds)), ("seconds", .double(time)),
            ] + extra + report.metrics.named.map { ($0.0, JSON.double(Double($0.1))) }
        ).text
        updatesFile.write(Data((line + "\n").utf8))
        return trainer.updates % checkpointEvery == 0 ? try save(snapshot()) : nil
    }

    /// Writes a checkpoint unless this update was already saved; returns its numbered path.
    @discardableResult
    public func save(_ snapshot: TrainerSnapshot) throws(RunFolderError) -> String? {
        guard snapshot.updates != lastSaved else { return nil }
        do {
            let written = try checkpoints.save(snapshot, codeVersion: codeVersion)
            lastSaved = snapshot.updates
            return written
        } catch {
            throw RunFolderError(checkpoints.latestPath, "checkpoint: \(error)")
        }
    }

    public func writeSummary(_ summary: RunSummary) throws(RunFolderError) {
        let summaryPath = Self.file(path, Self.summaryName)
        do {
            try Data((summary.json.text + "\n").utf8).write(to: URL(fileURLWithPath: summaryPath), options: .atomic)
        } catch {
            throw RunFolderError(summaryPath, "cannot write: \(error.localizedDescription)")
        }
    }

    public func close() throws(RunFolderError) {
        updatesFile.closeFile()
        do {
            try episodeLog.close()
        } catch {
            throw RunFolderError(Self.file(path, Self.episodesName), "episode log: \(error)")
        }
    }

    /// A new run must not overwrite one: throws naming the checkpoint (or episode log) already in
    /// `directory` and how to continue it.
    public static func refuseExistingRun(in directory: String) throws(RunFolderError) {
        let latest = CheckpointDirectory(path: directory, keep: 1).latestPath
        for existing in [latest, file(directory, episodesName)] where FileManager.default.fileExists(atPath: existing) {
            throw RunFolderError(
                existing, "already exists: resume that run with --resume \(latest), or choose another run folder")
        }
    }

    static func file(_ directory: String, _ name: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(name).path
    }

    /// Keeps the lines of updates.jsonl for updates ≤ `updates` (a resumed run plays the later
    /// ones again; a torn last line goes too), creating the file when missing.
    static func keepUpdateLines(at path: String, upTo updates: Int) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw RunFolderError(path, "cannot create the file (no space, or not writable)")
            }
            return
        }
        let kept = String(decoding: data, as: UTF8.self).split(separator: "\n").filter { line in
            guard let object = try? JSONReading.parse(String(line)) as? [String: Any],
                let update = object["update"] as? Int
            else { return false }
            return update <= updates
        }
        let text = kept.map { $0 + "\n" }.joined()
        guard text.utf8.count != data.count else { return }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
