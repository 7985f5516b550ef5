import ArgumentParser
import Checkpoint
import Foundation
import NeuralNet
import PPO

/// `ccelim debug …`: hidden helpers for tests that need a real second process.
struct DebugCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug",
        abstract: "Test helpers (not for users).",
        shouldDisplay: false,
        subcommands: [WriteCheckpointsCommand.self]
    )
}

/// Writes checkpoints (and, with --log, episode-log rows) in a tight loop, continuing after the
/// newest intact checkpoint in --dir, and prints "wrote N" after each. The crash-safety test
/// SIGKILLs it at random moments and checks what is left on disk.
struct WriteCheckpointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write-checkpoints",
        abstract: "Write synthetic checkpoints in a loop (crash-safety tests).",
        shouldDisplay: false
    )

    @Option(help: "Run directory.") var dir: String
    @Option(help: "Checkpoints to write before exiting.") var count = 1000
    @Option(help: "Numbered checkpoints to keep.") var keep = 3
    @Flag(help: "Also append one update of episodes to DIR/episodes.h5 per checkpoint.") var log = false

    func run() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let directory = CheckpointDirectory(path: dir, keep: keep)
        let start = (directory.newestIntact()?.snapshot.updates ?? 0) + 1
        let network = try PolicyNetwork(config: .small, maxBatch: 1, maxTokens: 8, seed: 1)
        let episodeLog =
            try log
            ? EpisodeLog.resume(
                at: URL(fileURLWithPath: dir).appendingPathComponent("episodes.h5").path, tasks: ["synthetic"],
                codeVersion: ccelimVersion, checkpointUpdates: start - 1, checkpointEpisodes: 4 * (start - 1)) : nil
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
            try directory.save(Self.snapshot(update: update, network: network), codeVersion: ccelimVersion)
            print("wrote \(update)")
            fflush(stdout)
        }
        try episodeLog?.close()
    }

    /// A deterministic snapshot of the small network whose numbers depend on `update`.
    static func snapshot(update: Int, network: PolicyNetwork) -> TrainerSnapshot {
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
