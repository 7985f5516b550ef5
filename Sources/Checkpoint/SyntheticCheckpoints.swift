import Foundation
import NeuralNet
import PPO

/// Writes synthetic checkpoints (and, with `log`, episode-log rows) in a tight loop, continuing
/// after the newest intact checkpoint in `dir` (`ccelim debug write-checkpoints`). The crash-safety
/// test SIGKILLs that process at random moments and checks what is left on disk.
public struct SyntheticCheckpoints {
    public var dir: String
    public var count: Int
    public var keep: Int
    public var log: Bool
    public var codeVersion: String

    public init(dir: String, count: Int, keep: Int, log: Bool, codeVersion: String) {
        self.dir = dir
        self.count = count
        self.keep = keep
        self.log = log
        self.codeVersion = codeVersion
    }

    /// Writes `count` checkpoints after the newest intact one in `dir`, calling `wrote` after each.
    public func run(wrote: (Int) -> Void) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let directory = CheckpointDirectory(path: dir, keep: keep)
        let start = (directory.newestIntact()?.snapshot.updates ?? 0) + 1
        let network = try PolicyNetwork(config: .small, maxBatch: 1, maxTokens: 8, seed: 1)
        let episodeLog =
            try log
            ? EpisodeLog.resume(
                at: URL(fileURLWithPath: dir).appendingPathComponent("episodes.h5").path, tasks: ["synthetic"],
                codeVersion: codeVersion, checkpointUpdates: start - 1, checkpointEpisodes: 4 * (start - 1)) : nil
        for update in start..<(start + count) {
            // The trainer's order: the update's log rows first, then its checkpoint.
            if let episodeLog {
                let rows = (0..<4).map { i in
                    EpisodeLog.EpisodeRow(
                        id: Int64(4 * (update - 1) + i), task: 0, actor: 0, policyVersion: Int64(update - 1),
                        cost: Int64(100 + i), order: [3, 1, 2], wallTime: Double(update))
                }
                try episodeLog.append(
                    episodes: rows,
                    update: EpisodeLog.UpdateRow(
                        update: Int64(update), wallTime: Double(update), seconds: 1, episodes: Int64(4 * update),
                        steps: Int64(12 * update),
                        meanCost: 101.5, batchBestCost: 100, bestCost: 100, metrics: UpdateMetrics()))
            }
            try directory.save(Self.snapshot(update: update, network: network), codeVersion: codeVersion)
            wrote(update)
        }
        try episodeLog?.close()
    }

    /// A deterministic snapshot of the small network whose numbers depend on `update`.
    public static func snapshot(update: Int, network: PolicyNetwork) -> TrainerSnapshot {
        let store = network.store
        let base = Array(UnsafeBufferPointer(start: store.parameters, count: store.count))
        let shift = Float(update)
        return TrainerSnapshot(
            tasks: ["synthetic"], network: network.config, hyperparameters: Hyperparameters(),
            configText: "debug write-checkpoints",
            seed: 1, tensors: store.layout.tensors.map { ($0.name, $0.shape) },
            parameters: base.map { $0 + shift }, firstMoment: base.map { $0 * shift },
            secondMoment: base.map { $0 * $0 + shift },
            adamStep: update, updates: update, policyVersion: UInt64(update), episodes: 4 * update, steps: 12 * update,
            rngStates: ["learner": [1, 2, 3, UInt64(update), 0, 0]],
            best: ["synthetic": BestOrder(cost: update, order: [3, 1, 2])],
            baselines: ["synthetic": [3, 2, 1]])
    }
}
