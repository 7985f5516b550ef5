import HDF5

/// The episode log's commit record (`/committed`, Docs/CHECKPOINT.md): how many rows of each
/// dataset a reader may trust, written last after each update.
struct EpisodeLogCommit: Equatable {
    /// The last committed update number (0 before the first).
    var update: Int64
    var updates: Int
    var episodes: Int
    var orderValues: Int

    static let none = EpisodeLogCommit(update: 0, updates: 0, episodes: 0, orderValues: 0)

    var row: [HDF5Value] {
        [.int64(update), .int64(Int64(updates)), .int64(Int64(episodes)), .int64(Int64(orderValues))]
    }

    /// Reads row 0 of `/committed`; a record of another shape or with negative counts is `.wrongSchema`.
    static func read(_ dataset: HDF5Dataset) throws -> EpisodeLogCommit {
        let rows = try dataset.rowCount()
        guard rows == 1 else {
            throw CheckpointError(
                .wrongSchema, dataset.file.path,
                "does not follow the episode log schema: /committed holds \(rows) rows, not 1")
        }
        let read = { (field: String) in try dataset.column(field, as: Int64.self)[0] }
        let commit = EpisodeLogCommit(
            update: try read("update"), updates: Int(try read("updates")),
            episodes: Int(try read("episodes")), orderValues: Int(try read("order_values")))
        guard commit.updates >= 0, commit.episodes >= 0, commit.orderValues >= 0 else {
            throw CheckpointError(
                .wrongSchema, dataset.file.path,
                "does not follow the episode log schema: /committed holds negative counts")
        }
        return commit
    }
}
