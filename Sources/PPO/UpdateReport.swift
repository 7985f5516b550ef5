/// What one update reports, solo or in the cluster: for the progress line, the episode log,
/// updates.jsonl and the best-order notices.
public struct UpdateReport: Sendable {
    /// The update's number over the whole run (1 = the first).
    public var update: Int
    /// The weights version this update produced.
    public var policyVersion: UInt64
    /// Episodes trained on.
    public var episodes: Int
    public var meanCost: Double
    public var batchBest: Int
    /// Best cost so far of the first task (the one task of a single-task run).
    public var best: Int
    /// Best cost so far per task index.
    public var bestByTask: [Int: Int]
    /// Tasks whose best order improved in this batch.
    public var improvedTasks: [Int]
    public var metrics: UpdateMetrics
    /// The games trained on, in batch order (what the episode log keeps of each, whatever the
    /// algorithm), and their costs as the replay computed them.
    public var played: [GameRecord]
    public var costs: [Int]
    /// Episodes of this batch refused before training, by reason.
    public var refused: EpisodeDrops
}
