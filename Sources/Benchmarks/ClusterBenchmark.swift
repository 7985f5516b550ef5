import ClusterShell
import Console
import Foundation
import Wire

/// The local cluster's throughput against the single-process trainer, measured in the same run by
/// starting the real binary: 1 and 2 actors, CURVE off and on, the policy-lag distribution the
/// learner saw, and how long a SIGKILLed actor stays registered (`ccelim bench cluster`).
public struct ClusterBenchmark {
    /// Runs `ccelim ARGUMENTS` to completion and returns what it printed.
    public typealias Capture = ([String]) throws -> (status: Int32, stdout: String, stderr: String)

    /// Processes started by the benchmark, stopped together (SIGTERM, grace, SIGKILL).
    public protocol Processes: AnyObject {
        /// Starts `ccelim ARGUMENTS` (with `followParent`, it dies with us) and returns its pid.
        func launch(_ name: String, _ arguments: [String], followParent: Bool) throws -> Int32
        func stopAll(graceSeconds: Double)
    }

    public var task: String
    public var updates: Int
    public var runs: Int
    /// Extra `train` arguments (e.g. `--envs N`).
    public var trainArguments: [String]
    /// A scratch directory the benchmark owns.
    public var work: String
    public var capture: Capture
    public var processes: () -> any Processes

    public init(
        task: String, updates: Int, runs: Int, trainArguments: [String], work: String,
        capture: @escaping Capture, processes: @escaping () -> any Processes
    ) {
        self.task = task
        self.updates = updates
        self.runs = runs
        self.trainArguments = trainArguments
        self.work = work
        self.capture = capture
        self.processes = processes
    }

    /// Only the fault figures: dead-actor detection and resume to the first update.
    public func faults() throws -> JSON {
        let detection = try deadActorDetection()
        let resume = try resumeToFirstUpdate()
        return .object([
            ("benchmark", .string("cluster-faults")), ("build", .string(buildConfiguration)), ("task", .string(task)),
            ("dead_actor_detection_seconds", .double(rounded(detection))),
            ("heartbeat_timeout_seconds", .double(Double(Liveness.deadAfterMs) / 1000)),
            ("resume_to_first_update_seconds", .double(rounded(resume))),
        ])
    }

    /// Every figure: the fault figures, then solo, 1 actor, 2 actors and 2 actors with CURVE.
    public func all() throws -> JSON {
        let detection = try deadActorDetection()
        let resume = try resumeToFirstUpdate()
        let solo = try measure(["--solo"], "solo")
        let one = try measure(["--actors", "1"], "one")
        let two = try measure(["--actors", "2"], "two")
        let twoCurve = try measure(["--actors", "2", "--config", try curveConfig()], "two-curve")
        let lag = Self.lagHistogram("\(work)/two-\(runs - 1)/summary.json")
        func r3(_ x: Double) -> JSON { .double(rounded(x)) }
        return .object([
            ("benchmark", .string("cluster")), ("build", .string(buildConfiguration)), ("task", .string(task)),
            ("updates_per_run", .int(updates)), ("runs", .int(runs)),
            ("solo_episodes_per_second", r3(solo.rate)),
            ("cluster_1_actor_episodes_per_second", r3(one.rate)),
            ("cluster_2_actors_episodes_per_second", r3(two.rate)),
            ("cluster_2_actors_curve_episodes_per_second", r3(twoCurve.rate)),
            (
                "runs_episodes_per_second",
                .object([
                    ("solo", .array(solo.runs.map(r3))), ("cluster_1_actor", .array(one.runs.map(r3))),
                    ("cluster_2_actors", .array(two.runs.map(r3))),
                    ("cluster_2_actors_curve", .array(twoCurve.runs.map(r3))),
                ])
            ),
            ("speedup_2_vs_1_actor", r3(two.rate / max(one.rate, 1e-9))),
            ("cluster_2_actors_vs_solo", r3(two.rate / max(solo.rate, 1e-9))),
            ("curve_vs_plain", r3(twoCurve.rate / max(two.rate, 1e-9))),
            ("episodes_played_2_actors", .int(two.last["episodes_played"] as? Int ?? 0)),
            ("policy_lag_histogram_2_actors", .object(lag.map { ($0.0, .int($0.1)) })),
            ("dead_actor_detection_seconds", r3(detection)),
            ("heartbeat_timeout_seconds", .double(Double(Liveness.deadAfterMs) / 1000)),
            ("resume_to_first_update_seconds", r3(resume)),
        ])
    }

    /// Episodes trained per second of one `ccelim train --json` summary (start-up included).
    static func rate(_ summary: [String: Any]) -> Double {
        Double(summary["episodes"] as? Int ?? 0) / max(summary["seconds"] as? Double ?? 1, 1e-9)
    }

    func train(_ extra: [String], name: String) throws -> [String: Any] {
        let r = try capture(
            ["train", "--task", task, "--updates", "\(updates)", "--json", "--run-dir", "\(work)/\(name)"]
                + trainArguments + extra)
        guard r.status == 0, let line = r.stdout.split(separator: "\n").last,
            let o = try? JSONReading.parse(String(line)) as? [String: Any]
        else {
            throw BenchmarkError("`ccelim train \(extra.joined(separator: " "))` failed: \(r.stderr.suffix(2000))")
        }
        return o
    }

    func measure(_ extra: [String], _ name: String) throws -> (rate: Double, runs: [Double], last: [String: Any]) {
        var rates: [Double] = []
        var last: [String: Any] = [:]
        for i in 0..<runs {
            last = try train(extra, name: "\(name)-\(i)")
            rates.append(Self.rate(last))
        }
        return (median(rates), rates, last)
    }

    /// A cluster.toml with CURVE on: a server key, one client key, and that key allowed.
    func curveConfig() throws -> String {
        var publicKeys: [String: String] = [:]
        for name in ["server", "client"] {
            let r = try capture(["keys", "generate", "-o", "\(work)/\(name).key"])
            guard r.status == 0 else { throw BenchmarkError("keys generate failed: \(r.stderr)") }
            publicKeys[name] = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        try (publicKeys["client"]! + "\n").write(toFile: "\(work)/allowed", atomically: true, encoding: .utf8)
        let text = """
            [security]
            curve = true
            server_secret_key_file = "\(work)/server.key"
            allowed_keys_file = "\(work)/allowed"
            client_key_file = "\(work)/client.key"
            server_public_key = "\(publicKeys["server"]!)"
            """
        try text.write(toFile: "\(work)/curve.toml", atomically: true, encoding: .utf8)
        return "\(work)/curve.toml"
    }

    /// The learner's policy-lag histogram in a run's summary.json, by lag.
    static func lagHistogram(_ path: String) -> [(String, Int)] {
        guard let data = FileManager.default.contents(atPath: path),
            let o = try? JSONReading.parse(data) as? [String: Any],
            let h = o["lag_histogram"] as? [String: Int]
        else { return [] }
        return h.sorted { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }
    }

    /// A one-update cluster run leaves a checkpoint; then a learner started with `--resume` into a
    /// running cluster is timed from its start to its first new line in updates.jsonl.
    func resumeToFirstUpdate() throws -> Double {
        let run = "\(work)/resume"
        let first = try capture(
            ["train", "--task", task, "--actors", "1", "--updates", "1", "--run-dir", run, "--json"] + trainArguments)
        guard first.status == 0 else { throw BenchmarkError("the run to resume failed: \(first.stderr.suffix(2000))") }
        let updatesFile = "\(run)/updates.jsonl"
        func lines() -> Int {
            ((try? String(contentsOfFile: updatesFile, encoding: .utf8)) ?? "").split(separator: "\n").count
        }
        let before = lines()
        let children = processes()
        defer { children.stopAll(graceSeconds: 5) }
        let start = Date()
        _ = try children.launch(
            "train",
            [
                "train", "--resume", "\(run)/checkpoint.h5", "--task", task, "--actors", "1", "--updates", "2",
                "--run-dir", run,
            ] + trainArguments, followParent: false)
        while lines() <= before && Date().timeIntervalSince(start) < 600 { usleep(20_000) }
        return Date().timeIntervalSince(start)
    }

    /// Starts a coordinator and one actor, SIGKILLs the actor once registered, and times until
    /// `ccelim status` no longer lists it.
    func deadActorDetection() throws -> Double {
        let children = processes()
        defer { children.stopAll(graceSeconds: 3) }
        let endpointFile = "\(work)/detect.endpoint"
        let config = "\(work)/detect.toml"
        try "[run]\ntasks = [\"\(task)\"]\n".write(toFile: config, atomically: true, encoding: .utf8)
        _ = try children.launch(
            "coordinator",
            ["coordinator", "--config", config, "--bind", "tcp://127.0.0.1:0", "--endpoint-file", endpointFile],
            followParent: true)
        var endpoint = ""
        for _ in 0..<600 where endpoint.isEmpty {
            endpoint = ((try? String(contentsOfFile: endpointFile, encoding: .utf8)) ?? "").trimmingCharacters(
                in: .whitespacesAndNewlines)
            usleep(50_000)
        }
        guard !endpoint.isEmpty else { throw BenchmarkError("the coordinator did not start") }
        let actor = try children.launch(
            "actor", ["actor", "--config", config, "--connect", endpoint], followParent: true)
        func actors() -> Int {
            (try? StatusClient.fetch(endpoint, security: nil, timeoutMs: 2000))?.peers.filter { $0.role == .actor }
                .count ?? -1
        }
        for _ in 0..<600 where actors() < 1 { usleep(50_000) }
        kill(actor, SIGKILL)
        let killed = Date()
        while actors() != 0 && Date().timeIntervalSince(killed) < 30 { usleep(20_000) }
        return Date().timeIntervalSince(killed)
    }
}
