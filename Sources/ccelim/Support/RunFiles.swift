import Checkpoint
import Foundation
import PPO

/// A training run's directory: numbered checkpoints plus `checkpoint.h5`, and `episodes.h5`.
/// Decides when to checkpoint (every `every` updates and at the end) and logs every update.
final class RunFiles {
    let checkpoints: CheckpointDirectory
    let log: EpisodeLog
    let every: Int
    private var lastSaved: Int

    static let episodesName = "episodes.h5"

    /// A fresh run refuses a directory that already holds one (it would overwrite its files);
    /// a resumed one reopens the episode log, trimmed to what the checkpoint covers.
    init(directory: String, trainer: SoloTrainer, resumed: Bool, every: Int, keep: Int) throws {
        checkpoints = CheckpointDirectory(path: directory, keep: keep)
        self.every = every
        let logPath = URL(fileURLWithPath: directory).appendingPathComponent(Self.episodesName).path
        if !resumed {
            for existing in [checkpoints.latestPath, logPath] where FileManager.default.fileExists(atPath: existing) {
                throw CLIError("\(existing) already exists: resume that run with --resume \(checkpoints.latestPath), or choose another --run-dir")
            }
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CLIError("cannot create the run directory \(directory): \(error.localizedDescription)")
        }
        let tasks = trainer.taskNames
        do {
            log = resumed
                ? try EpisodeLog.resume(at: logPath, tasks: tasks, codeVersion: ccelimVersion,
                                        checkpointUpdates: trainer.updates, checkpointEpisodes: trainer.episodes)
                : try EpisodeLog.create(at: logPath, tasks: tasks, codeVersion: ccelimVersion)
        } catch let error as CheckpointError {
            throw CLIError("episode log \(error)")
        }
        lastSaved = resumed ? trainer.updates : -1
    }

    /// Opens `directory`/episodes.h5 for appending after `updates` updates of
    /// `episodesPerUpdate` episodes (a new log if there is none); for the crash-safety helper.
    static func openLog(directory: String, updates: Int, episodesPerUpdate: Int) throws -> EpisodeLog {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(episodesName).path
        return try EpisodeLog.resume(at: path, tasks: ["synthetic"], codeVersion: ccelimVersion,
                                     checkpointUpdates: updates, checkpointEpisodes: updates * episodesPerUpdate)
    }

    /// Logs the update; checkpoints when the update number is a multiple of `every`.
    func record(_ report: SoloTrainer.Report, trainer: SoloTrainer, wallTime: Double, seconds: Double) throws {
        do {
            try log.append(report, trainer: trainer, wallTime: wallTime, seconds: seconds)
        } catch let error as CheckpointError {
            throw CLIError("episode log \(error)")
        }
        if trainer.updates % every == 0 { try save(trainer) }
    }

    /// Writes a checkpoint unless this update was already saved.
    func save(_ trainer: SoloTrainer) throws {
        guard trainer.updates != lastSaved else { return }
        do {
            try checkpoints.save(trainer.snapshot(), codeVersion: ccelimVersion)
        } catch let error as CheckpointError {
            throw CLIError("checkpoint \(error)")
        }
        lastSaved = trainer.updates
    }

    func close() throws {
        do {
            try log.close()
        } catch let error as CheckpointError {
            throw CLIError("episode log \(error)")
        }
    }
}
