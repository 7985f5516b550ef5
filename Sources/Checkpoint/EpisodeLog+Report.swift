import PPO

extension EpisodeLog {
    /// Logs one SoloTrainer update: its episodes (ids continue from `trainer.episodes` before the
    /// update) and its update row. `wallTime` is seconds since this process began training;
    /// the log adds its offset so a resumed run continues the clock.
    public func append(_ report: SoloTrainer.Report, trainer: SoloTrainer, wallTime: Double, seconds: Double) throws {
        let time = wallTimeOffset + wallTime
        let firstID = trainer.episodes - report.played.count
        let rows = zip(report.played, report.costs).enumerated().map { i, pair in
            EpisodeRow(id: Int64(firstID + i), task: Int32(pair.0.task), actor: Int32(pair.0.actor),
                       policyVersion: Int64(bitPattern: pair.0.policyVersion), cost: Int64(pair.1), order: pair.0.order, wallTime: time)
        }
        try append(episodes: rows, update: UpdateRow(
            update: Int64(report.update), wallTime: time, seconds: seconds, episodes: Int64(trainer.episodes),
            steps: Int64(trainer.steps), meanCost: report.meanCost, batchBestCost: Int64(report.batchBest),
            bestCost: Int64(report.best), metrics: report.metrics))
    }
}
