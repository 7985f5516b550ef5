import Foundation
import HDF5
import PPO

extension EpisodeLog {
    /// Continues the log at `path` for a run resumed from a checkpoint taken after update
    /// `checkpointUpdates` with `checkpointEpisodes` episodes. Rows the checkpoint does not cover
    /// (updates logged after it, before the run stopped) are dropped, since the resumed run plays
    /// them again. HDF5 cannot shrink a dataset an SWMR writer may have left flagged open, so the
    /// kept rows are copied into a fresh file that atomically replaces the old one. No file at
    /// `path` starts a new log; a log of other tasks, or not ours, is refused. Only committed rows
    /// are kept (EpisodeLogIntegrity): rows a full disk or a kill left uncommitted are dropped, and a
    /// log whose committed rows are damaged is refused with what is wrong.
    public static func resume(
        at path: String, tasks: [String], codeVersion: String,
        checkpointUpdates: Int, checkpointEpisodes: Int, algorithm: AlgorithmKind = .ppo
    ) throws -> EpisodeLog {
        guard FileManager.default.fileExists(atPath: path) else {
            return try create(at: path, tasks: tasks, codeVersion: codeVersion, algorithm: algorithm)
        }
        let old = try StoredFile.open(
            path, what: "episode log", format: EpisodeLogSchema.format,
            version: EpisodeLogSchema.version, swmr: true)
        defer { try? old.hdf5.close() }
        let plan = try old.mapping {
            try CopyPlan(
                old, tasks: tasks, algorithm: algorithm, updates: checkpointUpdates, episodes: checkpointEpisodes)
        }
        try DurableFile.replace(path) { temporary in
            try writeFailure(path) {
                let fresh = try createEmpty(temporary, tasks: tasks, codeVersion: codeVersion, algorithm: algorithm)
                defer { try? fresh.close() }
                try old.mapping {
                    try copy(
                        plan.updates, from: old.hdf5.root.openDataset(EpisodeLogSchema.updates),
                        to: fresh.root.openDataset(EpisodeLogSchema.updates))
                    try copy(
                        plan.episodes, from: old.hdf5.root.openDataset(EpisodeLogSchema.episodes),
                        to: fresh.root.openDataset(EpisodeLogSchema.episodes))
                    try copyValues(
                        plan.orderValues, from: old.hdf5.root.openDataset(EpisodeLogSchema.orders),
                        to: fresh.root.openDataset(EpisodeLogSchema.orders))
                }
                try fresh.root.openDataset(EpisodeLogSchema.committed).writeRows([plan.commit.row], at: 0)
                try fresh.close()
            }
        }
        return try openForAppending(path, wallTimeOffset: plan.wallTime)
    }

    /// How much of the old log to keep.
    private struct CopyPlan {
        var updates = 0, episodes = 0, orderValues = 0
        var lastUpdate: Int64 = 0
        var wallTime = 0.0
        var commit: EpisodeLogCommit {
            EpisodeLogCommit(update: lastUpdate, updates: updates, episodes: episodes, orderValues: orderValues)
        }

        init(
            _ f: StoredFile, tasks: [String], algorithm: AlgorithmKind, updates maxUpdate: Int,
            episodes maxEpisodes: Int
        ) throws {
            let logged = try f.lines(f.hdf5.root, "tasks")
            guard logged == tasks else {
                throw CheckpointError(
                    .wrongSchema, f.path,
                    "this episode log belongs to a run on \(logged.joined(separator: ", ")), "
                        + "not \(tasks.joined(separator: ", ")); move it away or choose another run directory")
            }
            let loggedAlgorithm = try EpisodeLogSchema.algorithm(f)
            guard loggedAlgorithm == algorithm else {
                throw CheckpointError(
                    .wrongSchema, f.path,
                    "this episode log belongs to a \(loggedAlgorithm.rawValue) run, not \(algorithm.rawValue); "
                        + "move it away or choose another run directory")
            }
            let integrity = try EpisodeLogIntegrity.check(f)
            guard integrity.damage.isEmpty else {
                throw CheckpointError(
                    .corrupted, f.path,
                    "the episode log is damaged: \(integrity.damage.joined(separator: "; ")); "
                        + "move it away to start a new log")
            }
            try StringAttributesChecksum.verify(f, what: EpisodeLogSchema.stringAttributes)
            let trusted = integrity.commit
            let u = try f.dataset(f.hdf5.root, EpisodeLogSchema.updates)
            let e = try f.dataset(f.hdf5.root, EpisodeLogSchema.episodes)
            // Rows are in run order, so what the checkpoint covers is a prefix of the committed rows.
            let updateNumbers = try u.column("update", as: Int64.self, rows: 0..<trusted.updates)
            updates = updateNumbers.prefix { $0 <= Int64(maxUpdate) }.count
            if updates > 0 {
                lastUpdate = updateNumbers[updates - 1]
                wallTime = try u.column("wall_time", as: Double.self, rows: (updates - 1)..<updates)[0]
            }
            let ids = try e.column("id", as: Int64.self, rows: 0..<trusted.episodes)
            episodes = ids.prefix { $0 < Int64(maxEpisodes) }.count
            if episodes > 0 {
                let last = (episodes - 1)..<episodes
                orderValues = Int(
                    try e.column("order_offset", as: Int64.self, rows: last)[0]
                        + Int64(try e.column("length", as: Int32.self, rows: last)[0]))
            }
        }
    }

    /// Copies the first `count` rows in blocks, so a long log never sits in memory whole.
    private static func copy(_ count: Int, from source: HDF5Dataset, to destination: HDF5Dataset) throws {
        let block = 65_536
        for start in stride(from: 0, to: count, by: block) {
            try destination.appendRows(try source.readRows(start..<min(start + block, count)))
        }
    }

    private static func copyValues(_ count: Int, from source: HDF5Dataset, to destination: HDF5Dataset) throws {
        let block = 1 << 20
        for start in stride(from: 0, to: count, by: block) {
            try destination.append(try source.read(as: Int32.self, rows: start..<min(start + block, count)))
        }
    }
}
