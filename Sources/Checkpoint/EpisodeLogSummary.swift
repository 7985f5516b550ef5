import HDF5
import PPO

/// What `ccelim inspect` shows of an episode log: the committed row counts, the last committed
/// update, and what is wrong with the file if anything. Opened as an SWMR reader, so it works on
/// a log that a training run is still writing.
public struct EpisodeLogSummary: Sendable {
    public var version: Int64
    public var codeVersion: String
    public var tasks: [String]
    /// The algorithm of the run that wrote it (`ppo` for logs from before AlphaZero).
    public var algorithm: AlgorithmKind
    /// Committed rows: what readers (and `--resume`) use.
    public var episodes: Int
    public var orderValues: Int
    public var updates: Int
    /// The last committed update row's number, training wall time and best cost.
    public var lastUpdate: (update: Int, wallTime: Double, bestCost: Int)?
    /// Why the log is damaged: committed rows that are inconsistent (zero-filled, torn), or rows
    /// written after the last commit. Empty for an intact log.
    public var problems: [String]

    public var isDamaged: Bool { !problems.isEmpty }

    public static func read(_ path: String) throws -> EpisodeLogSummary {
        let f = try StoredFile.open(
            path, what: "episode log", format: EpisodeLogSchema.format,
            version: EpisodeLogSchema.version, swmr: true)
        defer { try? f.hdf5.close() }
        return try f.mapping {
            let root = f.hdf5.root
            let integrity = try EpisodeLogIntegrity.check(f)
            let count = integrity.commit.updates
            var last: (Int, Double, Int)?
            if count > 0, integrity.damage.isEmpty {
                let updates = try f.dataset(root, EpisodeLogSchema.updates)
                let row = (count - 1)..<count
                last = (
                    Int(try updates.column("update", as: Int64.self, rows: row)[0]),
                    try updates.column("wall_time", as: Double.self, rows: row)[0],
                    Int(try updates.column("best_cost", as: Int64.self, rows: row)[0])
                )
            }
            let summary = EpisodeLogSummary(
                version: f.version, codeVersion: try f.string(root, "code_version"), tasks: try f.lines(root, "tasks"),
                algorithm: try EpisodeLogSchema.algorithm(f), episodes: integrity.commit.episodes,
                orderValues: integrity.commit.orderValues, updates: count,
                lastUpdate: last, problems: integrity.problems)
            // Last, so a file of another schema is refused as such first.
            try StringAttributesChecksum.verify(f, what: EpisodeLogSchema.stringAttributes)
            return summary
        }
    }
}
