import HDF5
import PPO

/// `runs/NAME/episodes.h5`, written as training runs: one row per finished episode (its order
/// in the flat `orders` dataset) and one per update. The file is in SWMR write mode the whole
/// time. Each `append` writes the update's rows, flushes, then overwrites the `/committed` row
/// with the new row counts and flushes again, so a reader that trusts only committed rows never
/// sees a torn or zero-filled update, and a kill or a full disk loses at most the update being
/// written. A failed append closes the file for good (see `append`).
public final class EpisodeLog {
    public let path: String
    let file: HDF5File
    let episodes: HDF5Dataset
    let orders: HDF5Dataset
    let updates: HDF5Dataset
    let committed: HDF5Dataset
    /// The last update number committed (0 before the first).
    public private(set) var lastCommittedUpdate: Int64
    /// Why the log stopped taking rows, once an append failed; later appends throw it again.
    private var failure: CheckpointError?
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

        public init(
            id: Int64, task: Int32, actor: Int32, policyVersion: Int64, cost: Int64, order: [Int32], wallTime: Double
        ) {
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

        public init(
            update: Int64, wallTime: Double, seconds: Double, episodes: Int64, steps: Int64, meanCost: Double,
            batchBestCost: Int64, bestCost: Int64, metrics: UpdateMetrics
        ) {
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
        committed = try file.root.openDataset(EpisodeLogSchema.committed)
        // Written by create/resume, whose files hold exactly their committed rows.
        let c = try EpisodeLogCommit.read(committed)
        episodeRows = c.episodes
        orderValues = c.orderValues
        updateRows = c.updates
        lastCommittedUpdate = c.update
    }

    /// Starts a new, empty log at `path` (replacing any file there) for a run of `algorithm`.
    public static func create(
        at path: String, tasks: [String], codeVersion: String, algorithm: AlgorithmKind = .ppo
    ) throws -> EpisodeLog {
        try DurableFile.replace(path) { temporary in
            try writeFailure(path) {
                try createEmpty(temporary, tasks: tasks, codeVersion: codeVersion, algorithm: algorithm).close()
            }
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
    static func createEmpty(
        _ path: String, tasks: [String], codeVersion: String, algorithm: AlgorithmKind
    ) throws -> HDF5File {
        let file = try HDF5File.create(path, swmrCapable: true)
        do {
            let a = file.attributes
            try a.write("format", EpisodeLogSchema.format)
            try a.write("version", EpisodeLogSchema.version)
            try a.write("code_version", codeVersion)
            try a.write("tasks", tasks.joined(separator: "\n"))
            try a.write(EpisodeLogSchema.algorithmAttribute, algorithm.rawValue)
            let root = file.root
            try root.createCompoundDataset(
                EpisodeLogSchema.episodes, layout: EpisodeLogSchema.episodeLayout,
                chunkRows: EpisodeLogSchema.episodeChunkRows)
            try root.createExtendableDataset(
                EpisodeLogSchema.orders, of: Int32.self, chunkRows: EpisodeLogSchema.orderChunkValues)
            let updates = try root.createCompoundDataset(
                EpisodeLogSchema.updates, layout: EpisodeLogSchema.updateLayout,
                chunkRows: EpisodeLogSchema.updateChunkRows)
            try updates.attributes.write(
                "metric_names",
                UpdateMetrics().named
                    .map { "\(EpisodeLogSchema.columnName($0.0)) \($0.0)" }.joined(separator: "\n"))
            let committed = try root.createCompoundDataset(
                EpisodeLogSchema.committed, layout: EpisodeLogSchema.committedLayout, chunkRows: 1)
            try committed.appendRow(EpisodeLogCommit.none.row)
            // Last: every string attribute is written by now (the file then turns SWMR and takes no more).
            try StringAttributesChecksum.record(in: root)
            return file
        } catch {
            try? file.close()
            throw error
        }
    }

    /// Appends one update's episodes (their orders first, so a reader that sees an episode row
    /// also finds its order) and the update's row, flushes, then commits them (`/committed`,
    /// flushed again) so SWMR readers see and trust them. If any step fails (ENOSPC, EIO), the
    /// file is closed at once and every later append throws the same error: HDF5 cannot be
    /// trusted with a file whose flush failed, and the committed rows on disk stay as they were.
    public func append(episodes rows: [EpisodeRow], update: UpdateRow) throws {
        if let failure { throw failure }
        do {
            try Self.writeFailure(path) {
                let flat = rows.flatMap(\.order)
                try orders.append(flat)
                var offset = Int64(orderValues)
                let packed: [[HDF5Value]] = rows.map { row in
                    defer { offset += Int64(row.order.count) }
                    return [
                        .int64(row.id), .int32(row.task), .int32(row.actor), .int64(row.policyVersion),
                        .int64(row.cost),
                        .int32(Int32(row.order.count)), .double(row.wallTime), .int64(offset),
                    ]
                }
                try episodes.appendRows(packed)
                let u = update
                try updates.appendRow(
                    [
                        .int64(u.update), .double(u.wallTime), .double(u.seconds), .int64(u.episodes), .int64(u.steps),
                        .double(u.seconds > 0 ? Double(rows.count) / u.seconds : 0), .double(u.meanCost),
                        .int64(u.batchBestCost), .int64(u.bestCost),
                    ] + u.metrics.named.map { .float($0.1) })
                try file.flush()
                let commit = EpisodeLogCommit(
                    update: u.update, updates: updateRows + 1, episodes: episodeRows + rows.count,
                    orderValues: orderValues + flat.count)
                try committed.writeRows([commit.row], at: 0)
                try file.flush()
                orderValues = commit.orderValues
                episodeRows = commit.episodes
                updateRows = commit.updates
                lastCommittedUpdate = commit.update
            }
        } catch let error as CheckpointError {
            failure = error
            // Closing flushes again and fails again; the wrapper then abandons the file so that
            // nothing (not even process exit) hands it back to HDF5.
            try? file.close()
            throw error
        }
    }

    /// Closes the file. After a failed append it was already closed; this is then a no-op.
    public func close() throws {
        if failure != nil { return }
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
