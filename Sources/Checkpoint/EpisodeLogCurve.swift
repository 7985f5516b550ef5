import HDF5

/// The training curve in an episode log: per update, wall time, best cost so far and the batch's
/// mean cost, over the committed updates only (EpisodeLogIntegrity). Read as an SWMR reader, so
/// it works while a run is still writing; a log whose committed rows are damaged is refused.
public struct EpisodeLogCurve: Sendable {
    public var tasks: [String]
    public var updates: [Int]
    public var wallTime: [Double]
    public var bestCost: [Int]
    public var meanCost: [Double]

    public static func read(_ path: String) throws -> EpisodeLogCurve {
        let f = try StoredFile.open(
            path, what: "episode log", format: EpisodeLogSchema.format,
            version: EpisodeLogSchema.version, swmr: true)
        defer { try? f.hdf5.close() }
        return try f.mapping {
            let integrity = try EpisodeLogIntegrity.check(f)
            guard integrity.damage.isEmpty else {
                throw CheckpointError(
                    .corrupted, path, "the episode log is damaged: \(integrity.damage.joined(separator: "; "))")
            }
            let rows = try f.dataset(f.hdf5.root, EpisodeLogSchema.updates)
            let committed = 0..<integrity.commit.updates
            let curve = EpisodeLogCurve(
                tasks: try f.lines(f.hdf5.root, "tasks"),
                updates: try rows.column("update", as: Int64.self, rows: committed).map(Int.init),
                wallTime: try rows.column("wall_time", as: Double.self, rows: committed),
                bestCost: try rows.column("best_cost", as: Int64.self, rows: committed).map(Int.init),
                meanCost: try rows.column("mean_cost", as: Double.self, rows: committed))
            try StringAttributesChecksum.verify(f, what: EpisodeLogSchema.stringAttributes)
            return curve
        }
    }
}
