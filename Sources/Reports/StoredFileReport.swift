import AlphaZero
import Checkpoint
import Console
import PPO

/// What `ccelim inspect` shows of a checkpoint or an episode log: one JSON object for scripts, or
/// lines for people. The command reads and verifies the file; this only describes what it holds.
public enum StoredFileReport {
    /// The checkpoint `file` holds, as one JSON object.
    public static func json(_ s: TrainerSnapshot, file: String) -> JSON {
        let checksum = CheckpointFile.checksumText(s)
        return
            JSON.object([
                ("file", .string(file)), ("kind", .string("checkpoint")),
                ("format", .string(StoredFormat.checkpoint.rawValue)),
                ("version", .int(Int(CheckpointFile.version))), ("tasks", .array(s.tasks.map { .string($0) })),
                ("algorithm", .string(s.algorithm.rawValue)), ("updates", .int(s.updates)),
                ("policy_version", .int(Int(truncatingIfNeeded: s.policyVersion))),
                ("episodes", .int(s.episodes)), ("steps", .int(s.steps)), ("adam_step", .int(s.adamStep)),
                ("seed", .string(String(s.seed))), ("network", .string(s.network.name)),
                ("config", .string(s.configText)), ("parameter_count", .int(s.parameters.count)),
                ("checksum_fnv1a64", .string(checksum)),
                ("replay", replayJSON(s)),
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
            ])
    }

    /// AlphaZero's replay buffer (null for PPO, which keeps none): games and moves held, games
    /// ever added, and the capacity in games.
    static func replayJSON(_ s: TrainerSnapshot) -> JSON {
        guard let az = s.algorithmState as? AlphaZeroState else { return .null }
        return .object([
            ("games", .int(az.replay.count)), ("moves", .int(az.replay.reduce(0) { $0 + $1.order.count })),
            ("added", .int(az.replayAdded)), ("capacity", .int(az.settings.replayGames)),
        ])
    }

    static func replayLine(_ s: TrainerSnapshot) -> String? {
        guard let az = s.algorithmState as? AlphaZeroState else { return nil }
        return
            "replay buffer: \(az.replay.count) games (\(az.replay.reduce(0) { $0 + $1.order.count }) moves) of \(az.settings.replayGames), \(az.replayAdded) ever added"
    }

    /// The checkpoint `file` holds, for people: identity, counts, best orders, the tensors.
    public static func lines(_ s: TrainerSnapshot, file: String) -> [String] {
        let checksum = CheckpointFile.checksumText(s)
        var out: [String] = []
        out.append("\(file): ccelim checkpoint, version \(CheckpointFile.version), intact (checksum \(checksum))")
        out.append(
            "tasks: \(s.tasks.joined(separator: ", "))   algorithm: \(s.algorithm.rawValue)   network: \(s.network)")
        out.append(
            "updates \(s.updates), policy version \(s.policyVersion), episodes \(s.episodes), steps \(s.steps), adam step \(s.adamStep), seed \(s.seed)"
        )
        for (task, best) in s.best.sorted(by: { $0.key < $1.key }) {
            let b = s.baselines[task].map { " (forward \($0[0]), reverse \($0[1]), markowitz \($0[2]))" } ?? ""
            out.append(
                "best \(task): cost \(best.cost)\(b), order \(best.order.map(String.init).joined(separator: ","))")
        }
        if let replay = replayLine(s) { out.append(replay) }
        out.append("parameters: \(s.tensors.count) tensors, \(s.parameters.count) numbers")
        let rows = s.tensors.map { [$0.name, $0.shape.map(String.init).joined(separator: "×")] }
        out.append(TextTable.render([["tensor", "shape"]] + rows))
        return out
    }

    /// The episode log `file` holds, as one JSON object.
    public static func json(_ s: EpisodeLogSummary, file: String) -> JSON {
        var fields: [(String, JSON)] = [
            ("file", .string(file)), ("kind", .string("episode_log")),
            ("format", .string(StoredFormat.episodeLog.rawValue)),
            ("version", .int(Int(s.version))), ("code_version", .string(s.codeVersion)),
            ("tasks", .array(s.tasks.map { .string($0) })), ("algorithm", .string(s.algorithm.rawValue)),
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
        return JSON.object(fields)
    }

    /// The episode log `file` holds, for people.
    public static func lines(_ s: EpisodeLogSummary, file: String) -> [String] {
        var out: [String] = []
        out.append(
            "\(file): ccelim episode log, version \(s.version), tasks \(s.tasks.joined(separator: ", ")), algorithm \(s.algorithm.rawValue)"
        )
        out.append(
            "committed: episodes \(s.episodes), updates \(s.updates), order values \(s.orderValues)\(s.isDamaged ? " (DAMAGED)" : "")"
        )
        if let last = s.lastUpdate {
            out.append(
                String(
                    format: "last update %d at %.1f s of training, best cost %d", last.update, last.wallTime,
                    last.bestCost))
        }
        return out
    }
}
