import HDF5

/// The training curve in an episode log: per update, wall time, best cost so far and the batch's
/// mean cost. Read as an SWMR reader, so it works while a run is still writing.
public struct EpisodeLogCurve: Sendable {
    public var tasks: [String]
    public var updates: [Int]
    public var wallTime: [Double]
    public var bestCost: [Int]
    public var meanCost: [Double]

    public static func read(_ path: String) throws -> EpisodeLogCurve {
        let f = try StoredFile.open(path, what: "episode log", format: EpisodeLogSchema.format,
                                    version: EpisodeLogSchema.version, swmr: true)
        defer { try? f.hdf5.close() }
        return try f.mapping {
            let rows = try f.dataset(f.hdf5.root, EpisodeLogSchema.updates)
            return EpisodeLogCurve(
                tasks: try f.lines(f.hdf5.root, "tasks"),
                updates: try rows.column("update", as: Int64.self).map(Int.init),
                wallTime: try rows.column("wall_time", as: Double.self),
                bestCost: try rows.column("best_cost", as: Int64.self).map(Int.init),
                meanCost: try rows.column("mean_cost", as: Double.self))
        }
    }
}
