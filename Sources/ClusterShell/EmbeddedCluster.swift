import AlphaZero
import Checkpoint
import Cluster
import Console
import Elimination
import Foundation
import PPO
import TaskFiles
import Training
import Wire

/// `ccelim train` without `--solo`: a whole cluster on loopback — coordinator, learner and actors
/// as child processes of this one (PR_SET_PDEATHSIG: they die with it), settings from cluster.toml
/// overridden by the flags, a progress line, the best order at the end. The command parses the
/// flags and prints the `Outcome`; this supervisor starts, watches and stops the children.
public struct EmbeddedCluster {
    /// cluster.toml as read (the flags below override it).
    public var config: ClusterConfig
    public var task: String?
    public var preset: String?
    public var seed: UInt64?
    public var updates: Int?
    public var minutes: Double?
    public var envs: Int?
    /// Actor processes; nil: [actors] per_host (0: one per core).
    public var actors: Int?
    /// One actor and max_policy_lag 0: bit-reproducible runs.
    public var sync: Bool
    public var runDir: String?
    public var datasets: String?
    public var resume: String?
    /// Progress goes to stderr (stdout carries the JSON).
    public var json: Bool
    /// Every role's detailed log.
    public var verbose: Bool
    /// `--algorithm` (nil: cluster.toml's, or the resumed checkpoint's).
    public var algorithm: AlgorithmKind?
    /// The options only AlphaZero uses: the search overrides replace cluster.toml's
    /// `learner.simulations`, `c_scale`, `rollout_weight`, `rollout_rules` and `rollout_endgame` (a
    /// resumed run keeps its checkpoint's: `SearchAgreement`); the final decode is the learner's
    /// (`LearnerRun`, `FinalDecode.decodeTasks`, on its final weights after its last update), with
    /// `minutes` the budget's last seconds (the learner is stopped that much earlier) and the actors
    /// stopped as it begins (the learner's `trainingOver`, passed on by the coordinator). Refused
    /// under PPO.
    public var alphaZero = AlphaZeroOptions()
    /// A new run whose first weights are this checkpoint's (`InitialWeights`): the learner loads
    /// them before it publishes anything; not with `resume`.
    public var initialize: String?
    public init(
        config: ClusterConfig, task: String?, preset: String?, seed: UInt64?, updates: Int?, minutes: Double?,
        envs: Int?, actors: Int?, sync: Bool, runDir: String?, datasets: String?, resume: String?, json: Bool,
        verbose: Bool
    ) {
        self.config = config
        self.task = task
        self.preset = preset
        self.seed = seed
        self.updates = updates
        self.minutes = minutes
        self.envs = envs
        self.actors = actors
        self.sync = sync
        self.runDir = runDir
        self.datasets = datasets
        self.resume = resume
        self.json = json
        self.verbose = verbose
    }

    /// What a finished run reports: the learner's summary and what the command's JSON adds to it.
    public struct Outcome {
        public var summary: RunSummary
        public var seconds: Double
        public var extra: [(String, JSON)]

        public var json: JSON { summary.commandJSON(seconds: seconds, extra: extra) }
        public var lines: [String] { summary.lines(seconds: seconds) }
    }

    /// The configuration the run uses: cluster.toml with the flags applied (datasets and the
    /// coordinator's address are settled when the run starts).
    public var settings: ClusterConfig {
        var config = self.config
        if let task { config.run.tasks = [task] }
        if let preset { config.learner.preset = preset }
        if let seed { config.run.seed = seed }
        if let envs { config.learner.numEnvs = envs }
        if let algorithm { config.learner.algorithm = algorithm.rawValue }
        if let simulations = alphaZero.simulations { config.learner.simulations = simulations }
        if let cScale = alphaZero.cScale { config.learner.cScale = cScale }
        if let rolloutWeight = alphaZero.rolloutWeight { config.learner.rolloutWeight = rolloutWeight }
        if let rolloutRules = alphaZero.rolloutRules { config.learner.rolloutRules = rolloutRules }
        if let rolloutEndgame = alphaZero.rolloutEndgame { config.learner.rolloutEndgame = rolloutEndgame }
        if let actors { config.actors.perHost = actors }
        if sync {
            config.actors.perHost = 1
            config.learner.maxPolicyLag = 0
        }
        config.learner.updates =
            updates ?? (minutes == nil ? (config.learner.updates > 0 ? config.learner.updates : 100) : 0)
        return config
    }

    /// Runs the cluster until the learner finishes, `minutes` pass or a signal arrives.
    public func run() throws -> Outcome {
        SignalTrap.install()
        var config = settings
        // Without --algorithm a resumed run continues with its checkpoint's algorithm (as the solo
        // run does); a checkpoint it cannot read is left to the learner to refuse with the reason.
        let stored = resume.flatMap { try? CheckpointFile.read($0) }
        if algorithm == nil, let stored {
            config.learner.algorithm = stored.algorithm.rawValue
        }
        // The learner continues with its checkpoint's search settings (`restore`); the
        // coordinator's welcome must tell the actors the same ones (`SearchAgreement`; both
        // children also get --resume).
        if let stored = stored?.algorithmState as? AlphaZeroState, config.algorithm == .alphaZero {
            do {
                config = try SearchAgreement.config(config, resuming: stored.settings)
            } catch {
                // The conflicting key came from a flag, or from cluster.toml.
                let flagged =
                    error.key == "num_envs"
                    ? envs != nil : alphaZero.searchOverrides.contains { $0.key == error.key }
                throw Self.error(flagged ? error.flagDescription : "cluster.toml: \(error)")
            }
        }
        if let problem = alphaZero.problem(algorithm: config.algorithm, minutes: minutes) {
            throw Self.error(problem)
        }
        // A search the actors cannot run (e.g. --rollout-rules 7) is refused here, naming the
        // setting, before any child starts and parses the written cluster.toml.
        do {
            _ = try config.welcomeAlgorithm()
        } catch {
            throw Self.error("\(error)")
        }
        // Checked here too, so a checkpoint of another network is refused before any child starts
        // (the learner loads it: `LearnerRun`).
        let initial: InitialWeights?
        do {
            if let initialize, let resume {
                throw SoloTrainingError(
                    "--init \(initialize) starts a new run from a checkpoint's weights, --resume \(resume) continues a run: give one of them"
                )
            }
            initial = try initialize.map { try InitialWeights.read($0) }
            if let initial {
                guard let network = NetworkConfig.preset(config.learner.preset) else {
                    throw SoloTrainingError("unknown preset \(config.learner.preset); use paper or small")
                }
                try initial.require(network)
            }
        } catch {
            throw ShellError("\(error)")  // already printable
        }
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
            throw Self.error("\(error)")
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
        let verbose = self.verbose ? ["--verbose"] : []
        let start = Date()
        try children.start(
            "coordinator",
            ["coordinator", "--config", configPath, "--endpoint-file", endpointFile] + verbose
                + (resume.map { ["--resume", $0] } ?? []),
            output: logs.sink("coordinator"))
        guard let endpoint = waitForEndpoint(endpointFile, children: children) else {
            throw Self.error("the coordinator did not start (see \(logs.path("coordinator")))")
        }
        var learnerArguments =
            [
                "learner", "--config", configPath, "--connect", endpoint, "--run-dir", directory,
                "--run-folder-locked-by-parent",
            ] + verbose
        if let resume { learnerArguments += ["--resume", resume] }
        if let initialize { learnerArguments += ["--init", initialize] }
        if alphaZero.finalDecodeSeconds > 0 {
            learnerArguments += ["--final-decode-seconds", "\(alphaZero.finalDecodeSeconds)"]
        }
        if let decodeSimulations = alphaZero.decodeSimulations {
            learnerArguments += ["--decode-simulations", "\(decodeSimulations)"]
        }
        // When its training ends before a final decode, the learner tells the coordinator, which
        // tells the actors to stop (protocol 7's `trainingOver`): nothing here needs to watch it.
        let learner = try children.start("learner", learnerArguments, output: logs.sink("learner"))
        if initial != nil {
            // The actors start once the coordinator holds the checkpoint's weights, so none of
            // them plays the seed's policy (version 0) first.
            try waitForFirstWeights(endpoint, security: try? config.security.client(), learner: learner) {
                Self.error("the learner \($0) (see \(logs.path("learner")))")
            }
        }
        for i in 0..<actorCount {
            try children.start(
                "actor \(i)", ["actor", "--config", configPath, "--connect", endpoint, "--index", "\(i)"] + verbose,
                output: logs.sink("actor-\(i)"))
        }
        // With a final decode, training ends that many seconds before the budget does.
        let deadline = minutes.map { start.addingTimeInterval($0 * 60 - alphaZero.finalDecodeSeconds) }
        // Games the actors played, as the coordinator's table counts them: the most it showed, since
        // actors leave the table when training is over (the learner's `trainingOver`) while the
        // learner may still be decoding.
        var played: UInt64 = 0
        var rate = EpisodeRate()
        var nextPoll = Date()
        while learner.isRunning {
            if SignalTrap.stopRequested {
                progress.line("train: interrupted; stopping the cluster")
                break
            }
            if let deadline, Date() >= deadline {
                progress.line(
                    alphaZero.finalDecodeSeconds > 0
                        ? "train: training time is up; stopping the learner for its final decode (\(alphaZero.finalDecodeSeconds) s)"
                        : "train: time is up; stopping the learner")
                break
            }
            if let dead = children.children.first(where: { $0.name == "coordinator" && !$0.process.isRunning }) {
                throw Self.error(
                    "the \(dead.name) exited with status \(dead.process.terminationStatus) (see \(logs.path("coordinator")))"
                )
            }
            if Date() >= nextPoll {
                nextPoll = Date().addingTimeInterval(1)
                if let s = try? StatusClient.fetch(endpoint, security: try? config.security.client(), timeoutMs: 800) {
                    played = max(played, s.peers.filter { $0.role == .actor }.reduce(0) { $0 + $1.episodes })
                    progress.status(Self.statusText(s, seconds: Date().timeIntervalSince(start), rate: &rate))
                }
            }
            usleep(50_000)
        }
        // The learner first (it writes its last checkpoint, decodes, writes its summary), then
        // everyone else. With a final decode the actors stop before it begins, told by the
        // coordinator (the learner's `trainingOver`).
        children.signal(SIGTERM) { $0.name == "learner" }
        _ = children.wait(seconds: 60 + alphaZero.finalDecodeSeconds) { $0.name == "learner" }
        children.stopAll()
        logs.close()
        progress.finish()
        let seconds = Date().timeIntervalSince(start)
        guard learner.terminationReason == .exit, learner.terminationStatus == 0 else {
            throw Self.error("the learner failed (status \(learner.terminationStatus)); see \(logs.path("learner"))")
        }
        let summary: RunSummary
        do {
            summary = try RunSummary(
                file: "\(directory)/\(RunFolder.summaryName)", specs: tasks.map { GameSpec(graph: $0.graph) })
        } catch {
            throw Self.error("the learner left no usable summary: \(error)")
        }
        return Outcome(
            summary: summary, seconds: seconds,
            extra: [
                ("preset", .string(config.learner.preset)),
                ("seed", .int(Int(truncatingIfNeeded: config.run.seed))), ("actors", .int(actorCount)),
                ("episodes_played", .int(Int(played))), ("run_dir", .string(directory)),
            ] + (initial.map { [$0.summaryEntry] } ?? []))
    }

    /// The progress line's status from the coordinator's reply: the rate over the last 30 s of
    /// replies (before a second has passed, the actors' own estimates).
    static func statusText(_ s: StatusReply, seconds: Double, rate: inout EpisodeRate) -> String {
        let actors = s.peers.filter { $0.role == .actor }
        let episodes = actors.reduce(0) { $0 + $1.episodes }
        let perSecond = rate.add(
            seconds: seconds, episodes: episodes,
            fallback: Double(actors.reduce(Float(0)) { $0 + $1.episodesPerSecond }))
        let best = s.tasks.compactMap(\.bestCost).map(String.init).joined(separator: "/")
        return String(
            format: "%6.0f s  weights v%llu  %d actors  %llu episodes  %.1f episodes/s  best %@",
            seconds, s.weightsVersion, actors.count, episodes, perSecond, best.isEmpty ? "-" : best)
    }

    /// Polls the coordinator until the learner has published weights (version ≥ 1).
    private func waitForFirstWeights(
        _ endpoint: String, security: ClientSecurity?, learner: Process, failure: (String) -> ShellError
    ) throws {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if SignalTrap.stopRequested { return }
            if !learner.isRunning { throw failure("exited with status \(learner.terminationStatus)") }
            if let s = try? StatusClient.fetch(endpoint, security: security, timeoutMs: 800), s.weightsVersion >= 1 {
                return
            }
            usleep(50_000)
        }
        throw failure("published no weights within 120 s")
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

    /// A one-line failure, made printable (it quotes paths).
    private static func error(_ message: String) -> ShellError { ShellError(PrintableText.escaped(message)) }
}
