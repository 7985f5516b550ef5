import ArgumentParser
import ClusterShell
import Console
import Foundation
import Wire

/// `ccelim bench cluster`: the local cluster's throughput against the single-process trainer,
/// measured in the same run by starting the real binary: 1 and 2 actors, CURVE off and on, the
/// policy-lag distribution the learner saw, and how long a SIGKILLed actor stays registered.
struct ClusterBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster", abstract: "Episodes/s of the local cluster vs `train --solo`, policy lag, dead-actor detection time.",
        discussion: "Episodes/s are episodes trained per second, from each `ccelim train --json` summary (episodes ÷ seconds, start-up included); medians over --runs.")

    @Option(help: "Task.") var task = "RoeFlux_1d"
    @Option(help: "PPO updates per measured run.") var updates = 6
    @Option(help: "Repetitions per figure; the median is reported.") var runs = 1
    @Option(help: "Episodes per update.") var envs: Int?
    @Flag(help: "Only the fault figures (dead-actor detection, resume to first update), no throughput runs.") var faultsOnly = false
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("ccelim-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        var envArguments: [String] = []
        if let envs { envArguments = ["--envs", "\(envs)"] }

        func train(_ extra: [String], name: String) throws -> [String: Any] {
            let r = try Self.capture(["train", "--task", task, "--updates", "\(updates)", "--json", "--run-dir", "\(work)/\(name)"] + envArguments + extra)
            guard r.status == 0, let line = r.stdout.split(separator: "\n").last,
                  let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw CLIError("`ccelim train \(extra.joined(separator: " "))` failed: \(r.stderr.suffix(2000))")
            }
            return o
        }
        func rate(_ o: [String: Any]) -> Double { Double(o["episodes"] as? Int ?? 0) / max(o["seconds"] as? Double ?? 1, 1e-9) }
        func measure(_ extra: [String], _ name: String) throws -> (rate: Double, runs: [Double], last: [String: Any]) {
            var rates: [Double] = []
            var last: [String: Any] = [:]
            for i in 0..<runs {
                last = try train(extra, name: "\(name)-\(i)")
                rates.append(rate(last))
            }
            return (median(rates), rates, last)
        }

        let detection = try Self.deadActorDetection(work: work, task: task)
        let resume = try Self.resumeToFirstUpdate(work: work, task: task, envs: envArguments)
        if faultsOnly {
            print(JSON.object([("benchmark", .string("cluster-faults")), ("build", .string(buildConfiguration)), ("task", .string(task)),
                               ("dead_actor_detection_seconds", .double((detection * 1000).rounded() / 1000)),
                               ("heartbeat_timeout_seconds", .double(Double(Liveness.deadAfterMs) / 1000)),
                               ("resume_to_first_update_seconds", .double((resume * 1000).rounded() / 1000))]).text)
            return
        }
        let solo = try measure(["--solo"], "solo")
        let one = try measure(["--actors", "1"], "one")
        let two = try measure(["--actors", "2"], "two")
        let curveConfig = try Self.curveConfig(in: work)
        let twoCurve = try measure(["--actors", "2", "--config", curveConfig], "two-curve")
        let lag = Self.lagHistogram("\(work)/two-\(runs - 1)/summary.json")

        func r3(_ x: Double) -> JSON { .double((x * 1000).rounded() / 1000) }
        let result = JSON.object([
            ("benchmark", .string("cluster")), ("build", .string(buildConfiguration)), ("task", .string(task)),
            ("updates_per_run", .int(updates)), ("runs", .int(runs)),
            ("solo_episodes_per_second", r3(solo.rate)),
            ("cluster_1_actor_episodes_per_second", r3(one.rate)),
            ("cluster_2_actors_episodes_per_second", r3(two.rate)),
            ("cluster_2_actors_curve_episodes_per_second", r3(twoCurve.rate)),
            ("runs_episodes_per_second", .object([("solo", .array(solo.runs.map(r3))), ("cluster_1_actor", .array(one.runs.map(r3))),
                                                   ("cluster_2_actors", .array(two.runs.map(r3))), ("cluster_2_actors_curve", .array(twoCurve.runs.map(r3)))])),
            ("speedup_2_vs_1_actor", r3(two.rate / max(one.rate, 1e-9))),
            ("cluster_2_actors_vs_solo", r3(two.rate / max(solo.rate, 1e-9))),
            ("curve_vs_plain", r3(twoCurve.rate / max(two.rate, 1e-9))),
            ("episodes_played_2_actors", .int(two.last["episodes_played"] as? Int ?? 0)),
            ("policy_lag_histogram_2_actors", .object(lag.map { ($0.0, .int($0.1)) })),
            ("dead_actor_detection_seconds", r3(detection)),
            ("heartbeat_timeout_seconds", .double(Double(Liveness.deadAfterMs) / 1000)),
            ("resume_to_first_update_seconds", r3(resume)),
        ])
        print(json ? result.text : result.text)
    }

    static func capture(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = ChildProcesses.executable
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// A cluster.toml with CURVE on: a server key, one client key, and that key allowed.
    static func curveConfig(in work: String) throws -> String {
        var publicKeys: [String: String] = [:]
        for name in ["server", "client"] {
            let r = try capture(["keys", "generate", "-o", "\(work)/\(name).key"])
            guard r.status == 0 else { throw CLIError("keys generate failed: \(r.stderr)") }
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

    static func lagHistogram(_ path: String) -> [(String, Int)] {
        guard let data = FileManager.default.contents(atPath: path),
              let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let h = o["lag_histogram"] as? [String: Int] else { return [] }
        return h.sorted { Int($0.key)! < Int($1.key)! }
    }

    /// A one-update cluster run leaves a checkpoint; then a learner started with `--resume` into a
    /// running cluster is timed from its start to its first new line in updates.jsonl.
    static func resumeToFirstUpdate(work: String, task: String, envs: [String]) throws -> Double {
        let run = "\(work)/resume"
        let first = try capture(["train", "--task", task, "--actors", "1", "--updates", "1", "--run-dir", run, "--json"] + envs)
        guard first.status == 0 else { throw CLIError("the run to resume failed: \(first.stderr.suffix(2000))") }
        let updatesFile = "\(run)/updates.jsonl"
        func lines() -> Int { ((try? String(contentsOfFile: updatesFile, encoding: .utf8)) ?? "").split(separator: "\n").count }
        let before = lines()
        let children = ChildProcesses()
        defer { children.stopAll(graceSeconds: 5) }
        let start = Date()
        try children.start("train", ["train", "--resume", "\(run)/checkpoint.h5", "--task", task, "--actors", "1", "--updates", "2", "--run-dir", run] + envs, followParent: false)
        while lines() <= before && Date().timeIntervalSince(start) < 600 { usleep(20_000) }
        return Date().timeIntervalSince(start)
    }

    /// Starts a coordinator and one actor, SIGKILLs the actor once registered, and times until
    /// `ccelim status` no longer lists it.
    static func deadActorDetection(work: String, task: String) throws -> Double {
        let children = ChildProcesses()
        defer { children.stopAll(graceSeconds: 3) }
        let endpointFile = "\(work)/detect.endpoint"
        let config = "\(work)/detect.toml"
        try "[run]\ntasks = [\"\(task)\"]\n".write(toFile: config, atomically: true, encoding: .utf8)
        try children.start("coordinator", ["coordinator", "--config", config, "--bind", "tcp://127.0.0.1:0", "--endpoint-file", endpointFile])
        var endpoint = ""
        for _ in 0..<600 where endpoint.isEmpty {
            endpoint = ((try? String(contentsOfFile: endpointFile, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            usleep(50_000)
        }
        guard !endpoint.isEmpty else { throw CLIError("the coordinator did not start") }
        let actor = try children.start("actor", ["actor", "--config", config, "--connect", endpoint])
        func actors() -> Int { (try? StatusClient.fetch(endpoint, security: nil, timeoutMs: 2000))?.peers.filter { $0.role == .actor }.count ?? -1 }
        for _ in 0..<600 where actors() < 1 { usleep(50_000) }
        kill(actor.processIdentifier, SIGKILL)
        let killed = Date()
        while actors() != 0 && Date().timeIntervalSince(killed) < 30 { usleep(20_000) }
        return Date().timeIntervalSince(killed)
    }
}
