import HDF5
import PPO

/// `runs/NAME/episodes.h5`, written as training runs: one row per finished episode (its order
/// in the flat `orders` dataset) and one per update. The file is in SWMR write mode the whole
/// time and every `append` ends with a flush, so h5py (swmr=True) sees each update's rows as soon
/// as `append` returns and a kill loses at most the update being written.
public final class EpisodeLog {
    public let path: String
    let file: HDF5File
    let episodes: HDF5Dataset
    let orders: HDF5Dataset
    let updates: HDF5Dataset
    /// Rows in each dataset (values in `orders`), kept here so an append needs no query.
    public private(set) var episodeRows: Int
    public private(set) var orderValues: Int
    public private(set) var updateRows: Int
    /// Training wall time already logged before this process (a resumed run continues the clock
    /// from its last logged update instead of counting the time it was stopped).
    public let wallTimeOffset: Double

    public struct EpisodeRow: Equatable, Sendable {
        public var id: Int64
        public var task: Int32
        public var actor: Int32
        public var policyVersion: Int64
        public var cost: Int64
        public var order: [Int32]
        /// Seconds of training wall time when the episode finished.
        public var wallTime: Double

        public init(id: Int64, task: Int32, actor: Int32, policyVersion: Int64, cost: Int64, order: [Int32], wallTime: Double) {
            self.id = id
            self.task = task
            self.actor = actor
            self.policyVersion = policyVersion
            self.cost = cost
            self.order = order
            self.wallTime = wallTime
        }
    }

    public struct UpdateRow: Equatable, Sendable {
        public var update: Int64
        public var wallTime: Double
        /// Duration of this update (rollouts + PPO).
        public var seconds: Double
        /// Episodes and steps since the run began (after this update).
        public var episodes: Int64
        public var steps: Int64
        public var meanCost: Double
        public var batchBestCost: Int64
        public var bestCost: Int64
        public var metrics: UpdateMetrics

        public init(update: Int64, wallTime: Double, seconds: Double, episodes: Int64, steps: Int64, meanCost: Double,
                    batchBestCost: Int64, bestCost: Int64, metrics: UpdateMetrics) {
            self.update = update
            self.wallTime = wallTime
            self.seconds = seconds
            self.episodes = episodes
            self.steps = steps
            self.meanCost = meanCost
            self.batchBestCost = batchBestCost
            self.bestCost = bestCost
            self.metrics = metrics
        }
    }

    private init(path: String, file: HDF5File, wallTimeOffset: Double) throws {
        self.path = path
        self.file = file
        self.wallTimeOffset = wallTimeOffset
        episodes = try file.root.openDataset(EpisodeLogSchema.episodes)
        orders = try file.root.openDataset(EpisodeLogSchema.orders)
        updates = try file.root.openDataset(EpisodeLogSchema.updates)
        episodeRows = try episodes.rowCount()
        orderValues = try orders.rowCount()
        updateRows = try updates.rowCount()
    }

    /// Starts a new, empty log at `path` (replacing any file there).
    public static func create(at path: String, tasks: [String], codeVersion: String) throws -> EpisodeLog {
        try DurableFile.replace(path) { temporary in
            try writeFailure(path) { try createEmpty(temporary, tasks: tasks, codeVersion: codeVersion).close() }
        }
        return try openForAppending(path, wallTimeOffset: 0)
    }

    /// Opens the finished file at `path` as an SWMR writer.
    static func openForAppending(_ path: String, wallTimeOffset: Double) throws -> EpisodeLog {
        try writeFailure(path) {
            let file = try HDF5File.open(path, mode: .swmrWrite)
            do {
                return try EpisodeLog(path: path, file: file, wallTimeOffset: wallTimeOffset)
            } catch {
                try? file.close()
                throw error
            }
        }
    }

    /// A log with its header and empty datasets, not yet in SWMR mode (attributes can still be added).
    static func createEmpty(_ path: String, tasks: [String], codeVersion: String) throws -> HDF5File {
        let file = try HDF5File.create(path, swmrCapable: true)
        do {
            let a = file.attributes
            try a.write("format", EpisodeLogSchema.format)
            try a.write("version", EpisodeLogSchema.version)
            try a.write("code_version", codeVersion)
            try a.write("tasks", tasks.joined(separator: "\n"))
            let root = file.root
            try root.createCompoundDataset(EpisodeLogSchema.episodes, layout: EpisodeLogSchema.episodeLayout,
                                           chunkRows: EpisodeLogSchema.episodeChunkRows)
            try root.createExtendableDataset(EpisodeLogSchema.orders, of: Int32.self, chunkRows: EpisodeLogSchema.orderChunkValues)
            let updates = try root.createCompoundDataset(EpisodeLogSchema.updates, layout: EpisodeLogSchema.updateLayout,
                                                         chunkRows: EpisodeLogSchema.updateChunkRows)
            try updates.attributes.write("metric_names", UpdateMetrics().named
                .map { "\(EpisodeLogSchema.columnName($0.0)) \($0.0)" }.joined(separator: "\n"))
            return file
        } catch {
            try? file.close()
            throw error
        }
    }

    /// Appends one update's episodes (their orders first, so a reader that sees an episode row
    /// also finds its order) and the update's row, then flushes so SWMR readers see them.
    public func append(episodes rows: [EpisodeRow], update: UpdateRow) throws {
        try Self.writeFailure(path) {
            let flat = rows.flatMap(\.order)
            try orders.append(flat)
            var offset = Int64(orderValues)
            let packed: [[HDF5Value]] = rows.map { row in
                defer { offset += Int64(row.order.count) }
                return [.int64(row.id), .int32(row.task), .int32(row.actor), .int64(row.policyVersion), .int64(row.cost),
                        .int32(Int32(row.order.count)), .double(row.wallTime), .int64(offset)]
            }
            try episodes.appendRows(packed)
            let u = update
            try updates.appendRow([.int64(u.update), .double(u.wallTime), .double(u.seconds), .int64(u.episodes), .int64(u.steps),
                                   .double(u.seconds > 0 ? Double(rows.count) / u.seconds : 0), .double(u.meanCost),
                                   .int64(u.batchBestCost), .int64(u.bestCost)] + u.metrics.named.map { .float($0.1) })
            try file.flush()
            orderValues += flat.count
            episodeRows += rows.count
            updateRows += 1
        }
    }

    public func close() throws {
        try Self.writeFailure(path) { try file.close() }
    }

    static func writeFailure<R>(_ path: String, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as HDF5Error {
            throw CheckpointError(.writeFailed, path, "could not write the episode log", cause: error)
        }
    }
}
