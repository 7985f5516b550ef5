import ArgumentParser
import Checkpoint
import Foundation

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
        try SyntheticCheckpoints(dir: dir, count: count, keep: keep, log: log, codeVersion: ccelimVersion).run {
            print("wrote \($0)")
            fflush(stdout)
        }
    }
}
