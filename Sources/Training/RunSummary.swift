import Console
import Elimination
import Foundation
import PPO

/// The one summary of a training run, solo or cluster: what `summary.json` holds and what
/// `ccelim train --json` prints (Docs/CHECKPOINT.md lists the keys). The cluster's parent process
/// reads it back from the learner's summary.json.
public struct RunSummary {
    public struct Task {
        public var name: String
        public var best: BestOrder?
        /// Which method found `best`: "self-play" (the run's games), "init-decode" (the start
        /// file's zero-shot decode, `--init`, when it was cheaper) or "final-decode" (the trained
        /// policy's final decode, `FinalDecode`, when it was cheaper still).
        public var bestFrom = BestSource.selfPlay
        /// The decode stage that found `best` when a decode did ("policy-descent", "search-decode",
        /// …: `SearchResult.method`); nil for self-play.
        public var bestMethod: String?
        /// Forward, reverse and minimal Markowitz on the task.
        public var baselines: BaselineSummary
    }

    /// `Task.bestFrom`'s values, as the JSON writes them.
    public enum BestSource: String, Sendable {
        case selfPlay = "self-play"
        case initDecode = "init-decode"
        case finalDecode = "final-decode"
    }

    public var tasks: [Task]
    public var algorithm: AlgorithmKind
    public var updates: Int
    public var episodes: Int
    public var steps: Int
    public var policyVersion: UInt64
    public var seconds: Double
    public var weightsChecksum: String
    public var dropped: EpisodeDrops
    /// The trained policy's final decode (`FinalDecode.decodeTasks`: `final_decode`, after the
    /// common keys), nil when none ran.
    public var finalDecode: JSON?
    /// Mode-specific keys after the common ones (the cluster's lag histogram and helper faults).
    public var extra: [(String, JSON)] = []

    public init<Algorithm>(
        trainer: AlgorithmTrainer<Algorithm>, seconds: Double, dropped: EpisodeDrops, weightsChecksum: String,
        extra: [(String, JSON)] = []
    ) {
        tasks = trainer.specs.indices.map { i in
            Task(
                name: trainer.taskNames[i], best: trainer.bestByTask[i],
                baselines: BaselineSummary(spec: trainer.specs[i]))
        }
        algorithm = Algorithm.kind
        updates = trainer.updates
        episodes = trainer.episodes
        steps = trainer.steps
        policyVersion = trainer.policyVersion
        self.seconds = seconds
        self.weightsChecksum = weightsChecksum
        self.dropped = dropped
        self.extra = extra
    }

    public var json: JSON {
        .object(
            [
                ("tasks", .array(tasks.map { .string($0.name) })), ("algorithm", .string(algorithm.rawValue)),
                ("updates", .int(updates)),
                ("episodes", .int(episodes)),
                ("steps", .int(steps)), ("policy_version", .int(Int(truncatingIfNeeded: policyVersion))),
                ("seconds", .double((seconds * 100).rounded() / 100)), ("weights_checksum", .string(weightsChecksum)),
                ("dropped", .object(dropped.named.map { ($0.0, .int($0.1)) })),
                (
                    "best",
                    .object(
                        tasks.map { t in
                            (
                                t.name,
                                .object([
                                    ("cost", t.best.map { .int($0.cost) } ?? .null),
                                    ("order", .ints(t.best?.order ?? [])),
                                    ("from", t.best == nil ? .null : .string(t.bestFrom.rawValue)),
                                    ("method", t.bestMethod.map { .string($0) } ?? .null),
                                    ("forward", .int(t.baselines.forward)), ("reverse", .int(t.baselines.reverse)),
                                    ("markowitz", .int(t.baselines.markowitz)),
                                ])
                            )
                        })
                ),
            ] + (finalDecode.map { [("final_decode", $0)] } ?? []) + extra)
    }

    /// Reads a summary.json back (the fields the command reports), re-scoring every best order
    /// on `specs` (never trusting a file's costs).
    public init(file path: String, specs: [GameSpec]) throws(RunFolderError) {
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONReading.parse(data) as? [String: Any],
            let bests = object["best"] as? [String: [String: Any]]
        else {
            throw RunFolderError(path, "missing or not a run summary")
        }
        tasks = []
        for spec in specs {
            guard let entry = bests[spec.name] else { throw RunFolderError(path, "has no entry for task \(spec.name)") }
            var best: BestOrder?
            if let cost = entry["cost"] as? Int, let order = entry["order"] as? [Int] {
                guard let scored = try? Baselines.score(order, on: spec), scored.cost == cost else {
                    throw RunFolderError(
                        path, "the best order of \(spec.name) does not re-score to its stated cost \(cost)")
                }
                best = BestOrder(cost: cost, order: order)
            }
            var task = Task(name: spec.name, best: best, baselines: BaselineSummary(spec: spec))
            if let from = (entry["from"] as? String).flatMap(BestSource.init(rawValue:)) { task.bestFrom = from }
            task.bestMethod = entry["method"] as? String
            tasks.append(task)
        }
        algorithm = (object["algorithm"] as? String).flatMap(AlgorithmKind.init(rawValue:)) ?? .ppo
        updates = object["updates"] as? Int ?? 0
        episodes = object["episodes"] as? Int ?? 0
        steps = object["steps"] as? Int ?? 0
        policyVersion = UInt64(object["policy_version"] as? Int ?? 0)
        seconds = object["seconds"] as? Double ?? 0
        weightsChecksum = object["weights_checksum"] as? String ?? ""
        dropped = EpisodeDrops()
        if let counts = object["dropped"] as? [String: Int] {
            for reason in DropReason.allCases { dropped.add(reason, counts[reason.rawValue] ?? 0) }
        }
        finalDecode = object["final_decode"].map {
            Self.json($0, keyOrder: specs.map(\.name) + FinalDecode.fieldKeys)
        }
    }

    /// A value JSONReading read back as `JSON`, an object's keys in `keyOrder`'s order first, then
    /// the others sorted (the reader forgets the file's order); whole numbers become integers.
    static func json(_ value: Any, keyOrder: [String]) -> JSON {
        switch value {
        case let object as [String: Any]:
            let rank = Dictionary(keyOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            let keys = object.keys.sorted { (rank[$0] ?? Int.max, $0) < (rank[$1] ?? Int.max, $1) }
            return .object(keys.map { ($0, json(object[$0]!, keyOrder: keyOrder)) })
        case let array as [Any]: return .array(array.map { json($0, keyOrder: keyOrder) })
        case let text as String: return .string(text)
        case let whole as Int: return .int(whole)
        case let number as Double: return .double(number)
        case let flag as Bool: return .bool(flag)
        default: return .null
        }
    }

    /// What `ccelim train --json` prints: the summary's keys, with the first task's best as
    /// `task`, `best_cost`, `best_order`, `best_from` (which method found it: "self-play",
    /// "init-decode" or "final-decode"; null with no best) and `best_method` (the decode stage that
    /// found it, null for self-play) (and `cheaper_baseline` when a baseline beats it).
    public func commandJSON(seconds: Double, extra: [(String, JSON)]) -> JSON {
        guard case let .object(fields) = json else { return json }
        let first = tasks[0]
        var out: [(String, JSON)] = [
            ("task", .string(tasks.map(\.name).joined(separator: ","))), ("algorithm", .string(algorithm.rawValue)),
            ("best_cost", first.best.map { .int($0.cost) } ?? .null), ("best_order", .ints(first.best?.order ?? [])),
            ("best_from", first.best == nil ? .null : .string(first.bestFrom.rawValue)),
            ("best_method", first.bestMethod.map { .string($0) } ?? .null),
            (
                "baselines",
                .object([
                    ("forward", .int(first.baselines.forward)), ("reverse", .int(first.baselines.reverse)),
                    ("markowitz", .int(first.baselines.markowitz)),
                ])
            ),
        ]
        if let cheaper = first.cheaperBaseline {
            out.append(("cheaper_baseline", .object([("name", .string(cheaper.name)), ("cost", .int(cheaper.cost))])))
        }
        out +=
            fields.filter { $0.0 != "seconds" && $0.0 != "algorithm" } + [
                ("seconds", .double((seconds * 100).rounded() / 100))
            ] + extra
        return .object(out)
    }

    /// Lines for people: per task the best learned order against the baselines, and plainly
    /// when a baseline is still cheaper than anything learned, with that cheaper order.
    public func lines(seconds: Double) -> [String] {
        var out: [String] = []
        for t in tasks {
            let label = tasks.count > 1 ? "\(t.name): " : ""
            let baselines =
                "forward \(t.baselines.forward), reverse \(t.baselines.reverse), markowitz \(t.baselines.markowitz)"
            // Where a decode, not self-play, found it: which one and its stage.
            let source =
                t.best != nil && t.bestFrom != .selfPlay
                ? " (\(t.bestFrom.rawValue)\(t.bestMethod.map { ", \($0)" } ?? ""))" : ""
            out.append(
                "\(label)best learned order: cost \(t.best.map { String($0.cost) } ?? "none")\(source) (\(baselines)) after \(updates) updates, \(episodes) episodes, \(String(format: "%.1f", seconds)) s"
            )
            out.append("\(label)order: \(t.best?.order.map(String.init).joined(separator: ",") ?? "-")")
            if let cheaper = t.cheaperBaseline {
                out.append(
                    "\(label)\(cheaper.name) (cost \(cheaper.cost)) is still cheaper than anything learned\(t.best.map { " (\($0.cost))" } ?? ""); use it: \(cheaper.order.map(String.init).joined(separator: ","))"
                )
            }
        }
        return out
    }
}

extension RunSummary.Task {
    /// The cheapest baseline when it beats the best learned order (or nothing was learned).
    public var cheaperBaseline: CheaperBaseline? { baselines.cheaper(than: best?.cost) }
}
