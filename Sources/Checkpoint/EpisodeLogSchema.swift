import HDF5
import PPO

/// The episode log's file format (Docs/CHECKPOINT.md, "Episode log"): three extendable datasets
/// that only ever grow, so an SWMR reader (h5py with swmr=True) can follow them while training runs.
/// Orders are one flat int32 dataset plus an offset and a length per episode, not
/// variable-length rows: those live in HDF5's global heap, which SWMR readers cannot follow.
enum EpisodeLogSchema {
    static let format = "ccelim-episodes"
    /// 2 added `/committed`; version 1 logs (no commit record) are still read, all rows trusted.
    static let version: Int64 = 2

    /// The first version with `/committed`.
    static let committedSinceVersion: Int64 = 2

    /// Root attribute: the run's algorithm (`AlgorithmKind`); absent in logs written before
    /// AlphaZero, which are PPO's. Both algorithms write the same rows (AlphaZero leaves the
    /// PPO-only metrics at 0).
    static let algorithmAttribute = "algorithm"

    /// The algorithm a log was written by.
    static func algorithm(_ f: StoredFile) throws -> AlgorithmKind {
        guard try f.hdf5.attributes.contains(algorithmAttribute) else { return .ppo }
        let name = try f.string(f.hdf5.root, algorithmAttribute)
        guard let kind = AlgorithmKind(rawValue: name) else {
            throw f.schema("the algorithm '\(name)' is unknown to this build")
        }
        return kind
    }

    /// What the log's string attributes hold, for the message when their checksum
    /// (`StringAttributesChecksum`, root attribute `strings_fnv1a64`, optional) does not match.
    static let stringAttributes = "format, code version, tasks, algorithm, metric names"

    static let episodes = "episodes"
    static let orders = "orders"
    static let updates = "updates"
    static let committed = "committed"

    /// `/committed`: one row, overwritten after each update's rows are flushed and flushed
    /// itself. Rows past these counts were never committed (the writer died or the disk filled
    /// mid-update) and every reader ignores them. `update` is the last committed update number
    /// (0 before the first).
    static let committedLayout = HDF5CompoundLayout([
        .init("update", .int64), .init("updates", .int64), .init("episodes", .int64), .init("order_values", .int64),
    ])

    /// One row per finished episode; its order is orders[order_offset : order_offset + length].
    static let episodeLayout = HDF5CompoundLayout([
        .init("id", .int64), .init("task", .int32), .init("actor", .int32), .init("policy_version", .int64),
        .init("cost", .int64), .init("length", .int32), .init("wall_time", .double), .init("order_offset", .int64),
    ])

    /// One row per PPO update: counters, costs, then every UpdateMetrics field under its name with
    /// '/' replaced by '_' (the original names are the `metric_names` attribute of /updates).
    static let updateLayout = HDF5CompoundLayout(
        [
            .init("update", .int64), .init("wall_time", .double), .init("seconds", .double), .init("episodes", .int64),
            .init("steps", .int64), .init("episodes_per_second", .double), .init("mean_cost", .double),
            .init("batch_best_cost", .int64), .init("best_cost", .int64),
        ] + UpdateMetrics().named.map { .init(columnName($0.0), .float) })

    static func columnName(_ metric: String) -> String {
        metric.replacingOccurrences(of: "/", with: "_")
    }

    static let episodeChunkRows = 1024
    static let orderChunkValues = 16_384
    static let updateChunkRows = 64
}
