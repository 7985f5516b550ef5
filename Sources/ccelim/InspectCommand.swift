import ArgumentParser
import Checkpoint
import Console
import Foundation
import PPO
import Reports

/// `ccelim inspect FILE [--json]`: what a checkpoint or an episode log holds. A checkpoint is
/// read in full and verified (checksums included), so a clean `inspect` means it will load. An
/// episode log is checked too: rows never committed (a writer stopped mid-update) or committed
/// rows that are zero-filled or torn make it exit non-zero, naming the file and the problem.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a checkpoint (.h5) or episode log holds; verifies a checkpoint in full."
    )

    @Argument(help: "A checkpoint (checkpoint.h5, checkpoint-NNNNNN.h5) or an episode log (episodes.h5).") var file:
        String
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: file) else { throw CLIError("no such file: \(file)") }
        switch StoredFormat.of(file) {
        case .episodeLog:
            let summary: EpisodeLogSummary
            do { summary = try EpisodeLogSummary.read(file) } catch let error as CheckpointError {
                throw CLIError("episode log \(error)")
            }
            show(summary)
            if summary.isDamaged {
                throw CLIError("episode log '\(file)' is damaged: \(summary.problems.joined(separator: "; "))")
            }
        default:
            // Anything else goes through the checkpoint reader, whose error says what the file is not.
            let snapshot: TrainerSnapshot
            do { snapshot = try CheckpointFile.read(file) } catch let error as CheckpointError {
                throw CLIError("checkpoint \(error)")
            }
            show(snapshot)
        }
    }

    private func show(_ s: TrainerSnapshot) {
        if json {
            print(StoredFileReport.json(s, file: file).text)
        } else {
            StoredFileReport.lines(s, file: file).forEach { print($0) }
        }
    }

    private func show(_ s: EpisodeLogSummary) {
        if json {
            print(StoredFileReport.json(s, file: file).text)
        } else {
            StoredFileReport.lines(s, file: file).forEach { print($0) }
        }
    }
}
