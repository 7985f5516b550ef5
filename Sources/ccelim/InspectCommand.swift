import ArgumentParser
import Checkpoint
import Console
import Foundation
import PPO

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
        let checksum = CheckpointFile.checksumText(s)
        if json {
            print(
                JSON.object([
                    ("file", .string(file)), ("kind", .string("checkpoint")),
                    ("format", .string(StoredFormat.checkpoint.rawValue)),
                    ("version", .int(Int(CheckpointFile.version))), ("tasks", .array(s.tasks.map { .string($0) })),
                    ("updates", .int(s.updates)), ("policy_version", .int(Int(truncatingIfNeeded: s.policyVersion))),
                    ("episodes", .int(s.episodes)), ("steps", .int(s.steps)), ("adam_step", .int(s.adamStep)),
                    ("seed", .string(String(s.seed))), ("network", .string(s.network.name)),
                    ("config", .string(s.configText)), ("parameter_count", .int(s.parameters.count)),
                    ("checksum_fnv1a64", .string(checksum)),
                    ("parameters", .object(s.tensors.map { ($0.name, .ints($0.shape)) })),
                    (
                        "best",
                        .object(
                            s.best.sorted { $0.key < $1.key }.map {
                                ($0.key, .object([("cost", .int($0.value.cost)), ("order", .ints($0.value.order))]))
                            })
                    ),
                    (
                        "baselines",
                        .object(
                            s.baselines.sorted { $0.key < $1.key }.map { task, b in
                                (task, .object(zip(["forward", "reverse", "markowitz"], b).map { ($0, .int($1)) }))
                            })
                    ),
                ]).text)
            return
        }
        print("\(file): ccelim checkpoint, version \(CheckpointFile.version), intact (checksum \(checksum))")
        print("tasks: \(s.tasks.joined(separator: ", "))   network: \(s.network)")
        print(
            "updates \(s.updates), policy version \(s.policyVersion), episodes \(s.episodes), steps \(s.steps), adam step \(s.adamStep), seed \(s.seed)"
        )
        for (task, best) in s.best.sorted(by: { $0.key < $1.key }) {
            let b = s.baselines[task].map { " (forward \($0[0]), reverse \($0[1]), markowitz \($0[2]))" } ?? ""
            print("best \(task): cost \(best.cost)\(b), order \(best.order.map(String.init).joined(separator: ","))")
        }
        print("parameters: \(s.tensors.count) tensors, \(s.parameters.count) numbers")
        let rows = s.tensors.map { [$0.name, $0.shape.map(String.init).joined(separator: "×")] }
        print(TextTable.render([["tensor", "shape"]] + rows))
    }

    private func show(_ s: EpisodeLogSummary) {
        if json {
            var fields: [(String, JSON)] = [
                ("file", .string(file)), ("kind", .string("episode_log")),
                ("format", .string(StoredFormat.episodeLog.rawValue)),
                ("version", .int(Int(s.version))), ("code_version", .string(s.codeVersion)),
                ("tasks", .array(s.tasks.map { .string($0) })),
                ("episodes", .int(s.episodes)), ("updates", .int(s.updates)), ("order_values", .int(s.orderValues)),
                ("damaged", .bool(s.isDamaged)), ("problems", .array(s.problems.map { .string($0) })),
            ]
            if let last = s.lastUpdate {
                fields.append(
                    (
                        "last_update",
                        .object([
                            ("update", .int(last.update)), ("wall_time", .double(last.wallTime)),
                            ("best_cost", .int(last.bestCost)),
                        ])
                    ))
            }
            print(JSON.object(fields).text)
            return
        }
        print("\(file): ccelim episode log, version \(s.version), tasks \(s.tasks.joined(separator: ", "))")
        print(
            "committed: episodes \(s.episodes), updates \(s.updates), order values \(s.orderValues)\(s.isDamaged ? " (DAMAGED)" : "")"
        )
        if let last = s.lastUpdate {
            print(
                String(
                    format: "last update %d at %.1f s of training, best cost %d", last.update, last.wallTime,
                    last.bestCost))
        }
    }
}
