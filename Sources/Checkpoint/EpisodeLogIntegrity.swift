import HDF5

/// Which rows of an episode log a reader may trust, and what is wrong with the rest. Trusted
/// rows are those the commit record counts (version 2; a version 1 log has none, so all its rows
/// count); they are then checked for what a torn or zero-filled write leaves behind: update
/// numbers that do not increase, episode ids that are not consecutive from 0, orders that do
/// not tile `/orders`.
struct EpisodeLogIntegrity {
    /// The rows a reader may use.
    var commit: EpisodeLogCommit
    /// Rows stored in each dataset (at least the committed ones when intact).
    var storedUpdates: Int, storedEpisodes: Int, storedOrderValues: Int
    /// Committed rows that are inconsistent: the log is damaged, not merely cut short.
    var damage: [String] = []

    /// Rows written after the last commit: a writer stopped mid-update (killed, disk full).
    var uncommitted: String? {
        let extra = (
            storedUpdates - commit.updates, storedEpisodes - commit.episodes, storedOrderValues - commit.orderValues
        )
        guard extra.0 > 0 || extra.1 > 0 || extra.2 > 0 else { return nil }
        let last =
            commit.updates == 0
            ? "before the first update was committed" : "after the last committed update \(commit.update)"
        return
            "\(extra.0) update rows, \(extra.1) episode rows and \(extra.2) order values were written \(last) but never "
            + "committed (the writer stopped mid-update: killed, or the disk was full); readers ignore them"
    }

    /// Everything wrong, for `ccelim inspect`.
    var problems: [String] { damage + (uncommitted.map { [$0] } ?? []) }

    static func check(_ f: StoredFile) throws -> EpisodeLogIntegrity {
        let root = f.hdf5.root
        let u = try f.dataset(root, EpisodeLogSchema.updates)
        let e = try f.dataset(root, EpisodeLogSchema.episodes)
        let o = try f.dataset(root, EpisodeLogSchema.orders)
        for (dataset, layout) in [(u, EpisodeLogSchema.updateLayout), (e, EpisodeLogSchema.episodeLayout)]
        where dataset.elementType != .compound(layout) {
            throw f.schema(
                "\(dataset.name) holds \(dataset.elementType.summary), this build reads \(HDF5ElementType.compound(layout).summary)"
            )
        }
        guard o.elementType == .scalar(.int32) else {
            throw f.schema("\(o.name) holds \(o.elementType.summary), not int32")
        }
        var result = EpisodeLogIntegrity(
            commit: .none, storedUpdates: try u.rowCount(), storedEpisodes: try e.rowCount(),
            storedOrderValues: try o.rowCount())
        if f.version >= EpisodeLogSchema.committedSinceVersion {
            let c = try f.dataset(root, EpisodeLogSchema.committed)
            guard c.elementType == .compound(EpisodeLogSchema.committedLayout) else {
                throw f.schema(
                    "\(c.name) holds \(c.elementType.summary), this build reads \(HDF5ElementType.compound(EpisodeLogSchema.committedLayout).summary)"
                )
            }
            result.commit = try EpisodeLogCommit.read(c)
        } else {
            let last =
                result.storedUpdates > 0
                ? try u.column("update", as: Int64.self, rows: (result.storedUpdates - 1)..<result.storedUpdates)[0] : 0
            result.commit = EpisodeLogCommit(
                update: last, updates: result.storedUpdates, episodes: result.storedEpisodes,
                orderValues: result.storedOrderValues)
        }
        let c = result.commit
        guard c.updates <= result.storedUpdates, c.episodes <= result.storedEpisodes,
            c.orderValues <= result.storedOrderValues
        else {
            result.damage.append(
                "the commit record counts \(c.updates) update rows, \(c.episodes) episode rows and \(c.orderValues) order values, "
                    + "but only \(result.storedUpdates), \(result.storedEpisodes) and \(result.storedOrderValues) are stored"
            )
            return result
        }
        let numbers = try u.column("update", as: Int64.self, rows: 0..<c.updates)
        if let row = numbers.indices.first(where: { numbers[$0] <= ($0 > 0 ? numbers[$0 - 1] : 0) }) {
            let previous = row > 0 ? numbers[row - 1] : 0
            result.damage.append(
                "update row \(row) holds update number \(numbers[row]) after \(previous) (a zero-filled or torn row)")
        }
        if c.updates > 0, numbers.last != c.update {
            result.damage.append(
                "the commit record names update \(c.update), the last committed update row holds \(numbers.last ?? 0)")
        }
        let ids = try e.column("id", as: Int64.self, rows: 0..<c.episodes)
        if let row = ids.indices.first(where: { ids[$0] != Int64($0) }) {
            result.damage.append("episode row \(row) holds id \(ids[row]), not \(row) (a zero-filled or torn row)")
        }
        let offsets = try e.column("order_offset", as: Int64.self, rows: 0..<c.episodes)
        let lengths = try e.column("length", as: Int32.self, rows: 0..<c.episodes)
        var end: Int64 = 0
        for row in 0..<c.episodes {
            guard offsets[row] == end, lengths[row] > 0 else {
                result.damage.append(
                    "episode row \(row)'s order (offset \(offsets[row]), length \(lengths[row])) does not follow the previous one, which ends at \(end)"
                )
                break
            }
            end += Int64(lengths[row])
        }
        if result.damage.isEmpty, end != Int64(c.orderValues) {
            result.damage.append(
                "the committed episodes' orders end at \(end), the commit record counts \(c.orderValues) order values")
        }
        return result
    }
}
