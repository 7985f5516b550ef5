import HDF5

/// What `ccelim inspect` shows of an episode log: row counts and the last update. Opened as an
/// SWMR reader, so it works on a log that a training run is still writing.
public struct EpisodeLogSummary: Sendable {
    public var version: Int64
    public var codeVersion: String
    public var tasks: [String]
    public var episodes: Int
    public var orderValues: Int
    public var updates: Int
    /// The last update row's number, training wall time and best cost.
    public var lastUpdate: (update: Int, wallTime: Double, bestCost: Int)?

    public static func read(_ path: String) throws -> EpisodeLogSummary {
        let f = try StoredFile.open(path, what: "episode log", format: EpisodeLogSchema.format,
                                    version: EpisodeLogSchema.version, swmr: true)
        defer { try? f.hdf5.close() }
        return try f.mapping {
            let root = f.hdf5.root
            let updates = try f.dataset(root, EpisodeLogSchema.updates)
            let count = try updates.rowCount()
            var last: (Int, Double, Int)?
            if count > 0 {
                let row = (count - 1)..<count
                last = (Int(try updates.column("update", as: Int64.self, rows: row)[0]),
                        try updates.column("wall_time", as: Double.self, rows: row)[0],
                        Int(try updates.column("best_cost", as: Int64.self, rows: row)[0]))
            }
            return EpisodeLogSummary(
                version: f.version, codeVersion: try f.string(root, "code_version"), tasks: try f.lines(root, "tasks"),
                episodes: try f.dataset(root, EpisodeLogSchema.episodes).rowCount(),
                orderValues: try f.dataset(root, EpisodeLogSchema.orders).rowCount(), updates: count, lastUpdate: last)
        }
    }
}
