import ArgumentParser
import Cluster
import ClusterShell
import Console
import Elimination
import Foundation
import TaskFiles
import Training
import Wire

/// Flags of `ccelim train` that only the cluster mode has.
struct ClusterTrainOptions: ParsableArguments {
    @Option(help: "Actor processes of the local cluster (default: [actors] per_host, 0 meaning one per core).")
    var actors: Int?
    @Option(help: "cluster.toml to start from (default: ./cluster.toml when present); flags override it.") var config:
        String?
    @Flag(help: "Synchronous mode: one actor, max_policy_lag 0 — bit-reproducible runs (slow).") var sync = false
    @Flag(name: [.short, .long], help: "Show every role's detailed log.") var verbose = false
}

/// `ccelim train` without `--solo`: a whole cluster on loopback — coordinator, learner and
/// actors as child processes of this one (PR_SET_PDEATHSIG: they die with it), settings from
/// cluster.toml overridden by flags, a progress line, the best order at the end.
struct ClusterTrain {
    var task: String?
    var preset: String?
    var seed: UInt64?
    var updates: Int?
    var minutes: Double?
    var envs: Int?
    var runDir: String?
    var datasets: String?
    var resume: String?
    var json: Bool
    var options: ClusterTrainOptions

    func run() throws {
        SignalTrap.install()
        let base = ClusterOptions.parseOrExit(options.config.map { ["--config", $0] } ?? [])
        var config = try base.load()
        if let task { config.run.tasks = [task] }
        if let preset { config.learner.preset = preset }
        if let seed { config.run.seed = seed }
        if let envs { config.learner.numEnvs = envs }
        if let actors = options.actors { config.actors.perHost = actors }
        if options.sync {
            config.actors.perHost = 1
            config.learner.maxPolicyLag = 0
        }
        config.learner.updates =
            updates ?? (minutes == nil ? (config.learner.updates > 0 ? config.learner.updates : 100) : 0)
        let directory =
            runDir ?? resume.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
            ?? "\(config.run.runsDirectory)/\(config.run.name)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // One writer per run folder: this process takes the lock before touching its files and
        // holds it for the whole run; the learner child writes under it (dying with this process).
        let lock: RunFolderLock
        do {
            lock = try RunFolderLock(directory: directory)
            if resume == nil { try RunFolder.refuseExistingRun(in: directory) }
        } catch {
            throw CLIError("\(error)")
        }
        defer { withExtendedLifetime(lock) {} }
        config.run.datasets = try Datasets.directory(
            datasets ?? (config.run.datasets == "Datasets" ? nil : config.run.datasets))
        config.coordinator.bind = "tcp://127.0.0.1:0"
        let actorCount =
            config.actors.perHost > 0 ? config.actors.perHost : ProcessInfo.processInfo.activeProcessorCount
        let tasks = try ClusterTasks.load(config, datasets: config.run.datasets)
        let configPath = "\(directory)/cluster.toml"
        try Data(config.tomlText.utf8).write(to: URL(fileURLWithPath: configPath), options: .atomic)
        let endpointFile = "\(directory)/coordinator.endpoint"
        try? FileManager.default.removeItem(atPath: endpointFile)
        let progress = ProgressLine(toStderr: json)
        progress.line(
            "train: local cluster, \(actorCount) actor(s), tasks \(config.run.tasks.joined(separator: ", ")), preset \(config.learner.preset), seed \(config.run.seed), \(config.learner.updates > 0 ? "\(config.learner.updates) updates" : "\(minutes ?? 0) minutes"), run folder \(directory)"
        )

        // Children's log lines go to DIR/logs/NAME.log and, above the redrawn status line, to stderr.
        let logs = try ChildLogs(directory: "\(directory)/logs", progress: progress)
        let children = ChildProcesses()
        defer {
            children.stopAll()
            logs.close()
        }
        let verbose = options.verbose ? ["--verbose"] : []
        let start = Date()
        try children.start(
            "coordinator", ["coordinator", "--config", configPath, "--endpoint-file", endpointFile] + verbose,
            output: logs.sink("coordinator"))
        guard let endpoint = waitForEndpoint(endpointFile, children: children) else {
            throw CLIError("the coordinator did not start (see \(logs.path("coordinator")))")
        }
        var learnerArguments =
            [
                "learner", "--config", configPath, "--connect", endpoint, "--run-dir", directory,
                "--run-folder-locked-by-parent",
            ] + verbose
        if let resume { learnerArguments += ["--resume", resume] }
        let learner = try children.start("learner", learnerArguments, output: logs.sink("learner"))
        for i in 0..<actorCount {
            try children.start(
                "actor \(i)", ["actor", "--config", configPath, "--connect", endpoint, "--index", "\(i)"] + verbose,
                output: logs.sink("actor-\(i)"))
        }
        let deadline = minutes.map { start.addingTimeInterval($0 * 60) }
        var lastStatus: StatusReply?
        var nextPoll = Date()
        while learner.isRunning {
            if SignalTrap.stopRequested {
                progress.line("train: interrupted; stopping the cluster")
                break
            }
            if let deadline, Date() >= deadline {
                progress.line("train: time is up; stopping the learner")
                break
            }
            if let dead = children.children.first(where: { $0.name == "coordinator" && !$0.process.isRunning }) {
                throw CLIError(
                    "the \(dead.name) exited with status \(dead.process.terminationStatus) (see \(logs.path("coordinator")))"
                )
            }
            if Date() >= nextPoll {
                nextPoll = Date().addingTimeInterval(1)
                if let s = try? StatusClient.fetch(endpoint, security: try? config.security.client(), timeoutMs: 800) {
                    lastStatus = s
                    progress.status(s, seconds: Date().timeIntervalSince(start))
                }
            }
            usleep(50_000)
        }
        // The learner first (it writes its last checkpoint and summary), then everyone else.
        children.signal(SIGTERM) { $0.name == "learner" }
        _ = children.wait(seconds: 60) { $0.name == "learner" }
        children.stopAll()
        logs.close()
        progress.finish()
        let seconds = Date().timeIntervalSince(start)
        guard learner.terminationReason == .exit, learner.terminationStatus == 0 else {
            throw CLIError("the learner failed (status \(learner.terminationStatus)); see \(logs.path("learner"))")
        }
        try report(
            directory: directory, tasks: tasks.map(\.graph), seconds: seconds, actors: actorCount, played: lastStatus,
            config: config)
    }

    private func waitForEndpoint(_ path: String, children: ChildProcesses) -> String? {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                // Bound on 127.0.0.1 with a port libzmq chose.
                return text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if !(children.children.first?.process.isRunning ?? false) { return nil }
            usleep(20_000)
        }
        return nil
    }

    private func report(
        directory: String, tasks: [ComputationalGraph], seconds: Double, actors: Int, played: StatusReply?,
        config: ClusterConfig
    ) throws {
        let summary: RunSummary
        do {
            summary = try RunSummary(
                file: "\(directory)/\(RunFolder.summaryName)", specs: tasks.map { GameSpec(graph: $0) })
        } catch {
            throw CLIError("the learner left no usable summary: \(error)")
        }
        if json {
            print(
                summary.commandJSON(
                    seconds: seconds,
                    extra: [
                        ("preset", .string(config.learner.preset)),
                        ("seed", .int(Int(truncatingIfNeeded: config.run.seed))), ("actors", .int(actors)),
                        (
                            "episodes_played",
                            .int(Int(played?.peers.filter { $0.role == .actor }.reduce(0) { $0 + $1.episodes } ?? 0))
                        ),
                        ("run_dir", .string(directory)),
                    ]
                ).text)
        } else {
            for line in summary.lines(seconds: seconds) { print(line) }
        }
    }
}
