import PPO

extension EpisodeLog {
    /// Logs one update, solo or cluster: its episodes (ids continue from the run's count before
    /// the update) and its update row. `totalEpisodes`, `totalSteps`: the run's counts after the
    /// update; `wallTime`: the run's clock (the log's offset included).
    public func append(
        _ report: UpdateReport, totalEpisodes: Int, totalSteps: Int, wallTime: Double, seconds: Double
    ) throws {
        let firstID = totalEpisodes - report.played.count
        let rows = zip(report.played, report.costs).enumerated().map { i, pair in
            EpisodeRow(
                id: Int64(firstID + i), task: Int32(pair.0.task), actor: Int32(bitPattern: pair.0.actor),
                policyVersion: Int64(bitPattern: pair.0.policyVersion), cost: Int64(pair.1),
                order: pair.0.order.map { Int32(truncatingIfNeeded: $0) }, wallTime: wallTime)
        }
        try append(
            episodes: rows,
            update: UpdateRow(
                update: Int64(report.update), wallTime: wallTime, seconds: seconds, episodes: Int64(totalEpisodes),
                steps: Int64(totalSteps), meanCost: report.meanCost, batchBestCost: Int64(report.batchBest),
                bestCost: Int64(report.best), metrics: report.metrics))
    }
}
